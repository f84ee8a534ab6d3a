package lastrun

import (
	"strings"
	"testing"
	"time"
)

func render(t *testing.T, r *Run) string {
	t.Helper()
	var b strings.Builder
	if err := Markdown(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Output with a code fence of its own cannot close the report's fence, and
// a name with a pipe cannot break the timeline's table.
func TestMarkdownFenceAndCells(t *testing.T) {
	start := time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC)
	r := &Run{Command: "up", Checklist: "onboard.yaml", Started: start, Ended: start.Add(2 * time.Second), Result: "failed",
		Items: []*Item{{ID: "step:docs", Name: "docs | site", Line: 7, Outcome: "failed", Detail: "exit status 1",
			Duration: 1500 * time.Millisecond, Output: []string{"```", "not closed"}}}}
	md := render(t, r)
	for _, want := range []string{
		"## onboard up: `step:docs` failed (onboard.yaml:7)\n",
		"| 1 | `step:docs` docs \\| site | 7 | failed | 1.5s |  |\n",
		"````text\n```\nnot closed\n````\n",
		"**Likely cause:** a checklist error: ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

// A run the preflight stopped: no item ran, the problems are the summary
// and the cause is read from them.
func TestMarkdownPreflight(t *testing.T) {
	r := &Run{Command: "up", Checklist: "onboard.yaml", Result: "failed",
		Problems: []string{"port 5433 (service:postgres) is already in use by postgres (pid 7)"}}
	md := render(t, r)
	for _, want := range []string{
		"## onboard up: stopped before it started\n",
		"- port 5433 (service:postgres) is already in use by postgres (pid 7)\n",
		"**Likely cause:** a port taken: port 5433",
		"No item ran.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| # | item |") {
		t.Errorf("an empty timeline table:\n%s", md)
	}
}

// A run that passed says so, and suggests nothing.
func TestMarkdownOK(t *testing.T) {
	md := render(t, &Run{Command: "up", Checklist: "onboard.yaml", Result: "ok", Items: []*Item{{ID: "tool:go", Outcome: "ok"}}})
	if !strings.Contains(md, "## onboard up: every item met\n") || !strings.Contains(md, "\nNothing failed.\n") {
		t.Errorf("report:\n%s", md)
	}
}
