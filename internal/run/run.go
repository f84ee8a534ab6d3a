// Package run owns onboard's processes: checklist commands, tool probes,
// git, the services and the supervisor itself all start here, one way.
//
// A [Command] is an argv list run directly, or a string run by an
// in-process POSIX shell (mvdan.cc/sh), so checklists behave the same on
// every OS. Every process is the leader of a process group of its own and,
// on Linux, dies with onboard (Pdeathsig); stopping it — its context ends,
// its timeout passes, or [Process.Stop] — sends the stop signal to the
// whole group and to the processes that escaped it (setsid), waits a grace
// period, then SIGKILLs whatever is left: a `make` that started a compiler
// must not leave the compiler running.
//
// Code that starts processes takes a [Runner]: [System] in onboard, a
// [Fake] in unit tests.
package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
)

// DefaultGrace is how long a process group has to exit after its stop
// signal before it gets SIGKILL.
const DefaultGrace = 5 * time.Second

// Command is one process to run.
type Command struct {
	Shell string   // a script for the in-process shell, or
	Argv  []string // a program and its arguments, run directly
	// Path is the program Argv runs; "" looks Argv[0] up on Env's PATH
	// (relative to Dir), and a program that is not there is a
	// *NotFoundError.
	Path  string
	Dir   string    // working directory; "" is onboard's
	Env   []string  // the complete environment, NAME=value; nil is onboard's
	Stdin io.Reader // nil reads nothing (the null device)
	// Output receives stderr, and stdout too unless Stdout is set,
	// interleaved as written; nil discards. An *os.File is handed to the
	// child itself; any other writer is fed from a pipe.
	Output io.Writer
	Stdout io.Writer
	// Secrets are masked in what reaches Output and Stdout, as it is
	// written (internal/mask).
	Secrets []string
	Timeout time.Duration // 0: no limit
	// StopSignal goes to the group when the command is stopped; nil is
	// SIGINT (os.Interrupt), as Ctrl-C in a terminal would send.
	StopSignal os.Signal
	// Grace is how long the group has after StopSignal before SIGKILL;
	// 0 is DefaultGrace.
	Grace time.Duration
	// GroupGrace gives the whole group the grace, not only its leader: a
	// service whose workers shut down after it. Without it, what the
	// leader leaves behind once it has exited is killed at once (a
	// `make` gone, its compiler ignoring SIGINT).
	GroupGrace bool
	// WaitDelay bounds how long Wait waits for the output to end once
	// the process has exited (a background child may hold it open); 0
	// waits until it ends.
	WaitDelay time.Duration
	// Detach starts a process that outlives onboard: a session of its
	// own, no Pdeathsig, and ctx does not stop it (the detached service
	// supervisor).
	Detach bool

	// oneShot: Run, not Start. Once Run returns nothing more is written
	// to the outputs, so the pipes are closed after WaitDelay rather than
	// copied from in the background.
	oneShot bool
}

// Spec is the former name of Command.
type Spec = Command

