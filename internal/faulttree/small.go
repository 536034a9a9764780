package faulttree

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// MaxSmallOrder is the largest order Small computes.
const MaxSmallOrder = 3

// MaxSmallEvents bounds the basic events of a Builder that Small
// accepts: a set of three events is packed in one 64-bit word, 21 bits
// per event.
const MaxSmallEvents = 1 << smallBits

const (
	smallBits = 21
	smallMask = 1<<smallBits - 1
)

// ErrTooManySets is returned by Small when a family outgrows its
// budget.
var ErrTooManySets = errors.New("faulttree: too many small cut sets")

// family is a minimal family of cut sets of order at most MaxSmallOrder,
// split by order, each part sorted and without duplicates: ones holds the
// events of the sets of order 1, twos the sets {a < b} packed as a<<32|b,
// threes the sets {a < b < c} packed as a<<42|b<<21|c (so the packed
// order is the lexicographic order of the sets). empty means the family
// is {∅} (the constant True), which subsumes every other set; a family
// with no set is False. Families are never modified once built, so gates
// share their inputs' slices.
type family struct {
	empty  bool
	ones   []int32
	twos   []uint64
	threes []uint64
}

var (
	falseFamily = &family{}
	trueFamily  = &family{empty: true}
)

func (f *family) size() int {
	n := len(f.ones) + len(f.twos) + len(f.threes)
	if f.empty {
		n++
	}
	return n
}

func (f *family) isFalse() bool { return f.size() == 0 }

func pack2(a, b int32) uint64 { return uint64(a)<<32 | uint64(b) }

func unpack2(p uint64) (int32, int32) { return int32(p >> 32), int32(p & 0xffffffff) }

func pack3(a, b, c int32) uint64 {
	return uint64(a)<<(2*smallBits) | uint64(b)<<smallBits | uint64(c)
}

func unpack3(p uint64) (int32, int32, int32) {
	return int32(p >> (2 * smallBits)), int32(p >> smallBits & smallMask), int32(p & smallMask)
}

// sort3 returns a, b, c in increasing order.
func sort3(a, b, c int32) (int32, int32, int32) {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b, c = c, b
	}
	if a > b {
		a, b = b, a
	}
	return a, b, c
}

func has(sorted []uint64, p uint64) bool {
	_, ok := slices.BinarySearch(sorted, p)
	return ok
}

// bitset marks events; users clear what they set.
type bitset []uint64

func (s bitset) set(i int32)      { s[i>>6] |= 1 << (i & 63) }
func (s bitset) clear(i int32)    { s[i>>6] &^= 1 << (i & 63) }
func (s bitset) get(i int32) bool { return s[i>>6]&(1<<(i&63)) != 0 }

func (s bitset) setAll(evs []int32) {
	for _, e := range evs {
		s.set(e)
	}
}

func (s bitset) clearAll(evs []int32) {
	for _, e := range evs {
		s.clear(e)
	}
}

// Small computes the minimal cut sets of order at most its maximum (1 to
// MaxSmallOrder) of monotone fault trees, sorted by order then events,
// for several tops over one builder, sharing the families of common gates:
// each gate's family is computed once, the first time a top needs it. It
// is the bottom-up, order-truncated expansion of
// MOCUS (Fussell & Vesely 1972) on the gate graph: each gate's family of
// small minimal cut sets is computed once from its inputs' (Or: union;
// And: products; AtLeast k: products over k-subsets of inputs, built
// incrementally by dynamic programming), every union larger than maxOrder
// is dropped and every non-minimal set removed. Unlike a BDD it never
// represents the larger sets at all, so it stays small where the full
// function's diagram explodes.
//
// Families are split by order and stored as sorted packed words, with
// events marked in bitsets, so subsumption tests are bit tests and binary
// searches. A product of two families never forms the pairs whose union
// is surely too large or surely not minimal: the sets meeting an event
// common to both families' order-1 sets are removed first (that event
// alone is a cut set), and a set containing a set of the other family is
// a result by itself; only the remaining pairs whose union can stay
// within the order are enumerated (order 1 × 1, 1 × 2, and 2 × 2 sets
// sharing one event, found through an index by event). The cost of a gate
// is thus about linear in its inputs' families and its own result, plus a
// sort; budget bounds the sets held by one gate (ErrTooManySets beyond it).
// Gates with negations (Xor, complemented inputs) are refused: depgraph's
// models are monotone. Builders with more than MaxSmallEvents basic events
// are refused.
type Small struct {
	b      *Builder
	max    int
	budget int
	ctx    context.Context
	memo   []*smallEntry // by builder node
	steps  int
	// Scratch space, cleared after each use.
	markA, markB, markC, markD bitset
	count                      []int32
	pairs                      []uint64
}

