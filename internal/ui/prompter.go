package ui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/onboard-dev/onboard/internal/inputs"
)

// LinePrompter asks the checklist's questions one after another on the
// terminal, in plain lines that screen readers and TERM=dumb handle:
// numbered options, secrets without echo, a refused answer asked again.
type LinePrompter struct {
	s  *Streams
	in *bufio.Reader
}

// Prompter returns the huh form when a person can answer (stdin and stderr
// are terminals), or nil. ONBOARD_PROMPT=lines picks the plain line
// prompter, for terminals where the form misbehaves.
func (s *Streams) Prompter() inputs.Prompter {
	if !s.InIsTerminal() {
		return nil
	}
	if f, ok := s.Err.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	if os.Getenv("ONBOARD_PROMPT") == "lines" {
		return &LinePrompter{s: s, in: bufio.NewReader(s.In)}
	}
	return &FormPrompter{s: s, accessible: accessibleMode()}
}

// Ask implements inputs.Prompter. Ctrl-C returns ctx.Err() with the
// terminal restored and nothing answered.
func (p *LinePrompter) Ask(ctx context.Context, qs []inputs.Question) (map[string]string, error) {
	w := p.s.Err
	fmt.Fprintf(w, "A few questions before onboard starts (%d); after this it works on its own.\n", len(qs))
	out := map[string]string{}
	for _, q := range qs {
		for {
			// Echo goes off before the question is shown, so even keys
			// typed as soon as it appears are not echoed.
			var restoreEcho func()
			if f, ok := p.s.In.(*os.File); ok && q.Secret {
				restoreEcho, _ = noEcho(int(f.Fd()))
			}
			fmt.Fprintf(w, "\n%s\n", q.Prompt)
			if q.Help != "" {
				fmt.Fprintf(w, "  %s\n", q.Help)
			}
			for i, o := range q.Options {
				fmt.Fprintf(w, "  %d) %s\n", i+1, o)
			}
			hint := ""
			switch {
			case q.Default != "":
				hint = fmt.Sprintf(" [%s]", q.Default)
			case q.Generate:
				hint = " [empty: generate one]"
			}
			fmt.Fprintf(w, "> %s", strings.TrimPrefix(hint, " "))
			if hint != "" {
				fmt.Fprint(w, " ")
			}
			answer, err := p.read(ctx, q.Secret && restoreEcho == nil)
			if restoreEcho != nil {
				restoreEcho()
			}
			if err != nil {
				fmt.Fprintln(w)
				return nil, err
			}
			if q.Secret {
				fmt.Fprintln(w)
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

// read reads one line, through term.ReadPassword when the caller could not
// turn echo off itself, giving up when ctx ends.
func (p *LinePrompter) read(ctx context.Context, secret bool) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	var restore func()
	if f, ok := p.s.In.(*os.File); ok && secret {
		fd := int(f.Fd())
		if st, err := term.GetState(fd); err == nil {
			restore = func() { _ = term.Restore(fd, st) }
		}
		go func() {
			b, err := term.ReadPassword(fd)
			ch <- result{string(b), err}
		}()
	} else {
		go func() {
			s, err := p.in.ReadString('\n')
			if err != nil && s == "" {
				ch <- result{"", err}
				return
			}
			ch <- result{strings.TrimRight(s, "\r\n"), nil}
		}()
	}
	select {
	case <-ctx.Done():
		if restore != nil {
			restore()
		}
		return "", ctx.Err()
	case r := <-ch:
		return strings.TrimSpace(r.s), r.err
	}
}
