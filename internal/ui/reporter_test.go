package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

func done(id, outcome, detail string) engine.Event {
	return engine.Event{Type: engine.EventItemDone, ID: id, Outcome: outcome, Detail: detail, Time: time.Now()}
}

// Lines print in checklist order, whatever order items finish in.
func TestReporterPrintsInChecklistOrder(t *testing.T) {
	var out, errb bytes.Buffer
	r := NewReporter(&Streams{Out: &out, Err: &errb}, ReporterOptions{File: "onboard.yaml", Order: []string{"step:a", "step:b", "step:c"}})
	r.Handle(done("step:c", engine.OutcomeOK, "c"))
	r.Handle(done("step:b", engine.OutcomeOK, "b"))
	if out.Len() != 0 {
		t.Fatalf("printed before step:a finished: %q", out.String())
	}
	r.Handle(done("step:a", engine.OutcomeOK, "a"))
	r.Close()
	if got, want := out.String(), "✓ a  a\n✓ b  b\n✓ c  c\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if errb.Len() != 0 {
		t.Errorf("results leaked to stderr: %q", errb.String())
	}
}

// While a question is open nothing is written; the lines follow the
// answer, in order.
func TestReporterHoldsLinesWhileAsking(t *testing.T) {
	var out bytes.Buffer
	s := &Streams{Out: &out, Err: &bytes.Buffer{}}
	r := NewReporter(s, ReporterOptions{Order: []string{"step:a"}})
	defer r.Close()
	resume := r.pause()
	r.Handle(done("step:a", engine.OutcomeFixed, ""))
	if out.Len() != 0 {
		t.Fatalf("wrote while a question was open: %q", out.String())
	}
	resume()
	if got := out.String(); got != "✓ a  fixed\n" {
		t.Errorf("after the answer: %q", got)
	}
}

// With --json the checklist goes to stderr; colour is never written to a
// buffer (not a terminal).
func TestReporterJSONAndNoColour(t *testing.T) {
	var out, errb bytes.Buffer
	r := NewReporter(&Streams{Out: &out, Err: &errb}, ReporterOptions{Order: []string{"step:a"}, JSON: true})
	r.Handle(done("step:a", engine.OutcomeFailed, "boom"))
	r.Handle(engine.Event{Type: engine.EventRunDone, Summary: &engine.Summary{Counts: map[string]int{engine.OutcomeFailed: 1}}})
	r.Close()
	if out.Len() != 0 {
		t.Errorf("stdout with --json: %q", out.String())
	}
	if !strings.Contains(errb.String(), "✗ a  boom") || strings.Contains(errb.String(), "\x1b") {
		t.Errorf("stderr: %q", errb.String())
	}
	// The footer points at onboard report, now that it works.
	if !strings.Contains(errb.String(), "`onboard report` writes this run up for an issue, secrets masked.") {
		t.Errorf("the footer does not point at onboard report: %q", errb.String())
	}
}

// Colour on: marks carry their colour; off: not one escape code.
func TestStyle(t *testing.T) {
	if got := (style{on: true}).mark(engine.OutcomeFixed); !strings.Contains(got, "\x1b[") || !strings.Contains(got, "✓") {
		t.Errorf("coloured mark: %q", got)
	}
	if got := (style{}).mark(engine.OutcomeFixed) + (style{}).dim("x"); got != "✓x" {
		t.Errorf("plain: %q", got)
	}
}

func TestWrapWords(t *testing.T) {
	got := wrapWords("check: test -f a-long-name && test -f b", 20)
	for _, l := range strings.Split(got, "\n") {
		if len(l) > 20 && !strings.Contains(l, "a-long-name") {
			t.Errorf("line over 20: %q", l)
		}
	}
	if strings.ReplaceAll(got, "\n", " ") != "check: test -f a-long-name && test -f b" {
		t.Errorf("words changed: %q", got)
	}
}

// Tables line columns up two spaces apart with no trailing blanks; a
// state is coloured only when colour is on.
func TestTable(t *testing.T) {
	var out bytes.Buffer
	s := &Streams{Out: &out}
	s.Table([]string{"NAME", "STATE", "PORTS"}, [][]string{{"db", "running", "5432"}, {"web", "failed", "-"}})
	want := "NAME  STATE    PORTS\ndb    running  5432\nweb   failed   -\n"
	if out.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", out.String(), want)
	}
	if st := (style{on: true}); !strings.Contains(st.render(stateStyles["failed"], "failed"), "\x1b[") {
		t.Error("a failed state is not coloured when colour is on")
	}
}

// Plan lines keep their characters: "…" and "✓" are not re-encoded.
func TestIndentLinesKeepsUTF8(t *testing.T) {
	if got, want := indentLines("--set name=…\n✓ next", "    "), "    --set name=…\n    ✓ next"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
