//go:build unix

package run

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// writes records every Write as it came.
type writes struct {
	mu     sync.Mutex
	chunks []string
}

func (w *writes) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.chunks = append(w.chunks, string(p))
	return len(p), nil
}

// A builtin's output arrives in one write per call, as a POSIX shell
// writes it: `echo a b c` is one write, not six.
func TestBuiltinOutputIsOneWritePerCall(t *testing.T) {
	var w writes
	s := spec(t)
	s.Output = &w
	s.Shell = `echo a b c; printf '%s-' x y z; echo; echo -n "no newline"; echo " then more"; pwd; for i in 1 2; do echo "loop $i"; done`
	if err := Run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	want := []string{"a b c\n", "x-y-z-", "\n", "no newline", " then more\n", s.Dir + "\n", "loop 1\n", "loop 2\n"}
	if !reflect.DeepEqual(w.chunks, want) {
		t.Errorf("writes = %q, want %q", w.chunks, want)
	}
}

// What builtins hold back is written before a program the shell starts
// writes, and before the next builtin: the order is the script's.
func TestBuiltinsAndProgramsKeepTheirOrder(t *testing.T) {
	var w writes
	s := spec(t)
	s.Output = &w
	s.Shell = `echo one; sh -c 'echo two'; echo three >&2; echo four > f; cat f; printf five`
	if err := Run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(w.chunks, ""), "one\ntwo\nthree\nfour\nfive"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}
