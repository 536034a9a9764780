package blast

import (
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"weak"

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
	// and 0 for the failed ones. Via is the dependency that explains each
	// affected node, -1 for the failed and unaffected nodes. Both are nil
	// until ExplainPaths computes them (Path, FindAtRisk and Describe call
	// it), unless PropagateSeedsPaths computed them with the impairments.
	Hops []int32
	Via  []int32
	// Order lists the affected nodes (impairment > Epsilon, failed
	// included) in ascending ID order.
	Order []int32

	// What ExplainPaths needs besides the impairments: the network's
	// index the propagation ran on, and the seeds that are impaired, in
	// the seeds' order.
	x     *netIndex
	seeds []int32
}

// Propagate computes the impairments that follow from failing the given
// nodes (see the package doc for the semantics).
func Propagate(net Network, failed []int32) *Propagation {
	return PropagateSeeds(net, failedSeeds(failed))
}

// failedSeeds returns the seeds that fail the given nodes.
func failedSeeds(failed []int32) []Seed {
	seeds := make([]Seed, len(failed))
	for i, f := range failed {
		seeds[i] = Seed{Node: f, Impairment: 1}
	}
	return seeds
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
// The explaining paths are derived later, on demand (ExplainPaths).
func PropagateSeeds(net Network, seeds []Seed) *Propagation {
	x := indexOf(net)
	if x.wide {
		return propagate(x, x.terms64, seeds, false)
	}
	return propagate(x, x.terms32, seeds, false)
}

// PropagateSeedsPaths is PropagateSeeds with the explaining paths (Hops
// and Via, as ExplainPaths gives them) computed in the same pass: each
// node is explained as soon as its impairment is final, while its
// dependencies' impairments are still in cache. For callers that need the
// paths anyway (Describe).
func PropagateSeedsPaths(net Network, seeds []Seed) *Propagation {
	x := indexOf(net)
	if x.wide {
		return propagate(x, x.terms64, seeds, true)
	}
	return propagate(x, x.terms32, seeds, true)
}

// netIndex is what the propagation reads of a network, laid out for it
// once per graph: the topological order and every node's position in it,
// the requirements of each position as packed terms, and the dependents of
// each position by position. Evaluating the affected nodes in order then
// streams through the terms and the dependents instead of jumping between
// the graph's requirement, member and impact arrays.
//
// A term is one unsigned word: the high bits hold an index into impacts,
// the low bits a node ID (see layout). The terms of the node at position p are
// terms[off[p]:off[p+1]], in the order of its requirements, those of zero
// impact left out (they cost nothing and explain nothing). A single
// dependency is one term, impact and dependency. A failover group of c
// members needing Min is c+2 terms: the group mark (all high bits set)
// with c, the impact with Min, then the members' IDs. The terms are 32
// bits wide when the IDs and impact indexes fit, else 64 bits.
type netIndex struct {
	order  []int32  // position → node: net.Order()
	pos    []int32  // node → position
	single []uint64 // bit p: position p is a component of its own
	first  []int32  // position → the first position of its component

	off     []int32
	terms32 []uint32
	terms64 []uint64 // used when wide
	wide    bool
	impacts []float64

	// The dependents of the node at position p, by position, are
	// rdep[roff[p]:roff[p+1]].
	roff []int32
	rdep []uint32
}

// term is a packed requirement word (see netIndex).
type term interface{ ~uint32 | ~uint64 }

// layout returns how a term of type T is split: the ID in the low sh bits
// (mask), the impact index above; mark, all high bits set, starts a group.
// A 32-bit term holds IDs below 2²⁴ and 255 impacts, a 64-bit one 32 bits
// of each. The values are constants in each instantiation, so that the
// evaluation loop keeps its registers for the data.
func layout[T term]() (sh uint, mask, mark T) {
	sh = 24
	if ^T(0) > math.MaxUint32 {
		sh = 32
	}
	return sh, T(1)<<sh - 1, ^T(0) >> sh
}

// indexes caches a netIndex per graph without keeping the graph alive.
var indexes sync.Map // weak.Pointer[graph.Graph] → *netIndex

// indexOf returns net's index, built once per *graph.Graph.
func indexOf(net Network) *netIndex {
	g, ok := net.(*graph.Graph)
	if !ok {
		if c, ok := net.(cachingNetwork); ok {
			return cachedIndex(c)
		}
		return buildIndex(net, false)
	}
	key := weak.Make(g)
	if x, ok := indexes.Load(key); ok {
		return x.(*netIndex)
	}
	x, loaded := indexes.LoadOrStore(key, buildIndex(net, false))
	if !loaded {
		runtime.AddCleanup(g, func(k weak.Pointer[graph.Graph]) { indexes.Delete(k) }, key)
	}
	return x.(*netIndex)
}

// groupHigh marks a group's first term before packing.
const groupHigh = math.MaxUint32

// buildIndex lays out net's index; wide forces 64-bit terms (for tests).
// O(V + E).
func buildIndex(net Network, wide bool) *netIndex {
	n := net.Len()
	order := net.Order()
	x := &netIndex{order: order, pos: make([]int32, n), single: make([]uint64, (n+63)/64),
		first: make([]int32, n), off: make([]int32, n+1), roff: make([]int32, n+1)}
	// The terms as (high, low) pairs first, packed once the widths are
	// known.
	var high, low []uint32
	impIndex := map[float64]uint32{}
	index := func(w float64) uint32 {
		i, ok := impIndex[w]
		if !ok {
			i = uint32(len(x.impacts))
			impIndex[w] = i
			x.impacts = append(x.impacts, w)
		}
		return i
	}
	for k, u := range order {
		x.pos[u] = int32(k)
		c := net.Component(u)
		if k > 0 && net.Component(order[k-1]) == c {
			x.first[k] = x.first[k-1]
		} else {
			x.first[k] = int32(k)
		}
		if x.first[k] == int32(k) && (k+1 == len(order) || net.Component(order[k+1]) != c) {
			x.single[k/64] |= 1 << (k % 64)
		}
		for _, r := range net.Requirements(u) {
			if r.Impact <= 0 {
				continue
			}
			ms := net.Members(r)
			if !r.Group {
				high, low = append(high, index(r.Impact)), append(low, uint32(ms[0]))
				continue
			}
			high, low = append(high, groupHigh, index(r.Impact)), append(low, uint32(len(ms)), uint32(r.Min))
			for _, m := range ms {
				high, low = append(high, 0), append(low, uint32(m))
			}
		}
		x.off[k+1] = int32(len(high))
	}
	_, mask32, mark32 := layout[uint32]()
	x.wide = wide || n > int(mask32)+1 || len(x.impacts) > int(mark32)
	if x.wide {
		x.terms64 = pack[uint64](high, low)
	} else {
		x.terms32 = pack[uint32](high, low)
	}
	x.rdep = make([]uint32, 0, len(low))
	for k, u := range order {
		for _, d := range net.Dependents(u) {
			x.rdep = append(x.rdep, uint32(x.pos[d]))
		}
		x.roff[k+1] = int32(len(x.rdep))
	}
	return x
}

// pack packs (high, low) pairs into terms.
func pack[T term](high, low []uint32) []T {
	shift, _, mark := layout[T]()
	out := make([]T, len(high))
	for i, h := range high {
		hi := T(h)
		if h == groupHigh {
			hi = mark
		}
		out[i] = hi<<shift | T(low[i])
	}
	return out
}

// scratch is what one propagation needs besides its results, reused
// through scratchPool so that a propagation allocates nothing per node:
// a bitmap of the positions to evaluate, one of the affected nodes (by
// ID), the nodes impaired by no more than Epsilon (reset to 0 at the end),
// a failover group's member impairments and a cycle's own impairments.
// The bitmaps are left clean after use.
type scratch struct {
	todo  []uint64
	seen  []uint64
	tiny  []int32
	group []float64
	base  []float64
	loss  []float64 // a cycle's best losses while explaining it
}

var scratchPool sync.Pool

// getScratch returns clean buffers for a network of n nodes.
func getScratch(n int) *scratch {
	s, _ := scratchPool.Get().(*scratch)
	if s != nil && len(s.todo) == (n+63)/64 {
		return s
	}
	words := (n + 63) / 64
	return &scratch{todo: make([]uint64, words), seen: make([]uint64, words)}
}

// propagate computes the impairments in one pass over the affected cone,
// in the graph's dependencies-first order: the seeds are marked in a
// bitmap of positions, the bitmap is scanned upwards, and each marked node
// is evaluated from its dependencies (final by then) and, when impaired,
// marks its dependents, which come later in the order. A cycle's members
// are evaluated together, iterated from 0 to their least fixed point.
// Nodes without an impaired dependency are never visited, and their
// impairment stays 0 as the equations give. The impairments are written
// straight into the result, indexed by ID. O(V/64 + C + E_C) for the C
// nodes with an impaired dependency and their E_C edges, plus the
// iterations inside cycles and the zeroed result of V entries.
//
// With paths, Hops and Via are filled as well: a node is explained (relax)
// right after its impairment is settled, a cycle's members after its fixed
// point, exactly as ExplainPaths would explain them afterwards.
func propagate[T term](x *netIndex, terms []T, seeds []Seed, paths bool) *Propagation {
	n := len(x.pos)
	s := getScratch(n)
	defer scratchPool.Put(s)
	imp := make([]float64, n)
	todo, seen := s.todo, s.seen
	for _, sd := range seeds {
		if sd.Impairment > imp[sd.Node] {
			imp[sd.Node] = min(sd.Impairment, 1)
		}
	}
	var failed []int32
	for _, sd := range seeds {
		u := sd.Node
		if k := uint32(x.pos[u]); imp[u] > 0 && todo[k/64]&(1<<(k%64)) == 0 {
			todo[k/64] |= 1 << (k % 64)
			if imp[u] > Epsilon {
				failed = append(failed, u)
			}
		}
	}
	// ex holds the paths, nil without: one register in the loop below,
	// which the propagation without paths then runs as before.
	var ex *explanation
	if paths {
		ex = new(explanation)
		ex.hops, ex.via = unexplained(n)
		for _, u := range failed {
			ex.hops[u] = 0
		}
	}
	affected := 0
	// settle records node u's final impairment and marks its dependents
	// from position from on.
	settle := func(u int32, k int32, from uint32) {
		v := imp[u]
		if v <= 0 {
			return
		}
		if v > Epsilon {
			seen[u/64] |= 1 << (u % 64)
			affected++
		} else {
			s.tiny = append(s.tiny, u)
		}
		for _, d := range x.rdep[x.roff[k]:x.roff[k+1]] {
			if d >= from {
				todo[d/64] |= 1 << (d % 64)
			}
		}
	}
	for w := range todo {
		for todo[w] != 0 { // marks may land in this word, above the bit taken
			word := todo[w]
			b := bits.TrailingZeros64(word)
			todo[w] = word &^ (1 << b)
			k := int32(w*64 + b)
			if x.single[w]&(1<<b) != 0 {
				u := x.order[k]
				if ex != nil && ex.hops[u] != 0 {
					imp[u] = evalExplain(x, terms, imp, ex.hops, ex.via, u, k, &s.group)
				} else {
					imp[u] = evalNode(x, terms, imp, k, imp[u], &s.group)
				}
				settle(u, k, 0)
				continue
			}
			// A cycle: its members have consecutive positions, and k is
			// the first marked one; all are evaluated, from their own
			// impairments (imp holds those until now).
			start := x.first[k]
			end := k + 1
			for int(end) < n && x.first[end] == start {
				end++
			}
			members := x.order[start:end]
			base := s.base[:0]
			for _, u := range members {
				base = append(base, imp[u])
				imp[u] = 0
			}
			for round := 0; round < maxRounds; round++ {
				delta := 0.0
				for i, u := range members {
					v := evalNode(x, terms, imp, start+int32(i), base[i], &s.group)
					delta = max(delta, v-imp[u])
					imp[u] = v
				}
				if delta <= convergence {
					break
				}
			}
			for i, u := range members {
				p := uint32(start) + uint32(i)
				todo[p/64] &^= 1 << (p % 64)
				settle(u, start+int32(i), uint32(end))
			}
			s.base = base
			if ex != nil {
				relaxCycle(x, terms, imp, ex.hops, ex.via, start, members, &s.loss, &s.group)
			}
		}
	}
	for _, u := range s.tiny {
		imp[u] = 0
	}
	s.tiny = s.tiny[:0]
	order := make([]int32, 0, affected)
	for w, word := range seen {
		if word == 0 {
			continue
		}
		seen[w] = 0
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			order = append(order, int32(w*64+b))
		}
	}
	p := &Propagation{Impairment: imp, Order: order, x: x, seeds: failed}
	if ex != nil {
		p.Hops, p.Via = ex.hops, ex.via
	}
	return p
}

