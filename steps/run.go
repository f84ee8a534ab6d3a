package steps

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
)

// runStep is a `run:` step: check (a command, or `creates:`), then the
// command, then the check again.
type runStep struct {
	s       *config.Step
	runner  run.Runner
	inputs  map[string]string // .Inputs of env: values
	project string
}

func runNode(s *config.Step, deps Deps) *engine.Node {
	p := engine.Plan{Apply: describe(s.Run)}
	switch {
	case !s.Creates.Pos.IsZero():
		p.Check = s.Creates.Value + " exists"
	case !s.Check.IsZero():
		p.Check = describe(s.Check) + " exits 0"
	}
	return &engine.Node{Item: runStep{s: s, runner: run.Or(deps.Runner), inputs: deps.Inputs, project: deps.Project}, Plan: p}
}

func (r runStep) Check(ctx context.Context, env *engine.Env) (engine.Result, error) {
	if res, ok := when(r.s.When); !ok {
		return res, nil
	}
	if r.s.Creates.Value != "" {
		p, err := rootfs.ConfineLink(env.Root, r.s.Creates.Value)
		if err != nil {
			return engine.Result{}, err
		}
		if _, err := os.Lstat(p); err == nil {
			return engine.Result{Status: engine.Met, Detail: r.s.Creates.Value + " exists"}, nil
		}
		return engine.Result{Status: engine.NotMet, Detail: r.s.Creates.Value + " does not exist yet"}, nil
	}
	if r.s.Check.IsZero() {
		return engine.Result{Status: engine.NotMet, NoCheck: true, Detail: "no check: runs every time"}, nil
	}
	fmt.Fprintf(env.Log, "$ %s   # check\n", describe(r.s.Check))
	err := r.exec(ctx, env, r.s.Check)
	var ee *run.ExitError
	switch {
	case err == nil:
		return engine.Result{Status: engine.Met, Detail: describe(r.s.Check) + " passed"}, nil
	case errors.As(err, &ee):
		return engine.Result{Status: engine.NotMet, Detail: fmt.Sprintf("check %s exited %d", describe(r.s.Check), ee.Code)}, nil
	case errors.As(err, new(*run.NotFoundError)):
		return engine.Result{Status: engine.NotMet, Detail: "check: " + err.Error()}, nil
	}
	return engine.Result{}, err
}

func (r runStep) Apply(ctx context.Context, env *engine.Env) error {
	fmt.Fprintf(env.Log, "$ %s\n", describe(r.s.Run))
	err := r.exec(ctx, env, r.s.Run)
	if err != nil {
		return fmt.Errorf("%s: %w", describe(r.s.Run), err)
	}
	return nil
}

func (r runStep) exec(ctx context.Context, env *engine.Env, c config.Command) error {
	dir := env.Root
	if r.s.Dir.Value != "" {
		var err error
		if dir, err = rootfs.Confine(env.Root, r.s.Dir.Value); err != nil {
			return err
		}
	}
	own, err := renderEnv(r.s.Env, r.inputs, r.project, env.Environ)
	if err != nil {
		return err
	}
	environ := append(append([]string(nil), env.Environ...), own...)
	return r.runner.Run(ctx, run.Command{
		Shell:   c.Shell,
		Argv:    c.Argv,
		Dir:     dir,
		Env:     environ,
		Output:  env.Log,
		Timeout: r.s.Timeout.Value,
	})
}

// when evaluates `when:`; ok is false when the step does not apply here.
func when(w *config.When) (engine.Result, bool) {
	if w == nil {
		return engine.Result{}, true
	}
	match := func(list []config.String, v string) bool {
		if len(list) == 0 {
			return true
		}
		for _, s := range list {
			if s.Value == v {
				return true
			}
		}
		return false
	}
	if !match(w.OS, runtime.GOOS) || !match(w.Arch, runtime.GOARCH) {
		return engine.Result{Status: engine.Skipped, Detail: "not for " + runtime.GOOS + "/" + runtime.GOARCH}, false
	}
	return engine.Result{}, true
}

// describe renders a command as the user wrote it.
func describe(c config.Command) string { return c.String() }
