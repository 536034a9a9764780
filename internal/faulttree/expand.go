package faulttree

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
)

// ZBDD operations of the direct expansion, besides opWithout.
const (
	opUnion uint32 = iota + 16
	opMinimize
	// opTruncate+k and opProduct+k carry the order bound k (0 to
	// maxExpandOrder) in the operation code.
	opTruncate
	opProduct = opTruncate + maxExpandOrder + 1
)

// maxExpandOrder bounds the order of the direct expansion.
const maxExpandOrder = 64

// expander computes order-truncated minimal cut sets directly on a ZBDD,
// bottom-up over the gate graph, never building the function's BDD: each
// gate's family is the minimal family of its inputs' union (Or), product
// (And) or k-subsets' products (AtLeast), with every set larger than the
// order bound dropped as it is formed (Minato 1993's family algebra with
// truncation; Rauzy 1993's "without" keeps the families minimal). It is
// the ZBDD counterpart of Small (packed words, orders up to 3), for any
// order.
type expander struct {
	b     *Builder
	z     *zbdd
	k     int32
	level []int32 // by event: its ZBDD level
	event []int   // by level: its event
	memo  map[uint32]uint32
	ub    map[uint32]int // by builder node: an upper bound of its sets' order
	dists map[uint32][]*big.Int
	maxPs map[uint32]float64 // for maxP
}

// Expand computes the minimal cut sets of top, a monotone tree, up to
// opts.MaxOrder (1 to 64) by the direct expansion (MethodExpansion), never
// building the function's BDD: their exact count and order distribution,
// and Result.Sets as Analyze lists them (opts.MaxSets); no probability or
// importance. opts.NodeLimit bounds its ZBDD as it bounds Analyze's
// diagrams. Analyze falls back on it with Options.Expansion.
func Expand(ctx context.Context, b *Builder, top Ref, opts Options) (res *Result, err error) {
	if opts.MaxOrder < 1 || opts.MaxOrder > maxExpandOrder {
		return nil, fmt.Errorf("faulttree: expansion: order %d outside 1..%d", opts.MaxOrder, maxExpandOrder)
	}
	limit := opts.NodeLimit
	if limit <= 0 {
		limit = DefaultNodeLimit
	}
	bud := &budget{ctx: ctx, limit: limit}
	e := &expander{b: b, z: newZBDD(bud), k: int32(opts.MaxOrder), memo: map[uint32]uint32{}, ub: map[uint32]int{}, maxPs: map[uint32]float64{}}
	bud.used = func() int { return len(e.z.nodes) }
	e.order(top)
	defer func() {
		if r := recover(); r != nil {
			a, ok := r.(abort)
			if !ok {
				panic(r)
			}
			res, err = nil, a.err
		}
	}()
	f, err := e.family(top)
	if err != nil {
		return nil, err
	}
	res = &Result{MaxOrder: opts.MaxOrder, Probability: math.NaN(), Method: MethodExpansion,
		Truncated: e.bound(top) > opts.MaxOrder, Stats: Stats{ZBDDNodes: len(e.z.nodes)}}
	res.Count, res.OrderDistribution, res.EmptySet = e.distribution(f)
	if opts.MaxSets > 0 {
		res.Sets, res.SetProbabilities = e.best(f, opts.MaxSets)
	}
	for _, ev := range slices.Sorted(slices.Values(e.event)) { // the cone's events
		if math.IsNaN(b.Event(ev).Prob) {
			res.UnknownProbability = append(res.UnknownProbability, ev)
		}
	}
	return res, nil
}

// order gives the events below top their levels in the depth-first order
// of the BDD engine (shared nodes first).
func (e *expander) order(top Ref) {
	levels := variableOrder(e.b, []Ref{top}, make([]bool, e.b.NumNodes()), parentCounts(e.b, []Ref{top}), OrderDepthFirst)
	e.level = make([]int32, e.b.NumEvents())
	for i := range e.level {
		e.level[i] = -1
	}
	for _, l := range levels {
		e.level[l.event] = int32(len(e.event))
		e.event = append(e.event, int(l.event))
	}
}

var errNotMonotone = errors.New("faulttree: expansion needs a monotone tree (no negation)")

