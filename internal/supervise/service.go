package supervise

// This file is the life of one service: setup, start, readiness, health,
// crash and restart with backoff, and stop.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// Restart backoff: the first restart waits BackoffStart, each next one
// twice as long, up to BackoffCap. A run that stayed up StableAfter resets
// the count, so a service that crashes once a day is never given up on.
var (
	BackoffStart = 500 * time.Millisecond
	BackoffCap   = 30 * time.Second
	StableAfter  = 60 * time.Second
)

// slowStopNotice is how long a stop may take before the supervisor says
// which service is holding the shutdown up.
const slowStopNotice = 2 * time.Second

// tailLines is how many lines of output a failure shows.
const tailLines = 15

// service is one service and the goroutine that runs it.
type service struct {
	sup     *Supervisor
	spec    ServiceSpec
	probe   Probe
	log     *stampedLog // logs/<name>.log
	logPath string
	tail    *tailBuffer
	out     io.Writer // tail and foreground output; the log is added per run

	mu      sync.Mutex
	st      Status
	cur     instance      // the current run, whose processes Status.Replaced looks at
	changed chan struct{} // closed and replaced on every change of st

	stopOnce, killOnce sync.Once
	stopReq, killReq   chan struct{}
	loopDone           chan struct{}
}

func (s *service) status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if st.State == StateFailed {
		st.Tail = s.tail.lastLines(tailLines)
	}
	if st.State == StateStarting || st.State == StateRunning {
		st.Ports = s.spec.ports()
		st.Replaced = replacedIn(s.cur)
	}
	return st
}

// snapshot is status without what costs system calls to find (the
// process tree's programs, the ports, the log's tail): what the supervisor
// itself decides on, often (the idle check, four times a second).
func (s *service) snapshot() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

func (s *service) update(f func(st *Status)) {
	s.mu.Lock()
	f(&s.st)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// selfCondition is what Start waits for: healthy when the service can
// tell (a probe, or a compose healthcheck), started otherwise.
func (s *service) selfCondition() string {
	if s.probe != nil || s.spec.Compose != nil {
		return "healthy"
	}
	return "started"
}

// waitFor waits until the service meets cond (started, healthy,
// completed). It fails as soon as the service fails or stops, with the
// reason and its last lines of output.
func (s *service) waitFor(ctx context.Context, cond string) error {
	for {
		s.mu.Lock()
		st, ch := s.st, s.changed
		s.mu.Unlock()
		switch {
		case st.State == StateFailed:
			return &FailedError{Name: s.spec.Name, Reason: st.Error, Tail: s.tail.lastLines(tailLines), Log: s.logPath}
		case st.State == StateStopped:
			return fmt.Errorf("%s was stopped", s.spec.Name)
		case cond == "completed" && st.State == StateCompleted:
			return nil
		case cond == "completed":
		case cond == "healthy" && st.Healthy():
			return nil
		case cond == "started" && (st.State == StateRunning || st.Pid > 0 || st.State == StateCompleted):
			return nil
		case st.State == StateCompleted:
			return fmt.Errorf("%s exited (status 0) before it was %s", s.spec.Name, cond)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("%s: still %s: %w", s.spec.Name, st.State, context.Cause(ctx))
		}
	}
}

// FailedError is a service the supervisor gave up on.
type FailedError struct {
	Name   string
	Reason string
	Tail   []string // last lines of its output
	Log    string   // its log file
}

func (e *FailedError) Error() string { return e.Name + " failed: " + e.Reason }

func (s *service) stop(kill bool) {
	s.stopOnce.Do(func() { close(s.stopReq) })
	if kill {
		s.requestKill()
	}
	<-s.loopDone
}

func (s *service) requestKill() { s.killOnce.Do(func() { close(s.killReq) }) }

func (s *service) stopping() bool {
	select {
	case <-s.stopReq:
		return true
	default:
		return false
	}
}

func (s *service) fail(reason string) {
	s.logf("failed: %s", reason)
	s.sup.say("%s failed: %s", s.spec.Name, reason)
	s.update(func(st *Status) {
		st.settle(StateFailed)
		st.Error = reason
	})
}

// logf writes a line of the supervisor's own into the service's log (the
// line's stamp says when).
func (s *service) logf(format string, args ...any) {
	s.log.line("[onboard] " + fmt.Sprintf(format, args...))
}

// loop runs the service until it is stopped, completes or fails.
func (s *service) loop() {
	defer close(s.loopDone)
	defer s.log.Close()
	if s.spec.Setup != nil {
		if err := s.setup(); err != nil {
			if s.stopping() {
				s.update(func(st *Status) { st.settle(StateStopped) })
				return
			}
			s.fail("setup: " + err.Error())
			return
		}
	}
	restarts := 0
	for {
		if s.stopping() {
			s.update(func(st *Status) { st.settle(StateStopped) })
			return
		}
		if err := s.preflight(); err != nil {
			// Never restarted in a loop: the port will not free itself.
			s.fail(err.Error() + ": stop that process (or change the port in onboard.yaml), then run `onboard` again")
			return
		}
		inst, err := s.launch()
		if err != nil {
			s.fail(err.Error())
			return
		}
		started := time.Now()
		s.writePid(inst.Pid())
		s.logf("started (pid %d)", inst.Pid())
		s.update(func(st *Status) {
			st.State, st.Pid, st.Since, st.Error, st.NextStart = StateStarting, inst.Pid(), started, "", time.Time{}
			s.cur = inst
			if s.probe != nil {
				st.Health = HealthStarting
			}
		})
		if exitErr, stopped := s.watch(inst, started); stopped {
			return
		} else {
			s.removePid()
			policy := s.spec.restartPolicy()
			switch {
			case exitErr == nil && policy != RestartAlways:
				s.logf("exited with status 0")
				s.update(func(st *Status) { st.settle(StateCompleted) })
				return
			case policy == RestartNo:
				s.fail(exitReason(exitErr))
				return
			}
			if time.Since(started) >= StableAfter {
				restarts = 0
			}
			restarts++
			if restarts > s.spec.maxRestarts() {
				s.fail(fmt.Sprintf("%s; gave up after %d restarts", exitReason(exitErr), restarts-1))
				return
			}
			delay := backoff(restarts)
			s.logf("%s; restart %d in %s", exitReason(exitErr), restarts, delay)
			s.sup.say("%s %s; restarting in %s (restart %d of %d)", s.spec.Name, exitReason(exitErr), delay, restarts, s.spec.maxRestarts())
			s.update(func(st *Status) {
				st.settle(StateBackoff)
				st.Restarts, st.NextStart, st.Error = restarts, time.Now().Add(delay), exitReason(exitErr)
			})
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-s.stopReq:
				t.Stop()
			}
		}
	}
}

