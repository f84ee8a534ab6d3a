package steps

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
	"github.com/onboard-dev/onboard/internal/pins"
	"github.com/onboard-dev/onboard/internal/run"
	"github.com/onboard-dev/onboard/internal/tools"
)

// Deps are the shared services items use during one run.
type Deps struct {
	// Tools probes each version command once per run, however many items
	// need it.
	Tools *tools.Cache
	// Runner starts the commands and checks of run steps, and the tool
	// probes when Tools is nil (a Tools runs them with its own Runner).
	// nil is run.System; unit tests pass a run.Fake.
	Runner run.Runner
	// Answers are the inputs, resolved before the run.
	Answers map[string]inputs.Answer
	// Inputs are the answers by name, as templates see them (.Inputs).
	Inputs map[string]string
	// Remembered are the answers remembered before this run, which the
	// last run rendered with: a template's state from an older onboard
	// is read with them (template_baseline.go).
	Remembered map[string]string
	// Secrets are the values to mask in diffs.
	Secrets []string
	// Project is the checklist's project name (.Project in templates).
	Project string
	// Force overwrites files changed by the user, keeping a backup.
	Force bool
	// Stack runs the services; nil where services cannot run.
	Stack StackFunc
	// Git reaches the repository's servers, for submodules.
	Git GitDeps
	// CI: the run is in CI (onboard verify, or CI=true), where `ci:`
	// policies apply and `when: {ci: true}` steps run.
	CI bool
}

// toolItem checks that a program is installed in a version the checklist
// accepts. It cannot install anything: when not met it fails with the
// checklist's install hint (`fix:`), or warns when the tool is optional.
type toolItem struct {
	t     *config.Tool
	cache *tools.Cache
}

func toolNode(t *config.Tool, deps Deps) *engine.Node {
	cache := deps.Tools
	if cache == nil {
		cache = &tools.Cache{Runner: deps.Runner}
	}
	item := toolItem{t: t, cache: cache}
	check := "is installed"
	if argv, _, err := item.spec(nil, "").Resolve(); err == nil {
		check = strings.Join(argv, " ") + " runs"
	}
	if v := t.Version.Value; v != "" {
		check += " and reports a version " + v
	}
	h, legacy := hashes(t)
	return &engine.Node{ID: engine.ToolID(t.Name), Line: t.Pos.Line, Hash: h, LegacyHash: legacy, Optional: t.Optional,
		Item: item, Plan: engine.Plan{Check: check}}
}

func (it toolItem) spec(environ []string, dir string) tools.Spec {
	s := tools.Spec{Name: it.t.Name, Command: it.t.Command.Argv, Env: environ, Dir: dir}
	if it.t.Command.Shell != "" {
		// A command written as a string is split on spaces: a version
		// probe never needs a shell, and running one would cost time.
		s.Command = strings.Fields(it.t.Command.Shell)
	}
	if it.t.Pattern != nil {
		s.Pattern = it.t.Pattern.Value
	}
	return s
}

func (it toolItem) Check(ctx context.Context, env *engine.Env) (engine.Result, error) {
	constraint, err := it.constraint(env)
	if err != nil {
		return engine.Result{}, err
	}
	fix := it.fix(constraint, runtime.GOOS)
	found, err := it.cache.Probe(ctx, it.spec(env.Environ, env.Root))
	if err != nil {
		if ctx.Err() != nil {
			return engine.Result{}, ctx.Err()
		}
		// The line already names the tool.
		detail := strings.TrimPrefix(err.Error(), it.t.Name+": ")
		var nf *tools.NotFoundError
		if errors.As(err, &nf) {
			detail = "not found (no " + nf.Program + " on PATH)"
			if nf.Elsewhere != "" {
				detail = "not on PATH (but " + nf.Elsewhere + " exists)"
			}
		}
		// The probe knows better than an install hint: installed off
		// PATH (Homebrew's folder), or Xcode's tools missing (macOS).
		var known interface{ Fix() string }
		if errors.As(err, &known) && known.Fix() != "" {
			fix = known.Fix()
		}
		return engine.Result{Status: engine.NotMet, Detail: detail, Fix: fix}, nil
	}
	env.Record("version", found.Version)
	env.Record("path", found.Path)
	if constraint == "" {
		return engine.Result{Status: engine.Met, Detail: found.Version}, nil
	}
	ok, err := tools.Satisfies(constraint, found.Version)
	if err != nil {
		return engine.Result{}, err
	}
	if !ok {
		return engine.Result{Status: engine.NotMet, Detail: fmt.Sprintf("%s is installed (%s), but the checklist needs %s", found.Version, found.Path, constraint), Fix: fix}, nil
	}
	return engine.Result{Status: engine.Met, Detail: fmt.Sprintf("%s (%s)", found.Version, constraint)}, nil
}

// constraint resolves `from FILE` pins; the pinned version is recorded.
func (it toolItem) constraint(env *engine.Env) (string, error) {
	v := strings.TrimSpace(it.t.Version.Value)
	from, isPin := strings.CutPrefix(v, "from ")
	if !isPin {
		return v, nil
	}
	pin, err := pins.ReadDir(env.Root, strings.TrimSpace(from), it.t.Name)
	if err != nil {
		return "", err
	}
	env.Record("pinned", pin.Resolved+" from "+pin.File)
	return pin.Constraint, nil
}

// fix is the checklist's install hint for goos (the running OS), else
// onboard's own for a built-in tool (Homebrew's or Xcode's on macOS), else
// a plain instruction.
func (it toolItem) fix(constraint, goos string) string {
	if h, ok := it.t.Install[goos]; ok {
		return h.Value
	}
	if h, ok := it.t.Install[""]; ok {
		return h.Value
	}
	if h, ok := tools.InstallHint(it.t.Name, goos); ok {
		return h
	}
	want := it.t.Name
	if constraint != "" {
		want += " " + constraint
	}
	return "install " + want + " and make sure it is on PATH, then run onboard again"
}

func (it toolItem) Apply(context.Context, *engine.Env) error { return engine.ErrCannotApply }
