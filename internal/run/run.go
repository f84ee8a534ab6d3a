// Package run executes checklist commands: an argv list directly, a string
// through an in-process POSIX shell (mvdan.cc/sh), so checklists behave the
// same on every OS. Every process runs in its own process group, so that a
// timeout or Ctrl-C stops the whole tree it started, not just its leader.
package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// DefaultGrace is how long a process group has to exit after SIGINT before
// it gets SIGKILL.
const DefaultGrace = 5 * time.Second

// Spec is one command to run.
type Spec struct {
	Shell string   // a script for the in-process shell, or
	Argv  []string // a program and its arguments, run directly
	Dir   string   // working directory (absolute)
	Env   []string // the complete environment, NAME=value
	// Output receives stdout and stderr, interleaved as written. An
	// *os.File is handed to the child directly, so a child that leaves
	// background processes behind cannot hold onboard up on a pipe.
	Output  io.Writer
	Timeout time.Duration // 0: no limit
	Grace   time.Duration // SIGINT → SIGKILL delay; 0: DefaultGrace
}

// ExitError is a command that ran and exited non-zero.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// TimeoutError is a command stopped because it ran past its timeout.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s and was stopped", e.After)
}

// NotFoundError is a program that is not on PATH.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s: command not found", e.Name) }

// Run executes s and waits for it. The error is nil on exit 0, an
// *ExitError, a *TimeoutError, a *NotFoundError, ctx.Err() when ctx ended
// first (Ctrl-C), or another error when the command could not start.
func Run(ctx context.Context, s Spec) error {
	if s.Grace <= 0 {
		s.Grace = DefaultGrace
	}
	if s.Output == nil {
		s.Output = io.Discard
	}
	cmdCtx := ctx
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		cmdCtx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	var err error
	if s.Argv != nil {
		err = runArgv(cmdCtx, s)
	} else {
		err = runShell(cmdCtx, s)
	}
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case cmdCtx.Err() != nil:
		return &TimeoutError{After: s.Timeout}
	}
	return err
}

func runArgv(ctx context.Context, s Spec) error {
	if len(s.Argv) == 0 {
		return errors.New("empty command")
	}
	path, err := lookPath(s.Argv[0], s.Dir, s.Env)
	if err != nil {
		return &NotFoundError{Name: s.Argv[0]}
	}
	cmd := exec.Command(path)
	cmd.Args = s.Argv
	cmd.Dir = s.Dir
	cmd.Env = s.Env
	cmd.Stdout = s.Output
	cmd.Stderr = s.Output
	return exitError(startAndWait(ctx, cmd, s.Grace))
}

func runShell(ctx context.Context, s Spec) error {
	file, err := syntax.NewParser().Parse(strings.NewReader(s.Shell), "")
	if err != nil {
		return fmt.Errorf("shell syntax: %w", err)
	}
	// Each builtin's output is written whole (see whole.go).
	var ws wholeWriters
	out := ws.wrap(s.Output)
	r, err := interp.New(
		interp.Dir(s.Dir),
		interp.Env(expand.ListEnviron(s.Env...)),
		interp.StdIO(nil, out, out),
		interp.CallHandler(ws.callHandler),
		interp.OpenHandler(ws.openHandler),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc { return execHandler(s.Grace) }),
	)
	if err != nil {
		return err
	}
	err = r.Run(ctx, file)
	ws.flush()
	var status interp.ExitStatus
	if errors.As(err, &status) {
		if status == 0 {
			return nil
		}
		return &ExitError{Code: int(status)}
	}
	return err
}

// execHandler runs the shell's external commands in their own process
// group, like runArgv, instead of the interpreter's default handler, which
// signals only the process it started.
func execHandler(grace time.Duration) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error {
		hc := interp.HandlerCtx(ctx)
		path, err := interp.LookPathDir(hc.Dir, hc.Env, args[0])
		if err != nil {
			fmt.Fprintf(hc.Stderr, "%s: command not found\n", args[0])
			return interp.ExitStatus(127)
		}
		cmd := exec.Command(path)
		cmd.Args = args
		cmd.Dir = hc.Dir
		cmd.Env = environ(hc.Env)
		cmd.Stdin = hc.Stdin
		cmd.Stdout = underlying(hc.Stdout)
		cmd.Stderr = underlying(hc.Stderr)
		err = startAndWait(ctx, cmd, grace)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return interp.ExitStatus(uint8(exitCode(ee)))
		}
		return err
	}
}

// exitError converts exec's error into ours.
func exitError(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return &ExitError{Code: exitCode(ee)}
	}
	return err
}

func environ(env expand.Environ) []string {
	var out []string
	env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.Kind == expand.String {
			out = append(out, name+"="+vr.Str)
		}
		return true
	})
	return out
}

func lookPath(name, dir string, env []string) (string, error) {
	return interp.LookPathDir(dir, expand.ListEnviron(env...), name)
}
