package graph

import "slices"

// Neighbourhood returns the seeds, everything they depend on and
// everything that depends on them, each direction followed for at most
// depth hops (depth <= 0: no limit). Directions are not mixed: the
// dependencies of a dependent are not included. The result is sorted.
// O(V + E).
func (g *Graph) Neighbourhood(seeds []int32, depth int) []int32 {
	in := make([]bool, len(g.nodes))
	var out []int32
	for _, step := range []func(int32) []int32{g.Dependencies, g.Dependents} {
		seen := make([]bool, len(g.nodes))
		frontier := slices.Clone(seeds)
		for _, s := range seeds {
			seen[s] = true
		}
		for hop := 0; len(frontier) > 0 && (depth <= 0 || hop < depth); hop++ {
			var next []int32
			for _, u := range frontier {
				for _, v := range step(u) {
					if !seen[v] {
						seen[v] = true
						next = append(next, v)
					}
				}
			}
			frontier = next
		}
		for i, s := range seen {
			if s && !in[i] {
				in[i] = true
				out = append(out, int32(i))
			}
		}
	}
	slices.Sort(out)
	return out
}
