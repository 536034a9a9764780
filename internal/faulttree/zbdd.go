package faulttree

// ZBDD references: node indices, 0 is the empty family and 1 the family
// {∅} (Minato 1993).
const (
	zEmpty uint32 = 0
	zBase  uint32 = 1
)

// zbdd is a zero-suppressed BDD manager (Minato 1993) holding families of
// cut sets. A node (level, hi, lo) is the family lo ∪ {{v} ∪ s : s ∈ hi};
// nodes whose hi is the empty family are suppressed.
type zbdd struct {
	nodes []bddNode
	table uniqueTable
	cache []cacheEntry
	bud   *budget
}

func newZBDD(bud *budget) *zbdd {
	z := &zbdd{bud: bud}
	z.nodes = append(z.nodes, bddNode{level: terminalLevel}, bddNode{level: terminalLevel})
	z.table.slots = make([]uint32, 1<<12)
	z.cache = make([]cacheEntry, 1<<12)
	return z
}

func (z *zbdd) mk(level int32, hi, lo uint32) uint32 {
	if hi == zEmpty {
		return lo
	}
	t := &z.table
	mask := uint32(len(t.slots) - 1)
	for i := nodeHash(level, hi, lo) & mask; ; i = (i + 1) & mask {
		id := t.slots[i]
		if id == 0 {
			z.bud.grow()
			z.nodes = append(z.nodes, bddNode{level, hi, lo})
			id = uint32(len(z.nodes) - 1)
			t.slots[i] = id
			t.count++
			if t.count*2 > len(t.slots) {
				z.rehash()
			}
			if len(z.nodes) > 2*len(z.cache) && len(z.cache) < 1<<22 {
				z.cache = make([]cacheEntry, 4*len(z.cache))
			}
			return id
		}
		n := &z.nodes[id]
		if n.level == level && n.hi == hi && n.lo == lo {
			return id
		}
	}
}

func (z *zbdd) rehash() {
	slots := make([]uint32, 2*len(z.table.slots))
	mask := uint32(len(slots) - 1)
	for id := 2; id < len(z.nodes); id++ {
		n := &z.nodes[id]
		i := nodeHash(n.level, n.hi, n.lo) & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = uint32(id)
	}
	z.table.slots = slots
}

// hasEmpty reports whether ∅ belongs to family f.
func (z *zbdd) hasEmpty(f uint32) bool {
	for f > zBase {
		f = z.nodes[f].lo
	}
	return f == zBase
}

// without returns {s ∈ f : no t ∈ g with t ⊆ s}: Rauzy's (1993) "without"
// operation, the subsumption filter that keeps cut sets minimal. It runs in
// O(|f|·|g|) node pairs in the worst case, memoised in the computed table.
func (z *zbdd) without(f, g uint32) uint32 {
	switch {
	case f == zEmpty || g == zEmpty:
		return f
	case g == zBase || f == g:
		return zEmpty
	case f == zBase:
		if z.hasEmpty(g) {
			return zEmpty
		}
		return zBase
	}
	ci := cacheIndex(opWithout, f, g, len(z.cache))
	if e := &z.cache[ci]; e.op == opWithout && e.a == f && e.b == g {
		return e.res
	}
	z.bud.tick()
	fn, gn := z.nodes[f], z.nodes[g]
	var r uint32
	switch {
	case fn.level < gn.level:
		r = z.mk(fn.level, z.without(fn.hi, g), z.without(fn.lo, g))
	case fn.level > gn.level:
		r = z.without(f, gn.lo)
	default:
		r = z.mk(fn.level, z.without(z.without(fn.hi, gn.hi), gn.lo), z.without(fn.lo, gn.lo))
	}
	ci = cacheIndex(opWithout, f, g, len(z.cache))
	z.cache[ci] = cacheEntry{f, g, r, opWithout}
	return r
}
