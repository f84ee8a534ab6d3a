package ui

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

// ansiRE matches an SGR escape code (colour, bold, dim).
var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenRun is a run a person could see: a tool found, a step fixed, a
// step failing with its output, one blocked by it, the summary.
func goldenRun() []engine.Event {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	return []engine.Event{
		{Type: engine.EventItemDone, ID: "tool:go", Outcome: engine.OutcomeOK, Detail: "1.26.8 (>= 1.22)", Time: now},
		{Type: engine.EventItemDone, ID: "step:deps", Outcome: engine.OutcomeFixed, Detail: "go mod verify passed", Line: 9, Time: now},
		{Type: engine.EventItemDone, ID: "step:migrate", Outcome: engine.OutcomeFailed, Line: 14, Time: now,
			Detail: "./migrate up: exit status 3", Log: ".onboard/logs/step-migrate.log",
			Output: []string{"$ ./migrate up", "connecting to 127.0.0.1:5433 as app", "FATAL: password authentication failed for user \"app\""}},
		{Type: engine.EventItemDone, ID: "step:seed", Outcome: engine.OutcomeBlocked, Detail: "step:migrate failed", Line: 18, Time: now},
		{Type: engine.EventRunDone, Duration: 1500 * time.Millisecond, Summary: &engine.Summary{
			Counts: map[string]int{engine.OutcomeOK: 1, engine.OutcomeFixed: 1, engine.OutcomeFailed: 1, engine.OutcomeBlocked: 1},
			Failed: []string{"step:migrate", "step:seed"}}},
	}
}

// What a run prints, compared with testdata/*.golden (go test -update
// rewrites them): the same run with colour off and on. With colour off
// not one escape code is written; with it on, the marks and the dimmed
// details carry theirs and the words are the same.
func TestReporterGolden(t *testing.T) {
	for _, c := range []struct {
		name  string
		color bool
	}{{"run_plain", false}, {"run_color", true}} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			r := NewReporter(&Streams{Out: &out, Err: &errb}, ReporterOptions{File: "onboard.yaml",
				Order: []string{"tool:go", "step:deps", "step:migrate", "step:seed"}})
			r.st, r.est = style{c.color}, style{c.color}
			for _, e := range goldenRun() {
				r.Handle(e)
			}
			r.Close()
			got := "--- stdout\n" + out.String() + "--- stderr\n" + errb.String()
			golden := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./internal/ui -run Golden -update writes it)", err)
			}
			if got != string(want) {
				t.Errorf("the run renders differently from %s:\n%s\nwant:\n%s", golden, got, want)
			}
			if hasEscape := bytes.Contains([]byte(got), []byte("\x1b[")); hasEscape != c.color {
				t.Errorf("colour %v, escape codes written: %v", c.color, hasEscape)
			}
		})
	}
	plain, _ := os.ReadFile(filepath.Join("testdata", "run_plain.golden"))
	color, _ := os.ReadFile(filepath.Join("testdata", "run_color.golden"))
	if stripped := ansiRE.ReplaceAll(color, nil); !bytes.Equal(stripped, plain) {
		t.Errorf("colour changes the words, not only their colour:\n%s\nvs\n%s", stripped, plain)
	}
}
