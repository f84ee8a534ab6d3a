package cli

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/supervise"
	"github.com/onboard-dev/onboard/steps"
)

// warnNotRestarted wraps an `up`'s emit: it notes each step that ends
// fixed, and just before run.done warns about each running service that a
// file the run rewrote may concern but that was not restarted for it (see
// steps.NotRestarted). At run.done every item has ended, so the warning
// sees the services as the run left them, whatever order independent
// items took; and it comes before run.done, which stays the last event.
func warnNotRestarted(ctx context.Context, f *config.File, stack steps.StackFunc, emit func(engine.Event)) func(engine.Event) {
	var mu sync.Mutex
	fixed := map[string]time.Time{}
	statuses := func() []supervise.Status {
		if stack == nil {
			return nil
		}
		s, err := stack(ctx, false)
		if s == nil || err != nil {
			return nil
		}
		list, _ := s.Statuses(ctx)
		return list
	}
	return func(e engine.Event) {
		switch {
		case e.Type == engine.EventItemDone && e.Outcome == engine.OutcomeFixed && strings.HasPrefix(e.ID, "step:"):
			mu.Lock()
			fixed[strings.TrimPrefix(e.ID, "step:")] = e.Time
			mu.Unlock()
		case e.Type == engine.EventRunDone:
			mu.Lock()
			done := fixed
			mu.Unlock()
			for _, msg := range steps.NotRestarted(f, done, statuses) {
				emit(engine.Event{Type: engine.EventWarning, Time: time.Now(), Detail: msg})
			}
		}
		emit(e)
	}
}
