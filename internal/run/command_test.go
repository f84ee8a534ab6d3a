//go:build unix

package run

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// lockedBuffer is a bytes.Buffer safe for the copying goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && perr == nil {
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pid in %s", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Secrets are masked in what reaches the output, from a script and from a
// program alike.
func TestSecretsAreMasked(t *testing.T) {
	for _, c := range []Command{
		{Shell: `printf 'pw=%s\n' "$PW"`},
		{Argv: []string{"sh", "-c", `printf 'pw=%s\n' "$PW"`}},
	} {
		var out lockedBuffer
		c.Env = []string{"PATH=" + os.Getenv("PATH"), "PW=Hunter2-Secret"}
		c.Output, c.Secrets = &out, []string{"Hunter2-Secret"}
		if err := Run(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		if out.String() != "pw=****\n" {
			t.Errorf("%s: output %q", c, out.String())
		}
	}
}

// Stdout, when set, gets stdout apart from Output, which keeps stderr.
func TestStdoutApart(t *testing.T) {
	var stdout, stderr lockedBuffer
	err := Run(context.Background(), Command{Argv: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}, Stdout: &stdout, Output: &stderr})
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 3 || ee.Signal != nil {
		t.Errorf("err = %v, want exit status 3", err)
	}
	if stdout.String() != "out\n" || stderr.String() != "err\n" {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}

// A leader that exits on the stop signal does not make Run wait the grace
// for what it leaves behind: that is killed at once (Ctrl-C on a `make`
// whose compiler ignores SIGINT).
func TestStopKillsStragglersOnceTheLeaderExits(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "straggler.pid")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		// The background sleep ignores SIGINT (a non-interactive shell's
		// asynchronous command); the shell dies of it.
		done <- Run(ctx, Command{Argv: []string{"sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait"}, Grace: time.Minute})
	}()
	straggler := readPid(t, pidFile)
	start := time.Now()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("stopping took %v: it waited out the grace", took)
	}
	waitGone(t, straggler)
}

// A started process with GroupGrace stops only when every member of its
// group has: the stop signal reaches them all, the group gets the grace.
func TestStopWithGroupGrace(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "worker.pid")
	// The worker takes 300ms to shut down after SIGTERM; the leader exits
	// at once.
	worker := filepath.Join(dir, "worker")
	script := "trap 'sleep 0.3; touch " + dir + "/worker.done; exit 0' TERM\necho $$ > " + pidFile + "\nwhile :; do sleep 0.05; done\n"
	if err := os.WriteFile(worker, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := Start(context.Background(), Command{
		Argv:       []string{"sh", "-c", "trap 'exit 0' TERM; sh " + worker + " & while :; do sleep 0.05; done"},
		StopSignal: syscall.SIGTERM, Grace: 10 * time.Second, GroupGrace: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	pid := readPid(t, pidFile)
	if err := p.Stop(0, nil); err != nil {
		t.Fatal(err)
	}
	if RefOf(pid).Alive() {
		t.Error("Stop returned while a worker of the group still ran")
	}
	if _, err := os.Stat(filepath.Join(dir, "worker.done")); err != nil {
		t.Error("the worker did not finish its shutdown")
	}
	if p.Killed() {
		t.Error("Killed: the group had to be SIGKILLed, want a clean stop within the grace")
	}
	if err := p.Wait(); err != nil {
		t.Errorf("Wait = %v, want exit 0 (it trapped SIGTERM)", err)
	}
}

// A background child that keeps the output pipe open does not hold Run up
// longer than WaitDelay.
func TestWaitDelay(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "bg.pid")
	var out lockedBuffer
	start := time.Now()
	err := Run(context.Background(), Command{
		Argv:   []string{"sh", "-c", "sleep 60 & echo $! > " + pidFile + "; echo hi"},
		Output: &out, WaitDelay: 100 * time.Millisecond,
	})
	bg := readPid(t, pidFile)
	defer syscall.Kill(bg, syscall.SIGKILL)
	if err != nil || out.String() != "hi\n" {
		t.Errorf("Run = %v, output %q", err, out.String())
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Run took %v", took)
	}
}

// A detached process has a session of its own and outlives its context.
func TestDetach(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, err := Start(ctx, Command{Argv: []string{"sleep", "60"}, Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = syscall.Kill(p.Pid(), syscall.SIGKILL)
		_ = p.Wait()
	}()
	cancel()
	if sid, err := unix.Getsid(p.Pid()); err != nil || sid != p.Pid() {
		t.Errorf("session %d (%v), want its own (%d)", sid, err, p.Pid())
	}
	select {
	case <-p.Done():
		t.Error("a detached process was stopped with its context")
	case <-time.After(100 * time.Millisecond):
	}
}