func exitReason(err error) string {
	if err == nil {
		return "exited with status 0"
	}
	return "exited: " + err.Error()
}

// backoff is the delay before restart n (1-based).
func backoff(n int) time.Duration {
	d := BackoffStart
	for i := 1; i < n && d < BackoffCap; i++ {
		d *= 2
	}
	return min(d, BackoffCap)
}

// watch follows one run of the service: readiness, then health, until it
// exits (its exit error) or a stop was requested (stopped: it is down and
// the state says so).
func (s *service) watch(inst instance, started time.Time) (exitErr error, stopped bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	readyErr := make(chan error, 1)
	if s.probe != nil || s.spec.Compose != nil {
		go func() { readyErr <- inst.WaitReady(ctx, s.probe, s.spec.readyTimeout(), s.spec.readyInterval()) }()
	} else {
		s.update(func(st *Status) { st.State = StateRunning })
	}
	for {
		select {
		case err := <-readyErr:
			select {
			case <-inst.Done():
				continue // exited before ready: the exit decides
			default:
			}
			if err != nil {
				if s.stopping() {
					continue
				}
				s.stopInstance(inst)
				s.removePid()
				s.fail("not ready: " + err.Error())
				return nil, true
			}
			took := time.Since(started).Round(time.Millisecond)
			s.logf("ready after %s", took)
			s.sup.say("%s is ready (%s)", s.spec.Name, took)
			s.update(func(st *Status) {
				st.State = StateRunning
				if st.Health != "" || s.spec.Compose != nil {
					st.Health = HealthHealthy
				}
			})
			go s.monitor(ctx, inst)
		case <-inst.Done():
			return inst.Wait(), false
		case <-s.stopReq:
			s.stopInstance(inst)
			s.removePid()
			s.logf("stopped")
			s.update(func(st *Status) { st.settle(StateStopped) })
			return nil, true
		}
	}
}

// stopInstance stops a run with the service's stop signal and timeout,
// at once on a kill request, and says so when it takes long.
func (s *service) stopInstance(inst instance) {
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTimer(slowStopNotice)
		defer t.Stop()
		select {
		case <-done:
		case <-s.killReq:
			inst.Kill()
		case <-t.C:
			timeout := s.spec.StopTimeout
			if timeout <= 0 {
				timeout = DefaultStopTimeout
			}
			s.sup.say("waiting for %s (pid %d) to stop; SIGKILL after %s", s.spec.Name, inst.Pid(), timeout)
			select {
			case <-done:
			case <-s.killReq:
				inst.Kill()
			}
		}
	}()
	var sig os.Signal
	if s.spec.StopSignal != "" {
		sig = signalNamed(s.spec.StopSignal)
	}
	_ = inst.Stop(s.spec.StopTimeout, sig)
}

