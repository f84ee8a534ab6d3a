package supervise

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"
)

// LogStampLayout is the time stamp at the start of every line of a
// service's log file, followed by one space: local time with its offset,
// to the microsecond, always the same width. It is when onboard received
// the line's first byte. `onboard services logs` selects lines by it
// (--since) and strips it (unless --timestamps), so what a user reads is
// what the service wrote; the file itself stays readable with tail or grep.
const LogStampLayout = "2006-01-02T15:04:05.000000Z07:00"

// SplitLogStamp splits a line of a service's log file into its time stamp
// and the text the service wrote. ok is false for a line without a stamp
// (written by an onboard that did not stamp lines): text is then the whole
// line.
func SplitLogStamp(line string) (t time.Time, text string, ok bool) {
	stamp, rest, found := strings.Cut(line, " ")
	// 2006-01-02T15:04:05.000000Z or …+07:00.
	if !found || (len(stamp) != 27 && len(stamp) != 32) || stamp[19] != '.' {
		return time.Time{}, line, false
	}
	t, err := time.Parse(LogStampLayout, stamp)
	if err != nil {
		return time.Time{}, line, false
	}
	return t, rest, true
}

// stampedLog is a service's log file with every line stamped
// (LogStampLayout). Bytes are written as they come, so that `services logs
// -F` shows a line still being written; a line's stamp is written with its
// first byte. It is safe for concurrent use: a service's output and the
// supervisor's own lines (line) share it.
type stampedLog struct {
	w   io.WriteCloser
	now func() time.Time

	mu  sync.Mutex
	mid bool // the last write ended in the middle of a line
	buf []byte
}

func newStampedLog(w io.WriteCloser) *stampedLog {
	return &stampedLog{w: w, now: time.Now}
}

// Write stamps each line of p that starts in it and writes p in one write
// of the file, so that rotation keeps whole lines together.
func (l *stampedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (l *stampedLog) write(p []byte) error {
	l.buf = l.buf[:0]
	now := l.now()
	for len(p) > 0 {
		if !l.mid {
			l.buf = now.AppendFormat(l.buf, LogStampLayout)
			l.buf = append(l.buf, ' ')
			l.mid = true
		}
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.buf = append(l.buf, p...)
			break
		}
		l.buf = append(l.buf, p[:i+1]...)
		l.mid = false
		p = p[i+1:]
	}
	_, err := l.w.Write(l.buf)
	if cap(l.buf) > keptLogBuf {
		// A burst of output (a pipe read is up to 32 KiB) must not stay
		// held by every quiet service of a big stack.
		l.buf = nil
	}
	return err
}

// keptLogBuf is the largest stamping buffer a service's log keeps between
// writes: enough for the lines of a typical write.
const keptLogBuf = 4 << 10

// line writes a line of onboard's own. It goes on a line of its own even
// when the service is in the middle of one: that line is ended first, and
// the rest of it, when it comes, gets a stamp of its own.
func (l *stampedLog) line(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := []byte(text + "\n")
	if l.mid {
		b = append([]byte{'\n'}, b...)
	}
	_ = l.write(b)
}

// Close closes the file.
func (l *stampedLog) Close() error { return l.w.Close() }
