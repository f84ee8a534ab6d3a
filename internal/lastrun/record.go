package lastrun

import (
	"bytes"
	"encoding/json"
	"sort"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

// Recorder turns one run's events into a Run. Its Observe is safe to call
// from the engine's parallel items.
type Recorder struct {
	mu    sync.Mutex
	run   *Run
	items map[string]*Item
}

// NewRecorder starts the record of a run; env, hints and the names are
// what events do not carry.
func NewRecorder(command, project, checklist string, env Environment, hints []Hint) *Recorder {
	return &Recorder{
		run: &Run{Command: command, Project: project, Checklist: checklist, Started: time.Now(),
			Environment: env, Items: []*Item{}, Hints: hints},
		items: map[string]*Item{},
	}
}

// Observe records one event (already masked by the engine).
func (r *Recorder) Observe(e engine.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e.Type {
	case engine.EventRunStart:
		if !e.Time.IsZero() {
			r.run.Started = e.Time
		}
	case engine.EventItemStart:
		r.item(e).Started = e.Time
	case engine.EventItemApply:
		r.item(e).Applied = true
	case engine.EventItemOverdue:
		it := r.item(e)
		it.Overdue, it.Expect = true, e.Expect
	case engine.EventItemDone:
		it := r.item(e)
		it.Name, it.Line, it.Outcome, it.Detail, it.Fix = e.Name, e.Line, e.Outcome, e.Detail, e.Fix
		it.Duration, it.Output, it.Log = e.Duration, e.Output, e.Log
		if e.Expect > 0 {
			it.Expect = e.Expect
		}
		if it.Started.IsZero() && !e.Time.IsZero() {
			it.Started = e.Time.Add(-e.Duration)
		}
	case engine.EventPreflightFailed:
		r.run.Problems = append(r.run.Problems, e.Problems...)
	case engine.EventRunDone:
		if e.Summary != nil {
			for _, s := range e.Summary.Skips {
				r.run.Skips = append(r.run.Skips, Skip{ID: s.ID, Reason: s.Reason, User: s.User, At: s.At})
			}
		}
	}
}

func (r *Recorder) item(e engine.Event) *Item {
	it, ok := r.items[e.ID]
	if !ok {
		it = &Item{ID: e.ID, Name: e.Name, Line: e.Line}
		r.items[e.ID] = it
		r.run.Items = append(r.run.Items, it)
	}
	return it
}

// Finish ends the record: result is "ok", "failed" or "interrupted". The
// tools' rows take what their items found.
func (r *Recorder) Finish(result string) *Run {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.run.Ended, r.run.Result = time.Now(), result
	// Items in the order they started, as a timeline reads.
	sort.SliceStable(r.run.Items, func(i, j int) bool {
		return r.run.Items[i].Started.Before(r.run.Items[j].Started)
	})
	// An item's expect: is its expected time even when it did not overrun
	// (the events carry it only then).
	for _, it := range r.run.Items {
		if it.Expect == 0 {
			it.Expect = r.run.Hint(it.ID).Expect
		}
	}
	for i := range r.run.Environment.Tools {
		t := &r.run.Environment.Tools[i]
		if it, ok := r.items[string(engine.ToolID(t.Name))]; ok {
			t.Found, t.Outcome = it.Detail, it.Outcome
		}
	}
	return r.run
}

// Marshal is the record as written to last-run.json, every string passed
// through mask (the run's masker) once more: the events are masked
// already, and a report is no place to find out that one was not.
func Marshal(r *Run, mask func(string) string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Unescaped, so a secret with <, > or & is still the text mask knows.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	if mask == nil {
		return buf.Bytes(), nil
	}
	return []byte(mask(buf.String())), nil
}
