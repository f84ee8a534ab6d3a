package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
	"github.com/onboard-dev/onboard/internal/mask"
	"github.com/onboard-dev/onboard/internal/tools"
	"github.com/onboard-dev/onboard/internal/ui"
	"github.com/onboard-dev/onboard/steps"
)

func (a *app) upCommand() *cobra.Command {
	var pin string
	c := &cobra.Command{
		Use:   "up",
		Short: "Converge the checklist in the current checkout (the default command)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			digest, err := parsePin(pin)
			if err != nil {
				return err
			}
			return a.converge(cmd.Context(), engine.Up, convergeOpts{pin: digest})
		},
	}
	pinFlag(c, &pin)
	a.jsonFlag(c, "events as JSON lines on stdout (docs/events.md)")
	a.runFlags(c, flagsConverge)
	return c
}

func (a *app) checkCommand() *cobra.Command {
	var pin string
	c := &cobra.Command{
		Use:   "check",
		Short: "Evaluate every item, change nothing (exit 3 if anything is not met)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			digest, err := parsePin(pin)
			if err != nil {
				return err
			}
			if f, _ := cmd.Flags().GetString("junit"); f != "" {
				return a.checkJUnit(cmd.Context(), f, convergeOpts{pin: digest})
			}
			return a.converge(cmd.Context(), engine.Check, convergeOpts{pin: digest})
		},
	}
	c.Flags().String("junit", "", "write a JUnit report to `FILE`: one testcase per item")
	pinFlag(c, &pin)
	a.jsonFlag(c, "events as JSON lines on stdout (docs/events.md)")
	// No --force: check writes nothing, so there is nothing to overwrite.
	a.runFlags(c, flagFile|flagYes|flagSet|flagOnly|flagSkip|flagJobs|flagVerbose)
	return c
}

// convergeOpts are what commands other than up and check change in a
// converge.
type convergeOpts struct {
	// only replaces --only (services up NAME…).
	only []engine.ID
	// stack runs the services; nil means the detached supervisor.
	stack steps.StackFunc
	// pin is the digest --trust requires, in hex; "" asks the trust store.
	pin string
	// trusted: the caller (verify) already decided trust.
	trusted bool
	// environ replaces onboard's environment for the inputs and the
	// commands (verify's clone has a HOME and XDG dirs of its own).
	environ []string
	// noPrompt never asks anything, even on a terminal, and leaves out
	// the next: lines (verify: nobody is there to read them).
	noPrompt bool
	// observe sees every event of the run, secrets masked.
	observe func(engine.Event)
	// report changes how the checklist lines are drawn (verify).
	report ui.ReporterOptions
	// ci: the run is CI's (verify), whatever $CI says.
	ci bool
	// pick chooses what runs once the state is locked (retry, redo): see
	// journalPick.
	pick journalPick
}

