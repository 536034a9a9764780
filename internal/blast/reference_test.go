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

// This file keeps the propagation as it was before it evaluated only the
// affected cone (commit 2709176), unchanged but for the names, as the
// oracle of TestPropagateMatchesReference.

// refPropagation holds the impairment of every node after a failure.
type refPropagation struct {
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
	net      Network
	seedList []Seed
	seeds    []int32 // the seeds that are impaired
}

// explainPaths fills Hops and Via (see explain), once: a propagation
// computed without them is run again with them.
func (p *refPropagation) explainPaths() {
	if p.Hops != nil {
		return
	}
	q := refPropagate(p.net, p.seedList, true)
	p.Hops, p.Via = q.Hops, q.Via
}

// refNetIndex is what the propagation reads of a network, laid out for it
// once per graph: every node's topological position, and the requirements
// in that order as compact terms, so that evaluating the affected nodes in
// order streams through two arrays instead of jumping between the
// graph's requirement, member and impact arrays.
//
// Terms of the node at position p are terms[off[p]:off[p+1]], in the
// order of its requirements, those of zero impact left out (they cost
// nothing and explain nothing). A single dependency is one term: the
// dependency's position and the index of its impact in impacts. A failover
// group of c members needing Min is c+2 terms: −c with the impact index,
// then Min, then the members.
type refNetIndex struct {
	pos     []int32  // node → its index in net.Order()
	single  []uint64 // bit p: position p is a component of its own
	off     []int32
	dep     []int32
	imp     []uint16
	impacts []float64
	compact bool // false when impacts has too many values to index
	// The dependents of the node at position p, by position, are
	// rdep[roff[p]:roff[p+1]]: the walk never leaves position space.
	roff, rdep []int32
	order      []int32 // net.Order()
}

// refIndexes caches a refNetIndex per graph without keeping the graph alive.
var refIndexes sync.Map // weak.Pointer[graph.Graph] → *refNetIndex

// refIndexOf returns net's index, built once per *graph.Graph.
func refIndexOf(net Network) *refNetIndex {
	g, ok := net.(*graph.Graph)
	if !ok {
		return refBuildIndex(net)
	}
	key := weak.Make(g)
	if x, ok := refIndexes.Load(key); ok {
		return x.(*refNetIndex)
	}
	x, loaded := refIndexes.LoadOrStore(key, refBuildIndex(net))
	if !loaded {
		runtime.AddCleanup(g, func(k weak.Pointer[graph.Graph]) { refIndexes.Delete(k) }, key)
	}
	return x.(*refNetIndex)
}

func refBuildIndex(net Network) *refNetIndex {
	n := net.Len()
	x := &refNetIndex{pos: make([]int32, n), single: make([]uint64, (n+63)/64), off: make([]int32, n+1), compact: true}
	order := net.Order()
	x.order = order
	impIndex := map[float64]uint16{}
	index := func(w float64) uint16 {
		i, ok := impIndex[w]
		if !ok {
			if len(x.impacts) > math.MaxUint16 {
				x.compact = false
			}
			i = uint16(len(x.impacts))
			impIndex[w] = i
			x.impacts = append(x.impacts, w)
		}
		return i
	}
	for k, u := range order {
		x.pos[u] = int32(k)
		c := net.Component(u)
		if (k == 0 || net.Component(order[k-1]) != c) && (k+1 == len(order) || net.Component(order[k+1]) != c) {
			x.single[k/64] |= 1 << (k % 64)
		}
		for _, r := range net.Requirements(u) {
			if r.Impact <= 0 {
				continue
			}
			ms := net.Members(r)
			if !r.Group {
				x.dep, x.imp = append(x.dep, ms[0]), append(x.imp, index(r.Impact))
				continue
			}
			// Members are stored as IDs here and turned into positions
			// below, once every position is known.
			x.dep, x.imp = append(x.dep, -int32(len(ms)), r.Min), append(x.imp, index(r.Impact), 0)
			for _, m := range ms {
				x.dep, x.imp = append(x.dep, m), append(x.imp, 0)
			}
		}
		x.off[k+1] = int32(len(x.dep))
	}
	x.roff = make([]int32, n+1)
	x.rdep = make([]int32, 0, n)
	for k, u := range order {
		for _, d := range net.Dependents(u) {
			x.rdep = append(x.rdep, x.pos[d])
		}
		x.roff[k+1] = int32(len(x.rdep))
	}
	for k := 0; k < n; k++ {
		ts := x.dep[x.off[k]:x.off[k+1]]
		for t := 0; t < len(ts); t++ {
			if ts[t] < 0 {
				t++ // −c, then Min: the members follow
				continue
			}
			ts[t] = x.pos[ts[t]]
		}
	}
	return x
}

