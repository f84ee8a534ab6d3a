package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// hangItem is never met and its Apply waits for its context to end.
type hangItem struct{}

func (hangItem) Check(context.Context, *Env) (Result, error) {
	return Result{Status: NotMet}, nil
}

func (hangItem) Apply(ctx context.Context, _ *Env) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestStatedBudgetReportsThenStops(t *testing.T) {
	ws := open(t)
	var mu sync.Mutex
	var events []Event
	opts := Options{Emit: func(e Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}}
	nodes := []*Node{{ID: "step:hang", Expect: 50 * time.Millisecond, Item: hangItem{}}}
	start := time.Now()
	err := Run(context.Background(), ws, nodes, opts)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("not stopped at 3× its budget: ran %s", took)
	}
	if _, ok := err.(*RunError); !ok {
		t.Fatalf("err = %v, want a *RunError", err)
	}
	var overdue, done *Event
	for i, e := range events {
		switch e.Type {
		case EventItemOverdue:
			overdue = &events[i]
		case EventItemDone:
			done = &events[i]
		case EventRunDone:
			if len(e.Summary.Overran) != 1 || !e.Summary.Overran[0].Stopped {
				t.Errorf("summary overran = %+v", e.Summary.Overran)
			}
		}
	}
	if overdue == nil || overdue.Expect != 50*time.Millisecond {
		t.Fatalf("overdue event = %+v", overdue)
	}
	if done == nil || done.Outcome != OutcomeFailed || !strings.Contains(done.Detail, "timed out after 150ms (3× its expected 50ms)") {
		t.Fatalf("done = %+v", done)
	}
}

func TestLearnedBudgetKeepsTheLastFiveApplies(t *testing.T) {
	ws := open(t)
	var d []time.Duration
	for i := 1; i <= 7; i++ {
		d = ws.State.learn("step:a", "h", OutcomeFixed, time.Duration(i)*time.Second)
		ws.State.set("step:a", &ItemState{Hash: "h", Outcome: OutcomeFixed, Durations: d})
	}
	if len(d) != keptDurations || d[0] != 3*time.Second {
		t.Fatalf("durations = %v", d)
	}
	// A run that only checked teaches nothing; a changed definition forgets.
	if got := ws.State.learn("step:a", "h", OutcomeOK, time.Millisecond); len(got) != keptDurations {
		t.Errorf("after a check: %v", got)
	}
	if got := ws.State.learn("step:a", "other", OutcomeOK, time.Millisecond); got != nil {
		t.Errorf("after a change: %v", got)
	}
	r := &runner{ws: ws}
	if b := r.budgetOf(&Node{ID: "step:a", Hash: "h"}); b.expect != 5*time.Second || !b.learned {
		t.Errorf("budget = %+v, want the median 5s, learned", b)
	}
}
