package steps

import (
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/run"
)

// A run step's check, apply and verify, with its commands faked.
func TestRunStep(t *testing.T) {
	for _, tc := range []struct {
		name  string
		step  string // the step, under `steps:`
		files []string
		want  []expect // the commands, in order, and what they do
		out   string   // the outcome
		log   []string // the last lines of its log shown with a failure
	}{{
		name: "check passes: nothing runs",
		step: "{id: deps, run: go mod download, check: go mod verify}",
		want: []expect{{"go mod verify", exit(0)}},
		out:  "ok: go mod verify passed",
	}, {
		name: "check fails, run fixes it",
		step: "{id: deps, run: go mod download, check: go mod verify}",
		want: []expect{{"go mod verify", exit(1)}, {"go mod download", exit(0)}, {"go mod verify", exit(0)}},
		out:  "fixed: go mod verify passed",
	}, {
		name: "run fails: its output is shown",
		step: "{id: deps, run: go mod download, check: go mod verify}",
		want: []expect{{"go mod verify", exit(1)}, {"go mod download", exit(2, "no network\n")}},
		out:  "failed: go mod download: exit status 2",
		log:  []string{"$ go mod verify   # check", "$ go mod download", "no network"},
	}, {
		name: "the fix did not fix",
		step: "{id: deps, run: go mod download, check: go mod verify}",
		want: []expect{{"go mod verify", exit(1)}, {"go mod download", exit(0)}, {"go mod verify", exit(1)}},
		out:  `failed: the fix did not fix: it ran without error, but the check still says "check go mod verify exited 1"`,
	}, {
		name: "a check whose program is missing is not met",
		step: "{id: hooks, run: make hooks, check: lefthook version}",
		want: []expect{
			{"lefthook version", run.Result{Err: &run.NotFoundError{Name: "lefthook"}}},
			{"make hooks", exit(0)},
			{"lefthook version", exit(0)},
		},
		out: "fixed: lefthook version passed",
	}, {
		name: "a missing program fails the run",
		step: "{id: hooks, run: lefthook install}",
		want: []expect{{"lefthook install", run.Result{Err: &run.NotFoundError{Name: "lefthook"}}}},
		out:  "failed: lefthook install: lefthook: command not found",
	}, {
		name: "no check: runs every time",
		step: "{id: hello, run: echo hello}",
		want: []expect{{"echo hello", exit(0)}},
		out:  "fixed: ran (it has no check)",
	}, {
		name: "argv commands as a person would type them",
		step: `{id: hooks, run: [git, config, core.hooksPath, .githooks], check: [sh, -c, 'test "$(git config core.hooksPath)" = .githooks']}`,
		want: []expect{
			{`sh -c "test \"$(git config core.hooksPath)\" = .githooks"`, exit(1)},
			{"git config core.hooksPath .githooks", exit(0)},
			{`sh -c "test \"$(git config core.hooksPath)\" = .githooks"`, exit(0)},
		},
		out: `fixed: sh -c "test \"$(git config core.hooksPath)\" = .githooks" passed`,
	}, {
		name: "a check that hangs is stopped at the timeout",
		step: "{id: hang, run: 'true', check: sleep 60, timeout: 20ms}",
		want: []expect{{"sleep 60", run.Result{Hold: true}}},
		out:  "failed: check failed: timed out after 20ms and was stopped",
	}, {
		name: "a run that hangs is stopped at the timeout",
		step: "{id: hang, run: sleep 60, timeout: 20ms}",
		want: []expect{{"sleep 60", run.Result{Hold: true}}},
		out:  "failed: sleep 60: timed out after 20ms and was stopped",
	}, {
		name:  "creates: met without running anything",
		step:  "{id: db, run: make db, creates: data/db.sqlite}",
		files: []string{"data/db.sqlite"},
		out:   "ok: data/db.sqlite exists",
	}, {
		name: "creates: runs when missing; the fix that does not create it does not fix",
		step: "{id: db, run: make db, creates: data/db.sqlite}",
		want: []expect{{"make db", exit(0)}},
		out:  `failed: the fix did not fix: it ran without error, but the check still says "data/db.sqlite does not exist yet"`,
	}, {
		name: "not for this OS: nothing runs",
		step: "{id: brew, run: brew bundle, check: brew bundle check, when: {os: [plan9]}}",
		out:  "skipped: not for " + runtime.GOOS + "/" + runtime.GOARCH,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCheckout(t, "version: 1\nsteps:\n  - "+tc.step+"\n")
			for _, f := range tc.files {
				c.write(f, "", 0o644)
			}
			got := c.up(Deps{Runner: newFake(t, tc.want)})["step:"+c.list.Steps[0].ID.Value]
			if got.String() != tc.out {
				t.Errorf("got %s, want %s", got, tc.out)
			}
			if tc.log != nil && !slices.Equal(got.Output, tc.log) {
				t.Errorf("log tail = %q, want %q", got.Output, tc.log)
			}
		})
	}
}

// A run step's commands run in its dir with the run's environment, its own
// env and the step's timeout; `check` mode runs the check only.
func TestRunStepCommand(t *testing.T) {
	c := newCheckout(t, `version: 1
steps:
  - id: deps
    run: npm ci
    check: npm ls
    dir: web
    env: {NODE_ENV: development}
    timeout: 90s
`)
	c.environ = append(c.environ, "PATH=/usr/bin")
	fake := newFake(t, []expect{{"npm ls", exit(1)}})
	if got := c.converge(engine.Check, Deps{Runner: fake})["step:deps"]; got.String() != "not-met: check npm ls exited 1" {
		t.Errorf("check mode: %s", got)
	}
	ran := fake.Ran()
	if len(ran) != 1 {
		t.Fatalf("ran %d commands, want 1", len(ran))
	}
	cmd := ran[0]
	if cmd.Shell != "npm ls" || cmd.Dir != filepath.Join(c.root, "web") || cmd.Timeout != 90*time.Second {
		t.Errorf("command = %q in %s, timeout %s", cmd.Shell, cmd.Dir, cmd.Timeout)
	}
	for name, want := range map[string]string{"NODE_ENV": "development", "PATH": "/usr/bin", "HOME": c.root} {
		if v, _ := envValue(cmd.Env, name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
}