// refCell is a node's state during a propagation, kept together so that
// reading a dependency costs one cache line.
type refCell struct {
	imp  float64
	hops int32 // −1: no explaining path (yet)
	via  int32 // position of the explaining dependency, −1 for none
}

var refCleanCell = refCell{hops: -1, via: -1}

// refScratch is what one propagation needs besides its results, reused
// through refScratchPool so that a propagation allocates nothing per node:
// bitmaps of the nodes reached (by ID) and of their topological
// positions, every node's state and own impairment by position, and the
// walk's queue. Every buffer is left clean after use (only the touched
// words and entries are cleared).
type refScratch struct {
	seen  []uint64 // bit u: node u is downstream of a seed
	topo  []uint64 // bit p: the node at position p is downstream of a seed
	cells []refCell
	base  []float64
	queue []int32
	loss  []float64 // best explaining loss, for cycle members only
	group []float64 // a failover group's member impairments
}

var refScratchPool sync.Pool

// refGetScratch returns clean buffers for a network of n nodes.
func refGetScratch(n int) *refScratch {
	s, _ := refScratchPool.Get().(*refScratch)
	if s != nil && len(s.base) == n {
		return s
	}
	words := (n + 63) / 64
	s = &refScratch{seen: make([]uint64, words), topo: make([]uint64, words), cells: make([]refCell, n), base: make([]float64, n), loss: make([]float64, n)}
	for i := range s.cells {
		s.cells[i] = refCleanCell
	}
	return s
}

// refPropagate computes the impairments, and the explaining paths when
// explain is set. The walk marks everything downstream of a seed in two
// bitmaps; the candidates are then evaluated in the graph's fixed
// dependencies-first order by scanning the positions' bitmap, each node
// once (a cycle's members together, iterated to their fixed point), and
// the explaining dependency is chosen in the same pass, since a node's
// dependencies are final when it is evaluated. O(V/64 + C + E_C) for a
// cone of C nodes and E_C edges, plus the result arrays of V entries.
func refPropagate(net Network, seeds []Seed, explain bool) *refPropagation {
	n := net.Len()
	x := refIndexOf(net)
	s := refGetScratch(n)
	defer refScratchPool.Put(s)
	seen, topo, base, cells := s.seen, s.topo, s.base, s.cells
	q := s.queue[:0]
	for _, sd := range seeds {
		if k := x.pos[sd.Node]; sd.Impairment > base[k] {
			base[k] = min(sd.Impairment, 1)
		}
	}
	var failed []int32
	for _, sd := range seeds {
		k := x.pos[sd.Node]
		if base[k] > Epsilon && topo[k/64]&(1<<(k%64)) == 0 {
			topo[k/64] |= 1 << (k % 64)
			failed = append(failed, sd.Node)
			q = append(q, k)
			if explain {
				cells[k].hops = 0
			}
		}
	}
	// The walk, by position.
	roff, rdep := x.roff, x.rdep
	for i := 0; i < len(q); i++ {
		k := q[i]
		for _, d := range rdep[roff[k]:roff[k+1]] {
			if topo[d/64]&(1<<(d%64)) == 0 {
				topo[d/64] |= 1 << (d % 64)
				q = append(q, d)
			}
		}
	}
	reached := len(q)
	ev := refEvaluator{net: net, x: x, cells: cells, base: base, explain: explain, buf: s.group}
	order := net.Order()
	skip := 0
	for w, word := range topo {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			k := w*64 + b
			if k < skip { // a member of the cycle just done
				word &^= 1 << b
				continue
			}
			if x.single[w]&(1<<b) != 0 {
				word &^= 1 << b
				if x.compact {
					ev.evalTerms(k)
				} else {
					ev.evalOne(order[k])
				}
				continue
			}
			// A cycle: its members have consecutive positions; take those
			// reached (a cycle is reached whole or not at all).
			c := net.Component(order[k])
			end := k
			for end < n && net.Component(order[end]) == c {
				if topo[end/64]&(1<<(end%64)) != 0 {
					q = append(q, order[end]) // q is free now: reuse its tail
				}
				end++
			}
			cyc := q[reached:]
			ev.fixpoint(cyc)
			if explain {
				ev.explainCycle(cyc, s.loss)
			}
			q = q[:reached]
			word &^= 1 << b
			skip = end
		}
	}
	// The results by ID, in one pass over the reached nodes in topological
	// order, which also cleans the scratch.
	p := &refPropagation{Impairment: make([]float64, n), net: net, seedList: slices.Clone(seeds), seeds: failed}
	if explain {
		both := make([]int32, 2*n)
		if len(both) > 0 { // fill with −1 by doubling copies (memmove)
			both[0] = -1
			for k := 1; k < len(both); k *= 2 {
				copy(both[k:], both[:k])
			}
		}
		p.Hops, p.Via = both[:n:n], both[n:]
	}
	affected := 0
	for w, word := range topo {
		topo[w] = 0
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			k := w*64 + b
			c := cells[k]
			cells[k], base[k] = refCleanCell, 0
			if c.imp <= Epsilon {
				continue
			}
			u := order[k]
			p.Impairment[u] = c.imp
			seen[u/64] |= 1 << (u % 64)
			affected++
			if explain {
				p.Hops[u] = c.hops
				if c.via >= 0 {
					p.Via[u] = order[c.via]
				}
			}
		}
	}
	p.Order = make([]int32, 0, affected)
	for w, word := range seen {
		seen[w] = 0
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &^= 1 << b
			p.Order = append(p.Order, int32(w*64+b))
		}
	}
	s.queue, s.group = q[:0], ev.buf[:0]
	return p
}

