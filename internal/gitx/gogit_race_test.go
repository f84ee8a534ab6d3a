package gitx

import (
	"errors"
	"fmt"
	"testing"
)

// Only go-git's EOF on closing its side after "done" is retried; an
// authentication refusal or any other EOF is not.
func TestCloseRace(t *testing.T) {
	for err, want := range map[error]bool{
		fmt.Errorf("clone x: %w", errors.New("closing input: EOF")): true,
		errors.New("unexpected EOF"):                                false,
		ErrAuth:                                                     false,
		nil:                                                         false,
	} {
		if got := closeRace(err); got != want {
			t.Errorf("closeRace(%v) = %v, want %v", err, got, want)
		}
	}
}
