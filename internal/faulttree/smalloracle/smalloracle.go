package smalloracle

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/depgraph/depgraph/internal/faulttree"
)

// smallSet is a cut set of at most faulttree.MaxSmallOrder events, sorted.
type smallSet struct {
	n uint8
	e [faulttree.MaxSmallOrder]int32
}

func (s smallSet) slice() []int {
	out := make([]int, s.n)
	for i := range out {
		out[i] = int(s.e[i])
	}
	return out
}

// union returns a ∪ b and whether it has at most max events.
func union(a, b smallSet, max int) (smallSet, bool) {
	var out smallSet
	i, j := 0, 0
	for i < int(a.n) || j < int(b.n) {
		var x int32
		switch {
		case j >= int(b.n) || (i < int(a.n) && a.e[i] < b.e[j]):
			x = a.e[i]
			i++
		case i >= int(a.n) || b.e[j] < a.e[i]:
			x = b.e[j]
			j++
		default:
			x = a.e[i]
			i++
			j++
		}
		if int(out.n) == max {
			return out, false
		}
		out.e[out.n] = x
		out.n++
	}
	return out, true
}

// Small is faulttree.Small as it was: order-truncated minimal cut sets
// for several tops over one builder, sharing the families of common gates.
type Small struct {
	b      *faulttree.Builder
	max    int
	budget int
	ctx    context.Context
	memo   map[faulttree.Ref]smallEntry
	steps  int
}

type smallEntry struct {
	fam []smallSet
	cut bool // a union larger than max was dropped below this gate
}

// NewSmall prepares a Small for cut sets of order up to maxOrder (1 to
// faulttree.MaxSmallOrder), each gate holding at most budget sets (0: no bound).
func NewSmall(b *faulttree.Builder, maxOrder, budget int) (*Small, error) {
	if maxOrder < 1 || maxOrder > faulttree.MaxSmallOrder {
		return nil, fmt.Errorf("faulttree: small cut sets: order %d outside 1..%d", maxOrder, faulttree.MaxSmallOrder)
	}
	return &Small{b: b, max: maxOrder, budget: budget, memo: map[faulttree.Ref]smallEntry{}}, nil
}

// CutSets returns top's minimal cut sets of order up to the maximum,
// sorted by order then events, and whether the truncation dropped a larger
// union on the way (false: there are no larger minimal cut sets).
func (c *Small) CutSets(ctx context.Context, top faulttree.Ref) ([][]int, bool, error) {
	c.ctx = ctx
	e, err := c.family(top)
	if err != nil {
		return nil, false, err
	}
	out := make([][]int, len(e.fam))
	for i, s := range e.fam {
		out[i] = s.slice()
	}
	return out, e.cut, nil
}

func (c *Small) family(r faulttree.Ref) (smallEntry, error) {
	if r.Negated() {
		if r.Regular() == faulttree.False { // True: the empty set is the only cut set
			return smallEntry{fam: []smallSet{{}}}, nil
		}
		return smallEntry{}, errors.New("faulttree: small cut sets need a monotone tree (no negation)")
	}
	if e, ok := c.memo[r]; ok {
		return e, nil
	}
	c.steps++
	if c.steps%1024 == 0 {
		if err := c.ctx.Err(); err != nil {
			return smallEntry{}, fmt.Errorf("faulttree: analysis stopped: %w", err)
		}
	}
	info := c.b.Node(r)
	var fam []smallSet
	cut := false
	switch info.Type {
	case faulttree.ConstNode:
		fam = nil // faulttree.False
	case faulttree.EventNode:
		fam = []smallSet{{n: 1, e: [faulttree.MaxSmallOrder]int32{int32(info.Event)}}}
	case faulttree.GateNode:
		kids := make([][]smallSet, len(info.Args))
		for i, a := range info.Args {
			e, err := c.family(a)
			if err != nil {
				return smallEntry{}, err
			}
			kids[i] = e.fam
			cut = cut || e.cut
		}
		switch info.Op {
		case faulttree.Or:
			for _, k := range kids {
				fam = append(fam, k...)
			}
		case faulttree.And:
			fam = []smallSet{{}}
			for _, k := range kids {
				var dropped bool
				fam, dropped = c.product(fam, k)
				cut = cut || dropped
			}
		case faulttree.AtLeast:
			var dropped bool
			fam, dropped = c.atLeast(info.K, kids)
			cut = cut || dropped
		default:
			return smallEntry{}, fmt.Errorf("faulttree: small cut sets need a monotone tree, found %s", info.Op)
		}
		fam = minimize(fam)
	}
	if c.budget > 0 && len(fam) > c.budget {
		return smallEntry{}, fmt.Errorf("%w: a gate has more than %d minimal cut sets of order ≤ %d", faulttree.ErrTooManySets, c.budget, c.max)
	}
	e := smallEntry{fam: fam, cut: cut}
	c.memo[r] = e
	return e, nil
}

