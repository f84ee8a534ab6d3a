package cli

import (
	"context"
	"errors"
	"sync"

	"github.com/onboard-dev/onboard/internal/supervise"
	"github.com/onboard-dev/onboard/steps"
)

// detachedStack connects to the checkout's detached supervisor, starting
// it the first time a service must start.
func detachedStack(d *detached) steps.StackFunc {
	return func(ctx context.Context, start bool) (steps.Stack, error) {
		c, err := d.client(ctx, start)
		if c == nil || err != nil {
			return nil, err
		}
		return d, nil
	}
}

// detached is the detached supervisor as `up` sees it. The supervisor
// exits when no service runs (a failed one, say) and no request came for
// a second, so it may be gone between two services of one run, after a
// long step: Start then starts another, and Statuses says none runs.
type detached struct {
	dir string
	mu  sync.Mutex
	c   *supervise.Client
	// prestarted: this run started the supervisor ahead of its first
	// service (see prestart); started: a service start was asked of it.
	prestarted, started bool
}

// client is the connection to the supervisor; with start, one is started
// when none runs; without, nil when none runs.
func (d *detached) client(ctx context.Context, start bool) (*supervise.Client, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c != nil {
		return d.c, nil
	}
	c, err := supervise.Dial(ctx, d.dir)
	switch {
	case err == nil:
	case errors.Is(err, supervise.ErrNoSupervisor) && !start:
		return nil, nil
	case errors.Is(err, supervise.ErrNoSupervisor):
		exe, args := daemonArgv()
		if c, err = supervise.Connect(ctx, d.dir, exe, args); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	d.c = c
	return c, nil
}

// forget drops a connection to a supervisor that is gone.
func (d *detached) forget(c *supervise.Client) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c == c {
		d.c = nil
	}
}

func (d *detached) Start(ctx context.Context, spec supervise.ServiceSpec) error {
	d.mu.Lock()
	d.started = true
	d.mu.Unlock()
	for attempt := 0; ; attempt++ {
		c, err := d.client(ctx, true)
		if err != nil {
			return err
		}
		err = c.Start(ctx, spec)
		if !errors.Is(err, supervise.ErrNoSupervisor) || attempt == 1 {
			return err
		}
		d.forget(c)
	}
}

func (d *detached) Statuses(ctx context.Context, names ...string) ([]supervise.Status, error) {
	c, err := d.client(ctx, false)
	if c == nil || err != nil {
		return nil, err
	}
	list, err := c.Statuses(ctx, names...)
	if errors.Is(err, supervise.ErrNoSupervisor) {
		d.forget(c)
		return nil, nil
	}
	return list, err
}
