package faulttree

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strings"
)

// DefaultMaxOrder is the cut-set order limit used when Options.MaxOrder is
// zero or negative; it is SCRAM's default.
const DefaultMaxOrder = 20

// DefaultNodeLimit is the decision-diagram node budget used when
// Options.NodeLimit is zero: about 1.5 GB of nodes, tables and caches.
const DefaultNodeLimit = 40_000_000

// Options selects what Analyze computes.
type Options struct {
	// MaxOrder is the largest cut-set order kept; larger minimal cut sets
	// are dropped during their computation and Result.Truncated is set.
	// Zero or negative means DefaultMaxOrder.
	MaxOrder int
	// Probability asks for the exact top-event probability.
	Probability bool
	// Importance asks for per-event importance factors (implies Probability).
	Importance bool
	// MaxSets is the number of minimal cut sets to list in Result.Sets,
	// smallest order first, then most probable first. Zero lists none.
	MaxSets int
	// NodeLimit bounds the number of BDD plus ZBDD nodes held by the Model;
	// when exceeded Analyze returns an error instead of exhausting memory.
	// Zero means DefaultNodeLimit.
	NodeLimit int
	// Expansion lets the package-level Analyze fall back on the
	// order-truncated expansion (MethodExpansion) when the decision
	// diagrams exceed NodeLimit, for a MaxOrder of 1 or more on a
	// monotone tree: the cut sets then come without probability or
	// importance factors, instead of a node-limit error. The expansion
	// has the same NodeLimit and context; it pays for small orders.
	Expansion bool
}

// Importance holds the importance factors of one basic event for a top
// event (Dutuit & Rauzy 2001, "Efficient algorithms to assess component
// and gate importance in fault tree analysis", RESS 72).
type Importance struct {
	// Event is the basic-event index.
	Event int
	// Name is the basic-event name.
	Name string
	// Birnbaum is the marginal importance P(top|x) − P(top|¬x).
	Birnbaum float64
	// FussellVesely is (P(top) − P(top|¬x)) / P(top), the fraction of the
	// top-event probability that involves x.
	FussellVesely float64
	// RAW is the risk achievement worth P(top|x) / P(top).
	RAW float64
	// RRW is the risk reduction worth P(top) / P(top|¬x).
	RRW float64
}

// Stats describes the size of the decision diagrams after an analysis.
type Stats struct {
	// BDDNodes is the number of BDD nodes held by the Model.
	BDDNodes int
	// ZBDDNodes is the number of ZBDD nodes held by the Model.
	ZBDDNodes int
	// Modules is the number of independent modules found by Compile.
	Modules int
}

// Result is the outcome of Analyze.
type Result struct {
	// MaxOrder is the order limit that was applied.
	MaxOrder int
	// Count is the number of minimal cut sets of order ≤ MaxOrder,
	// including the empty set when EmptySet is true.
	Count *big.Int
	// OrderDistribution[i] is the number of minimal cut sets of order i+1.
	OrderDistribution []*big.Int
	// EmptySet reports that the top event holds with no failure at all
	// (the single minimal cut set is ∅, SCRAM's UNITY).
	EmptySet bool
	// Truncated reports that the order limit cut a branch of the
	// computation that may hold minimal cut sets above MaxOrder. It is
	// conservative: false means the result is complete, true means larger
	// sets may exist (they may also all be subsumed by smaller ones).
	Truncated bool
	// Probability is the exact top-event probability (NaN when some event
	// has an unknown probability, or when not requested).
	Probability float64
	// UnknownProbability lists the events of the top event's cone whose
	// probability is NaN, sorted.
	UnknownProbability []int
	// Sets lists up to Options.MaxSets minimal cut sets as sorted
	// basic-event indices, by increasing order then decreasing probability.
	Sets [][]int
	// SetProbabilities[i] is the product of the probabilities of Sets[i].
	SetProbabilities []float64
	// Importance lists the importance factors of every basic event in the
	// top event's cone, by event index.
	Importance []Importance
	// Stats describes the decision diagrams.
	Stats Stats
	// Method says how the cut sets were found: MethodBDD, or
	// MethodExpansion when the decision diagrams outgrew the node limit
	// and the order limit allowed the order-truncated expansion instead.
	Method Method
}

// Method is how Analyze found the minimal cut sets.
type Method string

