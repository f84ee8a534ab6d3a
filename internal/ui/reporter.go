package ui

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

// Reporter renders engine events as a doctor-style checklist on stderr:
// one line per finished item, a failure block under each failure, and a
// summary. On a terminal it also keeps a live status line of what runs.
type Reporter struct {
	w    io.Writer
	file string // the checklist's name, for `onboard.yaml:12`
	live bool

	mu       sync.Mutex
	running  map[string]time.Time
	failures []engine.Event
	pending  []engine.Event
	stop     chan struct{}
	stopOnce sync.Once
	stdin    *bufio.Reader
	status   bool // a status line is on screen
	frame    int
}

// NewReporter writes to the streams' Err. file is how the checklist is
// named in messages.
func NewReporter(s *Streams, file string) *Reporter {
	r := &Reporter{w: s.Err, file: file, live: s.ErrIsTerminal(), running: map[string]time.Time{}}
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
	r.clearStatus()
	switch e.Type {
	case engine.EventItemStart:
		r.running[e.ID] = e.Time
	case engine.EventItemSlow:
		fmt.Fprintf(r.w, "! %s  %s\n", label(e.ID), e.Detail)
	case engine.EventWarning:
		fmt.Fprintf(r.w, "! %s\n", e.Detail)
	case engine.EventItemDone:
		delete(r.running, e.ID)
		r.itemLine(e)
	case engine.EventRunDone:
		r.summary(e.Summary)
	}
	r.drawStatus()
}

// Close stops the live status line. It may be called more than once.
func (r *Reporter) Close() {
	r.stopOnce.Do(func() {
		if r.stop != nil {
			close(r.stop)
		}
	})
	r.mu.Lock()
	r.clearStatus()
	r.mu.Unlock()
}

func (r *Reporter) itemLine(e engine.Event) {
	mark := map[string]string{
		engine.OutcomeOK: "✓", engine.OutcomeFixed: "✓", engine.OutcomeFailed: "✗",
		engine.OutcomeNotMet: "✗", engine.OutcomeWarning: "!", engine.OutcomePending: "•",
		engine.OutcomeBlocked: "○", engine.OutcomeSkipped: "-", engine.OutcomeInterrupted: "✗",
	}[e.Outcome]
	detail := e.Detail
	switch e.Outcome {
	case engine.OutcomeFixed:
		detail = "fixed" + suffix(detail)
	case engine.OutcomeSkipped:
		detail = "skipped" + suffix(detail)
	case engine.OutcomePending:
		if m, ok := strings.CutPrefix(detail, "manual: "); ok {
			detail = "manual, pending: " + m
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
	fmt.Fprintf(r.w, "%s %s  %s\n", mark, label(e.ID), detail)
	switch e.Outcome {
	case engine.OutcomeFailed, engine.OutcomeWarning, engine.OutcomeNotMet:
		if e.Outcome == engine.OutcomeFailed {
			where := fmt.Sprintf("%s:%d", r.file, e.Line)
			if e.Log != "" {
				where += " · log: " + e.Log
			}
			fmt.Fprintf(r.w, "    %s\n", where)
			for _, l := range e.Output {
				fmt.Fprintf(r.w, "    │ %s\n", l)
			}
			r.failures = append(r.failures, e)
		}
		if e.Fix != "" {
			fmt.Fprintf(r.w, "    fix: %s\n", e.Fix)
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
	var parts []string
	if n := s.Counts[engine.OutcomeOK] + s.Counts[engine.OutcomeFixed]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d ok", n))
	}
	for _, o := range []string{engine.OutcomeFailed, engine.OutcomeNotMet, engine.OutcomeBlocked, engine.OutcomeWarning, engine.OutcomePending, engine.OutcomeSkipped, engine.OutcomeInterrupted} {
		if n := s.Counts[o]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(o, "-", " ")))
		}
	}
	parts = append(parts, s.Duration.Round(100*time.Millisecond).String())
	fmt.Fprintf(r.w, "\n%s\n", strings.Join(parts, " · "))
	if len(r.failures) > 0 {
		ids := make([]string, len(r.failures))
		for i, f := range r.failures {
			ids[i] = fmt.Sprintf("%s (%s:%d)", label(f.ID), r.file, f.Line)
		}
		fmt.Fprintf(r.w, "\nFailed: %s.\n", strings.Join(ids, ", "))
		fmt.Fprintln(r.w, "This is a gap in the checklist or in this machine's setup, not something you did wrong.")
		fmt.Fprintln(r.w, "Do what the output and the fix above say (or show `onboard report` to the checklist's maintainers),")
		fmt.Fprintln(r.w, "then run `onboard` again to resume: what is done is only re-checked.")
	}
	if len(r.pending) > 0 {
		fmt.Fprintln(r.w, "\nWaiting for you (run onboard in a terminal to confirm):")
		for _, p := range r.pending {
			fmt.Fprintf(r.w, "  • %s: %s\n", label(p.ID), strings.TrimPrefix(p.Detail, "manual: "))
		}
	}
}

// label is how an item is named on screen: tools and steps by their name,
// the kinds that could clash by their full id.
func label(id string) string {
	for _, p := range []string{"tool:", "step:"} {
		if strings.HasPrefix(id, p) {
			return id[len(p):]
		}
	}
	return id
}

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
			r.frame++
			r.clearStatus()
			r.drawStatus()
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
	if len(line) > 100 {
		line = line[:100] + "…"
	}
	fmt.Fprint(r.w, line)
	r.status = true
}

func (r *Reporter) clearStatus() {
	if r.status {
		fmt.Fprint(r.w, "\r\033[K")
		r.status = false
	}
}
