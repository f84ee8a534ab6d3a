package engine

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"
)

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
