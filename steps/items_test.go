package steps

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/run"
)

// checkout is a repository root for item unit tests: a checklist, and the
// engine's state between converges, as `onboard up` keeps it.
type checkout struct {
	t       *testing.T
	root    string
	list    *config.File
	environ []string
	// confirm answers manual items; nil is no terminal.
	confirm func(ctx context.Context, question string) (bool, error)
}

// newCheckout parses yaml as the checkout's onboard.yaml.
func newCheckout(t *testing.T, yaml string) *checkout {
	t.Helper()
	root := t.TempDir()
	return &checkout{t: t, root: root, list: parseList(t, yaml), environ: []string{"HOME=" + root}}
}

// parseList parses yaml as an onboard.yaml.
func parseList(t *testing.T, yaml string) *config.File {
	t.Helper()
	f, err := config.Parse("onboard.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// outcome is what `onboard up` reports for one item.
type outcome struct {
	Outcome string   // engine.OutcomeOK, OutcomeFixed, …
	Detail  string   // the line's detail
	Fix     string   // the hint for a person
	Output  []string // the last lines of its log, on failure
}

func (o outcome) String() string { return o.Outcome + ": " + o.Detail }

// up converges every item (check → apply → verify) with deps, as `onboard
// up` does, and returns each item's outcome by id.
func (c *checkout) up(deps Deps) map[string]outcome {
	return c.converge(engine.Up, deps)
}

func (c *checkout) converge(mode engine.Mode, deps Deps) map[string]outcome {
	c.t.Helper()
	ws, err := engine.Open(c.root)
	if err != nil {
		c.t.Fatal(err)
	}
	defer ws.Close()
	var mu sync.Mutex
	got := map[string]outcome{}
	_ = engine.Run(context.Background(), ws, Build(c.list, deps), engine.Options{
		Mode: mode, Environ: c.environ, Confirm: c.confirm,
		Emit: func(e engine.Event) {
			if e.Type == engine.EventItemDone {
				mu.Lock()
				defer mu.Unlock()
				got[fmt.Sprint(e.ID)] = outcome{Outcome: e.Outcome, Detail: e.Detail, Fix: e.Fix, Output: e.Output}
			}
		},
	})
	return got
}

// write creates a file in the checkout.
func (c *checkout) write(name, content string, mode os.FileMode) {
	c.t.Helper()
	p := filepath.Join(c.root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		c.t.Fatal(err)
	}
}

// expect scripts fake's answers: each pair is a command and its result.
type expect struct {
	command string
	result  run.Result
}

func newFake(t *testing.T, want []expect) *run.Fake {
	fake := run.NewFake(t)
	for _, e := range want {
		fake.Expect(e.command, e.result)
	}
	return fake
}

// exit is a command's result that exits with code.
func exit(code int, output ...string) run.Result {
	return run.Result{Exit: code, Output: strings.Join(output, "")}
}

// envValue is NAME's value in env, the last one set.
func envValue(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}
