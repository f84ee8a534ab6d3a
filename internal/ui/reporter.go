package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

// Reporter renders engine events as a doctor-style checklist: one line
// per item in checklist order, a failure block under each failure and a
// summary, on stdout (stderr with --json, whose stdout is the events).
// On a terminal a live line on stderr shows what runs now.
type Reporter struct {
	s       *Streams
	out     io.Writer // results
	err     io.Writer // progress
	st, est style     // for out and err
	file    string    // the checklist's name, for `onboard.yaml:12`
	again   string    // what to run after fixing a failure
	logDir  string    // where item logs are, when not the working directory
	waiting bool      // list the manual items waiting for a person
	live    bool
	verbose bool

	mu      sync.Mutex
	running map[string]time.Time
	// order is the checklist order; finished items wait in done until
	// every item before them is printed.
	order       []string
	index       map[string]int
	next        int
	done        map[string]engine.Event
	failures    []engine.Event
	pending     []engine.Event
	notSelected int
	paused      int
	backlog     []engine.Event
	stop        chan struct{}
	stopOnce    sync.Once
	status      bool // a status line is on screen
	frame       int
}

// ReporterOptions say where a reporter writes.
type ReporterOptions struct {
	// File is how the checklist is named in messages.
	File string
	// Order is every item id in checklist order: lines print in it.
	Order []string
	// JSON: stdout carries the events, so the checklist goes to stderr.
	JSON bool
	// Again is the advice after failures; "" means running `onboard`
	// again to resume. verify runs in a clone that resuming would not
	// reach, so it says something else.
	Again string
	// LogDir is the directory item logs are relative to, when that is not
	// the checkout the person is in (verify's clone).
	LogDir string
	// NoWaiting leaves out the list of manual items waiting for a person:
	// verify judges them itself, by their CI policy.
	NoWaiting bool
}

// NewReporter draws a run on the streams. Close it when the run ends.
func NewReporter(s *Streams, o ReporterOptions) *Reporter {
	r := &Reporter{s: s, out: s.Out, err: s.Err, file: o.File, again: o.Again, logDir: o.LogDir, waiting: !o.NoWaiting, live: s.ErrIsTerminal(), verbose: s.Verbose,
		st: style{s.OutColor()}, est: style{s.Color()},
		running: map[string]time.Time{}, order: o.Order, index: map[string]int{}, done: map[string]engine.Event{}}
	if o.JSON {
		r.out, r.st = s.Err, r.est
	}
	for i, id := range o.Order {
		r.index[id] = i
	}
	s.liveMu.Lock()
	s.live = r
	s.liveMu.Unlock()
	if r.live {
		r.stop = make(chan struct{})
		go r.animate(r.stop)
	}
	return r
}

// Handle renders one event. It is safe for concurrent use.
func (r *Reporter) Handle(e engine.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paused > 0 {
		// A question is open: its screen is the person's until answered.
		r.backlog = append(r.backlog, e)
		return
	}
	r.clearStatus()
	r.handle(e)
	r.drawStatus()
}

func (r *Reporter) handle(e engine.Event) {
	switch e.Type {
	case engine.EventItemStart:
		r.running[e.ID] = e.Time
	case engine.EventItemSlow:
		fmt.Fprintf(r.err, "%s\n", r.est.dim(fmt.Sprintf("… %s  %s", label(e.ID), e.Detail)))
	case engine.EventRunStart:
		r.estimate(e.Expect)
	case engine.EventItemOverdue:
		r.overdue(e)
	case engine.EventItemOutput:
		if r.verbose {
			fmt.Fprintf(r.err, "%s %s\n", r.est.dim(label(e.ID)+" │"), e.Detail)
		}
	case engine.EventWarning:
		fmt.Fprintf(r.out, "%s %s\n", r.st.warn("!"), e.Detail)
	case engine.EventItemDone:
		delete(r.running, e.ID)
		if _, ok := r.index[e.ID]; !ok {
			r.itemLine(e)
			break
		}
		r.done[e.ID] = e
		r.flush()
	case engine.EventRunDone:
		r.flushAll()
		r.summary(e.Summary)
	}
}

// flush prints finished items whose turn has come.
func (r *Reporter) flush() {
	for r.next < len(r.order) {
		e, ok := r.done[r.order[r.next]]
		if !ok {
			return
		}
		delete(r.done, e.ID)
		r.itemLine(e)
		r.next++
	}
}