func (e *expander) family(r Ref) (uint32, error) {
	if r.Negated() {
		if r.Regular() == False {
			return zBase, nil
		}
		return 0, errNotMonotone
	}
	id := r.node()
	if f, ok := e.memo[id]; ok {
		return f, nil
	}
	nd := &e.b.nodes[id]
	var f uint32
	switch nd.typ {
	case ConstNode:
		f = zEmpty
	case EventNode:
		f = e.z.mk(e.level[nd.event], zBase, zEmpty)
	case GateNode:
		kids := make([]uint32, len(nd.args))
		for i, a := range nd.args {
			k, err := e.family(a)
			if err != nil {
				return 0, err
			}
			kids[i] = k
		}
		switch nd.op {
		case Or:
			f = zEmpty
			for _, k := range kids {
				f = e.union(f, k)
			}
		case And:
			f = zBase
			for i, k := range kids {
				if f = e.product(f, k, e.k); i < len(kids)-1 {
					f = e.minimize(f) // keeps the next product small
				}
			}
		case AtLeast:
			// c[j]: the products of j of the inputs seen so far.
			m := int(nd.k)
			c := make([]uint32, m+1)
			c[0] = zBase
			for _, k := range kids {
				for j := m; j >= 1; j-- {
					c[j] = e.union(c[j], e.product(c[j-1], k, e.k))
				}
			}
			f = c[m]
		default:
			return 0, fmt.Errorf("faulttree: expansion needs a monotone tree, found %s", nd.op)
		}
		f = e.minimize(f)
	}
	e.memo[id] = f
	return f, nil
}

// bound is an upper bound of the order of r's minimal cut sets: Result.
// Truncated is set when it exceeds the order limit (conservative, as in
// Analyze).
func (e *expander) bound(r Ref) int {
	id := r.node()
	if u, ok := e.ub[id]; ok {
		return u
	}
	nd := &e.b.nodes[id]
	u := 0
	switch nd.typ {
	case EventNode:
		u = 1
	case GateNode:
		us := make([]int, len(nd.args))
		for i, a := range nd.args {
			us[i] = e.bound(a)
		}
		switch nd.op {
		case Or:
			u = slices.Max(us)
		case And:
			for _, x := range us {
				u = min(u+x, math.MaxInt32)
			}
		default: // AtLeast k: the k largest
			slices.Sort(us)
			for _, x := range us[max(0, len(us)-int(nd.k)):] {
				u = min(u+x, math.MaxInt32)
			}
		}
	}
	e.ub[id] = u
	return u
}

func (e *expander) cached(op, a, b uint32) (uint32, bool) {
	c := &e.z.cache[cacheIndex(op, a, b, len(e.z.cache))]
	return c.res, c.op == op && c.a == a && c.b == b
}

func (e *expander) store(op, a, b, r uint32) {
	e.z.cache[cacheIndex(op, a, b, len(e.z.cache))] = cacheEntry{a, b, r, op}
}

// union returns f ∪ g.
func (e *expander) union(f, g uint32) uint32 {
	switch {
	case f == zEmpty || f == g:
		return g
	case g == zEmpty:
		return f
	}
	if f > g {
		f, g = g, f
	}
	if r, ok := e.cached(opUnion, f, g); ok {
		return r
	}
	e.z.bud.tick()
	fn, gn := e.z.nodes[f], e.z.nodes[g]
	var r uint32
	switch {
	case fn.level < gn.level:
		r = e.z.mk(fn.level, fn.hi, e.union(fn.lo, g))
	case fn.level > gn.level:
		r = e.z.mk(gn.level, gn.hi, e.union(f, gn.lo))
	default:
		r = e.z.mk(fn.level, e.union(fn.hi, gn.hi), e.union(fn.lo, gn.lo))
	}
	e.store(opUnion, f, g, r)
	return r
}

// truncate returns the sets of f of order at most k.
func (e *expander) truncate(f uint32, k int32) uint32 {
	switch {
	case k < 0:
		return zEmpty
	case f <= zBase:
		return f
	case k == 0:
		if e.z.hasEmpty(f) {
			return zBase
		}
		return zEmpty
	}
	op := opTruncate + uint32(k)
	if r, ok := e.cached(op, f, 0); ok {
		return r
	}
	e.z.bud.tick()
	n := e.z.nodes[f]
	r := e.z.mk(n.level, e.truncate(n.hi, k-1), e.truncate(n.lo, k))
	e.store(op, f, 0, r)
	return r
}

