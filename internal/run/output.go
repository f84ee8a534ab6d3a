package run

import (
	"io"

	"github.com/onboard-dev/onboard/internal/mask"
)

// outputs are where a command's stdout and stderr go, behind the masker
// when the Command has secrets. stdout and stderr are the same writer when
// they go to the same place, so a child gets one pipe for both.
type outputs struct {
	stdout, stderr io.Writer
	maskers        []io.Closer
}

// newOutputs returns c's destinations; nil ones stay nil (the null device)
// unless discard, which makes them io.Discard.
func newOutputs(c Command, discard bool) *outputs {
	o := &outputs{stderr: c.Output, stdout: c.Stdout}
	if o.stdout == nil {
		o.stdout = o.stderr
	}
	if discard {
		if o.stderr == nil {
			o.stderr = io.Discard
		}
		if o.stdout == nil {
			o.stdout = io.Discard
		}
	}
	if len(c.Secrets) == 0 {
		return o
	}
	m := mask.New(c.Secrets)
	same := sameWriter(o.stdout, o.stderr)
	wrap := func(w io.Writer) io.Writer {
		if w == nil || sameWriter(w, io.Discard) {
			return w
		}
		mw := m.Writer(w)
		o.maskers = append(o.maskers, mw)
		return mw
	}
	o.stderr = wrap(o.stderr)
	if same {
		o.stdout = o.stderr
	} else {
		o.stdout = wrap(o.stdout)
	}
	return o
}

// close writes what the maskers held back (a secret's possible start at
// the very end of the output).
func (o *outputs) close() {
	for _, m := range o.maskers {
		_ = m.Close()
	}
}
