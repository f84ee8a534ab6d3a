package steps

import (
	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

// Deps are the shared services items use during one run.
type Deps struct{}

func toolNode(t *config.Tool, _ Deps) *engine.Node {
	return &engine.Node{ID: "tool:" + t.Name, Line: t.Pos.Line, Hash: hash(t), Optional: t.Optional, Item: unsupported{kind: "tool"}}
}
