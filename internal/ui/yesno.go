package ui

import (
	"bufio"
	"context"
	"fmt"
	"strings"
)

// YesNo asks a yes/no question on the terminal; the default is no. Ctrl-C
// returns ctx.Err().
func YesNo(ctx context.Context, s *Streams, question string) (bool, error) {
	fmt.Fprintf(s.Err, "%s [y/N] ", question)
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(s.In).ReadString('\n')
		answer <- strings.ToLower(strings.TrimSpace(line))
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(s.Err)
		return false, ctx.Err()
	case a := <-answer:
		return a == "y" || a == "yes", nil
	}
}