// monitor keeps probing a ready service and marks it unhealthy after
// Failures (default 3) probes in a row failed, healthy again on success.
// A healthy service is probed every HealthyEvery (or its ready interval,
// when that is a second or more), so an app's log is not a stream of
// health checks and a stack of 100 idles; after a failed probe the next
// comes in RecheckEvery, so a service that went down is marked unhealthy
// within a few seconds of the first miss.
func (s *service) monitor(ctx context.Context, inst instance) {
	if s.probe == nil {
		return
	}
	if _, isLog := s.probe.(*LogProbe); isLog {
		return // a log line, once seen, stays seen
	}
	healthy, recheck := s.sup.opts.healthyEvery(), s.sup.opts.recheckEvery()
	if every := s.spec.readyInterval(); every >= time.Second {
		healthy, recheck = every, min(every, recheck)
	}
	limit := 3
	if s.spec.Ready != nil && s.spec.Ready.Failures > 0 {
		limit = s.spec.Ready.Failures
	}
	fails := 0
	t := time.NewTimer(healthy)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-inst.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
		err := s.probe.Ready(pctx)
		cancel()
		health := ""
		switch {
		case err == nil:
			fails, health = 0, HealthHealthy
			t.Reset(healthy)
		default:
			fails++
			if fails >= limit {
				health = HealthUnhealthy
			}
			t.Reset(recheck)
		}
		if health != "" {
			s.mu.Lock()
			same := s.st.Health == health || s.st.State != StateRunning
			s.mu.Unlock()
			if !same {
				if health == HealthUnhealthy {
					s.logf("unhealthy: %v", err)
					s.sup.say("%s is unhealthy: %v", s.spec.Name, err)
				}
				s.update(func(st *Status) { st.Health = health })
			}
		}
	}
}

// preflight refuses to start a service whose tcp/http probe port is
// already taken: it would look ready while something else answers.
func (s *service) preflight() error {
	if s.spec.Compose != nil {
		return nil
	}
	port := ProbePort(s.probe)
	if port == 0 {
		return nil
	}
	return Preflight(port)
}

// instance is one run of a service: a process or a compose container.
type instance interface {
	Pid() int
	Done() <-chan struct{}
	Wait() error
	Stop(timeout time.Duration, sig os.Signal) error
	Kill()
	WaitReady(ctx context.Context, probe Probe, timeout, interval time.Duration) error
}

func (s *service) launch() (instance, error) {
	if s.spec.Compose != nil {
		return startCompose(s)
	}
	out := io.MultiWriter(s.log, s.out)
	if lp, ok := s.probe.(*LogProbe); ok {
		lp.Reset()
		out = io.MultiWriter(s.log, s.out, lp)
	}
	return Start(context.Background(), Spec{
		Name: s.spec.Name, Shell: s.spec.Shell, Argv: s.spec.Argv, Dir: s.spec.Dir, Env: s.spec.Env,
		Output: out, StopTimeout: s.spec.StopTimeout, Runner: s.sup.runner,
	})
}

// setup runs the one-shot setup command unless its creates path exists or
// its check passes.
func (s *service) setup() error {
	st := s.spec.Setup
	if st.Creates != "" {
		if _, err := os.Lstat(st.Creates); err == nil {
			return nil
		}
	}
	if st.CheckShell != "" || st.CheckArgv != nil {
		if s.runOnce(st.CheckShell, st.CheckArgv) == nil {
			return nil
		}
	}
	s.logf("setup: %s", describeCmd(st.Shell, st.Argv))
	if err := s.runOnce(st.Shell, st.Argv); err != nil {
		return err
	}
	if st.Creates != "" {
		if _, err := os.Lstat(st.Creates); err != nil {
			return fmt.Errorf("%s ran but did not create %s", describeCmd(st.Shell, st.Argv), st.Creates)
		}
	}
	return nil
}

func (s *service) runOnce(shell string, argv []string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.stopReq:
			cancel()
		case <-ctx.Done():
		}
	}()
	p, err := Start(ctx, Spec{Name: s.spec.Name + " setup", Shell: shell, Argv: argv, Dir: s.spec.Dir, Env: s.spec.Env,
		Output: io.MultiWriter(s.log, s.out), Runner: s.sup.runner})
	if err != nil {
		return err
	}
	if err := p.Wait(); err != nil {
		if s.stopping() {
			return errors.New("stopped")
		}
		return err
	}
	return nil
}

// describeCmd shows a command as the checklist's `onboard plan` and trust
// prompt do (config.Command.String): a shell string as written, an argv
// list with each empty argument, or one holding spaces, quotes, `$` or a
// backslash, quoted.
func describeCmd(shell string, argv []string) string {
	return run.Command{Shell: shell, Argv: argv}.String()
}

// pidFile is the service's pid file in the supervisor's directory.
func (s *service) pidFile() string { return pidsDir + "/" + s.spec.Name + ".pid" }

// writePid records the running process (pid and start time, so a reused
// pid is never mistaken for it) for the next supervisor to find if this
// one dies without stopping it. It is written in place, not atomically:
// a service start does not wait for an fsync, and a torn record is one
// the next supervisor cannot read, so it stops nothing on its account.
func (s *service) writePid(pid int) {
	if pid <= 0 {
		return
	}
	f, err := s.sup.fs.OpenFile(s.pidFile(), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return
	}
	_, _ = f.WriteString(pidRecord(pid))
	_ = f.Close()
}

func (s *service) removePid() { _ = s.sup.fs.Remove(s.pidFile()) }
