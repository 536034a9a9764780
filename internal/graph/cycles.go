package graph

import "slices"

// Cycles returns the strongly connected components with more than one
// node: groups of nodes that depend on each other. Each cycle's ids are
// sorted and the cycles are sorted by their first id. The components come
// from Build (Tarjan's algorithm), so this is O(V).
func (g *Graph) Cycles() [][]string {
	var out [][]string
	order := g.order
	for k := 0; k < len(order); {
		end := k + 1
		for end < len(order) && g.component[order[end]] == g.component[order[k]] {
			end++
		}
		if end-k > 1 {
			ids := make([]string, 0, end-k)
			for _, u := range order[k:end] {
				ids = append(ids, g.nodes[u].ID)
			}
			slices.Sort(ids)
			out = append(out, ids)
		}
		k = end
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out
}
