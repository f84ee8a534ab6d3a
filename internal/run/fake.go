package run

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// T is what a Fake needs of a *testing.T.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
}

// Result is what a faked command does.
type Result struct {
	// Output is written to the command's stdout (its Stdout, else its
	// Output), masked as a real process's would be, as it starts.
	Output string
	// Exit is its exit status: non-zero is an *ExitError.
	Exit int
	// Err is returned by Start instead of a process: a *NotFoundError,
	// a program that could not start.
	Err error
	// Hold keeps it running until it is stopped, killed, or its context
	// or timeout ends: a service, or a check that hangs. It then exits as
	// killed by the signal.
	Hold bool
}

// Fake is the Runner of unit tests: it runs nothing, answers each command
// with the Result expected for it, and records what was run. A command
// nobody expected fails the test, and so does, when the test ends, an
// expected command that never ran.
//
// Commands are matched by their String(): the shell script, or the argv
// as a person would type it ("go version", "git config core.hooksPath").
// The same command may be expected several times (a check before and after
// the fix); each run takes the first of its expectations not used yet.
type Fake struct {
	t    T
	mu   sync.Mutex
	want []*expectation
	ran  []Command
}

type expectation struct {
	command string
	result  Result
	used    bool
}

// NewFake returns a Fake that reports to t.
func NewFake(t T) *Fake {
	f := &Fake{t: t}
	t.Cleanup(func() {
		t.Helper()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, e := range f.want {
			if !e.used {
				t.Errorf("run.Fake: expected %q to run, but it did not", e.command)
			}
		}
	})
	return f
}

// Expect adds a command the code under test must run, and what it does.
func (f *Fake) Expect(command string, r Result) *Fake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.want = append(f.want, &expectation{command: command, result: r})
	return f
}

// Ran returns the commands run so far, in order.
func (f *Fake) Ran() []Command {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Command(nil), f.ran...)
}

// Run runs c as its expectation says; timeouts and ctx behave as with
// real processes.
func (f *Fake) Run(ctx context.Context, c Command) error {
	c.oneShot = true
	return runWith(ctx, c, f.Start)
}

// Start starts c as its expectation says.
func (f *Fake) Start(ctx context.Context, c Command) (Process, error) {
	r, err := f.match(c)
	if err != nil {
		return nil, err
	}
	if r.Err != nil {
		return nil, r.Err
	}
	p := &fakeProc{c: c, done: make(chan struct{})}
	if r.Output != "" {
		out := newOutputs(c, true)
		_, _ = io.WriteString(out.stdout, r.Output)
		out.close()
	}
	if !r.Hold {
		var err error
		if r.Exit != 0 {
			err = &ExitError{Code: r.Exit}
		}
		p.exit(err)
	}
	if !c.Detach {
		stopWhenDone(ctx, p)
	}
	return p, nil
}

func (f *Fake) match(c Command) (Result, error) {
	f.t.Helper()
	line := c.String()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ran = append(f.ran, c)
	var left []string
	for _, e := range f.want {
		if e.used {
			continue
		}
		if e.command == line {
			e.used = true
			return e.result, nil
		}
		left = append(left, fmt.Sprintf("%q", e.command))
	}
	expected := "nothing"
	if len(left) > 0 {
		expected = strings.Join(left, ", ")
	}
	f.t.Errorf("run.Fake: unexpected command %q (expected: %s)", line, expected)
	return Result{}, fmt.Errorf("run.Fake: unexpected command %q", line)
}

// fakeProc is a faked process: it has exited, or holds until stopped.
type fakeProc struct {
	c      Command
	done   chan struct{}
	err    error
	once   sync.Once
	killed atomic.Bool
}

func (p *fakeProc) exit(err error) {
	p.once.Do(func() {
		p.err = err
		close(p.done)
	})
}

func (p *fakeProc) Pid() int              { return 0 }
func (p *fakeProc) Done() <-chan struct{} { return p.done }
func (p *fakeProc) Wait() error           { <-p.done; return p.err }
func (p *fakeProc) Killed() bool          { return p.killed.Load() }

// Stop ends a held process as killed by sig (the Command's stop signal
// when nil); one that exited already stays as it was.
func (p *fakeProc) Stop(_ time.Duration, sig os.Signal) error {
	if sig == nil {
		sig = p.c.stopSignal()
	}
	p.exit(signalled(sig))
	return nil
}

// Kill ends a held process as killed by SIGKILL.
func (p *fakeProc) Kill() {
	select {
	case <-p.done:
	default:
		p.killed.Store(true)
		p.exit(signalled(os.Kill))
	}
}

func signalled(sig os.Signal) error {
	if s, ok := sig.(syscall.Signal); ok {
		return &ExitError{Code: 128 + int(s), Signal: sig}
	}
	return &ExitError{Code: 128, Signal: sig}
}
