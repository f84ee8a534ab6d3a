package ui

import (
	"bufio"
	"context"
	"fmt"
	"os"
)

// Secret asks for a line that must not be shown (a key's passphrase) on
// the terminal: echo goes off before the prompt is printed. Ctrl-C returns
// ctx.Err() with the terminal restored.
func Secret(ctx context.Context, s *Streams, prompt string) (string, error) {
	p := &LinePrompter{s: s, in: bufio.NewReader(s.In)}
	var restore func()
	if f, ok := s.In.(*os.File); ok {
		restore, _ = noEcho(int(f.Fd()))
	}
	fmt.Fprint(s.Err, prompt)
	answer, err := p.read(ctx, restore == nil)
	if restore != nil {
		restore()
	}
	fmt.Fprintln(s.Err)
	return answer, err
}
