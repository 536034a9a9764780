package faulttree

import (
	"cmp"
	"math"
	"slices"
)

type cutSet struct {
	events []int
	prob   float64
}

// rankProb is the probability used for ranking: unknown counts as 1.
func rankProb(p float64) float64 {
	if math.IsNaN(p) {
		return 1
	}
	return p
}

// maxP returns an upper bound of the probability of any set of family z
// (the most probable set, ignoring its order).
func (c *distCalc) maxP(z uint32) float64 {
	return zMaxP(c.m.zdd, z, c.m.zMaxP, func(level int32) float64 {
		if li := c.m.levels[level]; li.event >= 0 {
			return rankProb(c.m.ib.events[li.event].Prob)
		}
		return c.maxP(c.moduleRoot(c.m.levels[level].module))
	})
}

// zMaxP returns the probability of the most probable set of family f of
// z, given each level's probability (an unknown one ranked as 1),
// memoised in memo.
func zMaxP(z *zbdd, f uint32, memo map[uint32]float64, levelP func(int32) float64) float64 {
	switch f {
	case zEmpty:
		return 0
	case zBase:
		return 1
	}
	if p, ok := memo[f]; ok {
		return p
	}
	n := z.nodes[f]
	p := max(zMaxP(z, n.lo, memo, levelP), levelP(n.level)*zMaxP(z, n.hi, memo, levelP))
	memo[f] = p
	return p
}

// collector keeps the best r sets of one order.
type collector struct {
	r         int
	sets      []cutSet
	threshold float64 // -1 until the collector has been trimmed once
}

func compareSets(a, b cutSet) int {
	if c := cmp.Compare(rankProb(b.prob), rankProb(a.prob)); c != 0 {
		return c
	}
	return slices.Compare(a.events, b.events)
}

func (k *collector) add(ev []int, p float64) {
	s := slices.Clone(ev)
	slices.Sort(s)
	k.sets = append(k.sets, cutSet{s, p})
	if len(k.sets) >= 2*k.r+64 {
		k.trim()
	}
}

func (k *collector) trim() {
	slices.SortFunc(k.sets, compareSets)
	if len(k.sets) > k.r {
		k.sets = k.sets[:k.r]
		k.threshold = rankProb(k.sets[k.r-1].prob)
	}
}

// topSets lists up to r minimal cut sets of family z by increasing order
// then decreasing probability. Orders that fit entirely are enumerated;
// in the first order that does not, a branch-and-bound walk keeps the r
// most probable sets, pruning sub-families whose best set (maxP) cannot
// beat the current r-th set (ties with it are pruned too, so among equally
// probable sets the first ones in diagram order are kept).
func (c *distCalc) topSets(z uint32, d []uint64, r int) ([][]int, []float64) {
	var sets [][]int
	var probs []float64
	for s := 1; s < len(d) && r > 0; s++ {
		if d[s] == 0 {
			continue
		}
		k := &collector{r: r, threshold: -1}
		bounded := d[s] > uint64(r)
		c.walk(z, s, nil, 1, 1, bounded, k, func(ev []int, p float64) { k.add(ev, p) })
		k.trim()
		for _, cs := range k.sets {
			sets = append(sets, cs.events)
			probs = append(probs, cs.prob)
		}
		r -= len(k.sets)
	}
	return sets, probs
}

// walk calls emit for every set of family z of exactly order s, extended by
// cur with probability p. rest bounds the probability of what the caller
// will still append.
func (c *distCalc) walk(z uint32, s int, cur []int, p, rest float64, bounded bool, k *collector, emit func([]int, float64)) {
	if z == zBase {
		if s == 0 {
			emit(cur, p)
		}
		return
	}
	if z == zEmpty || s < 0 {
		return
	}
	d := c.dist(z)
	if s >= len(d) || d[s] == 0 {
		return
	}
	if bounded && k.threshold >= 0 && rankProb(p)*c.maxP(z)*rest <= k.threshold {
		return
	}
	c.m.bud.tick()
	n := c.m.zdd.nodes[z]
	li := c.m.levels[n.level]
	if li.event >= 0 {
		ev := int(li.event)
		c.walk(n.hi, s-1, append(cur, ev), p*c.m.ib.events[ev].Prob, rest, bounded, k, emit)
	} else {
		mz := c.moduleRoot(li.module)
		md := c.dist(mz)
		restHi := rest * c.maxP(n.hi)
		for j := 1; j <= s && j < len(md); j++ {
			if md[j] == 0 {
				continue
			}
			c.walk(mz, j, cur, p, restHi, bounded, k, func(ev []int, p2 float64) {
				c.walk(n.hi, s-j, ev, p2, rest, bounded, k, emit)
			})
		}
	}
	c.walk(n.lo, s, cur, p, rest, bounded, k, emit)
}