const (
	// MethodBDD: the function's BDD converted into a ZBDD of minimal cut
	// sets. The probability and importance factors are exact.
	MethodBDD Method = "bdd"
	// MethodExpansion: the order-truncated bottom-up expansion on a ZBDD
	// (Expand), which never represents the larger sets. The cut
	// sets and their count are exact up to MaxOrder; the probability and
	// importance factors are not computed (Probability is NaN), since the
	// function itself was too large to represent.
	MethodExpansion Method = "expansion"
)

// firstTryNodes is the node budget of the first variable order tried by
// the package-level Analyze before it falls back to the other one.
const firstTryNodes = 2_000_000

// Analyze compiles the fault tree rooted at top and analyses it. It tries
// OrderEventsFirst with a budget of 2 M nodes first and, if that order
// blows up, OrderDepthFirst with the full budget: a two-order portfolio,
// since no static order suits every tree. OrderEventsFirst goes first
// because, after module creation (splitModules), it is the only one of
// the two that solves edf9202 within 8 M nodes, and the faster one on
// most heavy Aralia trees (edfpa14b/p/r, edfpa15b); OrderDepthFirst wins
// on others by smaller margins (edfpa14o, das9601). The second order gets
// the full budget: das9701 needs 19 M nodes in OrderDepthFirst (an
// earlier portfolio gave it only 2 M and never solved das9701). To
// analyse many tops
// over one shared graph, call Compile once and Model.Analyze per top
// instead.
func Analyze(ctx context.Context, b *Builder, top Ref, opts Options) (*Result, error) {
	limit := opts.NodeLimit
	if limit <= 0 {
		limit = DefaultNodeLimit
	}
	var m *Model
	if limit > firstTryNodes {
		first, err := CompileOrder(b, OrderEventsFirst, top)
		if err != nil {
			return nil, err
		}
		try := opts
		try.NodeLimit = firstTryNodes
		res, err := first.Analyze(ctx, top, try)
		if !IsNodeLimit(err) {
			return res, err
		}
		m = first.withOrder(OrderDepthFirst) // preprocessed once
	} else {
		var err error
		if m, err = CompileOrder(b, OrderDepthFirst, top); err != nil {
			return nil, err
		}
	}
	res, err := m.Analyze(ctx, top, opts)
	if IsNodeLimit(err) && opts.Expansion && opts.MaxOrder >= 1 {
		// Both orders blew up: expand the sets asked for bottom-up,
		// without representing the function (nus9601).
		small, serr := Expand(ctx, b, top, opts)
		if serr == nil {
			return small, nil
		}
		if IsNodeLimit(serr) {
			return nil, fmt.Errorf("%w; the order-truncated expansion exceeds it too", err)
		}
		return nil, fmt.Errorf("%w; the order-truncated expansion failed too: %s", err, strings.TrimPrefix(serr.Error(), "faulttree: "))
	}
	return res, err
}

// IsNodeLimit reports whether err comes from exceeding Options.NodeLimit.
func IsNodeLimit(err error) bool {
	var nl *nodeLimitError
	return errors.As(err, &nl)
}

// Analyze computes the minimal cut sets of top, one of the Refs given to
// Compile, and optionally its probability, importance factors and the
// most relevant cut sets. The BDD of top is built over the module proxies
// (Bryant 1986; complement edges as in Brace, Rudell & Bryant 1990), then
// converted into a ZBDD of minimal cut sets truncated at MaxOrder (Rauzy
// 1993; Minato 1993). Counts and the order distribution come from a
// dynamic programme over the ZBDD, O(ZBDD nodes × MaxOrder²), never from
// enumeration. The probability is exact (one pass over the BDD) and the
// Birnbaum factors of all events come from one reverse (adjoint) pass.
//
// ctx is checked periodically inside the recursions; the Model stays
// usable after a cancellation or a node-limit error.
func (m *Model) Analyze(ctx context.Context, top Ref, opts Options) (res *Result, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.src.nodes) != m.srcNodes {
		return nil, errors.New("faulttree: the builder was modified after Compile; compile it again")
	}
	itop, ok := m.tops[top.Regular()]
	if !ok {
		return nil, fmt.Errorf("faulttree: analyze: Ref %d was not given to Compile", top)
	}
	if top.Negated() {
		itop = itop.Not()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("faulttree: analysis stopped: %w", err)
	}
	L := opts.MaxOrder
	if L <= 0 {
		L = DefaultMaxOrder
	}
	m.bud.ctx = ctx
	m.bud.limit = opts.NodeLimit
	if m.bud.limit <= 0 {
		m.bud.limit = DefaultNodeLimit
	}
	defer func() {
		m.bud.ctx = nil
		if r := recover(); r != nil {
			a, ok := r.(abort)
			if !ok {
				panic(r)
			}
			res, err = nil, a.err
		}
	}()

	res = &Result{MaxOrder: L, Probability: math.NaN(), Method: MethodBDD}
	f := m.refBDD(itop, true)
	z, trunc := m.mcs(f, int32(L))
	dc := &distCalc{m: m, L: L, memo: map[uint32][]uint64{}, mods: map[uint32]uint32{}}
	d := dc.dist(z)
	res.Truncated = trunc || dc.trunc || dc.beyond
	if dc.overflow {
		bc := &bigDistCalc{dc: dc, memo: map[uint32][]*big.Int{}}
		res.Count, res.OrderDistribution, res.EmptySet = bc.summary(bc.dist(z), L)
	} else {
		res.Count, res.OrderDistribution, res.EmptySet = summary(d, L)
	}
	for _, ev := range m.coneEvents(itop) {
		if isNaN(m.ib.events[ev].Prob) {
			res.UnknownProbability = append(res.UnknownProbability, ev)
		}
	}
	if opts.Probability || opts.Importance {
		res.Probability = m.prob(f)
	}
	if opts.Importance {
		res.Importance = m.importance(itop, f, res.Probability)
	}
	if opts.MaxSets > 0 {
		res.Sets, res.SetProbabilities = dc.topSets(z, d, opts.MaxSets)
	}
	res.Stats = Stats{BDDNodes: len(m.bdd.nodes), ZBDDNodes: len(m.zdd.nodes), Modules: m.modCount}
	return res, nil
}