// flushAll prints what is left (an interrupted run), in order.
func (r *Reporter) flushAll() {
	for ; r.next < len(r.order); r.next++ {
		if e, ok := r.done[r.order[r.next]]; ok {
			delete(r.done, e.ID)
			r.itemLine(e)
		}
	}
}

// pause clears the status line and holds every line back until resume:
// a question is being asked.
func (r *Reporter) pause() (resume func()) {
	r.mu.Lock()
	r.paused++
	r.clearStatus()
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.paused--
		if r.paused > 0 {
			return
		}
		backlog := r.backlog
		r.backlog = nil
		for _, e := range backlog {
			r.handle(e)
		}
		r.drawStatus()
	}
}

// above writes p to w with the status line out of the way.
func (r *Reporter) above(w io.Writer, p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clearStatus()
	n, err := w.Write(p)
	if r.paused == 0 {
		r.drawStatus()
	}
	return n, err
}

// Next prints the checklist's "next:" lines after a run that ended well.
func (r *Reporter) Next(lines []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clearStatus()
	fmt.Fprintf(r.out, "\n%s\n", r.st.bold("Next:"))
	for _, n := range lines {
		fmt.Fprintf(r.out, "  • %s\n", n)
	}
}

// Close stops the live status line. It may be called more than once.
func (r *Reporter) Close() {
	r.stopOnce.Do(func() {
		if r.stop != nil {
			close(r.stop)
		}
		r.s.liveMu.Lock()
		if r.s.live == r {
			r.s.live = nil
		}
		r.s.liveMu.Unlock()
	})
	r.mu.Lock()
	r.clearStatus()
	r.mu.Unlock()
}

// notSelectedDetail is the engine's detail for items --only/--skip (or
// `services up NAME`) left out: they are not part of this run's story.
const notSelectedDetail = "not selected"

func (r *Reporter) itemLine(e engine.Event) {
	if e.Outcome == engine.OutcomeSkipped && strings.HasPrefix(e.Detail, notSelectedDetail) {
		r.notSelected++
		return
	}
	detail := e.Detail
	switch e.Outcome {
	case engine.OutcomeFixed:
		detail = "fixed" + suffix(detail)
	case engine.OutcomeSkipped:
		detail = "skipped" + suffix(detail)
	case engine.OutcomePending:
		if m, ok := strings.CutPrefix(detail, "manual: "); ok {
			detail = "manual, waiting for you: " + m
		} else {
			detail = "pending" + suffix(detail)
		}
	case engine.OutcomeNotMet:
		detail = "not met" + suffix(detail)
	case engine.OutcomeInterrupted:
		detail = "interrupted"
	}
	// Only a slow item's time is news; the summary has the total.
	if e.Duration >= slowItem && (e.Outcome == engine.OutcomeFixed || e.Outcome == engine.OutcomeFailed) {
		detail += fmt.Sprintf(" (%s)", e.Duration.Round(100*time.Millisecond))
	}
	st := r.st
	name := label(e.ID)
	if e.Outcome == engine.OutcomeFailed {
		name = st.bold(name)
	} else {
		detail = st.dim(detail)
	}
	fmt.Fprintf(r.out, "%s %s  %s\n", st.mark(e.Outcome), name, detail)
	switch e.Outcome {
	case engine.OutcomeFailed, engine.OutcomeWarning, engine.OutcomeNotMet:
		if e.Outcome == engine.OutcomeFailed {
			where := fmt.Sprintf("%s:%d", r.file, e.Line)
			if e.Log != "" {
				where += " · log: " + filepath.Join(r.logDir, e.Log)
			}
			fmt.Fprintf(r.out, "    %s\n", st.dim(where))
			for _, l := range e.Output {
				fmt.Fprintf(r.out, "    %s %s\n", st.dim("│"), l)
			}
			r.failures = append(r.failures, e)
		}
		if e.Fix != "" {
			fmt.Fprintf(r.out, "    %s %s\n", st.warn("fix:"), e.Fix)
		}
	case engine.OutcomePending:
		if strings.HasPrefix(e.Detail, "manual: ") {
			r.pending = append(r.pending, e)
		}
	}
}

