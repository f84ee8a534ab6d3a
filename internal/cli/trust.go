package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/trust"
	"github.com/onboard-dev/onboard/internal/ui"
)

// UntrustedError is a checklist nobody trusted, with no terminal to ask.
type UntrustedError struct {
	Path    string
	Digest  string
	Summary trust.Summary
}

func (e *UntrustedError) Error() string {
	return fmt.Sprintf("%s is not trusted yet (sha256 %s), and there is no terminal to ask.\n"+
		"A checklist runs commands on this machine. It would:\n%s"+
		"Read %s, then run `onboard trust` to trust this version, or pass --yes to trust it for one run.",
		e.Path, e.Digest, e.Summary.Render(), e.Path)
}

func (e *UntrustedError) Unwrap() error { return ErrUntrusted }

// requireTrust runs before anything a checklist says is run. It passes when
// this exact checklist (and every file it references) was trusted, or with
// --yes; on a terminal it shows what will run and asks.
func (a *app) requireTrust(ctx context.Context, f *config.File, shown, root string) error {
	digest, sum, err := trust.Digest(f, root)
	if err != nil {
		return err
	}
	canon, err := trust.Canonical(shown)
	if err != nil {
		return err
	}
	store, err := trust.DefaultStore()
	if err != nil {
		return err
	}
	ok, err := store.Trusted(canon, digest)
	switch {
	case err != nil:
		return fmt.Errorf("reading %s: %w", store.Path, err)
	case ok, a.opts.yes: // --yes trusts for this run only
		return nil
	}
	if a.streams.Prompter() == nil {
		return &UntrustedError{Path: shown, Digest: digest, Summary: sum}
	}
	q := fmt.Sprintf("%s is new to onboard here, or changed since you trusted it. It would:\n%sTrust it and run it?", shown, sum.Render())
	yes, err := ui.YesNo(ctx, a.streams, q)
	if err != nil {
		return err
	}
	if !yes {
		return fmt.Errorf("%s: %w; nothing ran", shown, ErrUntrusted)
	}
	return store.Record(canon, digest)
}

func (a *app) trustCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "trust [FILE]",
		Short: "Record that this checklist, and the files it runs or renders, are trusted",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			shown, err := a.checklistPath(arg)
			if err != nil {
				return err
			}
			f, err := config.Load(shown)
			if err != nil {
				return err
			}
			abs, err := filepath.Abs(shown)
			if err != nil {
				return err
			}
			digest, sum, err := trust.Digest(f, filepath.Dir(abs))
			if err != nil {
				return err
			}
			canon, err := trust.Canonical(shown)
			if err != nil {
				return err
			}
			store, err := trust.DefaultStore()
			if err != nil {
				return err
			}
			if err := store.Record(canon, digest); err != nil {
				return err
			}
			fmt.Fprintf(a.streams.Err, "%s will:\n%s", shown, sum.Render())
			fmt.Fprintf(a.streams.Out, "trusted %s (sha256 %s)\n", canon, digest)
			return nil
		},
	}
}