type smallEntry struct {
	fam *family
	cut bool // a union larger than max was dropped below this gate
}

// NewSmall prepares a Small for cut sets of order up to maxOrder (1 to
// MaxSmallOrder), each gate holding at most budget sets (0: no bound).
func NewSmall(b *Builder, maxOrder, budget int) (*Small, error) {
	if maxOrder < 1 || maxOrder > MaxSmallOrder {
		return nil, fmt.Errorf("faulttree: small cut sets: order %d outside 1..%d", maxOrder, MaxSmallOrder)
	}
	return &Small{b: b, max: maxOrder, budget: budget}, nil
}

// CutSets returns top's minimal cut sets of order up to the maximum,
// sorted by order then events, and whether the truncation dropped a larger
// union on the way (false: there are no larger minimal cut sets).
func (c *Small) CutSets(ctx context.Context, top Ref) ([][]int, bool, error) {
	e, err := c.entry(ctx, top)
	if err != nil {
		return nil, false, err
	}
	f := e.fam
	out := make([][]int, 0, f.size())
	if f.empty {
		out = append(out, []int{})
	}
	flat := make([]int, len(f.ones)+2*len(f.twos)+3*len(f.threes))
	for _, a := range f.ones {
		flat[0] = int(a)
		out, flat = append(out, flat[:1:1]), flat[1:]
	}
	for _, p := range f.twos {
		a, b := unpack2(p)
		flat[0], flat[1] = int(a), int(b)
		out, flat = append(out, flat[:2:2]), flat[2:]
	}
	for _, p := range f.threes {
		a, b, x := unpack3(p)
		flat[0], flat[1], flat[2] = int(a), int(b), int(x)
		out, flat = append(out, flat[:3:3]), flat[3:]
	}
	return out, e.cut, nil
}

// Singles returns the events that make r true on their own (its cut sets
// of order 1), sorted. The slice must not be modified.
func (c *Small) Singles(ctx context.Context, r Ref) ([]int32, error) {
	e, err := c.entry(ctx, r)
	if err != nil {
		return nil, err
	}
	return e.fam.ones, nil
}

func (c *Small) entry(ctx context.Context, r Ref) (*smallEntry, error) {
	c.ctx = ctx
	if n := c.b.NumEvents(); n > MaxSmallEvents {
		return nil, fmt.Errorf("faulttree: small cut sets: %d basic events, more than %d", n, MaxSmallEvents)
	} else if words := (n + 63) / 64; len(c.markA) < words {
		c.markA, c.markB, c.markC, c.markD = make(bitset, words), make(bitset, words), make(bitset, words), make(bitset, words)
		c.count = make([]int32, 64*words)
	}
	if n := c.b.NumNodes(); len(c.memo) < n {
		c.memo = append(c.memo, make([]*smallEntry, n-len(c.memo))...)
	}
	return c.family(r)
}

var trueEntry = &smallEntry{fam: trueFamily}

func (c *Small) family(r Ref) (*smallEntry, error) {
	if r.Negated() {
		if r.Regular() == False { // True: the empty set is the only cut set
			return trueEntry, nil
		}
		return nil, errors.New("faulttree: small cut sets need a monotone tree (no negation)")
	}
	if e := c.memo[r.node()]; e != nil {
		return e, nil
	}
	c.steps++
	if c.steps%1024 == 0 {
		if err := c.ctx.Err(); err != nil {
			return nil, fmt.Errorf("faulttree: analysis stopped: %w", err)
		}
	}
	info := c.b.Node(r)
	fam := falseFamily
	cut := false
	switch info.Type {
	case ConstNode:
		// False
	case EventNode:
		fam = &family{ones: []int32{int32(info.Event)}}
	case GateNode:
		kids := make([]*family, len(info.Args))
		for i, a := range info.Args {
			e, err := c.family(a)
			if err != nil {
				return nil, err
			}
			kids[i] = e.fam
			cut = cut || e.cut
		}
		switch info.Op {
		case Or:
			fam = c.union(kids...)
		case And:
			fam = trueFamily
			for _, k := range kids {
				var dropped bool
				fam, dropped = c.product(fam, k)
				cut = cut || dropped
			}
		case AtLeast:
			var dropped bool
			fam, dropped = c.atLeast(info.K, kids)
			cut = cut || dropped
		default:
			return nil, fmt.Errorf("faulttree: small cut sets need a monotone tree, found %s", info.Op)
		}
	}
	if c.budget > 0 && fam.size() > c.budget {
		return nil, fmt.Errorf("%w: a gate has more than %d minimal cut sets of order ≤ %d", ErrTooManySets, c.budget, c.max)
	}
	e := &smallEntry{fam: fam, cut: cut}
	c.memo[r.node()] = e
	return e, nil
}