func (r *Reporter) summary(s *engine.Summary) {
	if s == nil {
		return
	}
	st := r.st
	var parts []string
	if n := s.Counts[engine.OutcomeOK] + s.Counts[engine.OutcomeFixed]; n > 0 {
		parts = append(parts, st.good(fmt.Sprintf("%d ok", n)))
	}
	for _, o := range []string{engine.OutcomeFailed, engine.OutcomeNotMet, engine.OutcomeBlocked, engine.OutcomeWarning, engine.OutcomePending, engine.OutcomeSkipped, engine.OutcomeInterrupted} {
		n := s.Counts[o]
		if o == engine.OutcomeSkipped {
			n -= r.notSelected
		}
		if n <= 0 {
			continue
		}
		text := fmt.Sprintf("%d %s", n, strings.ReplaceAll(o, "-", " "))
		switch o {
		case engine.OutcomeFailed, engine.OutcomeNotMet, engine.OutcomeInterrupted:
			text = st.bad(text)
		case engine.OutcomeBlocked, engine.OutcomeWarning:
			text = st.warn(text)
		}
		parts = append(parts, text)
	}
	if r.notSelected > 0 {
		parts = append(parts, fmt.Sprintf("%d not selected", r.notSelected))
	}
	parts = append(parts, s.Duration.Round(100*time.Millisecond).String())
	fmt.Fprintf(r.out, "\n%s\n", strings.Join(parts, " · "))
	r.overtime(s)
	r.skips(s)
	if len(r.failures) > 0 {
		ids := make([]string, len(r.failures))
		for i, f := range r.failures {
			ids[i] = fmt.Sprintf("%s (%s:%d)", label(f.ID), r.file, f.Line)
		}
		fmt.Fprintf(r.out, "\n%s %s.\n", st.bad("Failed:"), strings.Join(ids, ", "))
		fmt.Fprintln(r.out, "This is a gap in the checklist or in this machine's setup, not something you did wrong.")
		fmt.Fprintln(r.out, "Do what the output and the fix above say (or show them to the checklist's maintainers),")
		if r.again != "" {
			fmt.Fprintln(r.out, r.again)
		} else {
			fmt.Fprintln(r.out, "then run `onboard` again to resume: what is done is only re-checked")
			fmt.Fprintln(r.out, "(or `onboard retry`: only what failed or was blocked runs again).")
			fmt.Fprintln(r.out, "`onboard report` writes this run up for an issue, secrets masked.")
		}
	}
	if len(r.pending) > 0 && r.waiting {
		if r.s.CanPrompt() {
			fmt.Fprintln(r.out, "\nWaiting for you: do these, then run `onboard` again to confirm them:")
		} else {
			fmt.Fprintln(r.out, "\nWaiting for you: do these, then run `onboard` in a terminal to confirm them:")
		}
		for _, p := range r.pending {
			fmt.Fprintf(r.out, "  • %s: %s\n", label(p.ID), strings.TrimPrefix(p.Detail, "manual: "))
		}
	}
}

// label is how an item is named on screen (engine.ID.Label, which events
// carry as their name).
func label(id string) string { return engine.ID(id).Label() }

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

const slowItem = 10 * time.Second

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func (r *Reporter) animate(stop <-chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.mu.Lock()
			if r.paused == 0 {
				r.frame++
				r.clearStatus()
				r.drawStatus()
			}
			r.mu.Unlock()
		}
	}
}

func (r *Reporter) drawStatus() {
	if !r.live || len(r.running) == 0 {
		return
	}
	ids := make([]string, 0, len(r.running))
	var oldest time.Time
	for id, t := range r.running {
		ids = append(ids, label(id))
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
	}
	sort.Strings(ids)
	line := fmt.Sprintf("%s %s (%s)", spinner[r.frame%len(spinner)], strings.Join(ids, ", "), time.Since(oldest).Round(100*time.Millisecond))
	// One terminal line, or the \r of the next redraw would not reach
	// its start.
	width := Width(r.err)
	if width <= 0 || width > 100 {
		width = 100
	}
	if rs := []rune(line); len(rs) > width-1 {
		line = string(rs[:width-2]) + "…"
	}
	fmt.Fprint(r.err, r.est.dim(line))
	r.status = true
}

func (r *Reporter) clearStatus() {
	if r.status {
		fmt.Fprint(r.err, "\r\033[K")
		r.status = false
	}
}
