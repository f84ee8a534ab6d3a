package engine

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
)

type runner struct {
	ws    *Workspace
	opts  Options
	nodes map[ID]*Node
	done  map[ID]chan struct{}
	mu    sync.Mutex
	out   map[ID]string    // outcome per id
	fixed map[ID]time.Time // when each item applied in this run finished
	// skipped are the items a person skipped with `onboard skip`.
	skipped map[ID]*Skip
	sem     chan struct{}
	sum     Summary
}

// Run works through the nodes in dependency order, independent ones in
// parallel. It returns nil when everything is met (manual items pending
// without a terminal do not fail `up`), ctx.Err() when interrupted, a
// *RunError when items failed, or ErrNotMet in check mode.
func Run(ctx context.Context, ws *Workspace, nodes []*Node, opts Options) error {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.SlowAfter <= 0 {
		opts.SlowAfter = 10 * time.Second
	}
	if opts.TailLines <= 0 {
		opts.TailLines = 20
	}
	if opts.Emit == nil {
		opts.Emit = func(Event) {}
	}
	if opts.Masker == nil {
		opts.Masker = noMask{}
	}
	r := &runner{
		ws: ws, opts: opts,
		nodes: map[ID]*Node{}, done: map[ID]chan struct{}{},
		out: map[ID]string{}, sem: make(chan struct{}, opts.Jobs),
		sum: Summary{Counts: map[string]int{}},
	}
	for _, n := range nodes {
		r.nodes[n.ID] = n
		r.done[n.ID] = make(chan struct{})
	}
	selected := r.selected(nodes)
	start := time.Now()
	r.emit(Event{Type: EventRunStart, Version: opts.Version, Project: opts.Project, Expect: r.estimate(nodes, selected)})
	if ws.StateWarning != nil {
		r.emit(Event{Type: EventWarning, Detail: ws.StateWarning.Error()})
	}
	ws.State.Adopt(nodes)
	for _, id := range ws.State.liftStale(nodes) {
		r.emit(Event{Type: EventWarning, Detail: "the skip of " + id.String() + " is lifted: its definition changed, so it runs again"})
	}
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(r.done[n.ID])
			r.runNode(ctx, n, selected[n.ID])
		}()
	}
	wg.Wait()
	var saveErr error
	if opts.Mode == Up {
		saveErr = ws.State.Save()
	}
	r.sum.Duration = time.Since(start)
	r.emit(Event{Type: EventRunDone, Summary: &r.sum, Duration: r.sum.Duration})
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case saveErr != nil:
		return fmt.Errorf("saving state: %w", saveErr)
	case opts.Mode == Check && len(r.sum.Failed)+r.sum.Counts[OutcomeNotMet]+r.sum.Counts[OutcomePending] > 0:
		return ErrNotMet
	case len(r.sum.Failed) > 0:
		return &RunError{Summary: &r.sum}
	}
	return nil
}

// selected applies --only and --skip: --only keeps the named items and,
// like `make target`, everything they need.
func (r *runner) selected(nodes []*Node) map[ID]bool {
	sel := map[ID]bool{}
	if len(r.opts.Select) > 0 {
		for _, id := range r.opts.Select {
			sel[id] = true
		}
		return sel
	}
	if len(r.opts.Only) == 0 {
		for _, n := range nodes {
			sel[n.ID] = true
		}
	} else {
		var add func(id ID)
		add = func(id ID) {
			if sel[id] || r.nodes[id] == nil {
				return
			}
			sel[id] = true
			for _, need := range r.nodes[id].Needs {
				add(need)
			}
		}
		for _, id := range r.opts.Only {
			add(id)
		}
	}
	for _, id := range r.opts.Skip {
		delete(sel, id)
	}
	return sel
}

// emit sends an event with every secret masked: details and output come
// from commands and error messages, which may echo anything.
func (r *runner) emit(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if e.ID != "" && e.Name == "" {
		if n := r.nodes[ID(e.ID)]; n != nil {
			e.Name = n.DisplayName()
		} else {
			e.Name = ID(e.ID).Label()
		}
	}
	m := r.opts.Masker
	e.Detail, e.Fix = m.String(e.Detail), m.String(e.Fix)
	if e.Output != nil {
		out := make([]string, len(e.Output))
		for i, l := range e.Output {
			out[i] = m.String(l)
		}
		e.Output = out
	}
	r.opts.Emit(e)
}

func (r *runner) finish(n *Node, outcome string, e Event) {
	r.mu.Lock()
	r.out[n.ID] = outcome
	if outcome == OutcomeFixed {
		if r.fixed == nil {
			r.fixed = map[ID]time.Time{}
		}
		r.fixed[n.ID] = time.Now()
	}
	r.sum.Counts[outcome]++
	if outcome == OutcomeFailed || outcome == OutcomeBlocked {
		r.sum.Failed = append(r.sum.Failed, n.ID.String())
	}
	r.mu.Unlock()
	if outcome != OutcomeSkipped {
		if s := r.asIfMet(n); s != "" {
			e.Detail = strings.TrimPrefix(e.Detail+"; "+s, "; ")
		}
	}
	e.Type, e.ID, e.Line, e.Outcome = EventItemDone, n.ID.String(), n.Line, outcome
	r.emit(e)
}

// applied is which of ids were applied in this run, and when they finished.
func (r *runner) applied(ids []ID) map[ID]time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out map[ID]time.Time
	for _, id := range ids {
		if t, ok := r.fixed[id]; ok {
			if out == nil {
				out = map[ID]time.Time{}
			}
			out[id] = t
		}
	}
	return out
}

func (r *runner) outcome(id ID) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out[id]
}

func (r *runner) runNode(ctx context.Context, n *Node, selected bool) {
	for _, need := range n.Needs {
		if ch, ok := r.done[need]; ok {
			<-ch
		}
	}
	if !selected {
		r.finish(n, OutcomeSkipped, Event{Detail: "not selected for this run"})
		return
	}
	if r.journalSkip(n) {
		return
	}
	if ctx.Err() != nil {
		r.finish(n, OutcomeInterrupted, Event{})
		return
	}
	if r.opts.Mode == Up {
		for _, need := range n.Needs {
			switch o := r.outcome(need); o {
			case OutcomeFailed, OutcomeBlocked, OutcomeInterrupted:
				detail := "blocked: " + need.String() + " " + o
				if o != OutcomeInterrupted {
					r.ws.State.markEnded(n.ID, n.Hash, OutcomeBlocked, detail)
				}
				r.finish(n, OutcomeBlocked, Event{Detail: detail})
				return
			case OutcomePending:
				// Waiting for a person is not a failure: it waits too.
				r.finish(n, OutcomePending, Event{Detail: "waits for " + need.String() + ", which is waiting for a person"})
				return
			}
		}
	}
	if n.Waits {
		// It only waits on another process: no slot of -j.
		r.work(ctx, n)
		return
	}
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		r.finish(n, OutcomeInterrupted, Event{})
		return
	}
	defer func() { <-r.sem }()
	r.work(ctx, n)
}
