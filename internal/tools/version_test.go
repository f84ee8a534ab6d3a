package tools

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"1.26.8", "1.26.8"},
		{" v20.20.2\n", "20.20.2"},
		{"28.2.2,", "28.2.2"},
		{"3.12.0+", "3.12.0"},
		// glued prereleases get their dash and three numbers
		{"1.26rc1", "1.26.0-rc1"},
		{"1.22beta2", "1.22.0-beta2"},
		{"3.13.0rc1", "3.13.0-rc1"},
		{"3.13.0a4", "3.13.0-a4"},
		{"3.4.0preview1", "3.4.0-preview1"},
		{"1.0beta.2", "1.0.0-beta2"},
		// Java update numbers and Ruby patch levels are build metadata
		{"1.8.0_392", "1.8.0+392"},
		{"1.8.0_271", "1.8.0+271"},
		{"1.8.0_402-ea", "1.8.0-ea+402"},
		{"3.1.2p20", "3.1.2+p20"},
		// only one "+" starts build metadata
		{"3.9.0+3.el8+ge09b16a", "3.9.0+3.el8.ge09b16a"},
		// already parseable: unchanged
		{"1.32.4-dispatcher", "1.32.4-dispatcher"},
		{"2.29.7-desktop.1", "2.29.7-desktop.1"},
		{"3.0.2+g19e47ee", "3.0.2+g19e47ee"},
		{"4.0.0-rc-2", "4.0.0-rc-2"},
		{"21", "21"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSatisfies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		constraint, version string
		want                bool
	}{
		{">= 1.22", "1.26.8", true},
		{">= 1.27", "1.26.8", false},
		{"~> 25.1", "25.3", true},
		{"~> 25.1", "26.0", false},
		{"~> 1.26.0", "1.26.8", true},
		{"~> 1.26.0", "1.27.0", false},
		{">= 1.20, < 2", "1.26.8", true},
		{">= 1.20, < 1.25", "1.26.8", false},
		{"= 2.39.5", "2.39.5", true},
		{"2.39.5", "2.39.5", true},
		{"!= 2.39.5", "2.39.5", false},
		{">= 24", "28.2.2", true},
		{"< 24", "28.2.2", false},
		{"", "1.0.0", true}, // no constraint: any version
		{"  ", "0.0.1", true},

		// prereleases compare by their core version ...
		{">= 1.22", "1.26rc1", true},
		{">= 1.26", "1.26rc1", true},
		{"= 1.26.0", "1.26rc1", true},
		{">= 1.27", "1.26rc1", false},
		{"< 1.26", "1.26rc1", false},
		{"~> 1.26.0", "1.26rc1", true},
		{">= 3.13", "3.13.0rc1", true},
		{">= 1.32", "1.32.4-dispatcher", true},
		{">= 2.29.7", "2.29.7-desktop.1", true},
		{">= 10.11", "10.11.19-MariaDB", true},
		// ... unless the constraint names a prerelease: go-version's rules
		{">= 1.26.0-rc1", "1.26rc1", true},
		{">= 1.26.0-rc2", "1.26rc1", false},
		{">= 1.26.0-rc1", "1.26rc2", true},
		{">= 1.26.0-rc1", "1.27rc1", false}, // only prereleases of 1.26.0
		{">= 1.26.0-rc1", "1.26.1", true},

		// build metadata (Java updates, Ruby patch levels, git hashes) is ignored
		{">= 1.8", "1.8.0_392", true},
		{"= 1.8.0", "1.8.0_392", true},
		{"~> 1.8.0", "1.8.0_271", true},
		{">= 11", "1.8.0_392", false},
		{">= 17", "17.0.15", true},
		{">= 21", "21", true},
		{">= 3.1", "3.1.2p20", true},
		{"= 3.1.2", "3.1.2p20", true},
		{"> 3.1.2", "3.1.2p20", false},
		{">= 3", "3.0.2+g19e47ee", true},
		{"= 3.9.0", "3.9.0+3.el8+ge09b16a", true},
		{"v1.2.3", "1.2.3", true},
	}
	for _, tt := range tests {
		got, err := Satisfies(tt.constraint, tt.version)
		if err != nil {
			t.Errorf("Satisfies(%q, %q): %v", tt.constraint, tt.version, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Satisfies(%q, %q) = %v, want %v", tt.constraint, tt.version, got, tt.want)
		}
	}
}

func TestSatisfiesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		constraint, version string
		wantErr             string
	}{
		{">= 1.2.3.oops", "1.2.3", `version constraint ">= 1.2.3.oops"`},
		{"at least 1.2", "1.2.3", `version constraint "at least 1.2"`},
		{"=> 1.2", "1.2.3", `version constraint "=> 1.2"`},
		{">= 1.2", "not-a-version", `"not-a-version" is not a version onboard can compare`},
		{">= 1.2", "", `"" is not a version onboard can compare`},
		{"", "garbage", `"garbage" is not a version onboard can compare`},
	}
	for _, tt := range tests {
		_, err := Satisfies(tt.constraint, tt.version)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Satisfies(%q, %q) error = %v, want it to contain %q", tt.constraint, tt.version, err, tt.wantErr)
		}
	}
}

// FuzzSatisfies feeds arbitrary versions and constraints to the version
// parser: it must never panic, and whatever Normalize makes of a version
// that parses must parse again.
func FuzzSatisfies(f *testing.F) {
	for _, seed := range []struct{ constraint, version string }{
		{">= 1.22", "1.26rc1"},
		{"~> 1.8.0", "1.8.0_392"},
		{"= 3.1.2", "3.1.2p20"},
		{">= 1.26.0-rc1", "1.26rc2"},
		{">= 3", "3.9.0+3.el8+ge09b16a"},
		{">= 1.32", "1.32.4-dispatcher"},
		{"", "v20.20.2"},
		{"< 2", "28.2.2,"},
		{">= 1.0beta.2", "1.0beta.2"},
		{"!=", "_"},
	} {
		f.Add(seed.constraint, seed.version)
	}
	f.Fuzz(func(t *testing.T, constraint, version string) {
		_, _ = Satisfies(constraint, version)
		if v, err := ParseVersion(version); err == nil {
			if _, err := ParseVersion(v.String()); err != nil {
				t.Errorf("%q parsed as %q, which does not parse: %v", version, v, err)
			}
		}
	})
}
