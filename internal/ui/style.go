package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/onboard-dev/onboard/internal/engine"
)

// style colours text for one stream, or leaves it plain when colour is
// off. Basic ANSI colours only: the terminal's own palette decides how
// they look, on light and dark backgrounds alike.
type style struct{ on bool }

var (
	green  = lipgloss.NewStyle().Foreground(lipgloss.Green)
	red    = lipgloss.NewStyle().Foreground(lipgloss.Red)
	yellow = lipgloss.NewStyle().Foreground(lipgloss.Yellow)
	cyan   = lipgloss.NewStyle().Foreground(lipgloss.Cyan)
	faint  = lipgloss.NewStyle().Faint(true)
	bold   = lipgloss.NewStyle().Bold(true)
)

func (st style) render(s lipgloss.Style, text string) string {
	if !st.on || text == "" {
		return text
	}
	return s.Render(text)
}

func (st style) dim(text string) string  { return st.render(faint, text) }
func (st style) bold(text string) string { return st.render(bold, text) }
func (st style) warn(text string) string { return st.render(yellow, text) }
func (st style) bad(text string) string  { return st.render(red, text) }
func (st style) good(text string) string { return st.render(green, text) }

// marks are the checklist's marks, one per outcome (README, "Marks").
var marks = map[string]string{
	engine.OutcomeOK: "✓", engine.OutcomeFixed: "✓", engine.OutcomeFailed: "✗",
	engine.OutcomeNotMet: "✗", engine.OutcomeWarning: "!", engine.OutcomePending: "•",
	engine.OutcomeBlocked: "○", engine.OutcomeSkipped: "-", engine.OutcomeInterrupted: "✗",
}

// mark is an outcome's mark in its colour.
func (st style) mark(outcome string) string {
	m := marks[outcome]
	switch outcome {
	case engine.OutcomeOK, engine.OutcomeFixed:
		return st.render(green, m)
	case engine.OutcomeFailed, engine.OutcomeNotMet, engine.OutcomeInterrupted:
		return st.render(red, m)
	case engine.OutcomeWarning, engine.OutcomeBlocked:
		return st.render(yellow, m)
	case engine.OutcomePending:
		return st.render(cyan, m)
	}
	return st.dim(m)
}

// indentLines puts prefix before every line of s.
func indentLines(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// servicePalette cycles through colours for service prefixes, as docker
// compose does, so neighbouring services are told apart at a glance.
var servicePalette = []lipgloss.Style{cyan, yellow, green,
	lipgloss.NewStyle().Foreground(lipgloss.Magenta), lipgloss.NewStyle().Foreground(lipgloss.Blue),
	lipgloss.NewStyle().Foreground(lipgloss.BrightCyan), lipgloss.NewStyle().Foreground(lipgloss.BrightYellow),
	lipgloss.NewStyle().Foreground(lipgloss.BrightGreen), lipgloss.NewStyle().Foreground(lipgloss.BrightMagenta),
	lipgloss.NewStyle().Foreground(lipgloss.BrightBlue)}

// ServicePrefix draws a foreground service's line prefix on stdout:
// "db         | ", the name and bar coloured per service when colour is on.
func (s *Streams) ServicePrefix(width int) func(name string, n int) string {
	st := style{s.OutColor()}
	return func(name string, n int) string {
		return st.render(servicePalette[n%len(servicePalette)], fmt.Sprintf("%-*s |", width, name)) + " "
	}
}
