package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/trust"
)

// UntrustedError is a checklist nobody trusted, with no terminal to ask.
type UntrustedError struct {
	Path    string
	Digest  string
	Summary trust.Summary
	// Changed says what differs from the version trusted before, if any.
	Changed string
}

func (e *UntrustedError) Error() string {
	return fmt.Sprintf("%s is not trusted yet (sha256 %s), and there is no terminal to ask.\n"+
		"%s"+
		"A checklist runs commands on this machine. It would:\n%s"+
		"Read %s, then run `onboard trust` to trust this version, or pass --yes to trust it for one run.",
		e.Path, e.Digest, e.Changed, e.Summary.RenderAtMost(summaryLines), e.Path)
}

// renderChanges says which files changed since the checklist was last
// trusted here, with the checklist's own diff: what a person needs to
// judge the new version without reading it all again. "" when it was
// never trusted.
func renderChanges(shown string, prev trust.Entry, had bool, changes []trust.Change, sum trust.Summary) string {
	if !had {
		return ""
	}
	var b strings.Builder
	if len(changes) == 0 {
		// Trusted by an onboard that kept only the digest.
		fmt.Fprintf(&b, "It changed since you trusted it (that trust names no files: it predates onboard recording them).\n")
		return b.String()
	}
	fmt.Fprintf(&b, "Changed since you trusted it:\n")
	for _, c := range changes {
		fmt.Fprintf(&b, "    %s\n", c)
	}
	if d := prev.ChecklistDiff(sum); d != "" {
		fmt.Fprintf(&b, "  %s:\n", shown)
		for _, l := range strings.SplitAfter(strings.TrimSuffix(d, "\n"), "\n") {
			fmt.Fprintf(&b, "    %s", l)
		}
		b.WriteString("\n")
	}
	return b.String()
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

// PinMismatchError is a checklist whose digest is not the one --trust
// pinned: something it runs or reads changed since the pin was made.
type PinMismatchError struct {
	Path    string
	Pinned  string
	Digest  string
	Summary trust.Summary
}

func (e *PinMismatchError) Error() string {
	return fmt.Sprintf("%s does not match --trust: pinned sha256:%s, now sha256:%s.\n"+
		"The checklist, or a file it runs or reads, changed since the pin was made. Nothing ran. It would now:\n%s"+
		"%s"+
		"If this version was reviewed, pin it: --trust sha256:%s",
		e.Path, e.Pinned, e.Digest, e.Summary.RenderAtMost(summaryLines), renderFiles(e.Path, e.Summary), e.Digest)
}

func (e *PinMismatchError) Unwrap() error { return ErrUntrusted }

// renderFiles lists what a digest covers besides the checklist.
func renderFiles(shown string, s trust.Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The digest covers %s and %d %s:\n", shown, len(s.Files), plural(len(s.Files), "file", "files"))
	for _, f := range s.Files {
		fmt.Fprintf(&b, "    %s\n", f)
	}
	return b.String()
}

// summaryLines bounds what the trust question and the exit-5 messages list
// of what a checklist would do, so that they fit on a screen; `onboard
// trust --print` lists it all.
const summaryLines = 30

// pinFlag adds --trust to a command that runs the checklist.
func pinFlag(c *cobra.Command, pin *string) {
	c.Flags().StringVar(pin, "trust", "", "run only if the checklist's digest is `sha256:DIGEST`, as `onboard trust --print` prints it (for CI: never asks, never records trust; exit 5 if it differs)")
}

// parsePin checks a --trust value and returns its hex digest; "" is no pin.
func parsePin(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	hexDigest, ok := strings.CutPrefix(v, "sha256:")
	if _, err := hex.DecodeString(hexDigest); !ok || err != nil || len(hexDigest) != 2*sha256.Size {
		return "", &UsageError{fmt.Errorf("--trust %q: write it as sha256: followed by the 64 hex digits of the digest, as `onboard trust --print` prints it", v)}
	}
	return strings.ToLower(hexDigest), nil
}

// requireTrust runs before anything a checklist says is run. With a pin
// (--trust), it passes only when the digest is the pinned one, and neither
// reads nor writes the trust store. Otherwise it passes when this exact
// checklist (and every file it covers) was trusted, or with --yes; on a
// terminal it shows what will run and asks.
func (a *app) requireTrust(ctx context.Context, f *config.File, shown, root, pin string) error {
	if pin != "" {
		digest, sum, err := trust.Digest(f, root)
		if err != nil {
			return err
		}
		if digest != pin {
			return &PinMismatchError{Path: shown, Pinned: pin, Digest: digest, Summary: sum}
		}
		return nil
	}
	t, err := trustOf(f, shown, root)
	if err != nil {
		return untrustedStore(err)
	}
	digest, sum, canon, store := t.digest, t.sum, t.canon, t.store
	prev, had, err := store.Lookup(canon)
	var unsafe *trust.UnsafeError
	switch {
	case errors.As(err, &unsafe):
		return untrustedStore(err)
	case err != nil:
		return fmt.Errorf("reading %s: %w", store.Path, err)
	}
	ok, changes := prev.Check(digest, sum)
	if (had && ok) || a.opts.yes { // --yes trusts for this run only
		return nil
	}
	changed := renderChanges(shown, prev, had, changes, sum)
	p := a.streams.Prompter()
	if p == nil {
		return &UntrustedError{Path: shown, Digest: digest, Summary: sum, Changed: changed}
	}
	intro := fmt.Sprintf("%s is new to onboard here.", shown)
	if had {
		intro = fmt.Sprintf("%s changed since you trusted it.", shown)
	}
	q := fmt.Sprintf("%s\n%sIt would:\n%sTrust it and run it?", intro, changed, sum.RenderAtMost(summaryLines))
	yes, err := p.Confirm(ctx, q)
	if err != nil {
		return err
	}
	if !yes {
		return fmt.Errorf("%s: %w; nothing ran", shown, ErrUntrusted)
	}
	return store.Record(canon, trust.EntryFor(digest, sum))
}

func (a *app) trustCommand() *cobra.Command {
	var printOnly bool
	c := &cobra.Command{
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
			if printOnly {
				// What CI pins: nothing is recorded, no store is needed.
				digest, sum, err := trust.Digest(f, root)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.streams.Err, "%s will:\n%s%s", shown, sum.Render(), renderFiles(shown, sum))
				fmt.Fprintf(a.streams.Out, "sha256:%s\n", digest)
				return nil
			}
			t, err := trustOf(f, shown, root)
			if err != nil {
				return err
			}
			if err := t.store.Record(t.canon, trust.EntryFor(t.digest, t.sum)); err != nil {
				return err
			}
			fmt.Fprintf(a.streams.Err, "%s will:\n%s", shown, t.sum.Render())
			fmt.Fprintf(a.streams.Out, "trusted %s (sha256 %s)\n", t.canon, t.digest)
			return nil
		},
	}
	c.Flags().BoolVar(&printOnly, "print", false, "print the digest as sha256:DIGEST, for `onboard up --trust` in CI, and what it covers; record nothing")
	a.runFlags(c, flagFile)
	return c
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
