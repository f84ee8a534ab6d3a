package engine

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Mode is what a run may do.
type Mode int

// Run modes.
const (
	Up    Mode = iota // check, apply what is not met, verify
	Check             // check only: change nothing
)

// Options configure one run.
type Options struct {
	Mode Mode
	Jobs int // items in parallel; 0 means the number of CPUs
	// Only restricts the run to these ids and what they need; Skip leaves
	// ids out (their dependents run as if they were met).
	Only, Skip []ID
	// Select, when set, runs exactly these ids and nothing else, not even
	// what they need (`onboard retry`).
	Select []ID
	// Redo applies these items even when their check passes, then
	// verifies them (`onboard redo`).
	Redo    []ID
	Environ []string
	Confirm func(ctx context.Context, question string) (bool, error)
	Choose  func(ctx context.Context, question string, options []string) (int, error)
	Emit    func(Event)
	// SlowAfter is when a running item is reported as slow; 0 means 10 s.
	SlowAfter time.Duration
	// TailLines is how much of a failed item's log is shown; 0 means 20.
	TailLines int
	// Masker hides secrets in every event, in the state and in the logs.
	Masker Masker
	// Verbose emits every line an item writes to its log as an
	// item.output event while it runs (-v).
	Verbose bool
	// Version (onboard's) and Project (the checklist's project:) go into
	// the run.start event.
	Version, Project string
}

// Masker hides secret values (internal/mask implements it).
type Masker interface {
	String(s string) string
	// Writer masks as it writes, so no secret reaches an item's log on
	// disk even if onboard is killed mid-item.
	Writer(w io.Writer) io.WriteCloser
}

type noMask struct{}