// union returns the minimal family of the union of fs: the order-1 sets
// of all, then the sets of order 2 and 3 that contain none of the smaller
// sets kept. When a single input has sets of order 2 or 3 (a node's gate:
// its own event or'ed with its requirements), those need only be checked
// against the other inputs' order-1 sets, and are shared when none is
// dropped.
func (c *Small) union(fs ...*family) *family {
	var only, big *family
	n, bigs := 0, 0
	for _, f := range fs {
		if f.empty {
			return trueFamily
		}
		if !f.isFalse() {
			only = f
			n++
		}
		if len(f.twos) > 0 || len(f.threes) > 0 {
			big = f
			bigs++
		}
	}
	switch n {
	case 0:
		return falseFamily
	case 1:
		return only
	}
	out := &family{}
	for _, f := range fs {
		out.ones = append(out.ones, f.ones...)
	}
	slices.Sort(out.ones)
	out.ones = slices.Compact(out.ones)
	one := c.markA
	defer one.clearAll(out.ones)
	if bigs == 1 {
		// The others' order-1 sets are the only ones that can subsume a
		// set of big (which is minimal).
		for _, f := range fs {
			if f != big {
				one.setAll(f.ones)
			}
		}
		out.twos = keep2(big.twos, one)
		out.threes = keep3(big.threes, one)
		return out
	}
	one.setAll(out.ones)
	for _, f := range fs {
		for _, p := range f.twos {
			if a, b := unpack2(p); !one.get(a) && !one.get(b) {
				out.twos = append(out.twos, p)
			}
		}
	}
	sortCompact(&out.twos)
	for _, f := range fs {
		for _, p := range f.threes {
			if a, b, x := unpack3(p); !one.get(a) && !one.get(b) && !one.get(x) {
				out.threes = append(out.threes, p)
			}
		}
	}
	out.threes = c.dropSupersets(out.threes, out.twos)
	sortCompact(&out.threes)
	return out
}

// dropSupersets removes from threes, in place, the sets containing a set
// of twos. A pair is looked up only when both its events are in some set
// of twos.
func (c *Small) dropSupersets(threes, twos []uint64) []uint64 {
	if len(twos) == 0 || len(threes) == 0 {
		return threes
	}
	ends := c.markD
	for _, p := range twos {
		a, b := unpack2(p)
		ends.set(a)
		ends.set(b)
	}
	in := func(u, v int32) bool { return ends.get(u) && ends.get(v) && has(twos, pack2(u, v)) }
	kept := threes[:0]
	for _, p := range threes {
		if a, b, x := unpack3(p); !in(a, b) && !in(a, x) && !in(b, x) {
			kept = append(kept, p)
		}
	}
	for _, p := range twos {
		a, b := unpack2(p)
		ends.clear(a)
		ends.clear(b)
	}
	return kept
}

// keep2 returns the sets of twos that meet no event marked in drop: twos
// itself when there is none.
func keep2(twos []uint64, drop bitset) []uint64 {
	for i, p := range twos {
		if a, b := unpack2(p); drop.get(a) || drop.get(b) {
			out := slices.Clone(twos[:i])
			for _, p := range twos[i+1:] {
				if a, b := unpack2(p); !drop.get(a) && !drop.get(b) {
					out = append(out, p)
				}
			}
			return out
		}
	}
	return twos
}

// keep3 is keep2 for sets of order 3.
func keep3(threes []uint64, drop bitset) []uint64 {
	hit := func(p uint64) bool { a, b, x := unpack3(p); return drop.get(a) || drop.get(b) || drop.get(x) }
	for i, p := range threes {
		if hit(p) {
			out := slices.Clone(threes[:i])
			for _, p := range threes[i+1:] {
				if !hit(p) {
					out = append(out, p)
				}
			}
			return out
		}
	}
	return threes
}

func sortCompact(s *[]uint64) {
	if !slices.IsSorted(*s) {
		slices.Sort(*s)
	}
	*s = slices.Compact(*s)
}

