package tools

import (
	"regexp"
	"slices"
	"testing"
)

func TestTable(t *testing.T) {
	t.Parallel()
	names := Names()
	if len(names) < 34 {
		t.Errorf("the table has %d tools, want at least 34", len(names))
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("Names() is not sorted and unique: %q", names)
	}
	for _, name := range names {
		e, ok := Lookup(name)
		switch {
		case !ok:
			t.Errorf("Lookup(%q) failed", name)
		case len(e.Argv) == 0 || e.Argv[0] == "":
			t.Errorf("%s: no command", name)
		case e.Pattern.NumSubexp() < 1:
			t.Errorf("%s: pattern `%s` has no capture group", name, e.Pattern)
		case e.Stream < Stdout || e.Stream > Both:
			t.Errorf("%s: stream %v", name, e.Stream)
		}
	}
	if _, ok := Lookup("no-such-tool"); ok {
		t.Error("Lookup found a tool that is not in the table")
	}
	e, _ := Lookup("go")
	e.Argv[0] = "changed"
	if again, _ := Lookup("go"); again.Argv[0] != "go" {
		t.Error("Lookup shares its Argv with the table")
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec    Spec
		argv    []string
		pattern string
	}{
		{Spec{Name: "java"}, []string{"java", "-version"}, `version "([^"\s]+)"`},
		{Spec{Name: "docker compose"}, []string{"docker", "compose", "version"}, composeVersion},
		{Spec{Name: "kubectl", Command: []string{"kubectl", "version", "--client", "-o", "yaml"}, Pattern: `gitVersion: v(\S+)`},
			[]string{"kubectl", "version", "--client", "-o", "yaml"}, `gitVersion: v(\S+)`},
		{Spec{Name: "go", Pattern: `go(\S+)`}, []string{"go", "version"}, `go(\S+)`},
		{Spec{Name: "mytool"}, []string{"mytool", "--version"}, GenericPattern},
		{Spec{Name: "my tool"}, []string{"my", "tool", "--version"}, GenericPattern},
		{Spec{Name: "mytool", Command: []string{"mytool", "version"}}, []string{"mytool", "version"}, GenericPattern},
		{Spec{Command: []string{"./bin/x", "-V"}}, []string{"./bin/x", "-V"}, GenericPattern},
	}
	for _, tt := range tests {
		argv, pat, err := tt.spec.Resolve()
		if err != nil {
			t.Errorf("Resolve(%+v): %v", tt.spec, err)
			continue
		}
		if !slices.Equal(argv, tt.argv) || pat.String() != tt.pattern {
			t.Errorf("Resolve(%+v) = %q, `%s`; want %q, `%s`", tt.spec, argv, pat, tt.argv, tt.pattern)
		}
	}
}

func TestParseOutput(t *testing.T) {
	t.Parallel()
	pat := regexp.MustCompile(`tool (\d+\.\d+)`)
	tests := []struct {
		output, version, line string
		ok                    bool
	}{
		{"tool 1.2\n", "1.2", "tool 1.2", true},
		{"warning: old config\r\n\x1b[1mtool 3.4\x1b[0m (beta)\r\nmore\r\n", "3.4", "tool 3.4 (beta)", true},
		{"tool 5.6", "5.6", "tool 5.6", true},
		{"no version\n", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		m, ok := ParseOutput(pat, tt.output)
		if ok != tt.ok || m.Version != tt.version || m.Line != tt.line {
			t.Errorf("ParseOutput(%q) = %+v, %v; want %q on %q, %v", tt.output, m, ok, tt.version, tt.line, tt.ok)
		}
	}
	// An optional group that did not take part is no version.
	if m, ok := ParseOutput(regexp.MustCompile(`tool( \d+)?`), "tool x"); ok {
		t.Errorf("an empty group was taken for a version: %+v", m)
	}
}

func TestFirstLine(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"go version go1.26.8 linux/amd64\n":   "go version go1.26.8 linux/amd64",
		"\n\n  Gradle 8.5  \n":                "Gradle 8.5",
		"\x1b[1mApache Maven 3.8.7\x1b[m\r\n": "Apache Maven 3.8.7",
		"":                                    "",
		" \n\t\n":                             "",
	} {
		if got := FirstLine(in); got != want {
			t.Errorf("FirstLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLastLinesAndHead(t *testing.T) {
	t.Parallel()
	if got := lastLines("a\n\nb\nc\n\n", 2); got != "b\nc" {
		t.Errorf("lastLines = %q", got)
	}
	if got := lastLines("", 3); got != "" {
		t.Errorf("lastLines of nothing = %q", got)
	}
	if got := head("  short  ", 10); got != "short" {
		t.Errorf("head = %q", got)
	}
	if got := head("héllo wörld", 2); got != "h…" {
		t.Errorf("head cut inside a rune: %q", got)
	}
}
