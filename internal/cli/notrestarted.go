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

// fixedSteps collects the steps a run applied, and when each finished,
// from its events: what steps.NotRestarted needs once the run is over.
type fixedSteps struct {
	mu    sync.Mutex
	steps map[string]time.Time
}

// watch returns emit, noting each step that ends fixed on the way.
func (s *fixedSteps) watch(emit func(engine.Event)) func(engine.Event) {
	return func(e engine.Event) {
		if name, ok := strings.CutPrefix(e.ID, "step:"); ok && e.Type == engine.EventItemDone && e.Outcome == engine.OutcomeFixed {
			s.mu.Lock()
			if s.steps == nil {
				s.steps = map[string]time.Time{}
			}
			s.steps[name] = e.Time
			s.mu.Unlock()
		}
		emit(e)
	}
}

// sayNotRestarted warns, after the run, about each running service that a
// file the run rewrote may concern but that was not restarted for it (see
// steps.NotRestarted). It runs after every item, so that it sees the
// services as the run left them, whatever order independent items took.
func sayNotRestarted(ctx context.Context, f *config.File, stack steps.StackFunc, fixed *fixedSteps, emit func(engine.Event)) {
	fixed.mu.Lock()
	done := fixed.steps
	fixed.mu.Unlock()
	if len(done) == 0 || stack == nil {
		return
	}
	statuses := func() []supervise.Status {
		s, err := stack(ctx, false)
		if s == nil || err != nil {
			return nil
		}
		list, _ := s.Statuses(ctx)
		return list
	}
	for _, msg := range steps.NotRestarted(f, done, statuses) {
		emit(engine.Event{Type: engine.EventWarning, Time: time.Now(), Detail: msg})
	}
}