func summary(d []uint64, L int) (*big.Int, []*big.Int, bool) {
	total := new(big.Int)
	dist := make([]*big.Int, L)
	for i := range dist {
		dist[i] = new(big.Int)
		if i+1 < len(d) {
			dist[i].SetUint64(d[i+1])
		}
		total.Add(total, dist[i])
	}
	empty := len(d) > 0 && d[0] > 0
	if empty {
		total.Add(total, big.NewInt(1))
	}
	return total, dist, empty
}

// coneEvents lists the basic events below internal ref r, sorted.
func (m *Model) coneEvents(r Ref) []int {
	seen := map[uint32]bool{}
	var evs []int
	var walk func(id uint32)
	walk = func(id uint32) {
		if seen[id] {
			return
		}
		seen[id] = true
		nd := &m.ib.nodes[id]
		if nd.typ == EventNode {
			evs = append(evs, int(nd.event))
		}
		for _, a := range nd.args {
			walk(a.node())
		}
	}
	walk(r.node())
	slices.Sort(evs)
	return evs
}

// distCalc computes the order distribution of ZBDD families, expanding
// module proxies by polynomial multiplication. Counts saturate at
// MaxUint64, which sets overflow and triggers the math/big variant.
type distCalc struct {
	m        *Model
	L        int
	memo     map[uint32][]uint64
	mods     map[uint32]uint32 // module gate → ZBDD root
	overflow bool
	trunc    bool
	beyond   bool
}

func (c *distCalc) moduleRoot(mod uint32) uint32 {
	if z, ok := c.mods[mod]; ok {
		return z
	}
	z, t := c.m.mcs(c.m.gateBDD(mod), int32(c.L))
	c.trunc = c.trunc || t
	c.mods[mod] = z
	return z
}

func (c *distCalc) add(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		c.overflow = true
		return math.MaxUint64
	}
	return s
}

func (c *distCalc) mul(a, b uint64) uint64 {
	h, l := bits.Mul64(a, b)
	if h != 0 {
		c.overflow = true
		return math.MaxUint64
	}
	return l
}

// dist returns d with d[i] = number of sets of order i in family z, for
// i ≤ L, trimmed after the last non-zero entry.
func (c *distCalc) dist(z uint32) []uint64 {
	switch z {
	case zEmpty:
		return nil
	case zBase:
		return []uint64{1}
	}
	if d, ok := c.memo[z]; ok {
		return d
	}
	c.m.bud.tick()
	n := c.m.zdd.nodes[z]
	lo := c.dist(n.lo)
	hi := c.dist(n.hi)
	var poly []uint64
	if li := c.m.levels[n.level]; li.event >= 0 {
		poly = []uint64{0, 1}
	} else {
		poly = c.dist(c.moduleRoot(li.module))
	}
	out := make([]uint64, min(c.L+1, max(len(lo), len(hi)+len(poly)-1)))
	copy(out, lo)
	for i, h := range hi {
		if h == 0 {
			continue
		}
		for j, p := range poly {
			if p == 0 {
				continue
			}
			if i+j > c.L {
				c.beyond = true
				break
			}
			out[i+j] = c.add(out[i+j], c.mul(h, p))
		}
	}
	for len(out) > 0 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	c.memo[z] = out
	return out
}

