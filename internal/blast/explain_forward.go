package blast

import (
	"container/heap"
	"slices"
)

// PropagateImpairments computes the same impairments as PropagateSeeds,
// visiting only what the failure actually reaches: a node is evaluated
// when one of its dependencies became impaired, in the graph's
// dependencies-first order (a heap on the component index), so a failure
// stopped by failover groups costs what it impairs, not what it could
// reach. Inside a cycle the members are re-evaluated until no value moves
// by more than the convergence bound (chaotic iteration of the same
// monotone map, so the same least fixed point). The explaining paths are
// computed when Path is first called. It is the forward model of a
// root-cause search that scores many hypotheses and explains few.
//
// Complexity: O(A·d·log A) for the A affected nodes of degree d, plus
// O(V) to allocate the result.
func PropagateImpairments(net Network, seeds []Seed) *Propagation {
	n := net.Len()
	base := make([]float64, n)
	for _, s := range seeds {
		if s.Impairment > base[s.Node] {
			base[s.Node] = min(s.Impairment, 1)
		}
	}
	p := &Propagation{Impairment: make([]float64, n)}
	ev := evaluator{net: net, imp: p.Impairment, base: base}
	queued := make([]bool, n)
	h := &compHeap{net: net}
	push := func(u int32) {
		if !queued[u] {
			queued[u] = true
			heap.Push(h, u)
		}
	}
	var failed []int32
	for _, s := range seeds {
		if base[s.Node] > Epsilon && !slices.Contains(failed, s.Node) {
			failed = append(failed, s.Node)
			push(s.Node)
		}
	}
	var touched []int32
	for rounds := 0; h.Len() > 0 && rounds < maxRounds*n; rounds++ {
		u := heap.Pop(h).(int32)
		queued[u] = false
		v := ev.eval(u)
		if v-p.Impairment[u] <= convergence && !(v > 0 && p.Impairment[u] == 0) {
			continue
		}
		if p.Impairment[u] == 0 {
			touched = append(touched, u)
		}
		p.Impairment[u] = v
		for _, d := range net.Dependents(u) {
			push(d)
		}
	}
	for _, u := range touched {
		if p.Impairment[u] > Epsilon {
			p.Order = append(p.Order, u)
		}
	}
	slices.Sort(p.Order)
	cand := slices.Clone(p.Order)
	slices.SortFunc(cand, func(a, b int32) int {
		if ca, cb := net.Component(a), net.Component(b); ca != cb {
			return int(ca - cb)
		}
		return int(a - b)
	})
	p.net, p.base, p.seeds, p.cand = net, base, failed, cand
	return p
}

// compHeap orders nodes by component index, then id.
type compHeap struct {
	net   Network
	nodes []int32
}

func (h *compHeap) Len() int { return len(h.nodes) }
func (h *compHeap) Less(i, j int) bool {
	a, b := h.nodes[i], h.nodes[j]
	if ca, cb := h.net.Component(a), h.net.Component(b); ca != cb {
		return ca < cb
	}
	return a < b
}
func (h *compHeap) Swap(i, j int) { h.nodes[i], h.nodes[j] = h.nodes[j], h.nodes[i] }
func (h *compHeap) Push(x any)    { h.nodes = append(h.nodes, x.(int32)) }
func (h *compHeap) Pop() any {
	x := h.nodes[len(h.nodes)-1]
	h.nodes = h.nodes[:len(h.nodes)-1]
	return x
}
