package steps

import (
	"context"
	"fmt"

	"github.com/onboard-dev/onboard/internal/engine"
)

// unsupported is a step kind this build cannot do yet. It fails loudly:
// a checklist item must never be skipped silently.
type unsupported struct{ kind string }

func (u unsupported) Check(context.Context, *engine.Env) (engine.Result, error) {
	return engine.Result{Status: engine.NotMet, Detail: fmt.Sprintf("%s steps are not implemented yet in this build of onboard", u.kind)}, nil
}

func (u unsupported) Apply(context.Context, *engine.Env) error { return engine.ErrCannotApply }
