//go:build unix

package run

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// The start hook names each started program to a guard that asked for it
// (macOS's), and a detached one as spared, not watched: what the darwin
// guard then reads is what proc.go wrote.
func TestStartNamesProgramsToTheGuard(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	setGuardPipe(w)
	watching.Store(true)
	defer func() {
		setGuardPipe(nil)
		watching.Store(false)
		detached.Lock()
		detached.refs = nil
		detached.Unlock()
	}()
	ctx := context.Background()
	step, err := startArgv(ctx, Command{Argv: []string{"sh", "-c", "sleep 0.2"}})
	if err != nil {
		t.Fatal(err)
	}
	stepRef := RefOf(step.Pid()) // read while it runs: its start time
	if err := step.Wait(); err != nil {
		t.Fatal(err)
	}
	daemon, err := startArgv(ctx, Command{Argv: []string{"true"}, Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = daemon.Wait()
	_ = w.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	rep := readGuardPipe(strings.NewReader(string(b)))
	if len(rep.watched) != 1 || !rep.watched[stepRef] {
		t.Errorf("watched %v, want only the step %v; the pipe had:\n%s", rep.watched, stepRef, b)
	}
	if len(rep.spared) != 1 || rep.watched[Ref{Pid: daemon.Pid()}] {
		t.Errorf("spared %v, want only the detached program (pid %d); the pipe had:\n%s", rep.spared, daemon.Pid(), b)
	}
	for r := range rep.spared {
		if r.Pid != daemon.Pid() {
			t.Errorf("spared pid %d, want %d", r.Pid, daemon.Pid())
		}
	}
	if !strings.HasPrefix(string(b), fmt.Sprintf("w %d ", step.Pid())) {
		t.Errorf("the pipe begins %q, want the step's w line", b)
	}
}
