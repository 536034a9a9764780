package graph

import (
	"slices"

	"gonum.org/v1/gonum/graph/topo"
)

// Cycles returns the strongly connected components with more than one
// node: groups of nodes that depend on each other. Each cycle's ids are
// sorted and the cycles are sorted by their first id. It uses Tarjan's
// algorithm (gonum topo.TarjanSCC), O(V + E).
func (g *Graph) Cycles() [][]string {
	var out [][]string
	for _, scc := range topo.TarjanSCC(g) {
		if len(scc) < 2 {
			continue
		}
		ids := make([]string, len(scc))
		for k, n := range scc {
			ids[k] = g.nodes[n.ID()].ID
		}
		slices.Sort(ids)
		out = append(out, ids)
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out
}
