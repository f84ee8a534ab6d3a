package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// stampOf against the build information each way of building records.
func TestStampOf(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	mod := func(v string, settings []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/onboard-dev/onboard", Version: v}, Settings: settings}
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ld   buildStamp
		want buildStamp
	}{
		{"no build information", nil, buildStamp{},
			buildStamp{Version: "(devel)", Commit: "unknown", Date: "unknown"}},
		{"go test or go run outside a checkout", mod("(devel)", nil), buildStamp{},
			buildStamp{Version: "(devel)", Commit: "unknown", Date: "unknown"}},
		// go install …@v1.2.3 builds the module zip: a version, no VCS data.
		{"go install of a tag", mod("v1.2.3", vcs("-ldflags", "")), buildStamp{},
			buildStamp{Version: "v1.2.3", Commit: "unknown", Date: "unknown"}},
		// go install …@main: the pseudo-version names the commit and its time.
		{"go install of a commit", mod("v0.0.0-20261203102259-13e7735abcde", nil), buildStamp{},
			buildStamp{Version: "v0.0.0-20261203102259-13e7735abcde", Commit: "13e7735abcde", Date: "2026-12-03T10:22:59Z"}},
		{"pseudo-version after a tag", mod("v1.2.4-0.20261203102259-13e7735abcde", nil), buildStamp{},
			buildStamp{Version: "v1.2.4-0.20261203102259-13e7735abcde", Commit: "13e7735abcde", Date: "2026-12-03T10:22:59Z"}},
		{"pseudo-version after a prerelease", mod("v1.3.0-rc.1.0.20261203102259-13e7735abcde", nil), buildStamp{},
			buildStamp{Version: "v1.3.0-rc.1.0.20261203102259-13e7735abcde", Commit: "13e7735abcde", Date: "2026-12-03T10:22:59Z"}},
		// go build in a checkout (Go ≥ 1.24): pseudo-version and VCS data;
		// the full revision wins over the pseudo-version's prefix.
		{"go build in a modified checkout",
			mod("v0.0.0-20261203102259-13e7735abcde+dirty", vcs("vcs", "git", "vcs.revision", "13e7735abcdef0123456789abcdef0123456789a", "vcs.time", "2026-12-03T10:22:59Z", "vcs.modified", "true")),
			buildStamp{},
			buildStamp{Version: "v0.0.0-20261203102259-13e7735abcde+dirty", Commit: "13e7735abcdef0123456789abcdef0123456789a", Date: "2026-12-03T10:22:59Z", Modified: true}},
		{"a prerelease is not a pseudo-version", mod("v1.0.0-rc.1", nil), buildStamp{},
			buildStamp{Version: "v1.0.0-rc.1", Commit: "unknown", Date: "unknown"}},
		// The release build's ldflags win over everything recorded.
		{"ldflags", mod("(devel)", vcs("vcs.revision", "ffff", "vcs.time", "2000-01-01T00:00:00Z", "vcs.modified", "true")),
			buildStamp{Version: "v1.2.3", Commit: "abc123", Date: "2026-12-01T09:00:00Z"},
			buildStamp{Version: "v1.2.3", Commit: "abc123", Date: "2026-12-01T09:00:00Z"}},
		{"ldflags version only", mod("(devel)", vcs("vcs.revision", "ffff", "vcs.time", "2000-01-01T00:00:00Z")),
			buildStamp{Version: "v1.2.3"},
			buildStamp{Version: "v1.2.3", Commit: "ffff", Date: "2000-01-01T00:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stampOf(tt.info, tt.ld); got != tt.want {
				t.Errorf("stampOf = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
}

func TestBuildStampString(t *testing.T) {
	got := buildStamp{Version: "v1.2.3", Commit: "abc", Date: "2026-12-03T10:22:59Z", Modified: true}.String()
	want := "onboard v1.2.3\ncommit abc (modified)\ndate 2026-12-03T10:22:59Z\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if strings.Count(got, "\n") != 4 {
		t.Errorf("want four lines, got %q", got)
	}
}
