package faulttree

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// levelInfo describes one BDD/ZBDD variable: a basic event or the proxy
// variable of a module.
type levelInfo struct {
	event  int32  // basic-event index, or -1 for a module proxy
	module uint32 // internal gate node of a proxy
}

// Model is a compiled fault tree: a preprocessed PDAG over the basic
// events of a Builder, with one shared BDD and ZBDD manager. Many top
// events (for example one per service of a dependency graph) can be
// analysed against the same Model; sub-graphs they share are converted to
// BDD only once, since gate BDDs, probabilities and cut-set families are
// memoised in the Model.
//
// A Model is safe for concurrent use, but analyses are serialised.
type Model struct {
	mu       sync.Mutex
	src      *Builder
	srcNodes int
	ib       *Builder // internal, coalesced graph; event indices equal src's
	tops     map[Ref]Ref
	itops    []Ref // the tops given to Compile, in ib
	order    VariableOrder

	isModule   []bool
	proxyLevel []int32
	evLevel    []int32
	levels     []levelInfo
	modState   []uint8 // 0 unknown, 1 proxy, 2 inline

	bud  budget
	bdd  *bdd
	zdd  *zbdd
	gbdd []uint32 // gate node → lit+1

	probs    []float64
	probDone []bool
	lvProb   []float64
	lvDone   []bool
	minOrd   map[uint32]int32
	maxW     []int32 // BDD node → maxWeight+1, 0 unknown
	conv     map[uint64]convResult
	zMaxP    map[uint32]float64
	modCount int
}

type convResult struct {
	z     uint32
	trunc bool
}

// Compile preprocesses the fault tree made of the given top events and
// returns a Model to analyse them. It runs, in time linear in the size of
// the graph:
//
//   - gate coalescing: an And (Or) input that is an And (Or) gate with no
//     other parent is merged into its parent, with the Builder's constant
//     propagation and normalisation re-applied;
//   - module creation: independent groups of inputs of an And or Or gate
//     get a gate of their own, which is then a module (SCRAM's
//     Preprocessor::ProcessModularArgs, see splitModules);
//   - module detection with the linear-time algorithm of Dutuit and Rauzy
//     (1996, "A linear-time algorithm to find modules of fault trees",
//     IEEE Trans. Reliability 45(3)): a depth-first walk records the first,
//     exit and last visit dates of every node, and a gate is a module (its
//     inputs reach no node from outside it) when all its descendants'
//     dates fall inside its own window. Modules are solved on their own and
//     stand as one proxy variable in their parents;
//   - a static variable order: depth first from the tops, visiting child
//     gates then child events, each by decreasing number of parents (the
//     order of SCRAM's pdag::TopologicalOrder), so a module's variables are
//     contiguous.
//
// The Builder must not be modified afterwards.
func Compile(b *Builder, tops ...Ref) (*Model, error) {
	return CompileOrder(b, OrderDepthFirst, tops...)
}

// VariableOrder selects the static BDD variable order heuristic.
type VariableOrder uint8

// The variable orders. Both are depth-first from the tops and keep the
// variables of a module contiguous; no single heuristic wins on every tree
// (edf9202 needs OrderEventsFirst; das9701 needs OrderDepthFirst, about
// 19 M BDD nodes, where OrderEventsFirst exceeds 30 M), which is why the
// package-level Analyze tries both.
const (
	// OrderDepthFirst visits child gates, then child events, each by
	// decreasing number of parents (SCRAM's pdag::TopologicalOrder).
	OrderDepthFirst VariableOrder = iota
	// OrderEventsFirst visits a gate's own events first, then its child
	// gates, both in construction order.
	OrderEventsFirst
)

// CompileOrder is Compile with an explicit variable order.
func CompileOrder(b *Builder, order VariableOrder, tops ...Ref) (*Model, error) {
	if len(tops) == 0 {
		return nil, errors.New("faulttree: compile: no top event given")
	}
	for _, t := range tops {
		if int(t.node()) >= len(b.nodes) {
			return nil, fmt.Errorf("faulttree: compile: top %d does not belong to the builder", t)
		}
	}
	m := &Model{src: b, srcNodes: len(b.nodes), tops: map[Ref]Ref{}, order: order}
	ib, itops := preprocess(b, tops)
	m.ib, m.itops = ib, itops
	for i, t := range tops {
		r := itops[i]
		if t.Negated() {
			r = r.Not()
		}
		m.tops[t.Regular()] = r
	}
	m.findModules()
	m.orderLevels()
	m.newDiagrams()
	return m, nil
}

