package run

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A redirected file is written whole per builtin call too, and a program
// the shell starts gets the file itself, not a pipe.
func TestRedirectedFiles(t *testing.T) {
	s := spec(t)
	s.Shell = `echo a b > f; echo c d >> f; { echo e; readlink /proc/self/fd/1; } >> f; exec >> f; echo g h; readlink /proc/self/fd/1`
	if err := Run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(s.Dir, "f"))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(s.Dir, "f")
	if got, want := string(b), "a b\nc d\ne\n"+f+"\ng h\n"+f+"\n"; got != want {
		t.Errorf("f = %q, want %q", got, want)
	}
}
