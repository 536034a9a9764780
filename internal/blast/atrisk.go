package blast

import (
	"github.com/depgraph/depgraph/internal/graph"
)

// StateAtRisk is the state of a node that a failure may reach, by an
// amount nobody can state: it depends, with a share nobody has published
// (`impact: unknown`), on an impaired or at-risk node, or with a known
// share on an at-risk one. StateAtRiskText is how people read it.
const (
	StateAtRisk     = "at_risk"
	StateAtRiskText = "at risk"
)

// AtRisk is the at-risk pass over a propagation: which nodes that the
// numbers leave healthy are exposed through dependencies of unknown share.
type AtRisk struct {
	// Risk marks the at-risk nodes, indexed by node ID.
	Risk []bool
	// Order lists the at-risk nodes in the order they were found
	// (breadth first from the impaired nodes).
	Order []int32
	// Via is the dependency that explains each at-risk node (an impaired
	// or at-risk node), -1 elsewhere; Hops counts the links from the
	// failed node along the explaining chain, -1 elsewhere.
	Via  []int32
	Hops []int32

	p *Propagation
}

// FindAtRisk runs the at-risk pass over p (a propagation on net):
//
//   - a node already impaired (down or degraded) stays in that state;
//   - a healthy node is at risk when one of its requirements is at risk;
//   - a single requirement of unknown share is at risk when its target is
//     impaired or at risk; one of known share (impact > 0) when its target
//     is at risk;
//   - a failover group of unknown share is at risk when it is impaired
//     (the propagation's Min-th healthiest member is impaired) or when
//     fewer than Min of its members are surely healthy (neither impaired
//     nor at risk); a group of known share only in the second case, since
//     an impaired group of known share already impairs its dependent.
//
// At risk spreads downstream through any edge from an at-risk node, and
// cycles are settled by a work list (the at-risk set only grows).
// O(V' + E') for the nodes and edges downstream of the impaired ones.
func FindAtRisk(net Network, p *Propagation) *AtRisk {
	n := len(p.Impairment)
	a := &AtRisk{Risk: make([]bool, n), p: p}
	a.Hops, a.Via = unexplained(n)
	impaired := func(u int32) bool { return p.Impairment[u] > Epsilon }
	p.ExplainPaths()
	queue := make([]int32, 0, len(p.Order))
	for _, u := range p.Order {
		a.Hops[u] = p.Hops[u]
		queue = append(queue, u)
	}
	// exposed reports whether healthy node d is at risk, and through which
	// member.
	exposed := func(d int32) (int32, bool) {
		for _, r := range net.Requirements(d) {
			ms := net.Members(r)
			if !r.Group {
				v := ms[0]
				if (a.Risk[v] && (r.Unknown || r.Impact > 0)) || (r.Unknown && impaired(v)) {
					return v, true
				}
				continue
			}
			if r.Unknown && groupImpaired(p, r, ms) {
				for _, v := range ms {
					if impaired(v) {
						return v, true
					}
				}
			}
			healthy, via := 0, int32(-1)
			for _, v := range ms {
				switch {
				case !impaired(v) && !a.Risk[v]:
					healthy++
				case via < 0 || (a.Risk[v] && !a.Risk[via]):
					via = v // prefer an at-risk member: it is why the group is only at risk
				}
			}
			if healthy < int(r.Min) && (r.Unknown || r.Impact > 0) && via >= 0 {
				return via, true
			}
		}
		return -1, false
	}
	for k := 0; k < len(queue); k++ {
		for _, d := range net.Dependents(queue[k]) {
			if a.Risk[d] || impaired(d) {
				continue
			}
			if v, ok := exposed(d); ok {
				a.Risk[d], a.Via[d], a.Hops[d] = true, v, a.Hops[v]+1
				a.Order = append(a.Order, d)
				queue = append(queue, d)
			}
		}
	}
	return a
}

// groupImpaired reports whether a failover group is impaired: its Min-th
// healthiest member is.
func groupImpaired(p *Propagation, r graph.Requirement, ms []int32) bool {
	ok := 0
	for _, v := range ms {
		if p.Impairment[v] <= Epsilon {
			ok++
		}
	}
	return ok < int(r.Min)
}

// Path returns the chain that explains an at-risk node, from a failed
// node through the impaired ones to u; nil when u is not at risk.
func (a *AtRisk) Path(u int32) []int32 {
	if !a.Risk[u] {
		return nil
	}
	var rev []int32
	v := u
	for ; a.Risk[v]; v = a.Via[v] {
		rev = append(rev, v)
	}
	base := a.p.Path(v)
	for i := len(rev) - 1; i >= 0; i-- {
		base = append(base, rev[i])
	}
	return base
}