// product returns the minimal family of the unions x ∪ y (x in f, y in g)
// of order at most the maximum, and whether a larger union was dropped.
//
// With C the events whose order-1 sets are in both families, every union
// meeting C contains a set {c} of the result, so the sets meeting C are
// removed from both sides first. A remaining set x of f that contains a
// set of g is a union (x ∪ y = x) that every other union with x contains:
// it goes to the result as it is (likewise for g). Among the rest, the
// unions within order 3 are those of two order-1 sets (distinct, since
// they are not in C), of an order-1 and an order-2 set (which never
// contains it) and of two order-2 sets sharing exactly one event.
func (c *Small) product(f, g *family) (*family, bool) {
	switch {
	case f.isFalse() || g.isFalse():
		return falseFamily, false
	case f.empty:
		return g, false
	case g.empty:
		return f, false
	}
	dropped := c.exceeds(f, g)
	inF, inG, inC := c.markA, c.markB, c.markC
	inF.setAll(f.ones)
	inG.setAll(g.ones)
	out := &family{}
	for _, a := range f.ones {
		if inG.get(a) {
			out.ones = append(out.ones, a)
		}
	}
	inC.setAll(out.ones)
	// f1, g1: the order-1 sets outside C; f2, g2 and f3, g3: the sets of
	// order 2 and 3 that meet no event of C and contain no set of the
	// other family. The others of order 2 and 3 go to out as they are.
	f1, g1 := without(f.ones, inC), without(g.ones, inC)
	var f2, g2 []uint64
	if c.max >= 2 {
		f2 = c.split2(f.twos, inC, inG, g.twos, &out.twos)
		g2 = c.split2(g.twos, inC, inF, f.twos, &out.twos)
		for _, a := range f1 {
			for _, b := range g1 {
				out.twos = append(out.twos, pack2(min(a, b), max(a, b)))
			}
		}
		sortCompact(&out.twos)
	}
	if c.max >= 3 {
		c.split3(f.threes, inC, inG, g.twos, g.threes, &out.threes)
		c.split3(g.threes, inC, inF, f.twos, f.threes, &out.threes)
		c.cross12(f1, g2, &out.threes)
		c.cross12(g1, f2, &out.threes)
		c.cross22(f2, g2, &out.threes)
		// Drop the sets of order 3 that contain one of order 2 (none
		// meets C).
		out.threes = c.dropSupersets(out.threes, out.twos)
		sortCompact(&out.threes)
	}
	inF.clearAll(f.ones)
	inG.clearAll(g.ones)
	inC.clearAll(out.ones)
	return out, dropped
}

// without returns the events of ones not marked in skip.
func without(ones []int32, skip bitset) []int32 {
	var out []int32
	for _, a := range ones {
		if !skip.get(a) {
			out = append(out, a)
		}
	}
	return out
}

// split2 sorts the order-2 sets of one side of a product: those meeting C
// are dropped, those containing a set of the other side (an order-1 set
// marked in other, or the same set in otherTwos) are appended to res,
// the rest returned.
func (c *Small) split2(twos []uint64, inC, other bitset, otherTwos []uint64, res *[]uint64) []uint64 {
	var rest []uint64
	for _, p := range twos {
		a, b := unpack2(p)
		switch {
		case inC.get(a) || inC.get(b):
		case other.get(a) || other.get(b) || has(otherTwos, p):
			*res = append(*res, p)
		default:
			rest = append(rest, p)
		}
	}
	return rest
}

// split3 appends the order-3 sets of one side of a product that meet no
// event of C and contain a set of the other side to res. The others never
// yield a union of order 3 but themselves.
func (c *Small) split3(threes []uint64, inC, other bitset, otherTwos, otherThrees []uint64, res *[]uint64) {
	for _, p := range threes {
		a, b, x := unpack3(p)
		if inC.get(a) || inC.get(b) || inC.get(x) {
			continue
		}
		if other.get(a) || other.get(b) || other.get(x) ||
			has(otherTwos, pack2(a, b)) || has(otherTwos, pack2(a, x)) || has(otherTwos, pack2(b, x)) ||
			has(otherThrees, p) {
			*res = append(*res, p)
		}
	}
}

// cross12 appends {a} ∪ y for a in ones and y in twos (a is never in y).
func (c *Small) cross12(ones []int32, twos []uint64, res *[]uint64) {
	for _, a := range ones {
		for _, p := range twos {
			x, y := unpack2(p)
			*res = append(*res, pack3(sort3(a, x, y)))
		}
	}
}

