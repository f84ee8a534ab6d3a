package gitx

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// progressRE reads a git progress line, from `git clone --progress` or from
// the server's sideband through go-git:
//
//	Receiving objects:  45% (450/1000), 1.20 MiB | 2.30 MiB/s
//	remote: Counting objects: 100% (10/10), done.
var progressRE = regexp.MustCompile(`^(?:remote: )?([A-Za-z][A-Za-z ]*?):\s+(\d+)% \((\d+)/(\d+)\)(?:, ([0-9.]+ [KMGT]?i?B)(?: \| ([0-9.]+ [KMGT]?i?B/s))?)?`)

// NewProgress turns git's progress text into what a person reads: on a
// terminal one redrawn line with a bar (phase, objects, bytes, rate); in a
// log or CI a plain line per phase each time it passes another 25%, and
// every other line (errors, warnings) as it is.
func NewProgress(w io.Writer, terminal bool) io.WriteCloser {
	return &progress{w: w, tty: terminal, start: time.Now(), shown: map[string]int{}}
}

type progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	start   time.Time
	partial string         // text after the last \r or \n
	shown   map[string]int // phase → last percentage printed (plain mode)
	drawn   bool           // a bar is on the terminal's last line
}

func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	text := p.partial + string(b)
	for {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			break
		}
		p.line(text[:i])
		text = text[i+1:]
	}
	p.partial = text
	return len(b), nil
}

// Close prints what is left and ends the bar's line.
func (p *progress) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.partial != "" {
		p.line(p.partial)
		p.partial = ""
	}
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
	return nil
}

func (p *progress) line(l string) {
	l = strings.TrimRight(l, " ")
	if strings.TrimSpace(l) == "" {
		return
	}
	m := progressRE.FindStringSubmatch(l)
	if m == nil {
		// Not progress: a warning or an error, shown as it is.
		if p.drawn {
			fmt.Fprint(p.w, "\r\033[K")
			p.drawn = false
		}
		if strings.HasPrefix(l, "Cloning into ") {
			return // onboard already said where it clones to
		}
		fmt.Fprintln(p.w, l)
		return
	}
	phase := strings.ToLower(strings.TrimSpace(m[1]))
	pct, _ := strconv.Atoi(m[2])
	done, _ := strconv.Atoi(m[3])
	total, _ := strconv.Atoi(m[4])
	size, rate := m[5], m[6]
	if p.tty {
		const width = 24
		fill := pct * width / 100
		bar := strings.Repeat("█", fill) + strings.Repeat("░", width-fill)
		extra := ""
		if size != "" {
			extra += " · " + size
		}
		if rate != "" {
			extra += " · " + rate
		} else if secs := time.Since(p.start).Seconds(); secs > 0.5 && phase == "receiving objects" {
			extra += fmt.Sprintf(" · %.0f objects/s", float64(done)/secs)
		}
		fmt.Fprintf(p.w, "\r\033[K  %s %3d%% %s %d/%d%s", bar, pct, phase, done, total, extra)
		p.drawn = true
		return
	}
	// Plain: 0, 25, 50, 75 and 100% of each phase, once.
	step := pct / 25 * 25
	if last, ok := p.shown[phase]; ok && step <= last {
		return
	}
	p.shown[phase] = step
	line := fmt.Sprintf("  %s: %d%% (%d/%d)", phase, pct, done, total)
	if size != "" {
		line += ", " + size
	}
	if rate != "" {
		line += ", " + rate
	}
	fmt.Fprintln(p.w, line)
}
