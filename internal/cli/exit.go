package cli

import (
	"context"
	"errors"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
)

// Exit codes: the contract of DESIGN.md that scripts and CI rely on.
const (
	ExitOK          = 0   // done: every item met
	ExitFailed      = 1   // an item failed
	ExitUsage       = 2   // usage or checklist error
	ExitNotMet      = 3   // check/verify: items not met, or the second converge changed something
	ExitNeedsInput  = 4   // input needed and no terminal
	ExitUntrusted   = 5   // checklist not trusted and no terminal
	ExitInterrupted = 130 // interrupted; state is saved, the next run resumes
)

// Errors that decide an exit code. Commands return them (wrapped with
// context as needed); ExitCode maps them in one place.
var (
	// ErrNotImplemented marks a command the contract names but this build
	// does not do yet: it must never pretend to work.
	ErrNotImplemented = errors.New("not implemented yet")
	// ErrNotMet: a read-only run found items that are not met.
	ErrNotMet = engine.ErrNotMet
	// ErrNeedsInput: a question needs an answer and there is no terminal.
	ErrNeedsInput = errors.New("input needed")
	// ErrUntrusted: the checklist is not trusted and there is no terminal.
	ErrUntrusted = errors.New("checklist not trusted")
	// ErrNoCheckout: verify has nothing to clone (no git checkout, no
	// commit, the checklist not committed): exit 2, as a checklist error.
	ErrNoCheckout = errors.New("nothing committed to verify")
)

// UsageError is a mistake in how onboard was called: a bad flag, a missing
// argument, an unknown command.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// ExitCode is the one switch from an error to the process exit code.
func ExitCode(err error) int {
	var (
		usage   *UsageError
		list    *config.ErrorList
		readErr *config.ReadError
		needs   *inputs.NeedsInputError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &usage), errors.As(err, &list), errors.As(err, &readErr),
		errors.Is(err, config.ErrNotFound), errors.Is(err, ErrNotImplemented), errors.Is(err, ErrNoCheckout):
		return ExitUsage
	case errors.Is(err, ErrNotMet):
		return ExitNotMet
	case errors.Is(err, ErrNeedsInput), errors.As(err, &needs):
		return ExitNeedsInput
	case errors.Is(err, ErrUntrusted):
		return ExitUntrusted
	default:
		return ExitFailed
	}
}