// product returns {s ∪ t : s ∈ f, t ∈ g, |s ∪ t| ≤ k}.
func (e *expander) product(f, g uint32, k int32) uint32 {
	switch {
	case k < 0 || f == zEmpty || g == zEmpty:
		return zEmpty
	case f == zBase:
		return e.truncate(g, k)
	case g == zBase:
		return e.truncate(f, k)
	}
	if f > g {
		f, g = g, f
	}
	op := opProduct + uint32(k)
	if r, ok := e.cached(op, f, g); ok {
		return r
	}
	e.z.bud.tick()
	fn, gn := e.z.nodes[f], e.z.nodes[g]
	l := min(fn.level, gn.level)
	f1, f0 := zEmpty, f
	if fn.level == l {
		f1, f0 = fn.hi, fn.lo
	}
	g1, g0 := zEmpty, g
	if gn.level == l {
		g1, g0 = gn.hi, gn.lo
	}
	hi := e.union(e.union(e.product(f1, g1, k-1), e.product(f1, g0, k-1)), e.product(f0, g1, k-1))
	r := e.z.mk(l, hi, e.product(f0, g0, k))
	e.store(op, f, g, r)
	return r
}

// minimize returns the minimal sets of f.
func (e *expander) minimize(f uint32) uint32 {
	if f <= zBase {
		return f
	}
	if r, ok := e.cached(opMinimize, f, 0); ok {
		return r
	}
	e.z.bud.tick()
	n := e.z.nodes[f]
	lo := e.minimize(n.lo)
	r := e.z.mk(n.level, e.z.without(e.minimize(n.hi), lo), lo)
	e.store(opMinimize, f, 0, r)
	return r
}

// distribution counts f's sets by order.
func (e *expander) distribution(f uint32) (*big.Int, []*big.Int, bool) {
	d := e.dist(f)
	total := new(big.Int)
	for _, x := range d {
		total.Add(total, x)
	}
	return total, d[1:], d[0].Sign() > 0
}

// dist returns the number of sets of f of each order 0 to k, memoised.
func (e *expander) dist(f uint32) []*big.Int {
	if r, ok := e.dists[f]; ok {
		return r
	}
	d := make([]*big.Int, e.k+1)
	for i := range d {
		d[i] = new(big.Int)
	}
	switch f {
	case zEmpty:
	case zBase:
		d[0].SetInt64(1)
	default:
		e.z.bud.tick()
		n := e.z.nodes[f]
		hi, lo := e.dist(n.hi), e.dist(n.lo)
		for i := range d {
			d[i].Set(lo[i])
			if i > 0 {
				d[i].Add(d[i], hi[i-1])
			}
		}
	}
	if e.dists == nil {
		e.dists = map[uint32][]*big.Int{}
	}
	e.dists[f] = d
	return d
}

// maxP is an upper bound of the probability of f's sets (an unknown
// probability ranked as 1).
func (e *expander) maxP(f uint32) float64 {
	return zMaxP(e.z, f, e.maxPs, func(level int32) float64 { return rankProb(e.b.Event(e.event[level]).Prob) })
}

// best lists up to r sets of f by increasing order, then decreasing
// probability, as Result.Sets does. An order whose sets all fit is listed
// whole; in the first that does not, a branch-and-bound walk keeps the r
// most probable, pruning sub-families whose best set cannot beat the r-th
// kept (so among sets as probable as the r-th, those met first in the
// diagram's order are kept, as in the BDD path's listing). Only
// sub-families holding sets of the order sought are entered, so the walk
// never enumerates the other orders.
func (e *expander) best(f uint32, r int) ([][]int, []float64) {
	var sets [][]int
	var probs []float64
	for o := 1; o <= int(e.k) && len(sets) < r; o++ {
		if e.dist(f)[o].Sign() == 0 {
			continue
		}
		k := collector{r: r - len(sets), threshold: -1}
		var walk func(f uint32, need int, cur []int, p float64)
		walk = func(f uint32, need int, cur []int, p float64) {
			if f == zEmpty || e.dist(f)[need].Sign() == 0 {
				return
			}
			e.z.bud.tick()
			if k.threshold >= 0 && rankProb(p)*e.maxP(f) <= k.threshold {
				return
			}
			if need == 0 {
				k.add(cur, p)
				if len(k.sets) > k.r && k.threshold < 0 {
					k.trim() // from now on, prune by the r-th set
				}
				return
			}
			n := e.z.nodes[f]
			ev := e.event[n.level]
			walk(n.hi, need-1, append(cur, ev), p*e.b.Event(ev).Prob)
			walk(n.lo, need, cur, p)
		}
		walk(f, o, nil, 1)
		k.trim()
		for _, s := range k.sets {
			sets = append(sets, s.events)
			probs = append(probs, s.prob)
		}
	}
	return sets, probs
}