// withOrder returns a Model of the same preprocessed graph and modules
// under another variable order, with diagrams of its own: what
// CompileOrder would return, without preprocessing again.
func (m *Model) withOrder(order VariableOrder) *Model {
	o := &Model{src: m.src, srcNodes: m.srcNodes, ib: m.ib, tops: m.tops, itops: m.itops, order: order, isModule: m.isModule, modCount: m.modCount}
	o.orderLevels()
	o.newDiagrams()
	return o
}

// newDiagrams gives the Model empty diagrams and memo tables.
func (m *Model) newDiagrams() {
	m.bud.limit = DefaultNodeLimit
	m.bud.used = func() int { return len(m.bdd.nodes) + len(m.zdd.nodes) }
	m.bdd = newBDD(&m.bud)
	m.zdd = newZBDD(&m.bud)
	m.gbdd = make([]uint32, len(m.ib.nodes))
	m.modState = make([]uint8, len(m.ib.nodes))
	m.minOrd = map[uint32]int32{}
	m.conv = map[uint64]convResult{}
	m.zMaxP = map[uint32]float64{}
}

// findModules finds the modules of the preprocessed graph.
func (m *Model) findModules() {
	n := len(m.ib.nodes)
	d := dates(m.ib, m.itops)
	m.isModule = make([]bool, n)
	for id := range n {
		if d.first[id] != 0 && d.isModule(m.ib, uint32(id)) {
			m.isModule[id] = true
			m.modCount++
		}
	}
}

// orderLevels fixes the variable order: the levels of events and module
// proxies.
func (m *Model) orderLevels() {
	n := len(m.ib.nodes)
	m.levels = variableOrder(m.ib, m.itops, m.isModule, parentCounts(m.ib, m.itops), m.order)
	m.proxyLevel = make([]int32, n)
	for i := range m.proxyLevel {
		m.proxyLevel[i] = -1
	}
	m.evLevel = make([]int32, len(m.ib.events))
	for i := range m.evLevel {
		m.evLevel[i] = -1
	}
	for lv, li := range m.levels {
		if li.event >= 0 {
			m.evLevel[li.event] = int32(lv)
		} else {
			m.proxyLevel[li.module] = int32(lv)
		}
	}
}

// NumModules returns the number of modules found by Compile.
func (m *Model) NumModules() int { return m.modCount }

// gateBDD returns the BDD of internal gate id, with its sub-modules as
// proxy variables. It is memoised for the life of the Model.
func (m *Model) gateBDD(id uint32) uint32 {
	if v := m.gbdd[id]; v != 0 {
		return v - 1
	}
	nd := &m.ib.nodes[id]
	lits := make([]uint32, len(nd.args))
	for i, a := range nd.args {
		lits[i] = m.refBDD(a, false)
	}
	d := m.bdd
	var f uint32
	switch nd.op {
	case And, Or, Xor:
		// Combine the deepest operands first: intermediate results stay small.
		slices.SortFunc(lits, func(a, b uint32) int { return cmp.Compare(d.level(b), d.level(a)) })
		f = lits[0]
		for _, g := range lits[1:] {
			switch nd.op {
			case And:
				f = d.and(f, g)
			case Or:
				f = d.or(f, g)
			case Xor:
				f = d.xor(f, g)
			}
		}
	case AtLeast:
		// row[j] = at least j of lits[i:] hold, built for i = n-1 … 0.
		k := int(nd.k)
		row := make([]uint32, k+1)
		for j := 1; j <= k; j++ {
			row[j] = lFalse
		}
		for i := len(lits) - 1; i >= 0; i-- {
			for j := k; j >= 1; j-- {
				row[j] = d.ite(lits[i], row[j-1], row[j])
			}
		}
		f = row[k]
	}
	m.gbdd[id] = f + 1
	return f
}

// refBDD returns the BDD literal of an internal reference. A module gate
// becomes its proxy variable unless asTop is set, or the module is
// constant or true when all its events are false (then it is inlined,
// which keeps the cut-set semantics exact for non-coherent modules).
func (m *Model) refBDD(r Ref, asTop bool) uint32 {
	id := r.node()
	nd := &m.ib.nodes[id]
	var f uint32
	switch nd.typ {
	case ConstNode:
		f = lFalse
	case EventNode:
		f = m.bdd.mk(m.evLevel[nd.event], lTrue, lFalse)
	case GateNode:
		f = m.gateBDD(id)
		if !asTop && m.isModule[id] {
			if m.modState[id] == 0 {
				m.modState[id] = 2
				if f>>1 != 0 && !m.bdd.trueAtEmpty(f) {
					m.modState[id] = 1
				}
			}
			if m.modState[id] == 1 {
				f = m.bdd.mk(m.proxyLevel[id], lTrue, lFalse)
			}
		}
	}
	if r.Negated() {
		f ^= 1
	}
	return f
}

