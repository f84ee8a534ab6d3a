package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/report"
)

// Each phase of verify is an ordinary converge (or check) whose events are
// recorded into a report.Phase; the verdict on each item is verify's.

// recorder turns one run's events into a report.Phase.
type recorder struct {
	mu      sync.Mutex
	phase   *report.Phase
	applied map[string]bool
}

func newRecorder(name string) *recorder {
	return &recorder{phase: &report.Phase{Name: name, Items: []*report.Item{}}, applied: map[string]bool{}}
}

// observe is convergeOpts.observe: the events are already masked.
func (r *recorder) observe(e engine.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e.Type {
	case engine.EventItemApply:
		r.applied[e.ID] = true
	case engine.EventItemDone:
		it := &report.Item{ID: e.ID, Line: e.Line, Outcome: e.Outcome, Detail: e.Detail, Fix: e.Fix,
			Output: e.Output, Duration: e.Duration, Expected: e.Expect, Applied: r.applied[e.ID]}
		if e.Outcome == engine.OutcomeSkipped {
			it.Skipped = e.Detail
			if it.Skipped == "" {
				it.Skipped = "skipped"
			}
		}
		r.phase.Items = append(r.phase.Items, it)
	}
}

// sorted puts the items in checklist order (events arrive as items end).
func (r *recorder) sorted() *report.Phase {
	r.mu.Lock()
	defer r.mu.Unlock()
	sort.SliceStable(r.phase.Items, func(i, j int) bool {
		a, b := r.phase.Items[i], r.phase.Items[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.ID < b.ID
	})
	return r.phase
}

// runPhase prints the phase's title and runs one converge in it.
func (a *app) runPhase(ctx context.Context, name, title string, mode engine.Mode, cv convergeOpts) (*report.Phase, error) {
	fmt.Fprintf(a.resultsOut(), "\n── %s: %s\n", name, title)
	rec := newRecorder(name)
	cv.observe = rec.observe
	start := time.Now()
	err := a.converge(ctx, mode, cv)
	p := rec.sorted()
	p.Duration = time.Since(start)
	return p, err
}

// resultsOut is where results go: stdout, or stderr when stdout carries
// the --json events.
func (a *app) resultsOut() io.Writer {
	if a.opts.json {
		return a.streams.Err
	}
	return a.streams.Out
}

// verdict collects why a verify does not pass: failed items make it exit
// 1, everything else it finds (not idempotent, not met) exit 3.
type verdict struct {
	file     string // the checklist as the person names it, for file:line
	failed   bool
	notMet   bool
	problems []string
	// leftOut are the working tree's files a fresh clone lacks: a failure
	// that names one says so.
	leftOut []string
	// homePrograms are the tools whose program lies under the HOME a
	// fresh verify replaced (verify_home.go): a failure of one says so.
	homePrograms map[string]string
}

func (v *verdict) ok() bool { return !v.failed && !v.notMet }

// fail marks it as verify's failure in this phase, with the message the
// person reads.
func (v *verdict) fail(it *report.Item, failed bool, msg string) {
	it.Failure = msg
	if failed {
		v.failed = true
	} else {
		v.notMet = true
	}
	v.problems = append(v.problems, msg)
}

// where is "onboard.yaml:12", or the file alone without a line.
func (v *verdict) where(line int) string {
	if line <= 0 {
		return v.file
	}
	return fmt.Sprintf("%s:%d", v.file, line)
}

// judgeConverge judges the first or the second converge: a failed item
// fails verify; a manual item still waiting for a person is not met; in
// the second, any item that applied again is not idempotent.
func (v *verdict) judgeConverge(p *report.Phase, second bool) {
	for _, it := range p.Items {
		switch {
		case it.Outcome == engine.OutcomeFailed || it.Outcome == engine.OutcomeBlocked:
			v.fail(it, true, fmt.Sprintf("%s %s in the %s (%s): %s%s", itemName(it.ID), it.Outcome, p.Name, v.where(it.Line), strings.TrimPrefix(lastLine(it.Detail), "blocked: "), v.uncommittedIn(it)+v.homeHint(it)))
		case it.Outcome == engine.OutcomePending:
			v.fail(it, false, fmt.Sprintf("%s waits for a person (%s), and nobody answers in verify: add `ci: {skip: \"…\"}` with the reason, or automate it (a run: step with a check:)", itemName(it.ID), v.where(it.Line)))
		case second && it.Applied && it.Outcome == engine.OutcomeFixed:
			// (An apply that failed is a failure above; one that cannot
			// fix, such as a missing optional tool's, changed nothing.)
			msg := fmt.Sprintf("not idempotent: %s applied again on the second run (%s)", itemName(it.ID), v.where(it.Line))
			if strings.Contains(it.Detail, "it has no check") {
				msg += ": it has no `check:` or `creates:`, so it runs every time; give it one that says when it is done"
			}
			v.fail(it, false, msg)
		}
	}
}

// judgeCheck judges a check: everything must be met. when says when it
// ran (" after two converges"), or is "".
func (v *verdict) judgeCheck(p *report.Phase, when string) {
	for _, it := range p.Items {
		switch it.Outcome {
		case engine.OutcomeFailed:
			v.fail(it, true, fmt.Sprintf("%s failed its check (%s): %s", itemName(it.ID), v.where(it.Line), lastLine(it.Detail)))
		case engine.OutcomeNotMet, engine.OutcomePending:
			v.fail(it, false, fmt.Sprintf("%s is not met%s (%s): %s", itemName(it.ID), when, v.where(it.Line), lastLine(it.Detail)))
		}
	}
}

// itemName is "step `seed`", "tool `go`", "service `db`".
func itemName(id string) string {
	i := engine.ID(id)
	if i.Name() == "" {
		return "`" + id + "`"
	}
	return fmt.Sprintf("%s `%s`", i.Kind(), i.Name())
}

// lastLine keeps a problem on one line: the detail of a multi-line
// command ends with what happened to it (": exit status 3").
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s[i+1:]), ":"))
	}
	return s
}

// uncommittedIn says which left-out files a failed item's detail or output
// names: the likely reason it passed on the maintainer's machine.
func (v *verdict) uncommittedIn(it *report.Item) string {
	text := it.Detail + "\n" + strings.Join(it.Output, "\n")
	var named []string
	for _, f := range v.leftOut {
		if strings.Contains(text, filepath.Base(f)) {
			named = append(named, f)
		}
	}
	if len(named) == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s %s only in your working tree: commit %s)", strings.Join(named, ", "), plural(len(named), "is", "are"), plural(len(named), "it", "them"))
}
