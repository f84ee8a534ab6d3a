//go:build unix

package steps

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/run"
	"github.com/onboard-dev/onboard/internal/supervise"
)

// supervisorStack is a supervisor in the test process whose processes are
// faked: the stack `onboard services up` runs in the foreground.
type supervisorStack struct{ sup *supervise.Supervisor }

func (s supervisorStack) Start(ctx context.Context, spec supervise.ServiceSpec) error {
	return s.sup.Start(ctx, spec)
}

func (s supervisorStack) Statuses(_ context.Context, names ...string) ([]supervise.Status, error) {
	return s.sup.Status(names...), nil
}

// serviceDeps are Deps whose services run under a supervisor that starts
// its processes, setup commands and probes with fake; the services are
// stopped when the test ends.
func serviceDeps(t *testing.T, c *checkout, fake *run.Fake) Deps {
	t.Helper()
	sup, err := supervise.New(filepath.Join(c.root, ".onboard", "services"), supervise.Options{Runner: fake})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sup.Stop(nil, false) })
	stack := supervisorStack{sup}
	return Deps{Runner: fake, Stack: func(context.Context, bool) (Stack, error) { return stack, nil }}
}

// A service item with its processes faked: started by the supervisor,
// ready by its probe, failed with its last lines; checked again on the
// next converge, restarted when an answer it uses changes.
func TestServiceItem(t *testing.T) {
	held := run.Result{Hold: true} // a service that runs until stopped
	for _, tc := range []struct {
		name     string
		inputs   string     // the checklist's inputs:, if any
		services string     // the checklist's services:
		want     [][]expect // the commands of each converge, in order
		environ  []string   // added to the environment of the second converge
		out      []map[string]string
		log      []string // the log tail shown with the first failure
	}{{
		name:     "started: running",
		services: `{web: {run: ./web --port 8080}}`,
		want:     [][]expect{{{"./web --port 8080", held}}},
		out:      []map[string]string{{"service:web": "fixed: running"}},
	}, {
		name:     "healthy by its exec probe",
		services: `{redis: {run: [redis-server, --port, "6380"], ready: {exec: [redis-cli, -p, "6380", ping]}}}`,
		want:     [][]expect{{{"redis-server --port 6380", held}, {"redis-cli -p 6380 ping", exit(0, "PONG\n")}}},
		out:      []map[string]string{{"service:redis": "fixed: running, healthy"}},
	}, {
		name:     "a shell string runs as a script",
		services: `{api: {run: "echo booting; exec ./api"}}`,
		want:     [][]expect{{{"echo booting; exec ./api", held}}},
		out:      []map[string]string{{"service:api": "fixed: running"}},
	}, {
		name:     "exits before ready: failed with its last lines, dependents blocked",
		services: `{db: {run: ./db, ready: {log: "ready to accept"}}, api: {run: ./api, depends_on: {db: healthy}}}`,
		want:     [][]expect{{{"./db", exit(1, "starting\nno disk space\n")}}},
		out: []map[string]string{{
			"service:db":  "failed: exited: exit status 1 (log: $ROOT/.onboard/services/logs/db.log)",
			"service:api": "blocked: blocked: service:db failed",
		}},
		log: []string{"starting", "no disk space"},
	}, {
		name:     "its setup runs first, unless its check passes",
		services: `{pg: {run: postgres -D data, setup: {run: initdb -D data, check: test -d data}}}`,
		want: [][]expect{{
			{"test -d data", exit(1)}, {"initdb -D data", exit(0)}, {"postgres -D data", held},
		}},
		out: []map[string]string{{"service:pg": "fixed: running"}},
	}, {
		name:     "a failed setup fails the service",
		services: `{pg: {run: postgres -D data, setup: {run: initdb -D data}}}`,
		want:     [][]expect{{{"initdb -D data", exit(1, "initdb: cannot create data\n")}}},
		out:      []map[string]string{{"service:pg": "failed: setup: exit status 1 (log: $ROOT/.onboard/services/logs/pg.log)"}},
		log:      []string{"initdb: cannot create data"},
	}, {
		name:     "running: the next converge only checks",
		services: `{web: {run: ./web}}`,
		want:     [][]expect{{{"./web", held}}, nil},
		out:      []map[string]string{{"service:web": "fixed: running"}, {"service:web": "ok: running"}},
	}, {
		name:     "a new answer to an input it uses restarts it",
		inputs:   `{db_password: {prompt: pw}}`,
		services: `{web: {run: ./web $ONBOARD_INPUT_DB_PASSWORD}}`,
		want:     [][]expect{{{"./web $ONBOARD_INPUT_DB_PASSWORD", held}}, {{"./web $ONBOARD_INPUT_DB_PASSWORD", held}}},
		environ:  []string{"ONBOARD_INPUT_DB_PASSWORD=changed"},
		out:      []map[string]string{{"service:web": "fixed: running"}, {"service:web": "fixed: restarted: an answer it uses changed; running"}},
	}, {
		name:     "a new answer to an input it does not use leaves it running",
		inputs:   `{db_password: {prompt: pw}}`,
		services: `{web: {run: ./web}}`,
		want:     [][]expect{{{"./web", held}}, nil},
		environ:  []string{"ONBOARD_INPUT_DB_PASSWORD=changed"},
		out:      []map[string]string{{"service:web": "fixed: running"}, {"service:web": "ok: running"}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			text := "version: 1\n"
			if tc.inputs != "" {
				text += "inputs: " + tc.inputs + "\n"
			}
			c := newCheckout(t, text+"services: "+tc.services+"\n")
			fake := run.NewFake(t)
			deps := serviceDeps(t, c, fake)
			for i, want := range tc.want {
				if i > 0 {
					c.environ = append(c.environ, tc.environ...)
				}
				for _, e := range want {
					fake.Expect(e.command, e.result)
				}
				got := c.up(deps)
				for id, want := range tc.out[i] {
					want = strings.ReplaceAll(want, "$ROOT", c.root)
					if got[id].String() != want {
						t.Errorf("converge %d: %s: got %s, want %s", i+1, id, got[id], want)
					}
					if tc.log != nil && got[id].Outcome == "failed" && !slices.Equal(got[id].Output, tc.log) {
						t.Errorf("%s: log tail %q, want %q", id, got[id].Output, tc.log)
					}
				}
			}
		})
	}
}

// Without a supervisor (`onboard check` of a checkout whose stack is not
// up, or a mode that cannot run services) a service is not met and cannot
// be fixed; nothing runs.
func TestServiceItemWithoutStack(t *testing.T) {
	c := newCheckout(t, "version: 1\nservices: {web: {run: ./web}}\n")
	got := c.up(Deps{Runner: newFake(t, nil)})["service:web"]
	if got.String() != "failed: services cannot run in this mode" {
		t.Errorf("got %s", got)
	}
}
