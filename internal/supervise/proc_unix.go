//go:build unix

package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"

	"github.com/onboard-dev/onboard/internal/run"
)

// outputDrain is how long Wait lets the output pipe drain after the process
// exited, so that its last lines reach the log; a grandchild that keeps the
// pipe open cannot hold Wait up longer.
const outputDrain = 200 * time.Millisecond

// Proc is a started service process.
type Proc struct {
	spec Spec
	pid  int  // also the process group id; 0 for the shell fallback
	inSh bool // runs in the in-process shell (no pid, no group of its own)

	done   chan struct{} // closed when the process exited
	copied chan struct{} // closed when the output pipe reached EOF
	err    error         // exit status, set before done is closed

	cancel context.CancelFunc // shell fallback: stops the interpreter

	stopMu sync.Mutex // one Stop at a time
	killed atomic.Bool
}

// Start starts the service process and returns once it runs (or failed to
// start: program not found, bad directory). When ctx ends, the process is
// stopped as by Stop(0, nil).
//
// An argv command (or a plain shell string, see Spec) is the leader of a new
// process group, so Stop reaches everything it started. On Linux it also
// gets Pdeathsig SIGKILL: if onboard dies, even by kill -9, the kernel kills
// it. Pdeathsig fires when the *thread* that forked the child exits, not
// the process, and the Go runtime may retire idle threads; so the child is
// started and waited for by one goroutine locked to its OS thread
// (runtime.LockOSThread), which keeps that thread alive for exactly the
// child's lifetime. Pdeathsig reaches only the leader: a grandchild that
// its leader does not stop on exit survives onboard's sudden death (left
// for the pid file of the supervisor, see the issue).
//
// Other shell strings run in internal/run's in-process shell, in a
// goroutine: the shell is portable (DESIGN.md), but each external command
// it runs has a process group of its own and no Pdeathsig, the process has
// no single pid, and stopping it is run's cancellation: SIGINT to each
// command's group, SIGKILL after StopTimeout, whatever the stop signal.
func Start(ctx context.Context, spec Spec) (*Proc, error) {
	argv := spec.Argv
	if argv == nil {
		if spec.Shell == "" {
			return nil, errors.New("service has no command")
		}
		if a, ok := plainArgv(spec.Shell); ok {
			argv = a
		}
	}
	var p *Proc
	var err error
	if argv != nil {
		p, err = startArgv(spec, argv)
	} else {
		p, err = startShell(spec)
	}
	if err != nil {
		return nil, err
	}
	if ctx.Done() != nil {
		go func() {
			select {
			case <-ctx.Done():
				_ = p.Stop(0, nil)
			case <-p.done:
			}
		}()
	}
	return p, nil
}

func startArgv(spec Spec, argv []string) (*Proc, error) {
	if len(argv) == 0 {
		return nil, errors.New("empty command")
	}
	env := spec.Env
	if env == nil {
		env = os.Environ()
	}
	path, err := interp.LookPathDir(spec.Dir, expand.ListEnviron(env...), argv[0])
	if err != nil {
		return nil, fmt.Errorf("%s: command not found", argv[0])
	}
	p := &Proc{spec: spec, done: make(chan struct{}), copied: make(chan struct{})}

	// The child's stdout and stderr: the file itself, or a pipe we copy
	// from. Our own pipe rather than exec's: exec.Cmd.Wait would wait for
	// the copy, so a grandchild holding the pipe would hold up Wait.
	var childOut, pr *os.File
	switch w := spec.Output.(type) {
	case nil:
		childOut = nil // /dev/null
		close(p.copied)
	case *os.File:
		childOut = w
		close(p.copied)
	default:
		pr, childOut, err = os.Pipe()
		if err != nil {
			return nil, err
		}
	}

	started := make(chan error, 1)
	go func() {
		// See Start: the thread that forks must live as long as the child,
		// or Pdeathsig kills the child when the runtime retires the thread.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		cmd := exec.Command(path)
		cmd.Args = argv
		cmd.Dir = spec.Dir
		cmd.Env = env
		if childOut != nil {
			cmd.Stdout, cmd.Stderr = childOut, childOut
		}
		cmd.SysProcAttr = sysProcAttr()
		err := cmd.Start()
		if pr != nil {
			_ = childOut.Close() // the child has its copy
		}
		if err != nil {
			if pr != nil {
				_ = pr.Close()
			}
			started <- err
			return
		}
		p.pid = cmd.Process.Pid
		started <- nil
		p.err = exitErr(cmd.Wait())
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	if pr != nil {
		go func() {
			defer close(p.copied)
			defer pr.Close()
			_, _ = io.Copy(spec.Output, pr)
		}()
	}
	return p, nil
}

func startShell(spec Spec) (*Proc, error) {
	grace := spec.StopTimeout
	if grace <= 0 {
		grace = DefaultStopTimeout
	}
	env := spec.Env
	if env == nil {
		env = os.Environ()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proc{spec: spec, inSh: true, done: make(chan struct{}), copied: make(chan struct{}), cancel: cancel}
	close(p.copied)
	go func() {
		err := run.Run(ctx, run.Spec{Shell: spec.Shell, Dir: spec.Dir, Env: env, Output: spec.Output, Grace: grace})
		var ee *run.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			p.err = &ExitError{Code: ee.Code}
			if ee.Code > 128 {
				p.err = &ExitError{Code: ee.Code, Signal: syscall.Signal(ee.Code - 128)}
			}
		case ctx.Err() != nil:
			p.err = &ExitError{Code: 128 + int(syscall.SIGINT), Signal: syscall.SIGINT}
		default:
			p.err = err
		}
		close(p.done)
	}()
	return p, nil
}

// signalName is "SIGTERM" rather than Go's "terminated".
func signalName(s os.Signal) string {
	if sig, ok := s.(syscall.Signal); ok {
		if name := unix.SignalName(sig); name != "" {
			return name
		}
	}
	return "signal " + s.String()
}

func exitErr(err error) error {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return err
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return &ExitError{Code: 128 + int(ws.Signal()), Signal: ws.Signal()}
	}
	return &ExitError{Code: ee.ExitCode()}
}

