package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Table draws rows under a header on stdout, columns two spaces apart and
// no trailing blanks (`services status`). The header is bold and a cell
// whose text is a known state is coloured, when colour is on.
func (s *Streams) Table(header []string, rows [][]string) {
	st := style{s.OutColor()}
	widths := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for i, c := range r {
			if i < len(widths) && ansi.StringWidth(c) > widths[i] {
				widths[i] = ansi.StringWidth(c)
			}
		}
	}
	line := func(cells []string, paint func(i int, c string) string) {
		var b strings.Builder
		for i, c := range cells {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(paint(i, c))
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)))
			}
		}
		fmt.Fprintln(s.Out, b.String())
	}
	line(header, func(_ int, c string) string { return st.bold(c) })
	for _, r := range rows {
		line(r, func(_ int, c string) string {
			if sty, ok := stateStyles[strings.Fields(c + " x")[0]]; ok {
				return st.render(sty, c)
			}
			return c
		})
	}
}

// stateStyles colour a service's state and health in tables.
var stateStyles = map[string]lipgloss.Style{
	"running": green, "healthy": green, "completed": green,
	"failed": red, "unhealthy": red,
	"starting": yellow, "backoff": yellow, "stopping": yellow,
}
