package engine

// Order returns the nodes in an order where every node comes after what it
// needs, keeping the checklist's own order wherever the graph allows.
func Order(nodes []*Node) []*Node {
	byID := map[ID]*Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	seen := map[ID]bool{}
	var out []*Node
	var visit func(n *Node)
	visit = func(n *Node) {
		if seen[n.ID] {
			return
		}
		seen[n.ID] = true // the loader refused cycles, so this only dedups
		for _, need := range n.Needs {
			if m := byID[need]; m != nil {
				visit(m)
			}
		}
		out = append(out, n)
	}
	for _, n := range nodes {
		visit(n)
	}
	return out
}
