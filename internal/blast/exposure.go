package blast

import (
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/graph"
)

// Exposure is one dependency of unknown share (`impact: unknown`) in a
// target's upstream: the fault tree leaves it out (an unknown share never
// makes its dependent down), so the failure domains cannot see what lies
// behind it, and package domains lists it apart as unquantified exposure.
type Exposure struct {
	// Dependent is the node holding the dependency of unknown share;
	// Dependency its target (a failover group's members joined by " | ").
	Dependent  string `json:"dependent"`
	Dependency string `json:"dependency"`
	// Path is a chain of dependencies of known share from the target to
	// Dependent, target first.
	Path []string `json:"path"`
	// Upstream lists the nodes that reach the target only through
	// dependencies of unknown share and that this one leads to
	// (Dependency's members included), sorted.
	Upstream []string `json:"upstream"`
}

// Unquantified returns the unquantified exposure of target t: every
// dependency of unknown share that a chain of dependencies of known share
// (impact > 0) reaches from t, with the upstream nodes reachable from t
// only through some dependency of unknown share. Sorted by dependent, then
// dependency; nil when there is none. O(V + E).
func Unquantified(g *graph.Graph, t int32) []Exposure {
	net := g
	idOf := func(u int32) string { return g.ModelNode(u).ID }
	n := net.Len()
	// The quantified cone: reached through dependencies of known share.
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = -1
	}
	parent[t] = t
	queue := []int32{t}
	type edge struct {
		from    int32
		members []int32
	}
	var unknown []edge
	for k := 0; k < len(queue); k++ {
		u := queue[k]
		for _, r := range net.Requirements(u) {
			ms := net.Members(r)
			if r.Unknown {
				unknown = append(unknown, edge{u, ms})
				continue
			}
			if r.Impact <= 0 {
				continue
			}
			for _, v := range ms {
				if parent[v] == -1 {
					parent[v] = u
					queue = append(queue, v)
				}
			}
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	var out []Exposure
	for _, e := range unknown {
		// Everything upstream of the members, through any edge, that the
		// quantified cone does not hold.
		seen := map[int32]bool{}
		var up []string
		stack := slices.Clone(e.members)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[v] || parent[v] != -1 {
				continue
			}
			seen[v] = true
			up = append(up, idOf(v))
			for _, r := range net.Requirements(v) {
				stack = append(stack, net.Members(r)...)
			}
		}
		names := make([]string, len(e.members))
		for i, m := range e.members {
			names[i] = idOf(m)
		}
		var path []string
		for v := e.from; ; v = parent[v] {
			path = append(path, idOf(v))
			if v == t {
				break
			}
		}
		slices.Reverse(path)
		slices.Sort(up)
		out = append(out, Exposure{Dependent: idOf(e.from), Dependency: strings.Join(names, " | "), Path: path, Upstream: up})
	}
	slices.SortFunc(out, func(a, b Exposure) int {
		if c := strings.Compare(a.Dependent, b.Dependent); c != 0 {
			return c
		}
		return strings.Compare(a.Dependency, b.Dependency)
	})
	return out
}
