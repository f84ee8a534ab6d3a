package steps

import (
	"context"
	"time"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

// manualStep is something only a person can do ("ask #eng-access for the
// VPN profile"). It is read-do: show it, let them do it, record that they
// confirmed, and never ask again unless its text changes.
type manualStep struct{ s *config.Step }

func manualNode(s *config.Step) *engine.Node {
	return &engine.Node{Item: manualStep{s}, Manual: true,
		Plan: engine.Plan{Check: "confirmed in an earlier run", Apply: "ask you to: " + s.Manual.Value}}
}

func (m manualStep) Check(_ context.Context, env *engine.Env) (engine.Result, error) {
	if res, ok := when(m.s.When); !ok {
		return res, nil
	}
	if at := env.Prior["confirmed_at"]; at != "" {
		env.Record("confirmed_at", at)
		return engine.Result{Status: engine.Met, Detail: "confirmed " + at}, nil
	}
	return engine.Result{Status: engine.NotMet, Detail: "manual: " + m.s.Manual.Value}, nil
}

func (m manualStep) Apply(ctx context.Context, env *engine.Env) error {
	if env.Confirm == nil {
		return engine.ErrNeedsPerson
	}
	ok, err := env.Confirm(ctx, "• Do this, then confirm:\n    "+m.s.Manual.Value+"\n  Done?")
	if err != nil {
		return err
	}
	if !ok {
		return engine.ErrNeedsPerson
	}
	env.Record("confirmed_at", time.Now().UTC().Format(time.RFC3339))
	return nil
}