// product returns the truncated pairwise unions of two families and
// whether a union larger than the maximum was dropped.
func (c *Small) product(a, b []smallSet) ([]smallSet, bool) {
	var out []smallSet
	dropped := false
	for _, x := range a {
		for _, y := range b {
			if int(x.n)+int(y.n) > c.max && !overlaps(x, y) {
				dropped = true
				continue
			}
			if u, ok := union(x, y, c.max); ok {
				out = append(out, u)
			} else {
				dropped = true
			}
		}
	}
	return minimize(out), dropped
}

func overlaps(a, b smallSet) bool {
	for i := range int(a.n) {
		for j := range int(b.n) {
			if a.e[i] == b.e[j] {
				return true
			}
		}
	}
	return false
}

// atLeast returns the family of "at least k of kids": by dynamic
// programming over the inputs, dp[j] holding the sets that fail j of the
// inputs seen so far (j capped at k).
func (c *Small) atLeast(k int, kids [][]smallSet) ([]smallSet, bool) {
	dp := make([][]smallSet, k+1)
	dp[0] = []smallSet{{}}
	cut := false
	for _, kid := range kids {
		for j := k; j >= 1; j-- {
			add, dropped := c.product(dp[j-1], kid)
			cut = cut || dropped
			if j == k {
				dp[k] = minimize(append(dp[k], add...))
			} else {
				dp[j] = minimize(append(dp[j], add...))
			}
		}
	}
	return dp[k], cut
}

// compareSmall orders sets by order, then events.
func compareSmall(a, b smallSet) int {
	if a.n != b.n {
		return int(a.n) - int(b.n)
	}
	for i := range int(a.n) {
		if a.e[i] != b.e[i] {
			if a.e[i] < b.e[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// minimize sorts a family by order then events, drops duplicates and every
// set that contains another. The sets of order 1 and 2 end up in sorted
// blocks, so subset tests are binary searches. O(n log n), no maps.
func minimize(f []smallSet) []smallSet {
	if len(f) <= 1 {
		return f
	}
	if !slices.IsSortedFunc(f, compareSmall) {
		slices.SortFunc(f, compareSmall)
	}
	f = slices.CompactFunc(f, func(a, b smallSet) bool { return compareSmall(a, b) == 0 })
	if f[0].n == 0 {
		return f[:1] // the empty set subsumes everything
	}
	out := f[:0]
	var ones []int32    // kept sets of order 1, ascending
	var twos []smallSet // kept sets of order 2, ascending
	hasOne := func(x int32) bool { _, ok := slices.BinarySearch(ones, x); return ok }
	hasTwo := func(x, y int32) bool {
		_, ok := slices.BinarySearchFunc(twos, smallSet{n: 2, e: [faulttree.MaxSmallOrder]int32{x, y}}, compareSmall)
		return ok
	}
	for _, s := range f {
		switch s.n {
		case 1:
			ones = append(ones, s.e[0])
		case 2:
			if hasOne(s.e[0]) || hasOne(s.e[1]) {
				continue
			}
			twos = append(twos, s)
		case 3:
			if hasOne(s.e[0]) || hasOne(s.e[1]) || hasOne(s.e[2]) ||
				hasTwo(s.e[0], s.e[1]) || hasTwo(s.e[0], s.e[2]) || hasTwo(s.e[1], s.e[2]) {
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// Singles returns the events that make r true on their own (its cut sets
// of order 1), sorted.
func (c *Small) Singles(ctx context.Context, r faulttree.Ref) ([]int, error) {
	c.ctx = ctx
	e, err := c.family(r)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, s := range e.fam {
		if s.n == 1 {
			out = append(out, int(s.e[0]))
		}
	}
	return out, nil
}
