package cli

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/engine"
)

// journalSelection is what a journal command runs.
type journalSelection struct {
	// run: exactly these items, not even what they need (retry).
	run []engine.ID
	// only: these items and what they need, as --only (redo).
	only []engine.ID
	// redo: applied even though their check passes.
	redo []engine.ID
	// nothing is what to say when there is nothing to run.
	nothing string
}

// journalPick chooses, from the locked state and the built items, what a
// journal command runs.
type journalPick func(st *engine.State, nodes []*engine.Node) (journalSelection, error)

func (a *app) retryCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "retry [ID…]",
		Short: "Run the items that failed or were blocked in the last runs, and what depends on them",
		Long: `retry runs the items whose last outcome is failed or blocked (or the items
given), and every item that depends on them; nothing else is checked again.`,
		Example:           "  onboard retry\n  onboard retry migrate",
		ValidArgsFunction: a.completeItemArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ids := canonical(args)
			if err := a.checkIDs(ids); err != nil {
				return err
			}
			pick := func(st *engine.State, nodes []*engine.Node) (journalSelection, error) {
				start := ids
				if len(start) == 0 {
					for _, n := range nodes {
						if it := st.Item(n.ID); it != nil && (it.Outcome == engine.OutcomeFailed || it.Outcome == engine.OutcomeBlocked) {
							start = append(start, n.ID)
						}
					}
				}
				return journalSelection{run: engine.WithDependents(nodes, start),
					nothing: "Nothing to retry: no item failed or was blocked in the last runs."}, nil
			}
			return a.converge(cmd.Context(), engine.Up, convergeOpts{pick: pick})
		},
	}
	// No --only or --skip: the engine runs exactly what retry picked
	// (Options.Select) and reads neither.
	a.runFlags(c, flagFile|flagYes|flagSet|flagJobs|flagForce|flagVerbose)
	return c
}

func (a *app) redoCommand() *cobra.Command {
	var withDependents bool
	c := &cobra.Command{
		Use:   "redo ID…",
		Short: "Apply items even though their check passes, then verify them",
		Long: `redo applies the items given even though their check passes (to re-seed a
database, say), then checks them again. What they need is checked first, as
with --only; --with-dependents redoes what depends on them too.`,
		Example:           "  onboard redo seed\n  onboard redo seed --with-dependents",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: a.completeItemArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ids := canonical(args)
			if err := a.checkIDs(ids); err != nil {
				return err
			}
			pick := func(_ *engine.State, nodes []*engine.Node) (journalSelection, error) {
				redo := slices.Clone(ids)
				if withDependents {
					redo = engine.WithDependents(nodes, ids)
				}
				return journalSelection{only: redo, redo: redo}, nil
			}
			return a.converge(cmd.Context(), engine.Up, convergeOpts{pick: pick})
		},
	}
	c.Flags().BoolVar(&withDependents, "with-dependents", false, "redo what depends on them too")
	// No --only: the items given are redo's --only. --skip still leaves
	// out what they need.
	a.runFlags(c, flagFile|flagYes|flagSet|flagSkip|flagJobs|flagForce|flagVerbose)
	return c
}

// checkIDs refuses ids that name nothing in the checklist, before any
// work starts.
func (a *app) checkIDs(ids []engine.ID) error {
	f, _, _, err := a.loadChecklist("")
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := findNode(f, id.String()); err != nil {
			return err
		}
	}
	return nil
}
