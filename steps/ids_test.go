package steps

import (
	"slices"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

// IDs names the nodes Build makes, in its order, and the ids the checklist
// writes in needs (config's syntax) are the engine's ids: none of these
// needs is dropped as naming nothing.
func TestIDsAreBuildsIDs(t *testing.T) {
	f, err := config.Parse("onboard.yaml", []byte(`version: 1
project: p
repo: {url: https://example.com/p.git}
inputs:
  user: {prompt: "Your name"}
tools:
  go: ">= 1.22"
steps:
  - id: deps
    run: go mod download
  - id: all
    run: "true"
    needs: [repo, input:user, tool:go, deps, step:deps, service:db]
services:
  db:
    run: sleep 1000
    depends_on: {deps: completed}
`))
	if err != nil {
		t.Fatal(err)
	}
	var built []engine.ID
	var all *engine.Node
	for _, n := range Build(f, Deps{}) {
		built = append(built, n.ID)
		if n.ID == engine.StepID("all") {
			all = n
		}
	}
	want := []engine.ID{engine.RepoID, engine.InputID("user"), engine.ToolID("go"), engine.StepID("deps"), engine.StepID("all"), engine.ServiceID("db")}
	if got := IDs(f); !slices.Equal(got, want) || !slices.Equal(built, want) {
		t.Errorf("IDs = %v, Build made %v, want %v", got, built, want)
	}
	wantNeeds := []engine.ID{engine.RepoID, engine.InputID("user"), engine.ToolID("go"), engine.StepID("deps"), engine.StepID("deps"), engine.ServiceID("db")}
	if !slices.Equal(all.Needs, wantNeeds) {
		t.Errorf("step:all needs %v, want %v", all.Needs, wantNeeds)
	}
}
