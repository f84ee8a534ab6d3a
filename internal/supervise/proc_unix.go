//go:build unix

package supervise

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/onboard-dev/onboard/internal/run"
)

// outputDrain is how long Wait lets the output pipe drain after the process
// exited, so that its last lines reach the log; a grandchild that keeps the
// pipe open cannot hold Wait up longer.
const outputDrain = 200 * time.Millisecond

// Proc is a started service process.
type Proc struct {
	p     run.Process
	shell bool // runs in the in-process shell (no pid, no group of its own)

	treeMu sync.Mutex
	tree   []int     // pids' last answer
	treeAt time.Time // when it was read
}

// treeFresh is how long pids reuses the tree it read. Every status
// request looks at every service's tree, and `up` makes a few per
// service: reading each tree anew (tens of microseconds a process, more
// with many threads) would cost a 100-service stack a second of CPU in a
// cold start. Only the membership is reused: whether a program was
// replaced is asked anew each time, so a rebuild is seen at once; a
// process that joined the tree since is seen at most this much later.
const treeFresh = 500 * time.Millisecond

// Start starts the service process and returns once it runs (or failed to
// start: program not found, bad directory). When ctx ends, the process is
// stopped as by Stop(0, nil).
//
// An argv command (or a plain shell string, see Spec) is a run.Command of
// its own: the leader of a new process group, so Stop reaches everything
// it started, and on Linux killed with onboard (Pdeathsig, see
// internal/run). The whole group, not only its leader, gets StopTimeout to
// exit after the stop signal.
//
// Other shell strings run in internal/run's in-process shell: the shell is
// portable (DESIGN.md), but each external command it runs has a process
// group of its own, the process has no single pid, and stopping it is
// run's: SIGINT to each command's group, SIGKILL after StopTimeout,
// whatever the stop signal.
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
	grace := spec.StopTimeout
	if grace <= 0 {
		grace = DefaultStopTimeout
	}
	c := run.Command{Dir: spec.Dir, Env: spec.Env, Output: spec.Output, Grace: grace}
	if argv != nil {
		c.Argv, c.GroupGrace, c.WaitDelay = argv, true, outputDrain
		c.StopSignal = spec.StopSignal
		if c.StopSignal == nil {
			c.StopSignal = syscall.SIGTERM
		}
	} else {
		c.Shell = spec.Shell
	}
	p, err := run.Or(spec.Runner).Start(ctx, c)
	var nf *run.NotFoundError
	switch {
	case errors.As(err, &nf):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	return &Proc{p: p, shell: argv == nil}, nil
}

// NativeSupported is nil: on Unix onboard supervises native services
// itself (process groups, signals).
func NativeSupported(string) error { return nil }

// signalName is "SIGTERM" rather than Go's "terminated".
func signalName(s os.Signal) string {
	if sig, ok := s.(syscall.Signal); ok {
		if name := unix.SignalName(sig); name != "" {
			return name
		}
	}
	return "signal " + s.String()
}

// signalNamed is the signal named "SIGINT", "SIGHUP", …; nil (the default
// stop) for a name this system does not have.
func signalNamed(name string) os.Signal {
	if n := unix.SignalNum(name); n != 0 {
		return n
	}
	return nil
}

// exitErr is run's exit status as the supervisor reports it.
func (p *Proc) exitErr(err error) error {
	var ee *run.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee) && ee.Signal != nil:
		return &ExitError{Code: ee.Code, Signal: ee.Signal}
	case errors.As(err, &ee) && p.shell && ee.Code > 128:
		// The script's status: its last program was killed.
		return &ExitError{Code: ee.Code, Signal: syscall.Signal(ee.Code - 128)}
	case errors.As(err, &ee):
		return &ExitError{Code: ee.Code}
	case p.shell && errors.Is(err, context.Canceled):
		// Stopped: run's cancellation interrupted it.
		return &ExitError{Code: 128 + int(syscall.SIGINT), Signal: syscall.SIGINT}
	}
	return err
}

// Pid is the process id, which is also its process group id; 0 for a
// shell string run in the in-process shell.
func (p *Proc) Pid() int { return p.p.Pid() }

// pids are the live processes of the run: its own, and those below (see
// run.Pids), for the check of replaced programs.
func (p *Proc) pids() []int {
	p.treeMu.Lock()
	defer p.treeMu.Unlock()
	if p.treeAt.IsZero() || time.Since(p.treeAt) > treeFresh {
		p.tree, p.treeAt = run.Pids(p.p), time.Now()
	}
	return p.tree
}

// Done is closed when the process has exited.
func (p *Proc) Done() <-chan struct{} { return p.p.Done() }

// Wait waits for the process to exit: nil on exit 0, an *ExitError for a
// non-zero exit or a signal. It also lets the output drain briefly, so the
// last lines are in the log when it returns.
func (p *Proc) Wait() error { return p.exitErr(p.p.Wait()) }

// Killed reports whether Stop or Kill had to SIGKILL the process group.
func (p *Proc) Killed() bool { return p.p.Killed() }

// Stop sends sig (nil: the spec's StopSignal, else SIGTERM) to the whole
// process group, waits up to timeout (0: the spec's StopTimeout, else
// DefaultStopTimeout) for the leader and every other member of the group
// to exit, then SIGKILLs the group. It returns once the leader has exited;
// an exit caused by the stop is not an error. Calls after the first only
// wait.
func (p *Proc) Stop(timeout time.Duration, sig os.Signal) error {
	return p.p.Stop(timeout, sig)
}

// Kill SIGKILLs the whole process group at once (a second Ctrl-C) and
// waits for the leader to exit.
func (p *Proc) Kill() { p.p.Kill() }

// WaitReady is WaitReady for this process's probe, failing at once when the
// process exits before it is ready ("exited before ready: exit status 1")
// rather than at the deadline.
func (p *Proc) WaitReady(ctx context.Context, probe Probe, timeout, interval time.Duration) error {
	return waitReadyOrExit(ctx, probe, timeout, interval, p.p.Done(), p.Wait, "exited before ready")
}
