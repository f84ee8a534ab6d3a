package ui

import (
	"bufio"
	"context"
	"fmt"
	"strings"
)

// Confirm returns a yes/no prompter (manual steps, template conflicts), or nil when no person
// can answer (stdin or stderr is not a terminal). Prompts are asked one at a
// time, with the live status line out of the way.
func (r *Reporter) Confirm(s *Streams) func(ctx context.Context, question string) (bool, error) {
	if !s.InIsTerminal() || !r.live {
		return nil
	}
	in := bufio.NewReader(s.In)
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
