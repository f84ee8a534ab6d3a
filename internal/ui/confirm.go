package ui

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Confirm returns a yes/no prompter (manual steps, template conflicts), or nil when no person
// can answer (stdin or stderr is not a terminal). Prompts are asked one at a
// time, with the live status line out of the way.
func (r *Reporter) Confirm(s *Streams) func(ctx context.Context, question string) (bool, error) {
	if !s.InIsTerminal() || !r.live {
		return nil
	}
	in := r.reader(s)
	return func(ctx context.Context, question string) (bool, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.clearStatus()
		fmt.Fprintf(r.w, "%s [y/N] ", question)
		answer := make(chan string, 1)
		go func() {
			line, _ := in.ReadString('\n')
			answer <- strings.ToLower(strings.TrimSpace(line))
		}()
		select {
		case <-ctx.Done():
			fmt.Fprintln(r.w)
			return false, ctx.Err()
		case a := <-answer:
			return a == "y" || a == "yes", nil
		}
	}
}

// Choose returns a prompter that picks one of several options by number
// (the first is the default), or nil when no person can answer.
func (r *Reporter) Choose(s *Streams) func(ctx context.Context, question string, options []string) (int, error) {
	confirm := r.Confirm(s)
	if confirm == nil {
		return nil
	}
	in := r.reader(s)
	return func(ctx context.Context, question string, options []string) (int, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.clearStatus()
		fmt.Fprintln(r.w, question)
		for i, o := range options {
			fmt.Fprintf(r.w, "  %d) %s\n", i+1, o)
		}
		for {
			fmt.Fprintf(r.w, "Choice [1]: ")
			answer := make(chan string, 1)
			go func() {
				line, _ := in.ReadString('\n')
				answer <- strings.TrimSpace(line)
			}()
			select {
			case <-ctx.Done():
				fmt.Fprintln(r.w)
				return 0, ctx.Err()
			case a := <-answer:
				if a == "" {
					return 0, nil
				}
				if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(options) {
					return n - 1, nil
				}
				fmt.Fprintf(r.w, "  Answer with a number from 1 to %d.\n", len(options))
			}
		}
	}
}

// reader is the one buffered reader of stdin that every prompt shares, so
// that no prompt swallows what was typed for the next one.
func (r *Reporter) reader(s *Streams) *bufio.Reader {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stdin == nil {
		r.stdin = bufio.NewReader(s.In)
	}
	return r.stdin
}
