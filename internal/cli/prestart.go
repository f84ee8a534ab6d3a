package cli

import (
	"context"
	"errors"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/supervise"
)

// startsService reports whether a run of the selected items may start a
// service.
func startsService(selected map[engine.ID]bool) bool {
	for id := range selected {
		if id.Kind() == engine.KindService {
			return true
		}
	}
	return false
}

// prestart starts the detached supervisor in the background when none
// runs, once the preflight has passed, so that its start-up — two more
// onboard processes (its guard and itself), each a Go runtime to start —
// overlaps the work `up` does before its first service: tools and steps. The first
// service then finds it ready rather than waiting for it. It holds the
// connection's lock while it starts one, so a service item that asks
// meanwhile waits for the same supervisor rather than starting another.
//
// The returned function is for the end of the run: when no service was
// started after all (the preflight or a step failed, the run was
// interrupted), it stops the supervisor this run started, so that a failed
// `up` leaves nothing running (the supervisor would exit on its own, idle,
// a second later).
func (d *detached) prestart(ctx context.Context) (done func()) {
	if _, err := supervise.Dial(ctx, d.dir); !errors.Is(err, supervise.ErrNoSupervisor) {
		return func() {} // one runs (or the directory is unusable: the service says why)
	}
	d.mu.Lock() // released by the goroutine once connected (or failed)
	go func() {
		defer d.mu.Unlock()
		exe, args := daemonArgv()
		c, err := supervise.Connect(ctx, d.dir, exe, args)
		if err != nil {
			return // the first service starts one itself and reports what fails
		}
		d.c, d.prestarted = c, true
	}()
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if !d.prestarted || d.started || d.c == nil {
			return
		}
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = d.c.Stop(stop, nil)
		d.c = nil
	}
}
