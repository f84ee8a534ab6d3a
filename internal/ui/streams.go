// Package ui is the only package that decides about the terminal and draws
// on it: the standard streams, colour, the prompts a person answers and the
// checklist as it runs. Other packages emit events or take the narrow
// interfaces they declare (inputs.Prompter, gitx.Prompter, engine's
// Confirm and Choose), which ui's Prompter implements.
package ui

import (
	"io"
	"os"
	"sync"

	"golang.org/x/term"
)

// Streams are the process's standard streams and what the person asked of
// them. Results (the checklist lines, the summary, tables) go to Out;
// progress, prompts and logs go to Err, so `onboard check | tee` keeps the
// results and `onboard --json | jq` gets only events.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// NoColor is --no-color; NO_COLOR and TERM=dumb turn colour off too.
	NoColor bool
	// Verbose is -v: each item's command and output as it runs.
	Verbose bool

	once     sync.Once
	prompter *Prompter
	liveMu   sync.Mutex
	live     *Reporter // the reporter drawing a live line, if any
}

// System returns the streams of the running process.
func System() *Streams {
	return &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// dumb is a terminal that takes no escape codes and no redraws.
func dumb() bool { return os.Getenv("TERM") == "dumb" }

// ErrIsTerminal reports whether stderr is a terminal that can take live
// redraws: not when TERM=dumb or ACCESSIBLE is set.
func (s *Streams) ErrIsTerminal() bool {
	return isTerminal(s.Err) && !dumb() && os.Getenv("ACCESSIBLE") == ""
}

// InIsTerminal reports whether a person can type on stdin.
func (s *Streams) InIsTerminal() bool { return isTerminal(s.In) }

// CanPrompt reports whether a person can be asked: stdin and stderr are
// terminals.
func (s *Streams) CanPrompt() bool { return isTerminal(s.In) && isTerminal(s.Err) }

// Color reports whether what goes to stderr may be coloured.
func (s *Streams) Color() bool { return s.colorOn(s.Err) }

// OutColor reports whether what goes to stdout may be coloured.
func (s *Streams) OutColor() bool { return s.colorOn(s.Out) }

// colorOn: only a terminal gets escape codes, never a pipe or a file, and
// not when NO_COLOR, --no-color or TERM=dumb says no.
func (s *Streams) colorOn(w io.Writer) bool {
	return !s.NoColor && os.Getenv("NO_COLOR") == "" && !dumb() && isTerminal(w)
}

// Width is the terminal's width in columns for w, or 0 when w is not a
// terminal (a pipe keeps whole lines).
func Width(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return cols
}

// Above returns a writer to w (stdout or stderr) that moves the live
// status line out of the way of each write: a foreground supervisor's
// service lines and notices go through it, so they never land glued to
// the spinner.
func (s *Streams) Above(w io.Writer) io.Writer { return above{s, w} }

type above struct {
	s *Streams
	w io.Writer
}

func (a above) Write(p []byte) (int, error) {
	a.s.liveMu.Lock()
	r := a.s.live
	a.s.liveMu.Unlock()
	if r == nil {
		return a.w.Write(p)
	}
	return r.above(a.w, p)
}
