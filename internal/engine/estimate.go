package engine

import "time"

// estimate is how long the run should take, from the items' budgets
// (`expect:` or learned): the longest chain of budgets along the
// dependency graph, since independent items run side by side. An item
// that has a check and ended met or fixed last time counts nothing: it
// will most likely only be checked. Zero when no item that may work has a budget.
func (r *runner) estimate(nodes []*Node, selected map[ID]bool) time.Duration {
	if r.opts.Mode != Up {
		return 0 // a check changes nothing: it takes the checks' time
	}
	memo := map[ID]time.Duration{}
	var finish func(n *Node, depth int) time.Duration
	finish = func(n *Node, depth int) time.Duration {
		if d, ok := memo[n.ID]; ok {
			return d
		}
		var before time.Duration
		if depth < len(nodes) { // a cycle never reaches the engine, but never loop
			for _, need := range n.Needs {
				if m := r.nodes[need]; m != nil {
					before = max(before, finish(m, depth+1))
				}
			}
		}
		own := time.Duration(0)
		if selected[n.ID] && !r.likelyMet(n) && r.ws.State.SkipOf(n.ID, n.Hash) == nil {
			own = r.budgetOf(n).expect
		}
		memo[n.ID] = before + own
		return before + own
	}
	var total time.Duration
	for _, n := range nodes {
		total = max(total, finish(n, 0))
	}
	return total
}

// likelyMet: the item has a check, and the last run of this definition
// ended with it met.
func (r *runner) likelyMet(n *Node) bool {
	o := r.ws.State.lastOutcome(n.ID, n.Hash)
	return n.Plan.Check != "" && (o == OutcomeOK || o == OutcomeFixed)
}
