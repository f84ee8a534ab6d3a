package lockfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Two opens of one file exclude each other, and closing the holder frees
// the lock: what engine's run lock and supervise's pid file rely on.
func TestTryLockExcludesAnotherOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	a, b := open(t, path), open(t, path)
	if err := TryLock(a); err != nil {
		t.Fatalf("first lock: %v", err)
	}
	if err := TryLock(b); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock while the first is held: got %v, want ErrLocked", err)
	}
	a.Close()
	if err := TryLock(b); err != nil {
		t.Fatalf("lock after the holder closed: %v", err)
	}
}

// The holder's content stays readable through another open: waiters read
// the holder's pid from it (on Windows the locked range is mandatory,
// hence the lock far past the content).
func TestLockedContentReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	a := open(t, path)
	if err := TryLock(a); err != nil {
		t.Fatal(err)
	}
	if _, err := a.WriteAt([]byte("4242\n"), 0); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "4242\n" {
		t.Fatalf("read while locked: %q, %v", b, err)
	}
}

func TestWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	a, b := open(t, path), open(t, path)
	if err := TryLock(a); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := Wait(ctx, b, time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait while held: got %v, want the context's deadline", err)
	}
	time.AfterFunc(20*time.Millisecond, func() { a.Close() })
	if err := Wait(context.Background(), b, time.Millisecond); err != nil {
		t.Fatalf("Wait after the holder closes: %v", err)
	}
}