// levelProb returns the probability of the variable at level lv.
func (m *Model) levelProb(lv int32) float64 {
	for len(m.lvProb) < len(m.levels) {
		m.lvProb = append(m.lvProb, 0)
		m.lvDone = append(m.lvDone, false)
	}
	if m.lvDone[lv] {
		return m.lvProb[lv]
	}
	li := m.levels[lv]
	var p float64
	if li.event >= 0 {
		p = m.ib.events[li.event].Prob
	} else {
		p = m.prob(m.gateBDD(li.module))
	}
	m.lvProb[lv], m.lvDone[lv] = p, true
	return p
}

// prob returns the exact probability of BDD literal f by Shannon
// decomposition, P(f) = p·P(f1) + (1-p)·P(f0), memoised per node: O(nodes).
func (m *Model) prob(f uint32) float64 {
	id := f >> 1
	var p float64
	if id == 0 {
		p = 1
	} else {
		for len(m.probs) < len(m.bdd.nodes) {
			m.probs = append(m.probs, 0)
			m.probDone = append(m.probDone, false)
		}
		if m.probDone[id] {
			p = m.probs[id]
		} else {
			n := m.bdd.nodes[id]
			pv := m.levelProb(n.level)
			p = pv*m.prob(n.hi) + (1-pv)*m.prob(n.lo)
			m.probs[id], m.probDone[id] = p, true
		}
	}
	if f&1 == 1 {
		return 1 - p
	}
	return p
}

// weight is the smallest number of basic events a variable stands for:
// 1 for an event, the minimum cut-set order of a proxied module.
func (m *Model) weight(lv int32) int32 {
	li := m.levels[lv]
	if li.event >= 0 {
		return 1
	}
	return m.minOrder(m.gateBDD(li.module))
}

// minOrder is the size of the smallest minimal cut set of f: the lightest
// path to the one terminal counting high edges by weight.
func (m *Model) minOrder(f uint32) int32 {
	if f == lTrue {
		return 0
	}
	if f == lFalse {
		return 1 << 20
	}
	if v, ok := m.minOrd[f]; ok {
		return v
	}
	n := m.bdd.nodes[f>>1]
	c := f & 1
	r := min(m.minOrder(n.lo^c), m.weight(n.level)+m.minOrder(n.hi^c))
	m.minOrd[f] = r
	return r
}

// maxWeight is the weight of the heaviest path of f to the one terminal,
// counting high edges by weight: no cut set of f is heavier. It depends
// only on the node, not on the complement bit. O(nodes), memoised.
func (m *Model) maxWeight(f uint32) int32 {
	id := f >> 1
	if id == 0 {
		return 0
	}
	for len(m.maxW) < len(m.bdd.nodes) {
		m.maxW = append(m.maxW, 0)
	}
	if v := m.maxW[id]; v != 0 {
		return v - 1
	}
	n := m.bdd.nodes[id]
	r := max(m.maxWeight(n.lo), m.weight(n.level)+m.maxWeight(n.hi))
	r = min(r, 1<<14) // keys keep k in 16 bits
	m.maxW[id] = r + 1
	return r
}

// mcs converts BDD literal f into the ZBDD of its minimal cut sets of
// weighted order at most k, following Rauzy (1993, "New algorithms for
// fault trees analysis", RESS 40): for a node (v, f1, f0),
// MCS(f) = {v}×(MCS(f1) without MCS(f0)) ∪ MCS(f0). On a non-coherent
// function the negative literals are dropped, so the result is the set of
// minimal true points (SCRAM's default for not/xor gates). The truncation
// to order k is applied during the recursion; the second result reports
// that a non-empty branch was cut. Memoised on (f, k): O(nodes·k) calls.
func (m *Model) mcs(f uint32, k int32) (uint32, bool) {
	switch f {
	case lTrue:
		return zBase, false
	case lFalse:
		return zEmpty, false
	}
	// Above the heaviest path of f nothing is truncated, so all such k
	// share one result: this keeps the memo at about one entry per node.
	k = min(k, m.maxWeight(f))
	key := uint64(f)<<16 | uint64(k)
	if r, ok := m.conv[key]; ok {
		return r.z, r.trunc
	}
	m.bud.tick()
	n := m.bdd.nodes[f>>1]
	c := f & 1
	lo, trunc := m.mcs(n.lo^c, k)
	w := m.weight(n.level)
	var hi uint32
	if w > k {
		if n.hi^c != lFalse && lo != zBase {
			trunc = true
		}
	} else {
		var t bool
		hi, t = m.mcs(n.hi^c, k-w)
		trunc = trunc || t
		hi = m.zdd.without(hi, lo)
	}
	z := m.zdd.mk(n.level, hi, lo)
	m.conv[key] = convResult{z, trunc}
	return z, trunc
}
