package supervise

import (
	"bytes"
	"fmt"
	"io"
	"sync"
)

// PrefixWidth aligns the `|` of prefixed lines for typical service names.
const PrefixWidth = 10

// PlainPrefix is a service's prefix with no colour: "db         | ".
func PlainPrefix(name string) string {
	return fmt.Sprintf("%-*s | ", PrefixWidth, name)
}

// outMu serialises whole lines of every service onto the shared output.
var outMu sync.Mutex

// prefixer writes a service's output to the foreground as whole lines
// prefixed with its name: "postgres   | database system is ready".
type prefixer struct {
	w       io.Writer
	prefix  []byte
	partial []byte
}

func newPrefixer(w io.Writer, prefix string) *prefixer {
	return &prefixer{w: w, prefix: []byte(prefix)}
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
