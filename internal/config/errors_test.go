package config

import (
	"strings"
	"testing"
)

func TestRenderPutsCaretUnderColumn(t *testing.T) {
	src := "version: 1\n\tkey: x\nsteps: é\n"
	l := &ErrorList{File: "onboard.yaml", Source: []byte(src)}
	l.add(Pos{3, 8}, "third")
	l.add(Pos{2, 2}, "second")
	l.add(Pos{9, 1}, "past the end")
	l.sort()
	want := "onboard.yaml:2:2: second\n" +
		"    2 | \tkey: x\n" +
		"      | \t^\n" +
		"onboard.yaml:3:8: third\n" +
		"    3 | steps: é\n" +
		"      |        ^\n" +
		"onboard.yaml:9:1: past the end\n" +
		"onboard.yaml: 3 problems\n"
	if got := l.Render(); got != want {
		t.Errorf("Render:\n%s\nwant:\n%s", got, want)
	}
	if got := l.Error(); got != "onboard.yaml:2:2: second (and 2 more)" {
		t.Errorf("Error() = %q", got)
	}
}

func TestErrorListCapsProblems(t *testing.T) {
	l := &ErrorList{File: "f"}
	for i := 0; i < maxErrors+7; i++ {
		l.add(Pos{i + 1, 1}, "p")
	}
	if len(l.Errors) != maxErrors || l.Len() != maxErrors+7 {
		t.Fatalf("kept %d, counted %d", len(l.Errors), l.Len())
	}
	if !strings.Contains(l.Render(), "f: 7 more problems not shown\n") {
		t.Errorf("Render does not say how many were dropped")
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"check", "creates", "needs", "version", "depends_on"}
	tests := map[string]string{
		"chek":                   ` (did you mean "check"?)`,
		"neds":                   ` (did you mean "needs"?)`,
		"versoin":                ` (did you mean "version"?)`,
		"dependson":              ` (did you mean "depends_on"?)`,
		"banana":                 "",
		"x":                      "",
		strings.Repeat("a", 100): "",
	}
	for in, want := range tests {
		if got := suggest(in, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOffsetPosCountsCharacters(t *testing.T) {
	data := []byte("ab\nçé\x00x")
	if got := offsetPos(data, 7); got != (Pos{2, 3}) {
		t.Errorf("offsetPos = %v, want 2:3", got)
	}
	if got := offsetPos(data, 0); got != (Pos{1, 1}) {
		t.Errorf("offsetPos(0) = %v, want 1:1", got)
	}
}

func TestCanonicalID(t *testing.T) {
	for in, want := range map[string]string{
		"deps":             "step:deps",
		"step:deps":        "step:deps",
		"tool:go":          "tool:go",
		"service:postgres": "service:postgres",
		"repo":             "repo",
	} {
		if got := CanonicalID(in); got != want {
			t.Errorf("CanonicalID(%q) = %q, want %q", in, got, want)
		}
	}
}
