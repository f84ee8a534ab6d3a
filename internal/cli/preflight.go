package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/preflight"
	"github.com/onboard-dev/onboard/internal/supervise"
	"github.com/onboard-dev/onboard/steps"
)

// PreflightError is a preflight that found problems: nothing was changed.
type PreflightError struct{ Problems []string }

func (e *PreflightError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "preflight found %d %s; nothing was changed:", len(e.Problems), pluralize(len(e.Problems), "problem", "problems"))
	for _, p := range e.Problems {
		b.WriteString("\n  ✗ " + p)
	}
	b.WriteString("\nFix them, then run onboard again (`onboard preflight` checks them alone).")
	return b.String()
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (a *app) preflightCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "preflight",
		Short: "Check everything that would stop `up` before it starts, all at once",
		Long: `preflight checks, without changing anything, what onboard up checks before any
item applies: every port a service's tcp/http readiness probe names is free (a
port this checklist's own running services hold is not a conflict), the Docker
daemon answers when a compose service exists, the checkout is writable, and the
checklist's preflight: {disk: SIZE, env: [NAME…]} holds.`,
		Example: "  onboard preflight\n  onboard preflight --only migrate\n  onboard preflight --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, _, root, err := a.loadChecklist("")
			if err != nil {
				return err
			}
			if err := a.checkSelection(steps.IDs(f)); err != nil {
				return err
			}
			// What a plain `up` with the same --only/--skip would run.
			state, _ := engine.LoadState(filepath.Join(root, engine.DirName, "state.json"))
			nodes := steps.Build(f, steps.Deps{})
			state.Adopt(nodes)
			sel := willRun(nodes, nil, canonical(a.opts.only), canonical(a.opts.skip), state)
			if err := a.runPreflight(cmd.Context(), f, root, os.Environ(), sel); err != nil {
				return err
			}
			if !a.opts.json {
				fmt.Fprintln(a.streams.Out, "✓ preflight: nothing stops onboard up")
			}
			return nil
		},
	}
	a.jsonFlag(c, "a preflight.failed event with every problem, as JSON on stdout")
	// --only and --skip choose what up would run, so what is checked; it
	// runs nothing, asks nothing and reports no item, so nothing else
	// shapes it.
	a.runFlags(c, flagFile|flagOnly|flagSkip)
	return c
}

// runPreflight checks what would stop the run before anything changes.
// selected, when not nil, limits the ports to the services that run.
// With --json its problems are a preflight.failed event on stdout.
func (a *app) runPreflight(ctx context.Context, f *config.File, root string, environ []string, selected map[engine.ID]bool) error {
	spec := preflight.Spec{Root: root, Environ: environ, Own: ownServices(ctx, root)}
	for _, svc := range f.Services {
		id := engine.ServiceID(svc.Name)
		if selected != nil && !selected[id] {
			continue
		}
		if svc.Compose != nil {
			spec.Compose = append(spec.Compose, id.String())
			continue
		}
		if port := probePort(svc.Ready); port > 0 {
			spec.Ports = append(spec.Ports, preflight.Port{Service: id.String(), Port: port})
		}
	}
	if p := f.Preflight; p != nil {
		spec.Disk, spec.DiskShown = p.DiskBytes, p.Disk.Value
		for _, e := range p.Env {
			spec.Env = append(spec.Env, e.Value)
		}
	}
	problems := preflight.Check(ctx, spec)
	if len(problems) == 0 {
		return nil
	}
	if a.opts.json {
		_ = json.NewEncoder(a.streams.Out).Encode(engine.Event{Time: time.Now(), Type: engine.EventPreflightFailed, Problems: problems})
	}
	return &PreflightError{Problems: problems}
}

// probePort is the port a tcp or http readiness probe waits on; 0 for
// none.
func probePort(r *config.Ready) int {
	switch {
	case r == nil:
		return 0
	case r.TCP.Value != "":
		return supervise.ProbePort(&supervise.TCPProbe{Addr: r.TCP.Value})
	case r.HTTP.Value != "":
		return supervise.ProbePort(&supervise.HTTPProbe{URL: r.HTTP.Value})
	}
	return 0
}

// ownServices are the services this checklist's supervisor runs now: the
// ports they hold are theirs. It creates nothing when none runs.
func ownServices(ctx context.Context, root string) map[string]bool {
	dir := filepath.Join(root, engine.DirName, "services")
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	c, err := supervise.Dial(ctx, dir)
	if err != nil {
		return nil
	}
	list, err := c.Statuses(ctx)
	if err != nil {
		return nil
	}
	own := map[string]bool{}
	for _, s := range list {
		if s.Active() {
			own[engine.ServiceID(s.Name).String()] = true
		}
	}
	return own
}

// willRun are the items a run with this selection runs, as the engine
// picks them (exactly run; or only and what it needs; or everything),
// less --skip and the items skipped with `onboard skip`.
func willRun(nodes []*engine.Node, run, only, skip []engine.ID, st *engine.State) map[engine.ID]bool {
	byID := map[engine.ID]*engine.Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	sel := map[engine.ID]bool{}
	var add func(id engine.ID)
	add = func(id engine.ID) {
		if sel[id] || byID[id] == nil {
			return
		}
		sel[id] = true
		for _, need := range byID[id].Needs {
			add(need)
		}
	}
	switch {
	case len(run) > 0:
		for _, id := range run {
			sel[id] = true
		}
	case len(only) > 0:
		for _, id := range only {
			add(id)
		}
	default:
		for _, n := range nodes {
			sel[n.ID] = true
		}
	}
	for _, id := range skip {
		delete(sel, id)
	}
	for _, n := range nodes {
		if st.SkipOf(n.ID, n.Hash) != nil {
			delete(sel, n.ID)
		}
	}
	return sel
}
