package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Mode is what a run may do.
type Mode int

// Run modes.
const (
	Up    Mode = iota // check, apply what is not met, verify
	Check             // check only: change nothing
)

// Options configure one run.
type Options struct {
	Mode Mode
	Jobs int // items in parallel; 0 means the number of CPUs
	// Only restricts the run to these ids and what they need; Skip leaves
	// ids out (their dependents run as if they were met).
	Only, Skip []ID
	// Select, when set, runs exactly these ids and nothing else, not even
	// what they need (`onboard retry`).
	Select []ID
	// Redo applies these items even when their check passes, then
	// verifies them (`onboard redo`).
	Redo    []ID
	Environ []string
	Confirm func(ctx context.Context, question string) (bool, error)
	Choose  func(ctx context.Context, question string, options []string) (int, error)
	Emit    func(Event)
	// SlowAfter is when a running item is reported as slow; 0 means 10 s.
	SlowAfter time.Duration
	// TailLines is how much of a failed item's log is shown; 0 means 20.
	TailLines int
	// Masker hides secrets in every event, in the state and in the logs.
	Masker Masker
	// Verbose emits every line an item writes to its log as an
	// item.output event while it runs (-v).
	Verbose bool
	// Version (onboard's) and Project (the checklist's project:) go into
	// the run.start event.
	Version, Project string
}

// Masker hides secret values (internal/mask implements it).
type Masker interface {
	String(s string) string
	// Writer masks as it writes, so no secret reaches an item's log on
	// disk even if onboard is killed mid-item.
	Writer(w io.Writer) io.WriteCloser
}

type noMask struct{}

func (noMask) String(s string) string { return s }
func (noMask) Writer(w io.Writer) io.WriteCloser {
	return nopWriteCloser{w}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// RunError is returned when items failed; the exit code is 1 (or 3 in
// check mode, where nothing was supposed to change).
type RunError struct{ Summary *Summary }

func (e *RunError) Error() string {
	return fmt.Sprintf("%d %s did not succeed: %s", len(e.Summary.Failed), plural(len(e.Summary.Failed), "item", "items"), strings.Join(e.Summary.Failed, ", "))
}

// ErrNotMet is returned in check mode when any item is not met.
var ErrNotMet = errors.New("not every item is met")