func (noMask) String(s string) string { return s }
func (noMask) Writer(w io.Writer) io.WriteCloser {
	return nopWriteCloser{w}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// RunError is returned when items failed; the exit code is 1 (or 3 in
// check mode, where nothing was supposed to change).
type RunError struct{ Summary *Summary }

func (e *RunError) Error() string {
	return fmt.Sprintf("%d %s did not succeed: %s", len(e.Summary.Failed), plural(len(e.Summary.Failed), "item", "items"), strings.Join(e.Summary.Failed, ", "))
}

// ErrNotMet is returned in check mode when any item is not met.
var ErrNotMet = errors.New("not every item is met")

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

// work runs one item: check → apply → verify.
func (r *runner) work(ctx context.Context, n *Node) {
	logFile, logPath, logRel, err := r.ws.createLog(n.ID)
	if err != nil {
		r.finish(n, OutcomeFailed, Event{Detail: "cannot write its log: " + err.Error()})
		return
	}
	defer logFile.Close()
	st := &ItemState{Hash: n.Hash, Started: time.Now()}
	var dataMu sync.Mutex
	// Everything an item writes passes the masker on its way to the
	// disk; a command writing to it gets a pipe, never the file itself.
	maskedLog := r.opts.Masker.Writer(logFile)
	var log io.Writer = maskedLog
	flushOutput := func() {}
	if r.opts.Verbose {
		lw := &lineEmitter{emit: func(line string) {
			r.emit(Event{Type: EventItemOutput, ID: n.ID.String(), Line: n.Line, Detail: line})
		}}
		flushOutput = lw.Flush
		log = io.MultiWriter(maskedLog, lw)
	}
	env := &Env{
		Root:    r.ws.Root,
		Environ: r.opts.Environ,
		Log:     log,
		Prior:   r.ws.State.prior(n.ID, n.Hash),
		Applied: r.applied(n.Needs),
	}
	env.Record = func(k, v string) {
		dataMu.Lock()
		defer dataMu.Unlock()
		if st.Data == nil {
			st.Data = map[string]string{}
		}
		st.Data[k] = v
		// The verify check after Apply sees what Apply recorded.
		if env.Prior == nil {
			env.Prior = map[string]string{}
		}
		env.Prior[k] = v
	}
	if r.opts.Mode == Up {
		env.Intend = func(k, v string) error {
			r.ws.State.intend(n.ID, n.Hash, k, v)
			if err := r.ws.State.Save(); err != nil {
				return fmt.Errorf("saving state before acting: %w", err)
			}
			return nil
		}
	}
	r.emit(Event{Type: EventItemStart, ID: n.ID.String(), Line: n.Line})
	runCtx := ctx
	ctx, clock := r.watch(ctx, n, logRel)
	// The slow warning fires on a timer goroutine; the mutex makes sure it
	// is never emitted after the item is done (or after the run ended).
	var slowMu sync.Mutex
	itemDone := false
	slow := time.AfterFunc(r.opts.SlowAfter, func() {
		slowMu.Lock()
		defer slowMu.Unlock()
		if itemDone {
			return
		}
		r.emit(Event{Type: EventItemSlow, ID: n.ID.String(), Line: n.Line, Duration: r.opts.SlowAfter,
			Detail: fmt.Sprintf("still running after %s; its output goes to %s", r.opts.SlowAfter, logRel)})
	})
	stopSlow := func() {
		clock.stop()
		slow.Stop()
		slowMu.Lock()
		itemDone = true
		slowMu.Unlock()
	}
	defer stopSlow()
	// Waiting for a person is not slow work: a question stops the timer.
	if r.opts.Confirm != nil {
		env.Confirm = func(ctx context.Context, q string) (bool, error) {
			stopSlow()
			return r.opts.Confirm(ctx, q)
		}
	}
	if r.opts.Choose != nil {
		env.Choose = func(ctx context.Context, q string, options []string) (int, error) {
			stopSlow()
			return r.opts.Choose(ctx, q, options)
		}
	}

	outcome, e := r.converge(ctx, n, env)
	_ = maskedLog.Close() // what it held back, masked, before the tail is read
	flushOutput()         // a last line without a newline, before item.done
	stopSlow()            // before item.done, so no slow warning can follow it
	st.Ended = time.Now()
	outcome, e = r.verdict(runCtx, n, clock, outcome, e, st.Ended.Sub(st.Started))
	st.Durations = r.ws.State.learn(n.ID, n.Hash, outcome, st.Ended.Sub(st.Started))
	st.Outcome, st.Detail = outcome, r.opts.Masker.String(e.Detail)
	e.Duration = st.Ended.Sub(st.Started)
	if r.ws.tempLogs == "" { // a read-only run's log is gone once it ends
		e.Log = logRel
	}
	if outcome == OutcomeFailed || outcome == OutcomeWarning {
		e.Output = tail(logPath, r.opts.TailLines)
	}
	// Check mode changes nothing, not even what onboard remembers.
	if outcome != OutcomeInterrupted && r.opts.Mode == Up {
		r.ws.State.set(n.ID, st)
	}
	r.finish(n, outcome, e)
}

func (r *runner) converge(ctx context.Context, n *Node, env *Env) (string, Event) {
	res, err := n.Item.Check(ctx, env)
	if ctx.Err() != nil {
		return OutcomeInterrupted, Event{}
	}
	if err != nil {
		return r.failed(n, Event{Detail: "check failed: " + err.Error()})
	}
	if res.Status == Met && r.opts.Mode == Up && slices.Contains(r.opts.Redo, n.ID) {
		res = Result{Status: NotMet, Detail: "redo: applied although its check passes (" + quoteDetail(res.Detail) + ")"}
	}
	switch res.Status {
	case Met:
		return OutcomeOK, Event{Detail: res.Detail}
	case Skipped:
		return OutcomeSkipped, Event{Detail: res.Detail}
	}
	if r.opts.Mode == Check {
		if res.NoCheck {
			if o := r.ws.State.lastOutcome(n.ID, n.Hash); o == OutcomeOK || o == OutcomeFixed {
				return OutcomeOK, Event{Detail: "ran cleanly in an earlier run (it has no check)"}
			}
		}
		if n.Manual {
			return OutcomePending, Event{Detail: res.Detail}
		}
		if n.Optional {
			return OutcomeWarning, Event{Detail: res.Detail, Fix: fixFor(n, res.Fix)}
		}
		return OutcomeNotMet, Event{Detail: res.Detail, Fix: fixFor(n, res.Fix)}
	}
	r.emit(Event{Type: EventItemApply, ID: n.ID.String(), Line: n.Line, Detail: res.Detail})
	err = n.Item.Apply(ctx, env)
	switch {
	case ctx.Err() != nil:
		return OutcomeInterrupted, Event{}
	case errors.Is(err, ErrNeedsPerson):
		return OutcomePending, Event{Detail: res.Detail}
	case errors.Is(err, ErrCannotApply):
		return r.failed(n, Event{Detail: res.Detail, Fix: res.Fix})
	case err != nil:
		return r.failed(n, Event{Detail: err.Error(), Fix: res.Fix})
	}
	if res.NoCheck {
		return OutcomeFixed, Event{Detail: "ran (it has no check)"}
	}
	// Verify: the check must pass now, or the fix did not fix.
	res2, err := n.Item.Check(ctx, env)
	switch {
	case ctx.Err() != nil:
		return OutcomeInterrupted, Event{}
	case err != nil:
		return r.failed(n, Event{Detail: "check after the fix failed: " + err.Error()})
	case res2.Status == NotMet:
		return r.failed(n, Event{Detail: "the fix did not fix: it ran without error, but the check still says " + quoteDetail(res2.Detail), Fix: res2.Fix})
	}
	return OutcomeFixed, Event{Detail: res2.Detail}
}

// failed is a failure, or a warning for optional items.
func (r *runner) failed(n *Node, e Event) (string, Event) {
	e.Fix = fixFor(n, e.Fix)
	if n.Optional {
		return OutcomeWarning, e
	}
	return OutcomeFailed, e
}

// fixFor is the item's own hint (a missing tool's install command, a
// conflict's choices), else the checklist's fix: for the item.
func fixFor(n *Node, own string) string {
	if own != "" {
		return own
	}
	return n.Fix
}

func quoteDetail(s string) string {
	if s == "" {
		return "not met"
	}
	return fmt.Sprintf("%q", s)
}

// tail returns the last n lines of a log file.
func tail(path string, n int) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	data = bytes.TrimRight(data, "\n")
	if len(data) == 0 {
		return nil
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return lines
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