// String is the command as a person would type it: the shell script, or
// the argv with the arguments that need it quoted.
func (c Command) String() string {
	if c.Argv == nil {
		return c.Shell
	}
	parts := make([]string, len(c.Argv))
	for i, a := range c.Argv {
		if a == "" || strings.ContainsAny(a, " \t\n\"'$\\") {
			a = strconv.Quote(a)
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
}

func (c Command) grace() time.Duration {
	if c.Grace > 0 {
		return c.Grace
	}
	return DefaultGrace
}

func (c Command) stopSignal() os.Signal {
	if c.StopSignal != nil {
		return c.StopSignal
	}
	return os.Interrupt
}

// environ is c's environment: Env, or onboard's with PWD set to Dir, as
// os/exec does.
func (c Command) environ() []string {
	if c.Env != nil {
		return c.Env
	}
	env := os.Environ()
	if c.Dir != "" && runtime.GOOS != "windows" {
		if pwd, err := filepath.Abs(c.Dir); err == nil {
			env = append(env, "PWD="+pwd)
		}
	}
	return env
}

// ExitError is a command that ran and exited non-zero, or was killed.
type ExitError struct {
	Code   int       // exit status; 128+signal when killed by a signal
	Signal os.Signal // the signal that killed a program, or nil
}

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// TimeoutError is a command stopped because it ran past its timeout.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s and was stopped", e.After)
}

// NotFoundError is a program that is not on PATH.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s: command not found", e.Name) }

// Runner starts processes. Code that runs commands takes one, so that its
// unit tests can hand it a [Fake].
type Runner interface {
	// Run runs c and waits for it. The error is nil on exit 0, an
	// *ExitError, a *TimeoutError, a *NotFoundError, ctx.Err() when ctx
	// ended first (Ctrl-C: c was stopped), or another error when c could
	// not start. When Run returns, nothing more is written to c's outputs.
	Run(ctx context.Context, c Command) error
	// Start starts c and returns once it runs (or failed to start: a
	// *NotFoundError, a bad directory). When ctx ends, the process is
	// stopped as by Stop(0, nil), unless c is Detach.
	Start(ctx context.Context, c Command) (Process, error)
}

// Process is a started command.
type Process interface {
	// Pid is the process id, which is also its process group id; 0 for a
	// shell script (its programs each have a group of their own) and for
	// a fake.
	Pid() int
	// Done is closed when the process has exited.
	Done() <-chan struct{}
	// Wait waits for the process to exit and for its output, up to the
	// Command's WaitDelay: nil on exit 0, else an *ExitError (or the
	// error that ended a shell script).
	Wait() error
	// Stop sends sig (nil: the Command's StopSignal) to the process group
	// and the processes that left it, waits up to grace (0: the Command's
	// Grace) for them to exit, then SIGKILLs what is left, and returns
	// once the process has exited. An exit caused by the stop is not an
	// error. Calls after the first only wait. A shell script's programs
	// always get the Command's StopSignal and Grace.
	Stop(grace time.Duration, sig os.Signal) error
	// Kill SIGKILLs the group and the processes that left it at once (a
	// second Ctrl-C) and waits for the process to exit.
	Kill()
	// Killed reports whether Stop or Kill had to SIGKILL the group.
	Killed() bool
}

// System is the Runner that starts real processes.
type System struct{}

// Start starts c; see Runner.
func (System) Start(ctx context.Context, c Command) (Process, error) {
	c.oneShot = false
	return start(ctx, c)
}

// Run runs c; see Runner.
func (System) Run(ctx context.Context, c Command) error {
	c.oneShot = true
	return runWith(ctx, c, start)
}

// Run runs c as a real process: System{}.Run.
func Run(ctx context.Context, c Command) error { return System{}.Run(ctx, c) }

// Start starts c as a real process: System{}.Start.
func Start(ctx context.Context, c Command) (Process, error) { return System{}.Start(ctx, c) }

// Or is r, or System when r is nil.
func Or(r Runner) Runner {
	if r == nil {
		return System{}
	}
	return r
}

// start starts a real process or script.
func start(ctx context.Context, c Command) (Process, error) {
	if c.Argv == nil {
		return startShell(ctx, c)
	}
	return startArgv(ctx, c)
}

// runWith is Run for any way of starting: the timeout, the stop when ctx
// ends, and what the error says are the same for real processes and fakes.
func runWith(ctx context.Context, c Command, start func(context.Context, Command) (Process, error)) error {
	cmdCtx := ctx
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		cmdCtx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	var err error
	if cmdCtx.Err() == nil {
		// Run watches cmdCtx itself, so it returns only once a stop has
		// finished: nothing it stops outlives it.
		var p Process
		if p, err = start(context.Background(), c); err == nil {
			select {
			case <-p.Done():
			case <-cmdCtx.Done():
				_ = p.Stop(0, nil)
			}
			err = p.Wait()
		}
	}
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case cmdCtx.Err() != nil:
		return &TimeoutError{After: c.Timeout}
	}
	return err
}

// stopWhenDone stops p when ctx ends before p exits.
func stopWhenDone(ctx context.Context, p Process) {
	if ctx.Done() == nil {
		return
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = p.Stop(0, nil)
		case <-p.Done():
		}
	}()
}

func lookPath(name, dir string, env []string) (string, error) {
	return interp.LookPathDir(dir, expand.ListEnviron(env...), name)
}

// sameWriter reports whether a and b are the same writer, so a child gets
// one pipe for both; writers that cannot be compared are not the same.
func sameWriter(a, b io.Writer) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

var errEmpty = errors.New("empty command")