// Pid is the process id, which is also its process group id; 0 for a
// shell string run in the in-process shell.
func (p *Proc) Pid() int { return p.pid }

// Done is closed when the process has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Wait waits for the process to exit: nil on exit 0, an *ExitError for a
// non-zero exit or a signal. It also lets the output drain briefly, so the
// last lines are in the log when it returns.
func (p *Proc) Wait() error {
	<-p.done
	t := time.NewTimer(outputDrain)
	defer t.Stop()
	select {
	case <-p.copied:
	case <-t.C:
	}
	return p.err
}

// Killed reports whether Stop or Kill had to SIGKILL the process group.
func (p *Proc) Killed() bool { return p.killed.Load() }

// Stop sends sig (nil: the spec's StopSignal, else SIGTERM) to the whole
// process group, waits up to timeout (0: the spec's StopTimeout, else
// DefaultStopTimeout) for the leader and every other member of the group
// to exit, then SIGKILLs the group. It returns once the leader has exited;
// an exit caused by the stop is not an error. Calls after the first only
// wait.
func (p *Proc) Stop(timeout time.Duration, sig os.Signal) error {
	if timeout <= 0 {
		timeout = p.spec.StopTimeout
	}
	if timeout <= 0 {
		timeout = DefaultStopTimeout
	}
	if sig == nil {
		sig = p.spec.StopSignal
	}
	if sig == nil {
		sig = syscall.SIGTERM
	}
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	if p.inSh {
		// run's cancellation: SIGINT now, SIGKILL after StopTimeout.
		p.cancel()
		<-p.done
		return nil
	}
	s, ok := sig.(syscall.Signal)
	if !ok {
		return fmt.Errorf("stop signal %v is not a unix signal", sig)
	}
	// Snapshot the tree first: a grandchild that escaped the group with
	// setsid is found only through its parent link, which its parent's
	// exit would cut.
	tree := descendants(p.pid)
	if !p.groupAlive() && !treeAlive(tree) {
		<-p.done
		return nil
	}
	_ = syscall.Kill(-p.pid, s)
	signalTree(tree, s)
	deadline := time.Now().Add(timeout)
	gap := time.Millisecond
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			if !p.groupAlive() && !treeAlive(tree) {
				return nil
			}
		default:
		}
		time.Sleep(min(gap, time.Until(deadline)))
		gap = min(gap*2, 50*time.Millisecond)
	}
	p.killTree(tree)
	<-p.done
	return nil
}

// Kill SIGKILLs the whole process group at once (a second Ctrl-C) and
// waits for the leader to exit.
func (p *Proc) Kill() {
	if p.inSh {
		p.cancel()
		<-p.done
		return
	}
	p.killTree(descendants(p.pid))
	<-p.done
}

// killTree SIGKILLs the process group and every process of tree (those
// that left the group).
func (p *Proc) killTree(tree []procRef) {
	if err := syscall.Kill(-p.pid, syscall.SIGKILL); err == nil {
		p.killed.Store(true)
	}
	signalTree(tree, syscall.SIGKILL)
}

// groupAlive reports whether any process of the group is left, not
// counting zombies (a dead grandchild that nobody reaps yet, as under a
// container init that does not reap).
func (p *Proc) groupAlive() bool {
	if syscall.Kill(-p.pid, 0) != nil {
		return false
	}
	return groupHasLive(p.pid)
}

// WaitReady is WaitReady for this process's probe, failing at once when the
// process exits before it is ready ("exited before ready: exit status 1")
// rather than at the deadline.
func (p *Proc) WaitReady(ctx context.Context, probe Probe, timeout, interval time.Duration) error {
	return waitReadyOrExit(ctx, probe, timeout, interval, p.done, func() error { return p.err }, "exited before ready")
}
