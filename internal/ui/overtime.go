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
