package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// keptDurations is how many successful applies an item's learned budget
// is the median of.
const keptDurations = 5

// minLearned is the shortest learned budget: below it a run's jitter
// would report items that are not late at all.
const minLearned = time.Second

// stopFactor is how many times its stated budget an item may run before
// it is stopped as a timeout.
const stopFactor = 3

// Overrun is an item that took longer than it was expected to.
type Overrun struct {
	ID       string        `json:"id"`
	Expected time.Duration `json:"expected_ns"`
	Actual   time.Duration `json:"actual_ns"`
	// Learned: the expectation is the median of earlier runs, not the
	// checklist's `expect:`.
	Learned bool `json:"learned,omitempty"`
	// Stopped: it ran three times its expectation and was stopped.
	Stopped bool `json:"stopped,omitempty"`
}

// errOverBudget cancels an item that ran stopFactor times its `expect:`.
var errOverBudget = errors.New("over its time budget")

// budget is how long an item is expected to take, and where that comes
// from: the checklist's `expect:` or the median of earlier runs.
type budget struct {
	expect  time.Duration
	learned bool
}

// budgetOf is the item's expectation; zero when there is none. A learned
// budget only reports: an estimate from a few runs on one machine is not
// enough to stop anybody's work.
func (r *runner) budgetOf(n *Node) budget {
	if n.Expect > 0 {
		return budget{expect: n.Expect}
	}
	d := r.ws.State.durations(n.ID, n.Hash)
	if len(d) == 0 {
		return budget{}
	}
	return budget{expect: max(median(d), minLearned), learned: true}
}

// median of durations (not sorted in place: the state keeps their order).
func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// clock watches one item against its budget.
type clock struct {
	b       budget
	cancel  context.CancelCauseFunc
	timers  []*time.Timer
	mu      sync.Mutex
	stopped bool // the item ended, or waits for a person: no more reports
	overdue bool
	killed  bool
}

// watch starts the item's clock. The returned context is cancelled when
// an item with a stated budget runs stopFactor times it. Stop the clock
// when the item ends or asks a person something.
func (r *runner) watch(ctx context.Context, n *Node, logRel string) (context.Context, *clock) {
	c := &clock{b: r.budgetOf(n)}
	ctx, c.cancel = context.WithCancelCause(ctx)
	if c.b.expect <= 0 {
		return ctx, c
	}
	c.timers = append(c.timers, time.AfterFunc(c.b.expect, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.stopped {
			return
		}
		c.overdue = true
		r.emit(Event{Type: EventItemOverdue, ID: n.ID.String(), Line: n.Line, Duration: c.b.expect, Expect: c.b.expect, Log: logRel,
			Detail: fmt.Sprintf("has run %s, expected %s: its log %s", c.b.expect, c.b.describe(), logRel)})
	}))
	if !c.b.learned {
		c.timers = append(c.timers, time.AfterFunc(stopFactor*c.b.expect, func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.stopped {
				return
			}
			c.killed = true
			c.cancel(errOverBudget)
		}))
	}
	return ctx, c
}

func (b budget) describe() string {
	if b.learned {
		return b.expect.String() + " (learned from earlier runs)"
	}
	return b.expect.String()
}

// stop ends the clock: no report or stop comes after it.
func (c *clock) stop() {
	for _, t := range c.timers {
		t.Stop()
	}
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
}

// verdict turns an item stopped for its budget into a timeout failure,
// and notes an item that overran in the summary.
func (r *runner) verdict(ctx context.Context, n *Node, c *clock, outcome string, e Event, took time.Duration) (string, Event) {
	c.stop()
	c.cancel(nil)
	c.mu.Lock()
	killed, overdue := c.killed, c.overdue
	c.mu.Unlock()
	if killed && ctx.Err() == nil {
		outcome, e = r.failed(n, Event{Detail: fmt.Sprintf("timed out after %s (%d× its expected %s) and was stopped", stopFactor*c.b.expect, stopFactor, c.b.expect)})
	}
	if overdue || (c.b.expect > 0 && took > c.b.expect && outcome != OutcomeInterrupted) {
		r.mu.Lock()
		r.sum.Overran = append(r.sum.Overran, Overrun{ID: n.ID.String(), Expected: c.b.expect, Actual: took, Learned: c.b.learned, Stopped: killed})
		r.mu.Unlock()
		e.Expect = c.b.expect
	}
	return outcome, e
}

// durations are the item's recorded successful apply times, if its
// definition is unchanged.
func (s *State) durations(id ID, hash string) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.Items[id]; ok && st.Hash == hash {
		return slices.Clone(st.Durations)
	}
	return nil
}

// learn is the item's duration history after this run: an apply that
// succeeded adds its time; a run that only checked says nothing about how
// long the work takes.
func (s *State) learn(id ID, hash, outcome string, took time.Duration) []time.Duration {
	d := s.durations(id, hash)
	if outcome == OutcomeFixed {
		d = append(d, took)
		if len(d) > keptDurations {
			d = d[len(d)-keptDurations:]
		}
	}
	return d
}