// converge runs the checklist in up or check mode.
func (a *app) converge(ctx context.Context, mode engine.Mode, cv convergeOpts) error {
	f, shown, root, err := a.loadChecklist("")
	if err != nil {
		return err
	}
	if err := steps.CheckTemplates(f, root); err != nil {
		return err
	}
	if !cv.trusted {
		if err := a.requireTrust(ctx, f, shown, root, cv.pin); err != nil {
			return err
		}
	}
	set, err := a.setFlags(f)
	if err != nil {
		return err
	}
	if err := a.checkSelection(steps.IDs(f)); err != nil {
		return err
	}
	open := engine.Open
	if mode == engine.Check {
		open = engine.OpenReadOnly // check writes nothing in the checkout
	}
	ws, err := open(root)
	if err != nil {
		return err
	}
	defer ws.Close()

	// Every question is asked now, before any item runs, so a newcomer can
	// walk away once they have answered.
	remembered, err := inputs.LoadRemembered(ws.Dir)
	if err != nil {
		return err
	}
	base := cv.environ
	if base == nil {
		base = os.Environ()
	}
	inCI := cv.ci || ciEnv(base)
	src := inputs.Sources{Set: set, Environ: base, Remembered: remembered, Yes: a.opts.yes, Project: f.Project.Value, CI: inCI}
	prompter := a.streams.Prompter()
	if cv.noPrompt {
		prompter = nil
	}
	if mode == engine.Up && prompter != nil {
		src.Prompter = prompter
	}
	answers, err := inputs.Resolve(ctx, f, src)
	var needs *inputs.NeedsInputError
	switch {
	case errors.As(err, &needs) && mode == engine.Check:
		// check reports unanswered inputs as not met.
	case err != nil:
		return err
	case mode == engine.Up:
		if err := inputs.SaveRemembered(ws.Dir, rememberable(answers, remembered)); err != nil {
			return fmt.Errorf("saving answers: %w", err)
		}
		noteOverridden(answers, base)
	}
	deps := steps.Deps{Tools: &tools.Cache{}, Answers: answers, Inputs: map[string]string{}, Remembered: remembered, Project: f.Project.Value, Force: a.opts.force, Stack: cv.stack, CI: inCI,
		Git: steps.GitDeps{Transport: a.boot.transport, Token: token(), Interactive: a.streams.InIsTerminal()}}
	var sup *detached // the detached supervisor, unless cv.stack replaces it
	if deps.Stack == nil {
		sup = &detached{dir: filepath.Join(ws.Dir, "services")}
		deps.Stack = detachedStack(sup)
	}
	only := canonical(a.opts.only)
	if cv.only != nil {
		only = cv.only
	}
	environ := slices.Clone(base)
	for name, ans := range answers {
		deps.Inputs[name] = ans.Value
		// Inputs reach commands as environment variables, never by text
		// substitution into a shell string.
		environ = append(environ, inputs.EnvName(name)+"="+ans.Value)
		if ans.Secret {
			deps.Secrets = append(deps.Secrets, ans.Value)
		}
	}
	nodes := steps.Build(f, deps)
	ws.State.Adopt(nodes) // what an older onboard recorded (engine.Node.LegacyHash)
	var sel journalSelection
	if cv.pick != nil {
		if sel, err = cv.pick(ws.State, nodes); err != nil {
			return err
		}
		if len(sel.run)+len(sel.only) == 0 {
			fmt.Fprintln(a.streams.Err, sel.nothing)
			return nil
		}
		if sel.only != nil {
			only = sel.only
		}
	}
	rec := a.runRecord(f, shown, mode) // .onboard/last-run.json: see report_record.go
	if mode == engine.Up {
		selected := willRun(nodes, sel.run, only, canonical(a.opts.skip), ws.State)
		// Everything that would stop the run part-way, all at once,
		// before any item changes anything.
		if err := a.runPreflight(ctx, f, root, environ, selected); err != nil {
			a.saveRun(ws, rec, deps.Secrets, err)
			return err
		}
		if sup != nil && startsService(selected) {
			defer sup.prestart(ctx)()
		}
	}

	order := make([]string, 0, len(nodes))
	for _, n := range engine.Order(nodes) {
		order = append(order, n.ID.String())
	}
	ro := cv.report
	if ro.File == "" {
		ro.File = filepath.Base(shown)
	}
	ro.Order, ro.JSON = order, a.opts.json
	rep := ui.NewReporter(a.streams, ro)
	defer rep.Close()
	emit := recordEvents(rec, rep.Handle)
	if cv.observe != nil {
		emit = func(e engine.Event) {
			cv.observe(e)
			rep.Handle(e)
		}
	}
	if a.opts.json {
		show := emit
		var mu sync.Mutex
		enc := json.NewEncoder(a.streams.Out)
		emit = func(e engine.Event) {
			show(e)
			mu.Lock()
			defer mu.Unlock()
			_ = enc.Encode(e)
		}
	}
	if mode == engine.Up {
		emit = warnNotRestarted(ctx, f, deps.Stack, emit)
	}
	opts := engine.Options{
		Mode:    mode,
		Jobs:    a.opts.jobs,
		Only:    only,
		Skip:    canonical(a.opts.skip),
		Environ: environ,
		Emit:    emit,
		Masker:  mask.New(deps.Secrets),
		Verbose: a.opts.verbose,
		Project: f.Project.Value,
		Select:  sel.run,
		Redo:    sel.redo,
	}
	opts.Version, _ = buildVersion()
	if mode == engine.Up && prompter != nil {
		opts.Confirm = prompter.Confirm
		opts.Choose = prompter.Choose
	}
	err = engine.Run(ctx, ws, nodes, opts)
	a.saveRun(ws, rec, deps.Secrets, err)
	if err == nil && mode == engine.Up && len(f.Next) > 0 && !cv.noPrompt {
		next := make([]string, len(f.Next))
		for i, n := range f.Next {
			next[i] = n.Value
		}
		rep.Next(next)
	}
	var runErr *engine.RunError
	if errors.As(err, &runErr) {
		// The reporter already showed each failure in full.
		return silent{err}
	}
	if errors.Is(err, engine.ErrNotMet) {
		return silent{err}
	}
	return err
}

// checkSelection refuses --only/--skip ids that name nothing, before any
// work starts.
func (a *app) checkSelection(items []engine.ID) error {
	ids := map[engine.ID]bool{}
	for _, id := range items {
		ids[id] = true
	}
	for _, id := range append(canonical(a.opts.only), canonical(a.opts.skip)...) {
		if !ids[id] {
			return &UsageError{errors.New("no item " + id.String() + " in the checklist")}
		}
	}
	return nil
}

// canonical reads ids as a person writes them on the command line: a bare
// name is a step, as in the checklist's needs.
func canonical(ids []string) []engine.ID {
	out := make([]engine.ID, len(ids))
	for i, id := range ids {
		out[i] = engine.ID(config.CanonicalID(id))
	}
	return out
}

// silent is an error whose story was already told on stderr: Main maps it
// to its exit code without printing it again.
type silent struct{ error }

func (s silent) Unwrap() error { return s.error }

// setFlags parses --set name=value, refusing names the checklist does not
// ask, so a typo is not silently ignored.
func (a *app) setFlags(f *config.File) (map[string]string, error) {
	names := make([]string, len(f.Inputs))
	for i, in := range f.Inputs {
		names[i] = in.Name
	}
	out := map[string]string{}
	for _, kv := range a.opts.set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, &UsageError{fmt.Errorf("--set %q: write it as name=value", kv)}
		}
		known := false
		for _, n := range names {
			known = known || n == k
		}
		if !known {
			msg := fmt.Sprintf("--set %s: the checklist has no input %q", k, k)
			if len(names) > 0 {
				msg += " (its inputs: " + strings.Join(names, ", ") + ")"
			}
			return nil, &UsageError{errors.New(msg)}
		}
		out[k] = v
	}
	return out, nil
}
