package config

import yaml "go.yaml.in/yaml/v4"

// maxAliasExpansion bounds how many more values a document may reach through
// aliases than it spells out. Real reuse (a shared env block, a base service)
// stays far below it; "billion laughs" documents, whose size doubles with
// each line, pass it after a handful of lines.
const maxAliasExpansion = 10000

// checkExpansion measures the document as if every alias were written out.
// It returns the alias at which the expanded size passes the budget, or nil.
// Sizes are memoised per node, so the check itself is linear in the source.
func checkExpansion(root *yaml.Node) *yaml.Node {
	sizes := map[*yaml.Node]int{}
	var culprit *yaml.Node
	limit := 0
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if culprit != nil {
			return 0
		}
		if s, ok := sizes[n]; ok {
			return s
		}
		sizes[n] = 0 // guards against a self-referencing anchor
		s := 1
		if n.Kind == yaml.AliasNode {
			if n.Alias != nil {
				s += size(n.Alias)
			}
			if s > limit && culprit == nil {
				culprit = n
			}
		} else {
			for _, c := range n.Content {
				s += size(c)
				if s > limit && culprit == nil {
					culprit = c
				}
			}
		}
		sizes[n] = s
		return s
	}
	limit = countLiteral(root) + maxAliasExpansion
	size(root)
	// A subtree without aliases is never larger than the literal count, so
	// the first node to pass the limit is the alias that the user wrote.
	return culprit
}

// countLiteral counts the nodes as written, aliases counting one each.
func countLiteral(root *yaml.Node) int {
	n, stack := 0, []*yaml.Node{root}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		if top.Kind != yaml.AliasNode {
			stack = append(stack, top.Content...)
		}
	}
	return n
}
