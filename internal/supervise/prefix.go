package supervise

import (
	"bytes"
	"fmt"
	"io"
	"sync"
)

// prefixWidth aligns the `|` of prefixed lines for typical service names.
const prefixWidth = 10

// colors cycles through ANSI colours for service prefixes, as docker
// compose does, so neighbouring services are told apart at a glance.
var colors = []string{"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"}

// outMu serialises whole lines of every service onto the shared output.
var outMu sync.Mutex

// prefixer writes a service's output to the foreground as whole lines
// prefixed with its name: "postgres   | database system is ready".
type prefixer struct {
	w       io.Writer
	prefix  []byte
	partial []byte
}

func newPrefixer(w io.Writer, name string, n int, color bool) *prefixer {
	p := fmt.Sprintf("%-*s | ", prefixWidth, name)
	if color {
		p = "\x1b[" + colors[n%len(colors)] + "m" + fmt.Sprintf("%-*s |", prefixWidth, name) + "\x1b[0m "
	}
	return &prefixer{w: w, prefix: []byte(p)}
}

func (p *prefixer) Write(b []byte) (int, error) {
	n := len(b)
	var out []byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if len(p.partial) < maxLine {
				p.partial = append(p.partial, b...)
			}
			break
		}
		out = append(out, p.prefix...)
		out = append(out, p.partial...)
		out = append(out, b[:i+1]...)
		p.partial = p.partial[:0]
		b = b[i+1:]
	}
	if len(out) > 0 {
		outMu.Lock()
		_, _ = p.w.Write(out)
		outMu.Unlock()
	}
	return n, nil
}