// refEvaluator computes one node's impairment from its dependencies', and
// its explaining dependency when explain is set. State is by position.
type refEvaluator struct {
	net     Network
	x       *refNetIndex
	cells   []refCell
	base    []float64 // each node's own impairment
	explain bool
	buf     []float64
}

// at returns node u's state.
func (e *refEvaluator) at(u int32) *refCell { return &e.cells[e.x.pos[u]] }

// fixpoint iterates a cycle's members (all candidates) from their current
// values (0) up to the least fixed point.
func (e *refEvaluator) fixpoint(scc []int32) {
	for round := 0; round < maxRounds; round++ {
		delta := 0.0
		for _, u := range scc {
			v := e.eval(u)
			c := e.at(u)
			delta = max(delta, v-c.imp)
			c.imp = v
		}
		if delta <= convergence {
			return
		}
	}
}

// eval returns u's impairment from its dependencies' current values.
func (e *refEvaluator) eval(u int32) float64 {
	b := e.base[e.x.pos[u]]
	if b >= 1 {
		return 1
	}
	keep := 1 - b
	for _, r := range e.net.Requirements(u) {
		if x := e.requirement(r); x > 0 {
			keep *= 1 - r.Impact*x
		}
	}
	return 1 - keep
}

// refBetter reports whether a chain of h hops through v, losing loss, beats
// the best so far (the shortest chain, ties going to the dependency that
// costs the most, then to the lower ID).
func refBetter(h int32, loss float64, v int32, bestH int32, bestL float64, bestV int32) bool {
	return bestH < 0 || h < bestH || h == bestH && (loss > bestL || loss == bestL && v < bestV)
}

// evalOne sets the impairment of u, a component of its own whose
// dependencies are final, and its explaining dependency: of the
// contributing dependencies (impaired, through an impaired requirement;
// a group only when the group itself is impaired), the one with the
// shortest chain from a seed, ties going to the one that costs the most,
// then to the lower ID. Seeds keep hop count 0. evalTerms does the same
// on the compact terms.
func (e *refEvaluator) evalOne(u int32) {
	c := e.at(u)
	b := e.base[e.x.pos[u]]
	if b >= 1 {
		c.imp = 1
		return
	}
	keep := 1 - b
	explain := e.explain && c.hops != 0
	bestH, bestV, bestL := int32(-1), int32(-1), 0.0
	for _, r := range e.net.Requirements(u) {
		x := e.requirement(r)
		if x <= 0 {
			continue
		}
		keep *= 1 - r.Impact*x
		if !explain || x <= Epsilon || r.Impact <= 0 {
			continue
		}
		for _, v := range e.net.Members(r) {
			cv := e.at(v)
			if cv.hops < 0 || cv.imp <= Epsilon {
				continue
			}
			if loss, h := r.Impact*min(x, cv.imp), cv.hops+1; refBetter(h, loss, v, bestH, bestL, bestV) {
				bestH, bestV, bestL = h, v, loss
			}
		}
	}
	c.imp = 1 - keep
	if bestH >= 0 && c.imp > Epsilon {
		c.hops, c.via = bestH, e.x.pos[bestV]
	}
}

