package steps

import (
	"context"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

// A step's conditions beyond its platform (when: os/arch, which each kind
// checks itself): `ci: {skip: WHY}` in CI, `when: {ci: true|false}` and
// `when: {env: NAME}`. They wrap the step's own item, so that every kind
// is left out the same way, before its own check runs.

// gated is a step that runs only when its conditions hold.
type gated struct {
	inner engine.Item
	s     *config.Step
	ci    bool
}

// gate wraps item when the step has conditions to evaluate.
func gate(item engine.Item, s *config.Step, ci bool) engine.Item {
	if s.CI == nil && (s.When == nil || (s.When.CI == nil && len(s.When.Env) == 0)) {
		return item
	}
	return gated{inner: item, s: s, ci: ci}
}

func (g gated) Check(ctx context.Context, env *engine.Env) (engine.Result, error) {
	if res, ok := conditions(g.s, g.ci, env.Environ); !ok {
		return res, nil
	}
	return g.inner.Check(ctx, env)
}

func (g gated) Apply(ctx context.Context, env *engine.Env) error { return g.inner.Apply(ctx, env) }

// conditions evaluates a step's CI policy and its when: ci and env; ok is
// false when the step does not run here, with the reason as the detail.
func conditions(s *config.Step, ci bool, environ []string) (engine.Result, bool) {
	skipped := func(why string) (engine.Result, bool) {
		return engine.Result{Status: engine.Skipped, Detail: why}, false
	}
	if ci && s.CI != nil && s.CI.Skip != nil {
		return skipped(SkipCIPrefix + s.CI.Skip.Value)
	}
	w := s.When
	if w == nil {
		return engine.Result{}, true
	}
	if w.CI != nil && *w.CI != ci {
		if ci {
			return skipped("not in CI (when: {ci: false})")
		}
		return skipped("only in CI (when: {ci: true})")
	}
	for _, name := range w.Env {
		if lookupEnv(environ, name.Value) == "" {
			return skipped("$" + name.Value + " is not set (when: {env: " + name.Value + "})")
		}
	}
	return engine.Result{}, true
}

// SkipCIPrefix starts the detail of a step that `ci: {skip: …}` left out.
const SkipCIPrefix = "ci: skip: "

// lookupEnv is the value of name in environ; the last one wins, as in
// os/exec.
func lookupEnv(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}
