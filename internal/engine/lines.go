package engine

import (
	"bytes"
	"sync"
)

// lineEmitter calls emit with each whole line written to it, so a
// command's output can be shown as it runs (-v) line by line; a secret
// split across two writes is whole again in its line before the masker
// sees it.
type lineEmitter struct {
	mu   sync.Mutex
	buf  []byte
	emit func(line string)
}

func (l *lineEmitter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		l.emit(string(bytes.TrimRight(l.buf[:i], "\r")))
		l.buf = l.buf[i+1:]
	}
	// A line with no end in sight is shown in pieces rather than held.
	if len(l.buf) > 64*1024 {
		l.emit(string(l.buf))
		l.buf = nil
	}
	return len(p), nil
}

// Flush emits a last line that has no newline.
func (l *lineEmitter) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) > 0 {
		l.emit(string(l.buf))
		l.buf = nil
	}
}