// evalTerms is evalOne for the node at position k, on its compact terms.
func (e *refEvaluator) evalTerms(k int) {
	cells := e.cells
	b := e.base[k]
	if b >= 1 {
		cells[k].imp = 1
		return
	}
	keep := 1 - b
	explain := e.explain && cells[k].hops != 0
	bestH, bestP, bestL := int32(-1), int32(-1), 0.0
	x := e.x
	order := x.order
	dep, wi := x.dep[x.off[k]:x.off[k+1]], x.imp[x.off[k]:x.off[k+1]]
	for t := 0; t < len(dep); t++ {
		d := dep[t]
		impact := x.impacts[wi[t]]
		if d >= 0 { // a single dependency
			cv := cells[d]
			if cv.imp <= 0 {
				continue
			}
			keep *= 1 - impact*cv.imp
			if explain && cv.imp > Epsilon && cv.hops >= 0 {
				// Positions compare by their nodes' IDs, only on a tie.
				if loss, h := impact*cv.imp, cv.hops+1; bestH < 0 || h < bestH || h == bestH && (loss > bestL || loss == bestL && order[d] < order[bestP]) {
					bestH, bestP, bestL = h, d, loss
				}
			}
			continue
		}
		c := int(-d)
		need := dep[t+1]
		ms := dep[t+2 : t+2+c]
		t += 1 + c
		xg := e.groupValue(ms, need)
		if xg <= 0 {
			continue
		}
		keep *= 1 - impact*xg
		if !explain || xg <= Epsilon {
			continue
		}
		for _, m := range ms {
			cv := cells[m]
			if cv.hops < 0 || cv.imp <= Epsilon {
				continue
			}
			if loss, h := impact*min(xg, cv.imp), cv.hops+1; bestH < 0 || h < bestH || h == bestH && (loss > bestL || loss == bestL && order[m] < order[bestP]) {
				bestH, bestP, bestL = h, m, loss
			}
		}
	}
	cells[k].imp = 1 - keep
	if bestH >= 0 && cells[k].imp > Epsilon {
		cells[k].hops, cells[k].via = bestH, bestP
	}
}

// groupValue is a group's impairment: the need-th smallest of its
// members' (given by position).
func (e *refEvaluator) groupValue(ms []int32, need int32) float64 {
	if len(ms) == 2 && need == 1 {
		return min(e.cells[ms[0]].imp, e.cells[ms[1]].imp)
	}
	e.buf = e.buf[:0]
	for _, m := range ms {
		e.buf = append(e.buf, e.cells[m].imp)
	}
	slices.Sort(e.buf)
	return e.buf[need-1]
}

// requirement returns a requirement's impairment: its target's, or the
// Min-th smallest of a group's members'.
func (e *refEvaluator) requirement(r graph.Requirement) float64 {
	ms := e.net.Members(r)
	if !r.Group {
		return e.at(ms[0]).imp
	}
	e.buf = e.buf[:0]
	for _, m := range ms {
		e.buf = append(e.buf, e.at(m).imp)
	}
	slices.Sort(e.buf)
	return e.buf[r.Min-1]
}

// explainCycle assigns a cycle's members their explaining dependencies
// (as evalOne does) by relaxing them until nothing changes; bestLoss is a
// clean buffer of V entries, cleaned again after.
func (e *refEvaluator) explainCycle(scc []int32, bestLoss []float64) {
	relax := func(u int32) bool {
		c := e.at(u)
		if c.hops == 0 || c.imp <= Epsilon {
			return false
		}
		changed := false
		for _, r := range e.net.Requirements(u) {
			x := e.requirement(r)
			if x <= Epsilon || r.Impact <= 0 {
				continue
			}
			for _, v := range e.net.Members(r) {
				cv := e.at(v)
				if cv.hops < 0 || cv.imp <= Epsilon {
					continue
				}
				loss, h := r.Impact*min(x, cv.imp), cv.hops+1
				var via int32 = -1
				if c.via >= 0 {
					via = e.net.Order()[c.via]
				}
				if !refBetter(h, loss, v, c.hops, bestLoss[u], via) {
					continue
				}
				c.hops, c.via, bestLoss[u] = h, e.x.pos[v], loss
				changed = true
			}
		}
		return changed
	}
	for changed := true; changed; {
		changed = false
		for _, u := range scc {
			if relax(u) {
				changed = true
			}
		}
	}
	for _, u := range scc {
		bestLoss[u] = 0
	}
}

// Path returns the explaining path of node u, from a failed node to u; nil
// when u is unaffected.
func (p *refPropagation) Path(u int32) []int32 {
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