// bigDistCalc is distCalc with arbitrary precision, used after an overflow.
type bigDistCalc struct {
	dc   *distCalc
	memo map[uint32][]*big.Int
}

func (c *bigDistCalc) dist(z uint32) []*big.Int {
	switch z {
	case zEmpty:
		return nil
	case zBase:
		return []*big.Int{big.NewInt(1)}
	}
	if d, ok := c.memo[z]; ok {
		return d
	}
	m := c.dc.m
	m.bud.tick()
	n := m.zdd.nodes[z]
	lo := c.dist(n.lo)
	hi := c.dist(n.hi)
	var poly []*big.Int
	if li := m.levels[n.level]; li.event >= 0 {
		poly = []*big.Int{new(big.Int), big.NewInt(1)}
	} else {
		poly = c.dist(c.dc.moduleRoot(li.module))
	}
	out := make([]*big.Int, min(c.dc.L+1, max(len(lo), len(hi)+len(poly)-1)))
	for i := range out {
		out[i] = new(big.Int)
		if i < len(lo) {
			out[i].Set(lo[i])
		}
	}
	var t big.Int
	for i, h := range hi {
		for j, p := range poly {
			if i+j >= len(out) {
				break
			}
			out[i+j].Add(out[i+j], t.Mul(h, p))
		}
	}
	c.memo[z] = out
	return out
}

func (c *bigDistCalc) summary(d []*big.Int, L int) (*big.Int, []*big.Int, bool) {
	total := new(big.Int)
	dist := make([]*big.Int, L)
	for i := range dist {
		dist[i] = new(big.Int)
		if i+1 < len(d) {
			dist[i].Set(d[i+1])
		}
		total.Add(total, dist[i])
	}
	empty := len(d) > 0 && d[0].Sign() > 0
	if empty {
		total.Add(total, big.NewInt(1))
	}
	return total, dist, empty
}

// importance computes the importance factors of the events below itop
// from one adjoint pass per BDD (module BDDs get the chain rule).
func (m *Model) importance(itop Ref, f uint32, ptop float64) []Importance {
	birn := map[int32]float64{}
	m.derivs(f, 1, birn)
	var out []Importance
	for _, ev := range m.coneEvents(itop) {
		p := m.ib.events[ev].Prob
		b := birn[int32(ev)]
		p1 := ptop + (1-p)*b
		p0 := ptop - p*b
		out = append(out, Importance{
			Event:         ev,
			Name:          m.ib.events[ev].Name,
			Birnbaum:      b,
			FussellVesely: (ptop - p0) / ptop,
			RAW:           p1 / ptop,
			RRW:           ptop / p0,
		})
	}
	return out
}

// derivs adds scale·∂P(f)/∂p_x to out[x] for every event x below f.
func (m *Model) derivs(f uint32, scale float64, out map[int32]float64) {
	if f>>1 == 0 || scale == 0 {
		return
	}
	var ids []uint32
	seen := map[uint32]bool{}
	stack := []uint32{f >> 1}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
		n := m.bdd.nodes[id]
		stack = append(stack, n.hi>>1, n.lo>>1)
	}
	slices.SortFunc(ids, func(a, b uint32) int { return cmp.Compare(m.bdd.nodes[a].level, m.bdd.nodes[b].level) })
	adj := map[uint32]float64{}
	if f&1 == 1 {
		scale = -scale
	}
	adj[f>>1] = scale
	proxy := map[int32]float64{}
	for _, id := range ids {
		a := adj[id]
		if a == 0 {
			continue
		}
		n := m.bdd.nodes[id]
		pv := m.levelProb(n.level)
		d := a * (m.prob(n.hi) - m.prob(n.lo))
		if li := m.levels[n.level]; li.event >= 0 {
			out[li.event] += d
		} else {
			proxy[n.level] += d
		}
		adj[n.hi>>1] += a * pv
		if n.lo&1 == 1 {
			adj[n.lo>>1] -= a * (1 - pv)
		} else {
			adj[n.lo>>1] += a * (1 - pv)
		}
	}
	lvs := make([]int32, 0, len(proxy))
	for lv := range proxy {
		lvs = append(lvs, lv)
	}
	slices.Sort(lvs)
	for _, lv := range lvs {
		m.derivs(m.gateBDD(m.levels[lv].module), proxy[lv], out)
	}
}
