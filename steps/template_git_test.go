//go:build unix

package steps

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/run"
)

// A render that holds a secret warns when git tracks its file, asking git
// through the checklist's Runner: git's answer decides, and nothing runs
// when the render holds no secret.
func TestTemplateWarnsWhenTrackedWithASecret(t *testing.T) {
	for _, tt := range []struct {
		name    string
		exit    int
		warning bool
	}{
		{"tracked", 0, true},
		{"not tracked", 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := run.NewFake(t).Expect("git ls-files --error-unmatch -- .env", run.Result{Exit: tt.exit})
			h := newHarness(t, map[string]string{"env.tmpl": "TOKEN=s3cr3t\n"})
			if err := os.Mkdir(filepath.Join(h.root, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			h.deps = Deps{Runner: fake, Secrets: []string{"s3cr3t"}}
			outcome, detail := h.up(h.node(tmpl("env.tmpl", ".env")))
			if outcome != engine.OutcomeFixed || strings.Contains(detail, "tracked by git") != tt.warning {
				t.Errorf("up = %s %q; want a warning: %v", outcome, detail, tt.warning)
			}
			if n := len(fake.Ran()); n != 1 {
				t.Errorf("git ran %d times, want once (the check after the fix)", n)
			}
		})
	}
	t.Run("no secret", func(t *testing.T) {
		fake := run.NewFake(t) // nothing may run
		h := newHarness(t, map[string]string{"env.tmpl": "TOKEN=public\n"})
		if err := os.Mkdir(filepath.Join(h.root, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		h.deps = Deps{Runner: fake, Secrets: []string{"s3cr3t"}}
		if outcome, detail := h.up(h.node(tmpl("env.tmpl", ".env"))); outcome != engine.OutcomeFixed || strings.Contains(detail, "tracked") {
			t.Errorf("up = %s %q", outcome, detail)
		}
	})
}
