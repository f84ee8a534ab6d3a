// Package ui is the only package that touches the terminal: it owns the
// standard streams, and later the prompts, spinners and colours.
package ui

import (
	"io"
	"os"
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
