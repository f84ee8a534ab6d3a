package ui

import (
	"fmt"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

// overdue reports an item past its expected time at once, on the progress
// stream: a step that hangs is noticed while there is still time to act.
func (r *Reporter) overdue(e engine.Event) {
	fmt.Fprintf(r.err, "%s %s %s\n", r.est.warn("!"), label(e.ID), e.Detail)
}

// estimate says, on a terminal, how long the run should take, so a person
// knows whether to wait or get a coffee. A pipe or a log gets no guess.
func (r *Reporter) estimate(d time.Duration) {
	if !r.live || d < time.Second {
		return
	}
	about := d.Round(time.Second).String()
	if d >= time.Minute {
		about = fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	}
	fmt.Fprintf(r.err, "%s\n", r.est.dim("about "+about+", from expectations and earlier runs"))
}

// overtime lists, under the summary, every item that took longer than
// expected, with both times: what to look at when a run got slower.
func (r *Reporter) overtime(s *engine.Summary) {
	if len(s.Overran) == 0 {
		return
	}
	fmt.Fprintf(r.out, "\n%s\n", r.st.warn("Over time:"))
	for _, o := range s.Overran {
		expected := o.Expected.String()
		if o.Learned {
			expected += " (learned from earlier runs)"
		}
		took := fmt.Sprintf("took %s", o.Actual.Round(100*time.Millisecond))
		if o.Stopped {
			took = fmt.Sprintf("stopped after %s", o.Actual.Round(100*time.Millisecond))
		}
		fmt.Fprintf(r.out, "  • %s: %s, expected %s\n", label(o.ID), took, expected)
	}
}
