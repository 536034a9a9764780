package blast

import (
	"slices"

	"github.com/depgraph/depgraph/internal/graph"
)

// Network is what the propagation needs of a dependency graph.
// *graph.Graph implements it.
type Network interface {
	Len() int
	Requirements(i int32) []graph.Requirement
	Members(r graph.Requirement) []int32
	Dependents(i int32) []int32
	// Order lists every node dependencies first, the members of a cycle
	// together; Component names each node's strongly connected component,
	// the indices following the same order.
	Order() []int32
	Component(i int32) int32
}

// Epsilon is the smallest impairment reported; smaller values are noise
// from weighted cycles.
const Epsilon = 1e-9

// convergence and maxRounds bound the fixed-point iteration in a cycle.
const (
	convergence = 1e-12
	maxRounds   = 10000
)

// Propagation holds the impairment of every node after a failure.
type Propagation struct {
	// Impairment is indexed by node ID; 0 for unaffected nodes.
	Impairment []float64
	// Hops is the length of the explaining path, -1 for unaffected nodes
	// and 0 for the failed ones; nil until paths are computed (Propagate
	// computes them; Path does on demand).
	Hops []int32
	// Via is the dependency that explains each affected node, -1 for the
	// failed and unaffected nodes.
	Via []int32
	// Order lists the affected nodes (impairment > Epsilon, failed
	// included) in ascending ID order.
	Order []int32

	// What explainPaths needs, kept so paths can be added later.
	net   Network
	base  []float64
	seeds []int32
	cand  []int32 // downstream candidates, dependencies first
}

// explainPaths fills Hops and Via (see explain), once.
func (p *Propagation) explainPaths() {
	if p.Hops != nil {
		return
	}
	p.Hops = make([]int32, len(p.Impairment))
	p.Via = make([]int32, len(p.Impairment))
	ev := evaluator{net: p.net, imp: p.Impairment, base: p.base}
	p.explain(p.net, ev, p.seeds, p.cand)
}

// Propagate computes the impairments that follow from failing the given
// nodes (see the package doc for the semantics).
func Propagate(net Network, failed []int32) *Propagation {
	seeds := make([]Seed, len(failed))
	for i, f := range failed {
		seeds[i] = Seed{Node: f, Impairment: 1}
	}
	return PropagateSeeds(net, seeds)
}

// Seed is a node impaired on its own: by an observed incident, or failed
// on purpose (impairment 1).
type Seed struct {
	Node       int32
	Impairment float64
}

// PropagateSeeds computes the impairments that follow from nodes impaired
// on their own. A seeded node's own impairment b combines with what its
// dependencies cost it like one more loss: 1 − (1 − b)·Π(1 − loss).
func PropagateSeeds(net Network, seeds []Seed) *Propagation {
	return propagate(net, seeds, true)
}

// propagate computes the impairments, and the explaining paths when
// explain is set.
func propagate(net Network, seeds []Seed, explain bool) *Propagation {
	n := net.Len()
	base := make([]float64, n)
	failed := make([]int32, 0, len(seeds))
	for _, s := range seeds {
		if s.Impairment > base[s.Node] {
			base[s.Node] = min(s.Impairment, 1)
		}
	}
	for _, s := range seeds {
		if base[s.Node] > Epsilon {
			failed = append(failed, s.Node)
		}
	}
	p := &Propagation{Impairment: make([]float64, n)}
	// Candidates: everything downstream of a failed node.
	inC := make([]bool, n)
	cand := make([]int32, 0, 64)
	for _, f := range failed {
		if !inC[f] {
			inC[f] = true
			cand = append(cand, f)
		}
	}
	for k := 0; k < len(cand); k++ {
		for _, d := range net.Dependents(cand[k]) {
			if !inC[d] {
				inC[d] = true
				cand = append(cand, d)
			}
		}
	}
	ev := evaluator{net: net, imp: p.Impairment, base: base}
	// Evaluate the candidates in the graph's dependencies-first order (by
	// component index, which Tarjan's algorithm numbers in that order); a
	// cycle's members come together and are iterated to their fixed point.
	if len(cand)*8 > n { // most of the graph: filter the fixed order, O(V)
		cand = cand[:0]
		for _, u := range net.Order() {
			if inC[u] {
				cand = append(cand, u)
			}
		}
	} else { // a small part: sort it, O(C log C)
		slices.SortFunc(cand, func(a, b int32) int {
			if ca, cb := net.Component(a), net.Component(b); ca != cb {
				return int(ca - cb)
			}
			return int(a - b)
		})
	}
	for k := 0; k < len(cand); {
		u := cand[k]
		end := k + 1
		for end < len(cand) && net.Component(cand[end]) == net.Component(u) {
			end++
		}
		if end-k == 1 {
			ev.imp[u] = ev.eval(u)
		} else {
			ev.fixpoint(cand[k:end])
		}
		k = end
	}
	if len(cand)*8 > n { // scanning is cheaper than sorting
		for u, x := range p.Impairment {
			if x > Epsilon {
				p.Order = append(p.Order, int32(u))
			}
		}
	} else {
		for _, u := range cand {
			if p.Impairment[u] > Epsilon {
				p.Order = append(p.Order, u)
			}
		}
		slices.Sort(p.Order)
	}
	p.net, p.base, p.seeds, p.cand = net, base, failed, cand
	if explain {
		p.explainPaths()
	}
	return p
}

