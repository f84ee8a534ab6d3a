package config

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a 1-based line and column in the checklist source.
type Pos struct {
	Line int
	Col  int
}

// IsZero reports whether no position was recorded: the value was absent.
func (p Pos) IsZero() bool { return p.Line == 0 }

// String renders the position as "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Error is one problem found in a checklist, at a position.
type Error struct {
	Pos Pos
	Msg string
}

// maxErrors bounds how many problems one load collects, so a pathological
// file cannot make the error list itself the resource bomb.
const maxErrors = 100

// ErrorList holds every problem found in one checklist, so the maintainer
// fixes them all in one edit instead of one per run.
type ErrorList struct {
	File   string // the path as the user would write it
	Source []byte // the file's bytes, for the source line under each error
	Errors []Error
	// Dropped counts problems beyond maxErrors.
	Dropped int
}

func (l *ErrorList) add(p Pos, format string, args ...any) {
	if len(l.Errors) >= maxErrors {
		l.Dropped++
		return
	}
	l.Errors = append(l.Errors, Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// Add records a problem found outside the loader (by a check that reads
// the files a checklist names).
func (l *ErrorList) Add(p Pos, format string, args ...any) { l.add(p, format, args...) }

// Len is the number of problems, including any dropped past the cap.
func (l *ErrorList) Len() int { return len(l.Errors) + l.Dropped }

// sort orders errors by position, keeping the discovery order of ties.
func (l *ErrorList) sort() {
	sort.SliceStable(l.Errors, func(i, j int) bool {
		a, b := l.Errors[i].Pos, l.Errors[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Error renders the first problem in one line; Render gives the full report.
func (l *ErrorList) Error() string {
	if len(l.Errors) == 0 {
		return l.File + ": invalid checklist"
	}
	e := l.Errors[0]
	s := fmt.Sprintf("%s:%d:%d: %s", l.File, e.Pos.Line, e.Pos.Col, e.Msg)
	if n := l.Len(); n > 1 {
		s += fmt.Sprintf(" (and %d more)", n-1)
	}
	return s
}

// Render writes every problem as `file:line:col: message`, followed by the
// source line and a caret under the column, the way compilers do.
func (l *ErrorList) Render() string {
	var b strings.Builder
	renderProblems(&b, l.File, l.Source, l.Errors, "")
	if l.Dropped > 0 {
		fmt.Fprintf(&b, "%s: %d more problems not shown\n", l.File, l.Dropped)
	}
	fmt.Fprintf(&b, "%s: %d %s\n", l.File, l.Len(), plural(l.Len(), "problem", "problems"))
	return b.String()
}

// renderProblems writes each problem, its kind ("warning: ") before its
// message, with its source line and a caret.
func renderProblems(b *strings.Builder, file string, source []byte, errs []Error, kind string) {
	lines := strings.Split(string(source), "\n")
	for _, e := range errs {
		fmt.Fprintf(b, "%s:%d:%d: %s%s\n", file, e.Pos.Line, e.Pos.Col, kind, e.Msg)
		if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
			continue
		}
		src := strings.TrimRight(lines[e.Pos.Line-1], "\r")
		if !utf8.ValidString(src) || strings.ContainsRune(src, 0) {
			src = strings.ToValidUTF8(strings.ReplaceAll(src, "\x00", "\\0"), "\uFFFD")
		}
		if len(src) > 200 {
			src = src[:200] + "…"
		}
		gutter := fmt.Sprintf("%5d | ", e.Pos.Line)
		fmt.Fprintf(b, "%s%s\n", gutter, src)
		fmt.Fprintf(b, "%s| %s^\n", strings.Repeat(" ", len(gutter)-2), caretPad(src, e.Pos.Col))
	}
}

// RenderWarnings writes the checklist's warnings as Render writes errors,
// each message after "warning: "; "" when there are none.
func (f *File) RenderWarnings() string {
	var b strings.Builder
	renderProblems(&b, f.Path, f.Source, f.Warnings, "warning: ")
	return b.String()
}

// caretPad returns the white space that puts a caret under column col,
// keeping tabs as tabs so the caret lines up in any terminal.
func caretPad(src string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range src {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
