package ui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/onboard-dev/onboard/internal/inputs"
)

// Prompter is the one way onboard asks a person anything: the inputs form
// (Ask), yes/no (Confirm), one of several (Choose) and a hidden line
// (Secret). Questions are asked one at a time, through one reader of
// stdin, so no prompt swallows what was typed for the next; while one is
// open the live status line is out of the way and the checklist's lines
// wait.
type Prompter struct {
	s  *Streams
	mu sync.Mutex // one question at a time
	in *bufio.Reader
}

// Prompter returns the streams' prompter, or nil when no person can
// answer (stdin or stderr is not a terminal).
func (s *Streams) Prompter() *Prompter {
	if !s.CanPrompt() {
		return nil
	}
	s.once.Do(func() { s.prompter = &Prompter{s: s, in: bufio.NewReader(s.In)} })
	return s.prompter
}

// hold makes room on the screen for a question: the live reporter, if any,
// clears its status line and keeps its lines until the answer.
func (p *Prompter) hold() (release func()) {
	p.mu.Lock()
	p.s.liveMu.Lock()
	r := p.s.live
	p.s.liveMu.Unlock()
	resume := func() {}
	if r != nil {
		resume = r.pause()
	}
	return func() {
		resume()
		p.mu.Unlock()
	}
}

// Ask implements inputs.Prompter: every question in one huh form, or in
// plain lines with TERM=dumb, ACCESSIBLE or ONBOARD_PROMPT=lines (screen
// readers, terminals without cursor movement). Ctrl-C returns at once
// with ctx.Err() (context.Canceled), nothing answered.
func (p *Prompter) Ask(ctx context.Context, qs []inputs.Question) (map[string]string, error) {
	defer p.hold()()
	if os.Getenv("ONBOARD_PROMPT") == "lines" || accessibleMode() {
		// Not huh's accessible mode: its line reads do not end on Ctrl-C
		// until Enter (at a secret prompt not at all).
		return p.askLines(ctx, qs)
	}
	return p.askForm(ctx, qs)
}

// Confirm asks a yes/no question; the default is no. Ctrl-C returns
// ctx.Err().
func (p *Prompter) Confirm(ctx context.Context, question string) (bool, error) {
	defer p.hold()()
	fmt.Fprintf(p.s.Err, "%s [y/N] ", question)
	a, err := p.readLine(ctx)
	if err != nil {
		fmt.Fprintln(p.s.Err)
		return false, err
	}
	a = strings.ToLower(a)
	return a == "y" || a == "yes", nil
}

// Choose asks for one of options by number; the first is the default.
func (p *Prompter) Choose(ctx context.Context, question string, options []string) (int, error) {
	defer p.hold()()
	w := p.s.Err
	fmt.Fprintln(w, question)
	for i, o := range options {
		fmt.Fprintf(w, "  %d) %s\n", i+1, o)
	}
	for {
		fmt.Fprint(w, "Choice [1]: ")
		a, err := p.readLine(ctx)
		if err != nil {
			fmt.Fprintln(w)
			return 0, err
		}
		if a == "" {
			return 0, nil
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(options) {
			return n - 1, nil
		}
		fmt.Fprintf(w, "  Answer with a number from 1 to %d.\n", len(options))
	}
}

// Secret asks for a line that must not be shown (a key's passphrase):
// echo goes off before the prompt is printed, so not even keys typed
// ahead are shown. Ctrl-C returns ctx.Err() with the terminal restored.
func (p *Prompter) Secret(ctx context.Context, prompt string) (string, error) {
	defer p.hold()()
	return p.secretLine(ctx, prompt)
}

func (p *Prompter) secretLine(ctx context.Context, prompt string) (string, error) {
	var restore func()
	if f, ok := p.s.In.(*os.File); ok {
		restore, _ = noEcho(int(f.Fd()))
	}
	fmt.Fprint(p.s.Err, prompt)
	var answer string
	var err error
	if restore != nil {
		answer, err = p.readLine(ctx)
		restore()
	} else {
		answer, err = p.readPassword(ctx)
	}
	fmt.Fprintln(p.s.Err)
	return answer, err
}

// readLine reads one line from the shared reader, giving up when ctx
// ends. The terminal is in canonical mode, so a read returns at most the
// line that was typed: nothing of the next answer is taken.
func (p *Prompter) readLine(ctx context.Context) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := p.in.ReadString('\n')
		if err != nil && s != "" {
			err = nil
		}
		ch <- result{strings.TrimSpace(s), err}
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-ch:
		return r.s, r.err
	}
}

// readPassword is for systems where echo cannot be turned off ahead of
// the prompt: term.ReadPassword turns it off when it starts reading.
func (p *Prompter) readPassword(ctx context.Context) (string, error) {
	f, ok := p.s.In.(*os.File)
	if !ok {
		return p.readLine(ctx)
	}
	fd := int(f.Fd())
	st, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- result{b, err}
	}()
	select {
	case <-ctx.Done():
		_ = term.Restore(fd, st)
		return "", ctx.Err()
	case r := <-ch:
		return strings.TrimSpace(string(r.b)), r.err
	}
}

// askLines asks the checklist's questions one after another in plain
// lines that screen readers and TERM=dumb handle: numbered options,
// secrets without echo, a refused answer asked again.
func (p *Prompter) askLines(ctx context.Context, qs []inputs.Question) (map[string]string, error) {
	w := p.s.Err
	fmt.Fprintf(w, "A few questions before onboard starts (%d); after this it works on its own.\n", len(qs))
	out := map[string]string{}
	for _, q := range qs {
		for {
			var text strings.Builder
			fmt.Fprintf(&text, "\n%s\n", q.Prompt)
			if q.Help != "" {
				fmt.Fprintf(&text, "  %s\n", q.Help)
			}
			for i, o := range q.Options {
				fmt.Fprintf(&text, "  %d) %s\n", i+1, o)
			}
			text.WriteString(">")
			switch {
			case q.Default != "" && !q.Secret:
				fmt.Fprintf(&text, " [%s]", q.Default)
			case q.Generate:
				text.WriteString(" [empty: generate one]")
			}
			text.WriteString(" ")
			var answer string
			var err error
			if q.Secret {
				answer, err = p.secretLine(ctx, text.String())
			} else {
				fmt.Fprint(w, text.String())
				answer, err = p.readLine(ctx)
			}
			if err != nil {
				fmt.Fprintln(w)
				return nil, err
			}
			if answer == "" {
				answer = q.Default
			}
			if n, err := strconv.Atoi(answer); err == nil && n >= 1 && n <= len(q.Options) {
				answer = q.Options[n-1]
			}
			if answer == "" && q.Generate {
				out[q.Name] = ""
				break
			}
			if q.Validate != nil {
				if err := q.Validate(answer); err != nil {
					fmt.Fprintf(w, "  That answer %v; try again.\n", err)
					continue
				}
			}
			out[q.Name] = answer
			break
		}
	}
	fmt.Fprintln(w)
	return out, nil
}
