// Package engine decides what runs: it orders checklist items on their
// dependency graph, runs each as check → apply → verify, keeps state between
// runs and emits events. It never prints; internal/ui renders the events.
package engine

import (
	"context"
	"errors"
	"io"
	"time"
)

// Status is what a check found.
type Status int

// Check results.
const (
	NotMet  Status = iota // the item needs its apply
	Met                   // nothing to do
	Skipped               // does not apply here (when: os/arch)
)

// Result is a check's verdict with a human detail ("1.26.8 (>= 1.22)").
type Result struct {
	Status Status
	Detail string
	// Fix is a hint for a person when the item cannot fix itself, such as
	// the install command of a missing tool.
	Fix string
	// NoCheck marks an item that has no way to check itself: `up` always
	// applies it and a clean apply counts as done; `check` reports it met
	// only if it succeeded in an earlier run of the same definition.
	NoCheck bool
}

// Item is one checklist entry. Check must not change anything: it runs on
// every `onboard`, `onboard check` and before and after every Apply.
type Item interface {
	Check(ctx context.Context, env *Env) (Result, error)
	Apply(ctx context.Context, env *Env) error // only when Check said NotMet
}

// ErrCannotApply is returned by Apply for items a program cannot fix, such
// as a missing tool: the item fails with its check detail and Fix hint.
var ErrCannotApply = errors.New("onboard cannot fix this by itself")

// ErrNeedsPerson is returned by Apply when a person must act and there is
// no terminal to ask them: the item is pending, not failed.
var ErrNeedsPerson = errors.New("waiting for a person")

// Env is what an item may use while it runs.
type Env struct {
	Root    string   // the repository root; every path is relative to it
	Environ []string // the environment for commands, NAME=value
	Log     io.Writer
	// Confirm asks a person a yes/no question; nil without a terminal.
	Confirm func(ctx context.Context, question string) (bool, error)
	// Choose asks a person to pick one of options and returns its index;
	// nil without a terminal.
	Choose func(ctx context.Context, question string, options []string) (int, error)
	// Prior is what the last run recorded for this item, if its definition
	// is unchanged; nil otherwise. Items read it, but never trust it alone.
	Prior map[string]string
	// Record keeps a value in this item's state for the next run.
	Record func(key, value string)
	// Intend keeps a value in this item's state on disk at once, before
	// the item acts on it: what a file is about to become, so that a run
	// killed between the write and the end of the run does not take the
	// file onboard wrote for the user's. The item's end replaces it with
	// what Record kept. Nil in check mode, which writes nothing.
	Intend func(key, value string) error
	// Applied holds the items this one needs that were applied (fixed)
	// earlier in this run, with when each finished: a running service
	// started before a step it depends on rebuilt its program is stale.
	Applied map[ID]time.Time
}

// Node is an item with what the engine needs to schedule and report it.
type Node struct {
	ID    ID   // ToolID("go") is tool:go, StepID("deps") step:deps
	Needs []ID // ids that must be met first
	Item  Item
	Line  int    // where it is defined in onboard.yaml, for messages
	Hash  string // definition hash: a changed definition forgets state
	// LegacyHash is the hash an older onboard recorded for the same
	// definition, when it hashed it another way (State.Adopt).
	LegacyHash string
	Optional   bool // not met is a warning, not a failure
	// Fix is the checklist's hint for when the item fails (a step's
	// fix:), shown when the item itself has none more specific.
	Fix    string
	Manual bool
	// Expect is how long the item should take (`expect:`); zero means
	// the budget is learned from earlier runs.
	Expect time.Duration
	// Waits marks an item whose work happens in another process, such as
	// a service the supervisor starts while the item waits for it to be
	// ready: it takes no slot of --jobs, which bounds onboard's own work,
	// so that nine services start together rather than two at a time.
	Waits bool
	// Plan describes, without running anything, what Check and Apply do.
	Plan Plan
	// Name is the display name the checklist gives the item (a step's
	// name:), "" for none; DisplayName falls back to the id's Label.
	Name string
}

// DisplayName is what events call the item: its Name, else ID.Label.
func (n *Node) DisplayName() string {
	if n.Name != "" {
		return n.Name
	}
	return n.ID.Label()
}

// Plan is the static description `onboard plan` prints.
type Plan struct {
	Check string // "go mod verify exits 0", "" when there is no check
	Apply string // "go mod download", "" when the item cannot apply
}