// explanation is the hop counts and explaining dependencies being filled.
type explanation struct{ hops, via []int32 }

// evalNode returns the impairment of the node at position k, whose own is
// b, from its dependencies' current impairments: 1 − (1 − b)·Π(1 − w·x).
// An unimpaired dependency multiplies by exactly 1, so every term is
// multiplied in, without a branch.
func evalNode[T term](x *netIndex, terms []T, imp []float64, k int32, b float64, buf *[]float64) float64 {
	if b >= 1 {
		return 1
	}
	keep := 1 - b
	sh, mask, mark := layout[T]()
	impacts := x.impacts
	ts := terms[x.off[k]:x.off[k+1]]
	for t := 0; t < len(ts); t++ {
		w := ts[t]
		if hi := w >> sh; hi != mark {
			keep *= 1 - float64(impacts[hi]*imp[w&mask])
			continue
		}
		c := int(w & mask)
		h := ts[t+1]
		ms := ts[t+2 : t+2+c]
		t += 1 + c
		keep *= 1 - float64(impacts[h>>sh]*groupValue(ms, int(h&mask), imp, buf))
	}
	return 1 - keep
}

// evalExplain is evalNode and relax in one pass over the terms, for a
// node u at position k outside any cycle and not a seed that explains
// itself: it returns u's impairment and, when that is more than Epsilon,
// sets u's hop count and explaining dependency. The dependencies are
// final, so one offer each is enough; the losses are the products the
// impairment multiplies in. Its products are rounded as evalNode's are
// (the explicit float64 conversions forbid fusing 1 − w·x into one
// instruction, which Go allows on some platforms), so both give the same
// impairments.
func evalExplain[T term](x *netIndex, terms []T, imp []float64, hops, via []int32, u, k int32, buf *[]float64) float64 {
	keep := 1 - imp[u]
	sh, mask, mark := layout[T]()
	impacts := x.impacts
	// The best chain so far has bh hops (−1: none yet). A dependency d
	// can win only when explained (hops[d] ≥ 0) and hops[d] < bh, which
	// is one unsigned comparison, −1 being the largest uint32.
	bh, bv, bl := int32(-1), int32(-1), 0.0
	ts := terms[x.off[k]:x.off[k+1]]
	for t := 0; t < len(ts); t++ {
		w := ts[t]
		if hi := w >> sh; hi != mark {
			d := int32(w & mask)
			loss := float64(impacts[hi] * imp[d])
			keep *= 1 - loss
			if hd := hops[d]; uint32(hd) < uint32(bh) && better(hd+1, loss, d, bh, bl, bv) {
				bh, bv, bl = hd+1, d, loss
			}
			continue
		}
		c := int(w & mask)
		g := ts[t+1]
		ms := ts[t+2 : t+2+c]
		t += 1 + c
		xg := groupValue(ms, int(g&mask), imp, buf)
		wg := impacts[g>>sh]
		keep *= 1 - float64(wg*xg)
		if xg <= Epsilon {
			continue
		}
		for _, m := range ms {
			if hm := hops[m]; uint32(hm) < uint32(bh) {
				if loss := wg * min(xg, imp[m]); better(hm+1, loss, int32(m), bh, bl, bv) {
					bh, bv, bl = hm+1, int32(m), loss
				}
			}
		}
	}
	v := 1 - keep
	if v > Epsilon && bh > 0 {
		hops[u], via[u] = bh, bv
	}
	return v
}