// cross22 appends x ∪ y for the order-2 sets x of f2 and y of g2 sharing
// exactly one event (f2 and g2 have no set in common), looking the sets
// of g2 up by event in a sorted list of (event, other event) pairs.
func (c *Small) cross22(f2, g2 []uint64, res *[]uint64) {
	if len(f2) == 0 || len(g2) == 0 {
		return
	}
	idx := c.pairs[:0]
	for _, p := range g2 {
		a, b := unpack2(p)
		idx = append(idx, pack2(a, b), pack2(b, a))
	}
	slices.Sort(idx)
	c.pairs = idx
	near := func(e, skip, keep int32) {
		i, _ := slices.BinarySearch(idx, pack2(e, 0))
		for ; i < len(idx) && int32(idx[i]>>32) == e; i++ {
			if o := int32(idx[i] & 0xffffffff); o != skip {
				*res = append(*res, pack3(sort3(e, keep, o)))
			}
		}
	}
	for _, p := range f2 {
		a, b := unpack2(p)
		near(a, b, b)
		near(b, a, a)
	}
}

// exceeds reports whether some x in f and y in g have a union larger than
// the maximum order (the product drops it). Each case is decided without
// forming all pairs: a scan that stops at the first witness is bounded,
// because few sets can be contained in every set of the other side, and
// disjoint order-2 sets are counted through the events' degrees.
func (c *Small) exceeds(f, g *family) bool {
	switch c.max {
	case 1:
		return (len(f.ones) > 1 && len(g.ones) > 0) || (len(g.ones) > 1 && len(f.ones) > 0) ||
			(len(f.ones) == 1 && len(g.ones) == 1 && f.ones[0] != g.ones[0])
	case 2:
		return oneOutside2(f.ones, g.twos) || oneOutside2(g.ones, f.twos) ||
			(len(f.twos) > 1 && len(g.twos) > 0) || (len(g.twos) > 1 && len(f.twos) > 0) ||
			(len(f.twos) == 1 && len(g.twos) == 1 && f.twos[0] != g.twos[0])
	}
	return oneOutside3(f.ones, g.threes) || oneOutside3(g.ones, f.threes) ||
		twoOutside3(f.twos, g.threes) || twoOutside3(g.twos, f.threes) ||
		(len(f.threes) > 1 && len(g.threes) > 0) || (len(g.threes) > 1 && len(f.threes) > 0) ||
		(len(f.threes) == 1 && len(g.threes) == 1 && f.threes[0] != g.threes[0]) ||
		c.disjoint22(f.twos, g.twos)
}

// oneOutside2 reports whether some event of ones is outside some set of
// twos.
func oneOutside2(ones []int32, twos []uint64) bool {
	for _, e := range ones {
		for _, p := range twos {
			if a, b := unpack2(p); e != a && e != b {
				return true
			}
		}
	}
	return false
}

// oneOutside3 reports whether some event of ones is outside some set of
// threes.
func oneOutside3(ones []int32, threes []uint64) bool {
	for _, e := range ones {
		for _, p := range threes {
			if a, b, x := unpack3(p); e != a && e != b && e != x {
				return true
			}
		}
	}
	return false
}

// twoOutside3 reports whether some set of twos is not contained in some
// set of threes.
func twoOutside3(twos, threes []uint64) bool {
	for _, p := range twos {
		u, v := unpack2(p)
		for _, q := range threes {
			a, b, x := unpack3(q)
			if (u != a && u != b && u != x) || (v != a && v != b && v != x) {
				return true
			}
		}
	}
	return false
}

// disjoint22 reports whether some set of f2 is disjoint from some set of
// g2: a set {a, b} of f2 meets deg(a) + deg(b) − [{a, b} ∈ g2] sets of g2.
func (c *Small) disjoint22(f2, g2 []uint64) bool {
	if len(f2) == 0 || len(g2) == 0 {
		return false
	}
	for _, p := range g2 {
		a, b := unpack2(p)
		c.count[a]++
		c.count[b]++
	}
	found := false
	for _, p := range f2 {
		a, b := unpack2(p)
		meet := int(c.count[a]) + int(c.count[b])
		if has(g2, p) {
			meet--
		}
		if meet < len(g2) {
			found = true
			break
		}
	}
	for _, p := range g2 {
		a, b := unpack2(p)
		c.count[a], c.count[b] = 0, 0
	}
	return found
}

// atLeast returns the family of "at least k of kids": by dynamic
// programming over the inputs, dp[j] holding the sets that fail j of the
// inputs seen so far (j capped at k).
func (c *Small) atLeast(k int, kids []*family) (*family, bool) {
	dp := make([]*family, k+1)
	dp[0] = trueFamily
	for j := 1; j <= k; j++ {
		dp[j] = falseFamily
	}
	cut := false
	for _, kid := range kids {
		for j := k; j >= 1; j-- {
			add, dropped := c.product(dp[j-1], kid)
			cut = cut || dropped
			dp[j] = c.union(dp[j], add)
		}
	}
	return dp[k], cut
}
