package gitx

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// progressRE reads a git progress line, from `git clone --progress` or from
// the server's sideband through go-git:
//
//	Receiving objects:  45% (450/1000), 1.20 MiB | 2.30 MiB/s
//	remote: Counting objects: 100% (10/10), done.
var progressRE = regexp.MustCompile(`^(?:remote: )?([A-Za-z][A-Za-z ]*?):\s+(\d+)% \((\d+)/(\d+)\)(?:, ([0-9.]+ [KMGT]?i?B)(?: \| ([0-9.]+ [KMGT]?i?B/s))?)?`)

// ProgressStep is one reading of a clone's progress.
type ProgressStep struct {
	Phase       string // "receiving objects", lower case
	Percent     int
	Done, Total int
	Size, Rate  string // as git reports them ("1.20 MiB", "2.30 MiB/s"); empty from go-git
}

// ProgressView shows a clone's progress to a person (internal/ui draws
// it: a bar on a terminal, plain lines in a log).
type ProgressView interface {
	Step(ProgressStep)
	// Line is a line that is not progress: a warning or an error.
	Line(text string)
	// Close ends the display.
	Close() error
}

// NewProgress reads git's progress text (lines ended by \r or \n, split
// anywhere) and hands what it means to view.
func NewProgress(view ProgressView) io.WriteCloser {
	return &progress{view: view}
}

type progress struct {
	mu      sync.Mutex
	view    ProgressView
	partial string // text after the last \r or \n
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

// Close hands over what is left and closes the view.
func (p *progress) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.partial != "" {
		p.line(p.partial)
		p.partial = ""
	}
	return p.view.Close()
}

func (p *progress) line(l string) {
	l = strings.TrimRight(l, " ")
	if strings.TrimSpace(l) == "" {
		return
	}
	m := progressRE.FindStringSubmatch(l)
	if m == nil {
		if strings.HasPrefix(l, "Cloning into ") {
			return // onboard already said where it clones to
		}
		p.view.Line(l)
		return
	}
	s := ProgressStep{Phase: strings.ToLower(strings.TrimSpace(m[1])), Size: m[5], Rate: m[6]}
	s.Percent, _ = strconv.Atoi(m[2])
	s.Done, _ = strconv.Atoi(m[3])
	s.Total, _ = strconv.Atoi(m[4])
	p.view.Step(s)
}
