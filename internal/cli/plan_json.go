package cli

import (
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
)

// `onboard plan --json`: what up would do, item by item, as one JSON
// object on stdout, for tools that show or diff a plan.

// planDoc is what plan --json prints.
type planDoc struct {
	Checklist string     `json:"checklist"`
	Items     []planItem `json:"items"`
}

// planItem is one item, in the order up works through them.
type planItem struct {
	ID   string `json:"id"`
	Name string `json:"name"` // as events name it (engine.Node.DisplayName)
	Line int    `json:"line,omitempty"`
	// Check is what decides whether the item is met ("" when it has no
	// check); Apply what runs when it is not ("" when nothing can).
	Check string `json:"check,omitempty"`
	Apply string `json:"apply,omitempty"`
	// EveryTime: no check, so the apply runs on every up.
	EveryTime bool     `json:"every_time,omitempty"`
	Manual    bool     `json:"manual,omitempty"`
	Optional  bool     `json:"optional,omitempty"`
	Needs     []string `json:"needs"`
	// LastRun is what state.json remembers of the item; absent when it
	// never ran.
	LastRun *planLastRun `json:"last_run,omitempty"`
}

// planLastRun is the item's last outcome, when it ended, and whether its
// definition changed since (then the outcome says little about now).
type planLastRun struct {
	Outcome string     `json:"outcome"`
	Ended   *time.Time `json:"ended,omitempty"`
	Changed bool       `json:"changed"`
}

// planItemOf describes n for plan --json; s is the state, possibly empty.
func planItemOf(n *engine.Node, s *engine.State) planItem {
	it := planItem{ID: n.ID.String(), Name: n.DisplayName(), Line: n.Line, Check: n.Plan.Check, Apply: n.Plan.Apply,
		EveryTime: !n.Manual && n.Plan.Check == "" && n.Plan.Apply != "", Manual: n.Manual, Optional: n.Optional, Needs: []string{}}
	for _, need := range n.Needs {
		it.Needs = append(it.Needs, need.String())
	}
	if st, ok := s.Items[n.ID]; ok {
		it.LastRun = &planLastRun{Outcome: st.Outcome, Changed: st.Hash != n.Hash}
		if !st.Ended.IsZero() {
			ended := st.Ended
			it.LastRun.Ended = &ended
		}
	}
	return it
}
