package ui

import (
	"context"
	"errors"
	"os"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/onboard-dev/onboard/internal/inputs"
)

// askForm asks every question in one huh form, so a newcomer answers
// everything at once and can then walk away.
func (p *Prompter) askForm(ctx context.Context, qs []inputs.Question) (map[string]string, error) {
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
		if q.Secret {
			placeholder = "" // a secret's default is not shown either
		}
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
	// The form gets the terminal itself (stdin as a file): bubbletea puts
	// it in raw mode and draws with \r\n, and its reader of stdin can be
	// cancelled when the form ends, so the first key typed after the form
	// reaches the next prompt instead of a reader nobody listens to.
	profile := colorprofile.Detect(p.s.Err, os.Environ())
	if !p.s.Color() {
		profile = colorprofile.Ascii
	}
	form := huh.NewForm(huh.NewGroup(fields...)).
		WithInput(p.s.In).
		WithOutput(p.s.Err).
		WithShowHelp(true).
		WithProgramOptions(tea.WithColorProfile(profile))
	err := form.RunWithContext(ctx)
	switch {
	case errors.Is(err, huh.ErrUserAborted):
		return nil, context.Canceled
	case err != nil:
		return nil, err
	}
	answers := make(map[string]string, len(qs))
	for i, q := range qs {
		v := values[i]
		if v == "" && !q.Generate {
			v = q.Default
		}
		answers[q.Name] = v
	}
	return answers, nil
}

func accessibleMode() bool {
	return dumb() || os.Getenv("ACCESSIBLE") != ""
}
