package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/onboard-dev/onboard/internal/run"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A fresh verify works on a clone of the checkout's HEAD, with a HOME and
// XDG directories of its own, so that a file only in the maintainer's
// working tree, a remembered answer or a trust entry cannot make it pass.

// freshCheckout is verify's clone and the environment its commands get.
type freshCheckout struct {
	base      string   // the temporary directory that holds everything
	checklist string   // the checklist inside the clone
	environ   []string // onboard's environment with HOME and XDG_* moved
	leftOut   []string // files of the working tree the clone does not have
}

// errNoGit is verify's fresh clone without git to make it.
var errNoGit = errors.New("onboard verify clones the checkout's HEAD with git, and git is not on PATH: install git, or verify this checkout as it is with `onboard verify --in-place`")

// cloneFresh clones the repository that holds checklist (its HEAD,
// submodules included) into a new temporary directory.
func cloneFresh(ctx context.Context, checklist string) (*freshCheckout, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, noCheckout(errNoGit)
	}
	abs, err := filepath.Abs(checklist)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(abs)
	top, err := gitOut(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, noCheckout(fmt.Errorf("%s is not in a git checkout, and onboard verify clones the checkout's HEAD: commit it to a git repository, or verify it as it is with `onboard verify --in-place`", checklist))
	}
	top = strings.TrimSpace(top)
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, fmt.Errorf("cannot place %s inside its checkout %s", checklist, top)
	}
	if _, err := gitOut(ctx, top, "rev-parse", "--verify", "-q", "HEAD"); err != nil {
		return nil, noCheckout(fmt.Errorf("%s has no commit yet, and onboard verify clones the checkout's HEAD: commit onboard.yaml and what it uses, or verify the working tree with `onboard verify --in-place`", top))
	}
	if _, err := gitOut(ctx, top, "cat-file", "-e", "HEAD:"+filepath.ToSlash(rel)); err != nil {
		return nil, noCheckout(fmt.Errorf("%s is not committed, and onboard verify clones the checkout's HEAD: commit it, or verify the working tree with `onboard verify --in-place`", checklist))
	}
	leftOut, err := uncommitted(ctx, top)
	if err != nil {
		return nil, err
	}
	base, err := os.MkdirTemp("", "onboard-verify-")
	if err != nil {
		return nil, err
	}
	fc := &freshCheckout{base: base, checklist: filepath.Join(base, "repo", rel), leftOut: leftOut}
	head, err := gitOut(ctx, top, "rev-parse", "HEAD")
	if err != nil {
		return nil, err
	}
	dst := filepath.Join(base, "repo")
	err = func() error {
		if _, err := gitOut(ctx, "", "-c", "advice.detachedHead=false", "clone", "-q", "--", top, dst); err != nil {
			return err
		}
		// The clone checks out what the checkout's HEAD names; make sure
		// it is that very commit (a detached HEAD, as CI checks out a pull
		// request, or a linked worktree's own HEAD).
		if got, err := gitOut(ctx, dst, "rev-parse", "HEAD"); err != nil || got != head {
			if _, err := gitOut(ctx, dst, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", strings.TrimSpace(head)); err != nil {
				return err
			}
		}
		return cloneSubmodules(ctx, top, dst)
	}()
	if err != nil {
		_ = os.RemoveAll(base)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("cloning %s for a fresh verify: %w", top, err)
	}
	fc.environ = freshEnviron(os.Environ(), base)
	for _, d := range []string{"home", "config", "cache", "data", "state"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o700); err != nil {
			_ = os.RemoveAll(base)
			return nil, err
		}
	}
	return fc, nil
}

// freshEnviron is env with HOME and the XDG base directories moved under
// base: what a tool or a step keeps under HOME is not there.
func freshEnviron(env []string, base string) []string {
	moved := map[string]string{
		"HOME":            filepath.Join(base, "home"),
		"XDG_CONFIG_HOME": filepath.Join(base, "config"),
		"XDG_CACHE_HOME":  filepath.Join(base, "cache"),
		"XDG_DATA_HOME":   filepath.Join(base, "data"),
		"XDG_STATE_HOME":  filepath.Join(base, "state"),
	}
	out := make([]string, 0, len(env)+len(moved))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := moved[k]; !ok {
			out = append(out, kv)
		}
	}
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"} {
		out = append(out, k+"="+moved[k])
	}
	return out
}

// uncommitted lists what the working tree has that HEAD does not: changed,
// staged and untracked files (not ignored ones, which a clone would not
// have either and nobody expects it to).
func uncommitted(ctx context.Context, top string) ([]string, error) {
	out, err := gitOut(ctx, top, "status", "--porcelain=v1", "-z", "--untracked-files=all")
	if err != nil {
		return nil, fmt.Errorf("reading the state of %s: %w", top, err)
	}
	// The temporary directory may be inside the checkout (as in tests):
	// earlier verifies' clones there are not the maintainer's files.
	tmp := ""
	if rel, err := filepath.Rel(top, os.TempDir()); err == nil && !strings.HasPrefix(rel, "..") {
		tmp = filepath.ToSlash(rel) + "/"
	}
	var files []string
	entries := strings.Split(out, "\x00")
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if len(e) < 4 {
			continue
		}
		if e[0] == 'R' || e[0] == 'C' {
			i++ // the source of a rename or copy follows
		}
		if tmp != "" && strings.HasPrefix(e[3:], tmp) {
			continue
		}
		files = append(files, e[3:])
	}
	return files, nil
}

// gitOut runs git in dir and returns its standard output.
func gitOut(ctx context.Context, dir string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	err := run.Run(ctx, run.Command{Argv: append([]string{"git"}, args...), Dir: dir, Stdout: &stdout, Output: &stderr})
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// noCheckout marks err as ErrNoCheckout (exit 2) and keeps its message.
func noCheckout(err error) error { return noCheckoutError{err} }

type noCheckoutError struct{ error }

func (e noCheckoutError) Unwrap() []error { return []error{e.error, ErrNoCheckout} }
