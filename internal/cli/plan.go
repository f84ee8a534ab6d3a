package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/ui"
	"github.com/onboard-dev/onboard/steps"
)

func (a *app) planCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "plan",
		Short: "Show what `up` would do, item by item (runs nothing, writes nothing)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, shown, root, err := a.loadChecklist("")
			if err != nil {
				return err
			}
			nodes := steps.Build(f, steps.Deps{})
			// Read the state if there is one, without creating anything.
			state, _ := engine.LoadState(filepath.Join(root, engine.DirName, "state.json"))
			state.Adopt(nodes)
			if a.opts.json {
				doc := planDoc{Checklist: shown, Items: []planItem{}}
				for _, n := range engine.Order(nodes) {
					doc.Items = append(doc.Items, planItemOf(n, state))
				}
				return writeJSON(a.streams.Out, doc)
			}
			var rows []ui.PlanRow
			for _, n := range engine.Order(nodes) {
				rows = append(rows, ui.PlanRow{ID: n.ID.String(), Text: planText(n), LastRun: lastRun(state, n)})
			}
			a.streams.Plan(fmt.Sprintf("Plan for %s: in this order, each item is checked and, only if not met, applied.", shown), rows)
			return nil
		},
	}
	a.jsonFlag(c, "the plan as one JSON object on stdout: each item's check, apply, needs and last run")
	a.runFlags(c, flagFile)
	return c
}

// planText says what an item would do, and why, without doing it.
func planText(n *engine.Node) string {
	var parts []string
	switch {
	case n.Manual:
		parts = append(parts, n.Plan.Apply+", unless "+n.Plan.Check)
	case n.Plan.Check == "" && n.Plan.Apply != "":
		parts = append(parts, "no check, so it runs every time: "+n.Plan.Apply)
	case n.Plan.Apply == "":
		parts = append(parts, "check: "+n.Plan.Check)
	default:
		parts = append(parts, "check: "+n.Plan.Check+"; if not: "+n.Plan.Apply)
	}
	if n.Plan.Check == "" && n.Plan.Apply == "" {
		parts = []string{"not implemented yet in this build: it will fail"}
	}
	if len(n.Needs) > 0 {
		needs := make([]string, len(n.Needs))
		for i, need := range n.Needs {
			needs[i] = need.String()
		}
		parts = append(parts, "after "+strings.Join(needs, ", "))
	}
	if n.Optional {
		parts = append(parts, "optional")
	}
	return strings.Join(parts, "; ")
}

func lastRun(s *engine.State, n *engine.Node) string {
	if sk := s.SkipOf(n.ID, n.Hash); sk != nil {
		return "(skipped " + sk.Describe() + "; `onboard unskip " + n.ID.String() + "` runs it again)"
	}
	st, ok := s.Items[n.ID]
	if !ok {
		return "(never run)"
	}
	if st.Hash != n.Hash {
		return "(changed since the last run)"
	}
	return "(last run: " + st.Outcome + ")"
}
