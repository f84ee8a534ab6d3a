package steps

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/gitx"
	"github.com/onboard-dev/onboard/internal/run"
)

// GitDeps is how the repo item reaches the repository's servers (for
// submodules): the --git transport and the HTTPS token.
type GitDeps struct {
	Transport   string
	Token       string
	Interactive bool
}

// repoItem is the checklist's `repo:` section applied to the checkout it
// runs in: the origin must be the repository the checklist names, and with
// `submodules: true` every submodule must be checked out. It reports a
// different origin and a dirty tree, and never resets, stashes or
// overwrites anything: the checkout is the person's.
type repoItem struct {
	r      *config.Repo
	git    GitDeps
	runner run.Runner // the system git's (Deps.Runner; nil: run.System)
}

func repoNode(r *config.Repo, deps Deps) *engine.Node {
	apply := "nothing: onboard never changes a checkout's origin or its files"
	if r.Submodules {
		apply = "check out the submodules (git submodule update --init --recursive)"
	}
	h, legacy := hashes(r)
	return &engine.Node{ID: engine.RepoID, Line: r.Pos.Line, Hash: h, LegacyHash: legacy, Item: repoItem{r: r, git: deps.Git, runner: deps.Runner},
		Plan: engine.Plan{Check: "origin is " + r.URL.Value + ", submodules checked out", Apply: apply}}
}

// Check is read-only: origin, dirty tree, missing submodules.
func (it repoItem) Check(_ context.Context, env *engine.Env) (engine.Result, error) {
	if _, err := os.Stat(filepath.Join(env.Root, ".git")); err != nil {
		return engine.Result{Status: engine.Met, Detail: "not a git checkout: origin not checked"}, nil
	}
	origin, err := gitx.Origin(env.Root)
	if err != nil {
		return engine.Result{}, err
	}
	if !gitx.SameRepo(origin, it.r.URL.Value) {
		return engine.Result{Status: engine.NotMet,
			Detail: fmt.Sprintf("origin is %s, but the checklist's repo.url is %s (left as it is)", origin, it.r.URL.Value),
			Fix: fmt.Sprintf("onboard never changes a checkout's remotes. A fork is fine: add the original with `git remote add upstream %s`. "+
				"If this is the wrong repository, clone the right one with `onboard %s`.", it.r.URL.Value, it.r.URL.Value)}, nil
	}
	var notes []string
	if dirty, err := gitx.Dirty(env.Root); err == nil && dirty {
		notes = append(notes, "uncommitted changes (left as they are)")
	}
	if it.r.Submodules {
		missing, err := gitx.MissingSubmodules(env.Root)
		if err != nil {
			return engine.Result{}, err
		}
		if len(missing) > 0 {
			return engine.Result{Status: engine.NotMet, Detail: "submodules not checked out: " + strings.Join(missing, ", ")}, nil
		}
	}
	detail := "origin " + origin
	if len(notes) > 0 {
		detail += "; " + strings.Join(notes, "; ")
	}
	return engine.Result{Status: engine.Met, Detail: detail}, nil
}

// Apply checks out missing submodules; a different origin cannot be fixed
// by onboard (it would be someone's fork, or their mistake to see).
func (it repoItem) Apply(ctx context.Context, env *engine.Env) error {
	origin, err := gitx.Origin(env.Root)
	if err != nil {
		return err
	}
	if !gitx.SameRepo(origin, it.r.URL.Value) || !it.r.Submodules {
		return engine.ErrCannotApply
	}
	return gitx.UpdateSubmodules(ctx, gitx.SubmoduleOptions{
		Dir: env.Root, Depth: it.r.Depth, Transport: it.git.Transport, Token: it.git.Token,
		Progress: env.Log, Interactive: it.git.Interactive, Prompt: itemPrompter(ctx, env), Runner: it.runner,
	})
}

// itemPrompter lets a submodule's unknown SSH host key be asked about
// through the run's own prompt (one question at a time, the live line out
// of the way), or is nil without a terminal. A passphrase is not asked
// here: the run's prompt echoes, so a locked key fails with the ssh-add fix.
func itemPrompter(ctx context.Context, env *engine.Env) gitx.Prompter {
	if env.Confirm == nil {
		return nil
	}
	return confirmPrompter{ctx: ctx, confirm: env.Confirm}
}

type confirmPrompter struct {
	ctx     context.Context
	confirm func(context.Context, string) (bool, error)
}

func (p confirmPrompter) Confirm(q string) (bool, error) { return p.confirm(p.ctx, q) }

func (p confirmPrompter) Secret(prompt string) (string, error) {
	return "", fmt.Errorf("%w: %q cannot be asked during `onboard up`: add the key to your agent (ssh-add) and run onboard again",
		gitx.ErrAuth, strings.TrimSpace(prompt))
}