// groupValue is a failover group's impairment: the need-th smallest of
// its members'.
func groupValue[T term](ms []T, need int, imp []float64, buf *[]float64) float64 {
	if len(ms) == 2 && need == 1 {
		return min(imp[ms[0]], imp[ms[1]])
	}
	b := (*buf)[:0]
	for _, m := range ms {
		b = append(b, imp[m])
	}
	slices.Sort(b)
	*buf = b
	return b[need-1]
}

// better reports whether a chain of h hops through v, losing loss, beats
// the best so far (the shortest chain, ties going to the dependency that
// costs the most, then to the lower ID).
func better(h int32, loss float64, v int32, bestH int32, bestL float64, bestV int32) bool {
	return bestH < 0 || h < bestH || h == bestH && (loss > bestL || loss == bestL && v < bestV)
}

// ExplainPaths fills Hops and Via, once. Each affected node is explained
// by one of its contributing dependencies (impaired by more than Epsilon,
// through a requirement impaired by more than Epsilon; a group's members
// only when the group itself is): the one with the shortest chain from a
// seed, ties going to the one that costs the most, then to the lower ID.
// Seeds keep hop count 0. The affected nodes are visited in the
// dependencies-first order, so a node's dependencies are explained before
// it; a cycle's members are relaxed until nothing changes. O(V + C + E_C)
// for the C affected nodes and their E_C requirement edges.
func (p *Propagation) ExplainPaths() {
	if p.Hops != nil {
		return
	}
	x := p.x
	if x.wide {
		explain(x, x.terms64, p)
	} else {
		explain(x, x.terms32, p)
	}
}

