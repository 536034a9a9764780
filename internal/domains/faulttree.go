package domains

import (
	"fmt"
	"math"

	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/graph"
)

// maxCycleUnroll bounds the gates built while unrolling cycles.
const maxCycleUnroll = 1_000_000

// FaultTree is the fault tree a dependency graph implies: one basic event
// per node (the node failing by itself, with its unavailability as
// probability, NaN when unknown) and one gate per node saying when it is
// down:
//
//	down(u) = basic(u) ∨ ⋁ hard requirements of u
//
// where a hard single dependency v contributes down(v) and a failover group
// of n members needing k contributes "at least n−k+1 of the members down".
// Requirements whose impact is below the hard threshold never make a node
// down and are left out.
//
// Cycles get the least fixed point: a node is down only if its failure can
// be derived without assuming it, so inside a strongly connected component
// the gates are unrolled along paths, a node met again on its own path
// contributing false. Outside cycles each node's gate is built once and
// shared (the builder hash-conses identical gates).
type FaultTree struct {
	Builder *faulttree.Builder
	g       *graph.Graph
	hard    float64
	down    []faulttree.Ref
	built   []bool
	basic   []faulttree.Ref
	unroll  int
	inCycle []bool
}

// NewFaultTree prepares the fault tree of g. Gates are built on demand by
// Top.
func NewFaultTree(g *graph.Graph, hardThreshold float64) *FaultTree {
	n := g.Len()
	t := &FaultTree{Builder: faulttree.NewBuilder(), g: g, hard: hardThreshold,
		down: make([]faulttree.Ref, n), built: make([]bool, n), basic: make([]faulttree.Ref, n), inCycle: make([]bool, n)}
	// Basic events are created in node-ID order: event i is node i, which
	// is how cut sets map back to nodes.
	for i := range int32(n) {
		m := g.ModelNode(i)
		p := math.NaN()
		if m.Unavailability != nil {
			p = *m.Unavailability
		}
		t.basic[i] = t.Builder.Basic(m.ID, p)
	}
	order := g.Order()
	for k := 0; k < len(order); {
		end := k + 1
		for end < len(order) && g.Component(order[end]) == g.Component(order[k]) {
			end++
		}
		if end-k > 1 {
			for _, u := range order[k:end] {
				t.inCycle[u] = true
			}
		}
		k = end
	}
	return t
}

// Top returns the gate "target is down because of its dependencies": the
// target's own basic event is left out, since a node's failure domains are
// what takes it down from upstream.
func (t *FaultTree) Top(target int32) (faulttree.Ref, error) {
	var path map[int32]bool
	if t.inCycle[target] {
		path = map[int32]bool{target: true}
	}
	r, err := t.requirements(target, path)
	if err != nil {
		return 0, err
	}
	t.Builder.SetLabel(r, t.g.ModelNode(target).ID)
	return r, nil
}

// node returns down(u). path holds the cycle members on the current
// unrolling path, nil outside cycles.
func (t *FaultTree) node(u int32, path map[int32]bool) (faulttree.Ref, error) {
	if !t.inCycle[u] {
		if t.built[u] {
			return t.down[u], nil
		}
		reqs, err := t.requirements(u, nil)
		if err != nil {
			return 0, err
		}
		r := t.Builder.Gate(faulttree.Or, 0, t.basic[u], reqs)
		t.down[u], t.built[u] = r, true
		return r, nil
	}
	if path[u] {
		return faulttree.False, nil
	}
	if len(path) == 0 && t.built[u] { // entering the cycle from outside
		return t.down[u], nil
	}
	t.unroll++
	if t.unroll > maxCycleUnroll {
		return 0, fmt.Errorf("domains: the cycles through %q are too entangled to unroll exactly (more than %d gates)", t.g.ModelNode(u).ID, maxCycleUnroll)
	}
	inner := make(map[int32]bool, len(path)+1)
	for k := range path {
		inner[k] = true
	}
	inner[u] = true
	reqs, err := t.requirements(u, inner)
	if err != nil {
		return 0, err
	}
	r := t.Builder.Gate(faulttree.Or, 0, t.basic[u], reqs)
	if len(path) == 0 {
		t.down[u], t.built[u] = r, true
	}
	return r, nil
}

// requirements returns the OR of u's hard requirements.
func (t *FaultTree) requirements(u int32, path map[int32]bool) (faulttree.Ref, error) {
	var terms []faulttree.Ref
	for _, r := range t.g.Requirements(u) {
		if r.Unknown || r.Impact < t.hard { // an unknown share never makes u down
			continue
		}
		members := t.g.Members(r)
		refs := make([]faulttree.Ref, 0, len(members))
		for _, v := range members {
			var p map[int32]bool
			if t.inCycle[v] && t.g.Component(v) == t.g.Component(u) {
				p = path
			}
			ref, err := t.node(v, p)
			if err != nil {
				return 0, err
			}
			refs = append(refs, ref)
		}
		if !r.Group {
			terms = append(terms, refs[0])
			continue
		}
		need := len(members) - int(r.Min) + 1 // members down that defeat the group
		terms = append(terms, t.Builder.Gate(faulttree.AtLeast, need, refs...))
	}
	if len(terms) == 0 {
		return faulttree.False, nil
	}
	return t.Builder.Gate(faulttree.Or, 0, terms...), nil
}

// Down returns the gate "node u is down" (its own failure included).
func (t *FaultTree) Down(u int32) (faulttree.Ref, error) { return t.node(u, nil) }
