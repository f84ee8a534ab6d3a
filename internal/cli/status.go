package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/steps"
)

// itemStatus is one line of `onboard status`, and its --json form.
type itemStatus struct {
	ID      string        `json:"id"`
	Outcome string        `json:"outcome"`
	When    *time.Time    `json:"when,omitempty"`
	Took    time.Duration `json:"took_ns,omitempty"`
	Why     string        `json:"why,omitempty"`
	// Changed: the definition changed since the recorded run.
	Changed bool         `json:"changed,omitempty"`
	Skip    *engine.Skip `json:"skip,omitempty"`
}

func (a *app) statusCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "status",
		Short: "The journal: each item's last outcome, when, how long, and why",
		Long: `status shows every item of the checklist with what the last run that reached
it recorded: its outcome, when it ended, how long it took and why (what the
check found, what blocked it, who skipped it and why). It reads
.onboard/state.json and runs nothing.`,
		Example: "  onboard status\n  onboard status --json | jq '.items[] | select(.outcome == \"failed\")'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, _, root, err := a.loadChecklist("")
			if err != nil {
				return err
			}
			if err := engine.RealDirs(root, engine.DirName); err != nil {
				return err
			}
			// Read only: no lock, no state directory made; the state file
			// is replaced atomically, so a running `up` is no harm.
			state, warn := engine.LoadState(filepath.Join(root, engine.DirName, "state.json"))
			if warn != nil {
				fmt.Fprintf(a.streams.Err, "onboard: %v\n", warn)
			}
			var items []itemStatus
			nodes := steps.Build(f, steps.Deps{})
			state.Adopt(nodes)
			for _, n := range nodes {
				items = append(items, statusOf(state, n))
			}
			if a.opts.json {
				enc := json.NewEncoder(a.streams.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"items": items})
			}
			rows := make([][]string, len(items))
			for i, it := range items {
				when, took := "-", "-"
				if it.When != nil {
					when = it.When.Local().Format("2006-01-02 15:04:05")
					took = it.Took.Round(10 * time.Millisecond).String()
				}
				why := it.Why
				if why == "" {
					why = "-"
				}
				rows[i] = []string{it.ID, it.Outcome, when, took, why}
			}
			a.streams.Table([]string{"ITEM", "OUTCOME", "WHEN", "TOOK", "WHY"}, rows)
			return nil
		},
	}
	a.jsonFlag(c, "every item as a JSON object on stdout")
	a.runFlags(c, flagFile)
	return c
}

// statusOf is what the state says of one item.
func statusOf(state *engine.State, n *engine.Node) itemStatus {
	s := itemStatus{ID: n.ID.String(), Outcome: "never run"}
	if sk := state.SkipOf(n.ID, n.Hash); sk != nil {
		s.Skip = sk
	}
	if it := state.Item(n.ID); it != nil && !it.Ended.IsZero() {
		ended := it.Ended
		s.Outcome, s.When, s.Took, s.Why = it.Outcome, &ended, it.Ended.Sub(it.Started), it.Detail
		if it.Hash != n.Hash {
			s.Changed = true
			s.Why = "its definition changed since this run; the next run checks it again"
		}
	}
	if s.Skip != nil {
		s.Outcome, s.Why = engine.OutcomeSkipped, "skipped "+s.Skip.Describe()
	}
	return s
}
