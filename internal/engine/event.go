package engine

import "time"

// Event types, in the order a run emits them. docs/events.md documents the
// JSON form (`onboard --json`).
const (
	EventRunStart  = "run.start"
	EventItemStart = "item.start"
	EventItemApply = "item.apply"
	EventItemSlow  = "item.slow"
	// EventItemOverdue is an item past its expected time (`expect:`, or
	// learned from earlier runs): Expect is that time, Log its log.
	EventItemOverdue = "item.overdue"
	// EventItemOutput is one line an item wrote to its log, as it runs
	// (only with Options.Verbose): Detail is the line, secrets masked.
	EventItemOutput = "item.output"
	EventItemDone   = "item.done"
	EventWarning    = "warning"
	// EventPreflightFailed is a preflight that found problems (Problems):
	// nothing was changed, no item ran.
	EventPreflightFailed = "preflight.failed"
	EventRunDone         = "run.done"
)

// Outcomes of an item.
const (
	OutcomeOK          = "ok"          // met at check
	OutcomeFixed       = "fixed"       // applied, and the check now passes
	OutcomeFailed      = "failed"      // apply failed, or the fix did not fix
	OutcomeBlocked     = "blocked"     // something it needs did not succeed
	OutcomeSkipped     = "skipped"     // not for this machine, or --skip/--only
	OutcomePending     = "pending"     // a manual item no one confirmed yet
	OutcomeWarning     = "warning"     // an optional item that is not met
	OutcomeNotMet      = "not-met"     // check mode: would need apply
	OutcomeInterrupted = "interrupted" // Ctrl-C
)

// Event is one thing that happened in a run.
type Event struct {
	Time     time.Time     `json:"time"`
	Type     string        `json:"type"`
	ID       string        `json:"id,omitempty"`
	Name     string        `json:"name,omitempty"` // Node.DisplayName: a step's name:, else what the checklist lines call it
	Line     int           `json:"line,omitempty"`
	Outcome  string        `json:"outcome,omitempty"`
	Detail   string        `json:"detail,omitempty"`
	Fix      string        `json:"fix,omitempty"`
	Output   []string      `json:"output,omitempty"` // last lines of the log, on failure
	Log      string        `json:"log,omitempty"`    // the item's log file, relative to the root
	Duration time.Duration `json:"duration_ns,omitempty"`
	// Expect is the item's expected time, on item.overdue and on the
	// item.done of an item that overran it; on run.start, the whole run's
	// estimate from the items' budgets (absent when none has one).
	Expect  time.Duration `json:"expect_ns,omitempty"`
	Summary *Summary      `json:"summary,omitempty"`
	// Problems are what a failed preflight found, one sentence each.
	Problems []string `json:"problems,omitempty"`
	// Version and Project are run.start's: onboard's version and the
	// checklist's project, so a stream of events says what produced it.
	Version string `json:"version,omitempty"`
	Project string `json:"project,omitempty"`
}

// Summary counts outcomes at the end of a run.
type Summary struct {
	Counts   map[string]int `json:"counts"`
	Duration time.Duration  `json:"duration_ns"`
	// Failed lists failed and blocked item ids in the order they ended.
	Failed []string `json:"failed,omitempty"`
	// Overran lists the items that took longer than expected.
	Overran []Overrun `json:"overran,omitempty"`
	// Skips are the items skipped on purpose (`onboard skip`), with why.
	Skips []SkippedItem `json:"skips,omitempty"`
}
