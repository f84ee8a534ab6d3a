package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/inputs"
)

func TestExitCode(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("context: %w", err) }
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"item failed", errors.New("step deps: exit status 1"), 1},
		{"usage", &UsageError{errors.New("unknown flag")}, 2},
		{"checklist", &config.ErrorList{File: "onboard.yaml", Errors: []config.Error{{Msg: "x"}}}, 2},
		{"unreadable", &config.ReadError{Path: "onboard.yaml", Err: fs.ErrPermission}, 2},
		{"not found", wrap(config.ErrNotFound), 2},
		{"not implemented", wrap(ErrNotImplemented), 2},
		{"nothing to verify", noCheckout(errors.New("not committed")), 2},
		{"not met", wrap(ErrNotMet), 3},
		{"needs input", wrap(ErrNeedsInput), 4},
		{"unanswered input", &inputs.NeedsInputError{Missing: []string{"user"}}, 4},
		{"untrusted", wrap(ErrUntrusted), 5},
		{"interrupted", wrap(context.Canceled), 130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}
