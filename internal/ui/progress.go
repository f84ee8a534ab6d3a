package ui

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/gitx"
)

// CloneProgress draws a clone's progress on stderr: on a terminal one
// redrawn line with a bar (phase, objects, bytes, rate); in a log or CI a
// plain line per phase each time it passes another 25%; warnings and
// errors as they are.
type CloneProgress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	st    style
	start time.Time
	shown map[string]int // phase → last percentage printed (plain mode)
	drawn bool           // a bar is on the terminal's last line
}

// NewCloneProgress draws on the streams' stderr.
func NewCloneProgress(s *Streams) *CloneProgress {
	return newCloneProgress(s.Err, s.ErrIsTerminal(), style{s.Color()})
}

func newCloneProgress(w io.Writer, tty bool, st style) *CloneProgress {
	return &CloneProgress{w: w, tty: tty, st: st, start: time.Now(), shown: map[string]int{}}
}

// Step implements gitx.ProgressView.
func (p *CloneProgress) Step(s gitx.ProgressStep) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		const width = 24
		fill := s.Percent * width / 100
		bar := p.st.good(strings.Repeat("█", fill)) + p.st.dim(strings.Repeat("░", width-fill))
		extra := ""
		if s.Size != "" {
			extra += " · " + s.Size
		}
		if s.Rate != "" {
			extra += " · " + s.Rate
		} else if secs := time.Since(p.start).Seconds(); secs > 0.5 && s.Phase == "receiving objects" {
			extra += fmt.Sprintf(" · %.0f objects/s", float64(s.Done)/secs)
		}
		fmt.Fprintf(p.w, "\r\033[K  %s %3d%% %s %d/%d%s", bar, s.Percent, s.Phase, s.Done, s.Total, p.st.dim(extra))
		p.drawn = true
		return
	}
	// Plain: 0, 25, 50, 75 and 100% of each phase, once.
	step := s.Percent / 25 * 25
	if last, ok := p.shown[s.Phase]; ok && step <= last {
		return
	}
	p.shown[s.Phase] = step
	line := fmt.Sprintf("  %s: %d%% (%d/%d)", s.Phase, s.Percent, s.Done, s.Total)
	if s.Size != "" {
		line += ", " + s.Size
	}
	if s.Rate != "" {
		line += ", " + s.Rate
	}
	fmt.Fprintln(p.w, line)
}

// Line implements gitx.ProgressView: a warning or an error, with the bar
// out of its way.
func (p *CloneProgress) Line(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fmt.Fprintln(p.w, text)
}

// Close ends the bar's line.
func (p *CloneProgress) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
	return nil
}

func (p *CloneProgress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
