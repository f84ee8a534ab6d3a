// Package lockfile takes exclusive, advisory locks on open files: the one
// concern of "only one of us at a time" that differs per OS (flock on
// Unix, LockFileEx on Windows), behind one function.
//
// A lock belongs to the open file, not to the process: two opens of the
// same path in one process exclude each other too, and the lock ends when
// the file is closed or its process dies (even by kill -9), so no lock is
// ever left stale.
package lockfile

import (
	"context"
	"errors"
	"os"
	"time"
)

// ErrLocked is TryLock's error when another open file holds the lock.
var ErrLocked = errors.New("locked by another process")

// TryLock takes an exclusive lock on f without waiting. It returns
// ErrLocked when another open file holds it, or the system's error when
// the file cannot be locked at all (a file system without locks).
func TryLock(f *os.File) error { return tryLock(f) }

// Wait takes the lock on f, trying again every `every` while another
// holds it, until ctx ends (then it returns ctx's cause).
func Wait(ctx context.Context, f *os.File, every time.Duration) error {
	for {
		err := TryLock(f)
		if !errors.Is(err, ErrLocked) {
			return err
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(every):
		}
	}
}
