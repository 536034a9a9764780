package blast

import (
	"math/bits"
	"slices"
)

// PropagateImpairments computes the same impairments as PropagateSeeds,
// visiting only what the failure actually reaches: a node is evaluated
// when one of its dependencies became impaired, in the graph's
// dependencies-first order (a bitset over positions in Order, scanned
// from a cursor), so a failure
// stopped by failover groups costs what it impairs, not what it could
// reach. Inside a cycle the members are re-evaluated until no value moves
// by more than the convergence bound (chaotic iteration of the same
// monotone map, so the same least fixed point). The explaining paths are
// computed when Path is first called. It is the forward model of a
// root-cause search that scores many hypotheses and explains few.
//
// Complexity: O(A·d + V/64) for the A affected nodes of degree d, plus
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
	// The queue: a bitset over positions in the dependencies-first order.
	// Dependents come later, except inside a cycle, where a push may move
	// the cursor back.
	order := net.Order()
	pos := make([]int32, n)
	for i, u := range order {
		pos[u] = int32(i)
	}
	queue := make([]uint64, (n+63)/64)
	cursor := n
	push := func(u int32) {
		q := int(pos[u])
		queue[q>>6] |= 1 << (q & 63)
		cursor = min(cursor, q)
	}
	pop := func() (int32, bool) {
		for w := cursor >> 6; w < len(queue); w++ {
			word := queue[w]
			if w == cursor>>6 {
				word &^= (1 << (cursor & 63)) - 1
			}
			if word != 0 {
				q := w<<6 + bits.TrailingZeros64(word)
				queue[q>>6] &^= 1 << (q & 63)
				cursor = q + 1
				return order[q], true
			}
		}
		cursor = n
		return 0, false
	}
	var failed []int32
	for _, s := range seeds {
		if base[s.Node] > Epsilon && !slices.Contains(failed, s.Node) {
			failed = append(failed, s.Node)
			push(s.Node)
		}
	}
	var touched []int32
	for rounds := 0; rounds < maxRounds*n; rounds++ {
		u, ok := pop()
		if !ok {
			break
		}
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
	cand := slices.Clone(p.Order)
	slices.SortFunc(cand, func(a, b int32) int { return int(pos[a] - pos[b]) })
	slices.Sort(p.Order)
	p.net, p.base, p.seeds, p.cand = net, base, failed, cand
	return p
}
