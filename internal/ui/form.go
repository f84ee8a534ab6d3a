package ui

import (
	"context"
	"errors"
	"io"
	"os"

	"charm.land/huh/v2"
	"golang.org/x/term"

	"github.com/onboard-dev/onboard/internal/inputs"
)

// FormPrompter asks every question in one huh form, so a newcomer answers
// everything at once and can then walk away. With TERM=dumb or ACCESSIBLE
// set it uses huh's accessible mode: plain lines, no redraws, screen-reader
// friendly.
type FormPrompter struct {
	s          *Streams
	accessible bool
}

// Ask implements inputs.Prompter. Ctrl-C returns context.Canceled, which
// exits 130 with nothing written.
func (p *FormPrompter) Ask(ctx context.Context, qs []inputs.Question) (map[string]string, error) {
	values := make([]string, len(qs))
	fields := make([]huh.Field, 0, len(qs))
	for i, q := range qs {
		values[i] = q.Default
		if len(q.Options) > 0 {
			fields = append(fields, huh.NewSelect[string]().
				Title(q.Prompt).Description(q.Help).
				Options(huh.NewOptions(q.Options...)...).
				Value(&values[i]))
			continue
		}
		values[i] = ""
		placeholder := q.Default
		if placeholder == "" && q.Generate {
			placeholder = "leave empty to generate one"
		}
		in := huh.NewInput().Title(q.Prompt).Description(q.Help).Placeholder(placeholder).Value(&values[i])
		if q.Secret {
			in = in.EchoMode(huh.EchoModePassword)
		}
		validate := q.Validate
		hasFallback := q.Default != "" || q.Generate
		in = in.Validate(func(s string) error {
			if s == "" && hasFallback {
				return nil
			}
			if validate == nil {
				return nil
			}
			return validate(s)
		})
		fields = append(fields, in)
	}
	in := p.s.In
	if f, ok := in.(*os.File); ok && !p.accessible {
		// bubbletea's own raw-mode reader races with itself on shutdown
		// (muesli/cancelreader, seen under -race); onboard sets raw mode and
		// hands the form a plain reader instead.
		if st, err := term.MakeRaw(int(f.Fd())); err == nil {
			defer term.Restore(int(f.Fd()), st)
			in = struct{ io.Reader }{f}
		}
	}
	form := huh.NewForm(huh.NewGroup(fields...)).
		WithInput(in).
		WithOutput(p.s.Err).
		WithAccessible(p.accessible).
		WithShowHelp(true)
	err := form.RunWithContext(ctx)
	switch {
	case errors.Is(err, huh.ErrUserAborted):
		return nil, context.Canceled
	case err != nil:
		return nil, err
	}
	out := make(map[string]string, len(qs))
	for i, q := range qs {
		v := values[i]
		if v == "" && !q.Generate {
			v = q.Default
		}
		out[q.Name] = v
	}
	return out, nil
}

func accessibleMode() bool {
	return os.Getenv("TERM") == "dumb" || os.Getenv("ACCESSIBLE") != ""
}
