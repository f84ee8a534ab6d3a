package steps

import (
	"context"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
)

// inputItem reports an input's answer. Answers are found before any item
// runs (all questions in one go, so a newcomer can walk away); the item
// makes each one visible in the checklist, masked when secret.
type inputItem struct {
	in     *config.Input
	answer *inputs.Answer
}

func inputNode(in *config.Input, deps Deps) *engine.Node {
	var a *inputs.Answer
	if v, ok := deps.Answers[in.Name]; ok {
		a = &v
	}
	h, legacy := hashes(in)
	return &engine.Node{ID: engine.InputID(in.Name), Line: in.Pos.Line, Hash: h, LegacyHash: legacy, Item: inputItem{in, a},
		Plan: engine.Plan{Check: "answered by --set " + in.Name + "=…, " + inputs.EnvName(in.Name) + ", an earlier answer, or asked before any work starts"}}
}

func (i inputItem) Check(context.Context, *engine.Env) (engine.Result, error) {
	if i.answer == nil {
		return engine.Result{Status: engine.NotMet,
			Detail: "needs an answer: pass --set " + i.in.Name + "=… or set " + inputs.EnvName(i.in.Name)}, nil
	}
	shown := i.answer.Value
	if i.answer.Secret {
		shown = "****"
	}
	return engine.Result{Status: engine.Met, Detail: shown + " (" + i.answer.From + ")"}, nil
}

func (i inputItem) Apply(context.Context, *engine.Env) error { return engine.ErrCannotApply }
