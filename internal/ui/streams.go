// Package ui is the only package that touches the terminal: it owns the
// standard streams, and later the prompts, spinners and colours.
package ui

import (
	"io"
	"os"

	"golang.org/x/term"
)

// Streams are the process's standard streams. Results go to Out; progress,
// prompts and logs go to Err, so `onboard check --json | jq` stays clean.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// System returns the streams of the running process.
func System() *Streams {
	return &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
}

// ErrIsTerminal reports whether stderr is a terminal that can take live
// redraws: not when TERM=dumb, ACCESSIBLE is set, or NO_COLOR asks for calm.
func (s *Streams) ErrIsTerminal() bool {
	f, ok := s.Err.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false
	}
	return os.Getenv("TERM") != "dumb" && os.Getenv("ACCESSIBLE") == ""
}

// InIsTerminal reports whether a person can answer on stdin.
func (s *Streams) InIsTerminal() bool {
	f, ok := s.In.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