func explain[T term](x *netIndex, terms []T, p *Propagation) {
	n := len(p.Impairment)
	hops, via := unexplained(n)
	for _, u := range p.seeds {
		hops[u] = 0
	}
	imp := p.Impairment
	s := getScratch(n)
	defer scratchPool.Put(s)
	at := s.todo // the affected nodes, by position; clean again at the end
	for _, u := range p.Order {
		k := x.pos[u]
		at[k/64] |= 1 << (k % 64)
	}
	for w := range at {
		for at[w] != 0 {
			b := bits.TrailingZeros64(at[w])
			at[w] &^= 1 << b
			k := int32(w*64 + b)
			if x.single[w]&(1<<b) != 0 {
				var bestL float64
				relax(x, terms, imp, hops, via, x.order[k], k, &bestL, &s.group)
				continue
			}
			start := x.first[k]
			end := k + 1
			for int(end) < n && x.first[end] == start {
				end++
			}
			for q := k; q < end; q++ {
				at[q/64] &^= 1 << (q % 64)
			}
			relaxCycle(x, terms, imp, hops, via, start, x.order[start:end], &s.loss, &s.group)
		}
	}
	p.Hops, p.Via = hops, via
}

// unexplained returns hop counts and explaining dependencies for n nodes,
// all −1, in one allocation.
func unexplained(n int) (hops, via []int32) {
	both := make([]int32, 2*n)
	if len(both) > 0 { // fill with −1 by doubling copies (memmove)
		both[0] = -1
		for k := 1; k < len(both); k *= 2 {
			copy(both[k:], both[:k])
		}
	}
	return both[:n:n], both[n:]
}

