package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// composePoll is how often a compose service's container is inspected.
// `docker inspect` costs ~20 ms of CPU; health within a second is enough
// for a container whose own healthcheck runs at most once a second.
const composePoll = 250 * time.Millisecond

// composeRun is one run of a compose service: `compose up -d SERVICE`,
// then its container watched until it stops. It is an instance, so the
// supervisor applies the same readiness, restart and stop rules to it as
// to a process.
type composeRun struct {
	c    *ComposeService
	pid  int
	done chan struct{}
	err  error

	cancelLogs context.CancelFunc
	stopOnce   sync.Once
}

func startCompose(s *service) (instance, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.spec.readyTimeout())
	defer cancel()
	cmd, err := findCompose(ctx, s.sup.runner)
	if err != nil {
		return nil, fmt.Errorf("compose service %s: %w", s.spec.Name, err)
	}
	if err := checkDaemon(ctx, s.sup.runner); err != nil {
		return nil, fmt.Errorf("compose service %s: %w", s.spec.Name, err)
	}
	c := &ComposeService{Command: cmd, File: s.spec.Compose.File, Project: s.spec.Compose.Project,
		Service: s.spec.Compose.Service, Dir: s.spec.Dir, Env: s.spec.Env, Runner: s.sup.runner}
	if err := c.Up(ctx); err != nil {
		return nil, err
	}
	st, err := c.State(ctx)
	if err != nil {
		return nil, fmt.Errorf("compose service %s: %w", s.spec.Name, err)
	}
	r := &composeRun{c: c, pid: st.Pid, done: make(chan struct{})}
	var out io.Writer = io.MultiWriter(s.log, s.out)
	if lp, ok := s.probe.(*LogProbe); ok {
		lp.Reset()
		out = io.MultiWriter(s.log, s.out, lp)
	}
	lctx, lcancel := context.WithCancel(context.Background())
	r.cancelLogs = lcancel
	go func() { _ = c.Logs(lctx, out, true) }()
	go r.watch()
	return r, nil
}

// watch waits for the container to stop running.
func (r *composeRun) watch() {
	defer close(r.done)
	defer r.cancelLogs()
	for {
		time.Sleep(composePoll)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		st, err := r.c.State(ctx)
		cancel()
		switch {
		case errors.Is(err, ErrNoContainer):
			r.err = errors.New("its container is gone")
			return
		case err != nil:
			continue // a slow daemon: look again
		case !st.Running:
			if st.ExitCode != 0 {
				r.err = &ExitError{Code: st.ExitCode}
			}
			return
		}
	}
}

func (r *composeRun) Pid() int              { return r.pid }
func (r *composeRun) Done() <-chan struct{} { return r.done }
func (r *composeRun) Wait() error           { <-r.done; return r.err }

// Stop is `compose stop -t SECONDS SERVICE`: Docker sends the image's stop
// signal and kills after the timeout. The signal argument is the image's
// business, not onboard's.
func (r *composeRun) Stop(timeout time.Duration, _ os.Signal) error {
	if timeout <= 0 {
		timeout = DefaultStopTimeout
	}
	var err error
	r.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout+30*time.Second)
		defer cancel()
		err = r.c.Stop(ctx, timeout)
	})
	<-r.done
	return err
}

// Kill stops the container without a grace period.
func (r *composeRun) Kill() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = r.c.Stop(ctx, time.Millisecond)
	<-r.done
}

// WaitReady uses onboard's own probe when the checklist gives one, else
// the container's healthcheck, else "running".
func (r *composeRun) WaitReady(ctx context.Context, probe Probe, timeout, interval time.Duration) error {
	if probe == nil {
		probe, interval = healthProbe{r.c}, composePoll
	}
	return waitReadyOrExit(ctx, probe, timeout, interval, r.done, func() error { return r.err }, "container stopped before ready")
}

// healthProbe is ready when the container's healthcheck says healthy, or
// when it has none and runs.
type healthProbe struct{ c *ComposeService }

func (h healthProbe) Ready(ctx context.Context) error {
	st, err := h.c.State(ctx)
	switch {
	case err != nil:
		return err
	case !st.Running:
		return fmt.Errorf("container is %s", st.Status)
	case st.Health == "" || st.Health == HealthHealthy:
		return nil
	}
	return fmt.Errorf("container healthcheck: %s", st.Health)
}

// composeDown removes the containers of every compose project the services
// used, once all of them are stopped.
func composeDown(svcs []*service) {
	seen := map[string]bool{}
	for _, s := range svcs {
		cs := s.spec.Compose
		if cs == nil || seen[cs.Project+"\x00"+cs.File] {
			continue
		}
		seen[cs.Project+"\x00"+cs.File] = true
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd, err := findCompose(ctx, s.sup.runner)
		if err == nil {
			c := &ComposeService{Command: cmd, File: cs.File, Project: cs.Project, Service: cs.Service, Dir: s.spec.Dir, Env: s.spec.Env, Runner: s.sup.runner}
			if err := c.Down(ctx); err != nil {
				s.sup.say("compose down for %s: %v", s.spec.Name, err)
			}
		}
		cancel()
	}
}
