package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/gitx"
	"github.com/onboard-dev/onboard/internal/ui"
)

// bootstrapOptions are the flags of `onboard <git-url>`.
type bootstrapOptions struct {
	dir         string
	branch      string
	transport   string
	depth       int
	maxPackSize packSize
}

// packSize is --max-pack-size: a size as gitx.ParseSize reads it, 0 for
// no limit; unset, gitx.DefaultMaxPackSize.
type packSize struct {
	n   int64
	set bool
}

func (p *packSize) String() string {
	if !p.set {
		return strings.ReplaceAll(gitx.FormatSize(gitx.DefaultMaxPackSize), " ", "")
	}
	return strconv.FormatInt(p.n, 10)
}

func (p *packSize) Set(s string) error {
	n, err := gitx.ParseSize(s)
	if err != nil {
		return err
	}
	p.n, p.set = n, true
	return nil
}

func (p *packSize) Type() string { return "size" }

// option is the size for gitx.Options.MaxPackSize.
func (p *packSize) option() int64 {
	switch {
	case !p.set:
		return 0 // the default
	case p.n == 0:
		return -1 // no limit
	}
	return p.n
}

// bootstrap is `onboard <git-url>`: clone (or find the existing checkout),
// then converge that repository's checklist, trust gate included.
func (a *app) bootstrap(ctx context.Context, rawURL string) error {
	switch a.boot.transport {
	case "", "auto", "system", "go":
	default:
		return &UsageError{fmt.Errorf("--git %q: want auto, system or go", a.boot.transport)}
	}
	if err := gitx.ValidateInput(gitx.Options{URL: rawURL, Branch: a.boot.branch, Transport: a.boot.transport, Depth: a.boot.depth}); err != nil {
		return &UsageError{err}
	}
	dir := a.boot.dir
	if dir == "" {
		var err error
		if dir, err = defaultDir(rawURL); err != nil {
			return err
		}
	}
	// An existing checkout is never cloned over, fetched or reset: only a
	// different origin stops us.
	existing := gitx.IsCheckout(dir)
	var err error
	if !existing {
		fmt.Fprintf(a.streams.Err, "Cloning %s into %s\n", rawURL, dir)
		progress := gitx.NewProgress(ui.NewCloneProgress(a.streams))
		err = gitx.Clone(ctx, gitx.Options{
			URL: rawURL, Dir: dir, Branch: a.boot.branch, Depth: a.boot.depth, Transport: a.boot.transport,
			Progress: progress, Token: token(), Interactive: a.streams.InIsTerminal(), MaxPackSize: a.boot.maxPackSize.option(),
			Prompt: a.gitPrompter(ctx),
		})
		_ = progress.Close()
		if err == nil {
			a.warnLFS(dir)
		}
	}
	var exists *gitx.ExistsError
	switch {
	case existing, errors.As(err, &exists):
		// (ExistsError: it became a checkout after we looked.)
		origin, oerr := gitx.Origin(dir)
		if oerr != nil {
			return fmt.Errorf("%s is a git checkout, but its origin cannot be read (%v); nothing was changed", dir, oerr)
		}
		if !gitx.SameRepo(origin, rawURL) {
			return fmt.Errorf("%s is already a checkout of %s, not of %s; nothing was changed (choose another --dir)", dir, origin, rawURL)
		}
		existing = true
		fmt.Fprintf(a.streams.Err, "Using the existing checkout %s, a clone of %s: nothing is cloned, fetched or reset\n", dir, rawURL)
	case errors.Is(err, context.Canceled):
		return err
	case err != nil:
		return fmt.Errorf("cloning %s: %w", rawURL, err)
	}
	checklist := filepath.Join(dir, "onboard.yaml")
	if _, err := os.Stat(checklist); err != nil {
		what := "is cloned"
		if existing {
			what = "is a checkout of it"
		}
		return fmt.Errorf("%s %s, but it has no onboard.yaml: ask the repository's maintainers to add one", dir, what)
	}
	a.opts.file = checklist
	return a.converge(ctx, engine.Up, convergeOpts{pin: a.pin})
}

// token is the HTTPS token from the environment, in DESIGN.md's order.
func token() string {
	for _, k := range []string{"ONBOARD_GIT_TOKEN", "GIT_TOKEN", "GITHUB_TOKEN"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// defaultDir is $ONBOARD_SRC (default ~/src)/<host>/<path>, the layout Go
// and ghq users know: https://git.example.com/acme/api.git →
// ~/src/git.example.com/acme/api.
func defaultDir(raw string) (string, error) {
	base := os.Getenv("ONBOARD_SRC")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(home, "src")
	}
	host, path := "", ""
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		host, path = u.Hostname(), u.Path
	} else if at, colon := strings.Index(raw, "@"), strings.Index(raw, ":"); colon > at {
		host, path = raw[at+1:colon], raw[colon+1:]
	} else {
		return "", &UsageError{fmt.Errorf("cannot tell a directory from %q: give one with --dir", raw)}
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	for _, part := range strings.Split(path, "/") {
		if part == "" || part == "." || part == ".." {
			return "", &UsageError{fmt.Errorf("cannot tell a directory from %q: give one with --dir", raw)}
		}
	}
	return filepath.Join(base, host, filepath.FromSlash(path)), nil
}

// gitPrompter lets the clone ask on the terminal (an unknown SSH host key,
// a key's passphrase), or is nil without one: then those fail with the fix.
func (a *app) gitPrompter(ctx context.Context) gitx.Prompter {
	p := a.streams.Prompter()
	if p == nil {
		return nil
	}
	return terminalPrompter{ctx: ctx, p: p}
}

// terminalPrompter is gitx.Prompter on ui's Prompter.
type terminalPrompter struct {
	ctx context.Context
	p   *ui.Prompter
}

func (t terminalPrompter) Confirm(q string) (bool, error) { return t.p.Confirm(t.ctx, q) }

func (t terminalPrompter) Secret(prompt string) (string, error) { return t.p.Secret(t.ctx, prompt) }

// warnLFS says when files tracked with Git LFS are left as pointers: go-git
// does not fetch LFS objects, and git does only with git-lfs installed.
func (a *app) warnLFS(dir string) {
	if !gitx.UsesLFS(dir) {
		return
	}
	if gitx.TransportFor(a.boot.transport) == gitx.TransportSystem && gitx.LFSInstalled() {
		return // git's LFS filter fetched them during the checkout
	}
	fmt.Fprintf(a.streams.Err, "warning: %s stores some files with Git LFS (.gitattributes: filter=lfs), and this clone did not fetch them: they are small pointer files for now.\n"+
		"  fix: install git-lfs (apt-get install git-lfs, brew install git-lfs), then run `git lfs install && git lfs pull` in %s\n", dir, dir)
}