// relax offers node u (at position k) each of its contributing
// dependencies as the explanation, keeping the best in hops and via;
// bestL is the loss through the current one. A dependency with a hop
// count is impaired by more than Epsilon (seeds and explained nodes are),
// and one whose chain is longer than the best so far cannot win. It
// reports whether u's explanation changed.
func relax[T term](x *netIndex, terms []T, imp []float64, hops, via []int32, u, k int32, bestL *float64, buf *[]float64) bool {
	bh, bv, bl := hops[u], via[u], *bestL
	if bh == 0 || imp[u] <= Epsilon {
		return false
	}
	sh, mask, mark := layout[T]()
	changed := false
	ts := terms[x.off[k]:x.off[k+1]]
	for t := 0; t < len(ts); t++ {
		w := ts[t]
		if hi := w >> sh; hi != mark {
			d := int32(w & mask)
			h := hops[d] + 1
			if uint32(h-1) >= uint32(bh) { // unexplained, or longer than the best (see evalExplain)
				continue
			}
			if loss := x.impacts[hi] * imp[d]; better(h, loss, d, bh, bl, bv) {
				bh, bv, bl, changed = h, d, loss, true
			}
			continue
		}
		c := int(w & mask)
		g := ts[t+1]
		ms := ts[t+2 : t+2+c]
		t += 1 + c
		xg := groupValue(ms, int(g&mask), imp, buf)
		if xg <= Epsilon {
			continue
		}
		for _, m := range ms {
			h := hops[m] + 1
			if uint32(h-1) >= uint32(bh) { // unexplained, or longer than the best (see evalExplain)
				continue
			}
			if loss := x.impacts[g>>sh] * min(xg, imp[m]); better(h, loss, int32(m), bh, bl, bv) {
				bh, bv, bl, changed = h, int32(m), loss, true
			}
		}
	}
	if changed {
		hops[u], via[u], *bestL = bh, bv, bl
	}
	return changed
}

// relaxCycle explains the members of a cycle, at positions from start
// on, relaxing them until nothing changes; loss is a reused buffer.
func relaxCycle[T term](x *netIndex, terms []T, imp []float64, hops, via []int32, start int32, members []int32, loss *[]float64, buf *[]float64) {
	bestLoss := (*loss)[:0]
	for range members {
		bestLoss = append(bestLoss, 0)
	}
	*loss = bestLoss
	for changed := true; changed; {
		changed = false
		for i, u := range members {
			if relax(x, terms, imp, hops, via, u, start+int32(i), &bestLoss[i], buf) {
				changed = true
			}
		}
	}
}

// Path returns the explaining path of node u, from a failed node to u; nil
// when u is unaffected.
func (p *Propagation) Path(u int32) []int32 {
	p.ExplainPaths()
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
