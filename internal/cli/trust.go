package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/trust"
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

// untrustedStore makes a trust store onboard refuses (inside the checkout,
// or writable by others) mean what it means for the run: nothing is
// trusted, exit 5. Other errors pass unchanged.
func untrustedStore(err error) error {
	var unsafe *trust.UnsafeError
	if errors.As(err, &unsafe) {
		return unsafeStoreError{unsafe}
	}
	return err
}

type unsafeStoreError struct{ *trust.UnsafeError }

func (e unsafeStoreError) Unwrap() []error { return []error{e.UnsafeError, ErrUntrusted} }

// requireTrust runs before anything a checklist says is run. It passes when
// this exact checklist (and every file it references) was trusted, or with
// --yes; on a terminal it shows what will run and asks.
func (a *app) requireTrust(ctx context.Context, f *config.File, shown, root string) error {
	t, err := trustOf(f, shown, root)
	if err != nil {
		return untrustedStore(err)
	}
	digest, sum, canon, store := t.digest, t.sum, t.canon, t.store
	ok, err := store.Trusted(canon, digest)
	var unsafe *trust.UnsafeError
	switch {
	case errors.As(err, &unsafe):
		return untrustedStore(err)
	case err != nil:
		return fmt.Errorf("reading %s: %w", store.Path, err)
	case ok, a.opts.yes: // --yes trusts for this run only
		return nil
	}
	p := a.streams.Prompter()
	if p == nil {
		return &UntrustedError{Path: shown, Digest: digest, Summary: sum}
	}
	q := fmt.Sprintf("%s is new to onboard here, or changed since you trusted it. It would:\n%sTrust it and run it?", shown, sum.Render())
	yes, err := p.Confirm(ctx, q)
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
			f, shown, root, err := a.loadChecklist(arg)
			if err != nil {
				return err
			}
			t, err := trustOf(f, shown, root)
			if err != nil {
				return err
			}
			if err := t.store.Record(t.canon, t.digest); err != nil {
				return err
			}
			fmt.Fprintf(a.streams.Err, "%s will:\n%s", shown, t.sum.Render())
			fmt.Fprintf(a.streams.Out, "trusted %s (sha256 %s)\n", t.canon, t.digest)
			return nil
		},
	}
}

// checklistTrust is what deciding trust needs: the digest of this version,
// its summary, the key it is trusted under, and where trust is kept.
type checklistTrust struct {
	digest string
	sum    trust.Summary
	canon  string
	store  trust.Store
}

func trustOf(f *config.File, shown, root string) (checklistTrust, error) {
	var t checklistTrust
	var err error
	if t.digest, t.sum, err = trust.Digest(f, root); err != nil {
		return t, err
	}
	if t.canon, err = trust.Canonical(shown); err != nil {
		return t, err
	}
	t.store, err = trust.StoreFor(root)
	return t, err
}
