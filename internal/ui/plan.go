package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// PlanRow is one item of `onboard plan`: its id, what it would do and
// why, and how it ended last time.
type PlanRow struct {
	ID, Text, LastRun string
}

// Plan draws `onboard plan` on stdout: each item on its own line with how
// it ended last time, and what it would do under it, wrapped to the
// terminal's width (a pipe gets whole lines).
func (s *Streams) Plan(title string, rows []PlanRow) {
	st := style{s.OutColor()}
	width := Width(s.Out)
	if width > 20 {
		title = wrapWords(title, width-2)
	}
	fmt.Fprintln(s.Out, title)
	for _, r := range rows {
		fmt.Fprintf(s.Out, "%s  %s\n", st.bold(r.ID), st.dim(r.LastRun))
		text := r.Text
		if width > 20 {
			// Two columns spare: a line that ends in the last column
			// leaves some terminals' cursor in limbo.
			text = wrapWords(text, width-6)
		}
		fmt.Fprintln(s.Out, indentLines(text, "    "))
	}
}

// wrapWords breaks s at spaces so no line is wider than width; a word
// wider than that stands alone on its line (a path is not cut).
func wrapWords(s string, width int) string {
	var b strings.Builder
	col := 0
	for i, w := range strings.Fields(s) {
		ww := ansi.StringWidth(w)
		if i > 0 {
			if col+1+ww > width {
				b.WriteByte('\n')
				col = 0
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w)
		col += ww
	}
	return b.String()
}