// evaluator computes one node's impairment from its dependencies'.
type evaluator struct {
	net     Network
	imp     []float64
	base    []float64 // each node's own impairment
	scratch []float64
}

// fixpoint iterates a cycle's members (all candidates) from their current
// values (0) up to the least fixed point.
func (e *evaluator) fixpoint(scc []int32) {
	for round := 0; round < maxRounds; round++ {
		delta := 0.0
		for _, u := range scc {
			v := e.eval(u)
			delta = max(delta, v-e.imp[u])
			e.imp[u] = v
		}
		if delta <= convergence {
			return
		}
	}
}

func (e *evaluator) eval(u int32) float64 {
	if e.base[u] >= 1 {
		return 1
	}
	keep := 1 - e.base[u]
	for _, r := range e.net.Requirements(u) {
		var x float64
		if r.Group {
			x = e.requirement(r)
		} else {
			x = e.imp[e.net.Members(r)[0]] // the common case, inlined
		}
		if x > 0 {
			keep *= 1 - r.Impact*x
		}
	}
	return 1 - keep
}

// requirement returns a requirement's impairment: its target's, or the
// Min-th smallest of a group's members'.
func (e *evaluator) requirement(r graph.Requirement) float64 {
	ms := e.net.Members(r)
	if !r.Group {
		return e.imp[ms[0]]
	}
	e.scratch = e.scratch[:0]
	for _, m := range ms {
		e.scratch = append(e.scratch, e.imp[m])
	}
	slices.Sort(e.scratch)
	return e.scratch[r.Min-1]
}

// explain assigns each affected node its hop count and explaining
// dependency: the shortest chain of contributing dependencies from a
// seed, ties going to the dependency that costs the most, then to the
// lower ID. A dependency contributes when it is impaired and its
// requirement is (a group only when the group itself is impaired). Nodes
// are visited in the graph's dependencies-first order, so one pass settles
// everything outside cycles; inside a cycle the members are relaxed until
// nothing changes. O(V + E') for the E' requirement edges of the affected
// nodes.
func (p *Propagation) explain(net Network, ev evaluator, seeds []int32, cand []int32) {
	for i := range p.Hops {
		p.Hops[i], p.Via[i] = -1, -1
	}
	for _, f := range seeds {
		p.Hops[f] = 0
	}
	bestLoss := make([]float64, len(p.Hops))
	relax := func(u int32) bool {
		if p.Hops[u] == 0 || p.Impairment[u] <= Epsilon {
			return false
		}
		changed := false
		for _, r := range net.Requirements(u) {
			members := net.Members(r)
			var x float64
			if r.Group {
				x = ev.requirement(r)
			} else {
				x = p.Impairment[members[0]]
			}
			if x <= Epsilon || r.Impact <= 0 {
				continue
			}
			for _, v := range members {
				hv := p.Hops[v]
				if hv < 0 || p.Impairment[v] <= Epsilon {
					continue
				}
				loss := r.Impact * min(x, p.Impairment[v])
				h := hv + 1
				switch {
				case p.Hops[u] < 0 || h < p.Hops[u]:
				case h == p.Hops[u] && (loss > bestLoss[u] || (loss == bestLoss[u] && v < p.Via[u])):
				default:
					continue
				}
				p.Hops[u], p.Via[u], bestLoss[u] = h, v, loss
				changed = true
			}
		}
		return changed
	}
	order := cand // sorted dependencies first by propagate
	for k := 0; k < len(order); {
		end := k + 1
		for end < len(order) && net.Component(order[end]) == net.Component(order[k]) {
			end++
		}
		for changed := true; changed; {
			changed = false
			for _, u := range order[k:end] {
				if relax(u) && end-k > 1 {
					changed = true
				}
			}
		}
		k = end
	}
}

// Path returns the explaining path of node u, from a failed node to u; nil
// when u is unaffected.
func (p *Propagation) Path(u int32) []int32 {
	p.explainPaths()
	if p.Hops[u] < 0 {
		return nil
	}
	path := make([]int32, p.Hops[u]+1)
	for k := len(path) - 1; k >= 0; k-- {
		path[k] = u
		u = p.Via[u]
	}
	return path
}
