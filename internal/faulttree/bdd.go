package faulttree

import (
	"context"
	"fmt"
	"math"
)

// BDD literals: node index << 1 | complement bit. Node 0 is the terminal
// "one", so lit 0 is True and lit 1 is False.
const (
	lTrue  uint32 = 0
	lFalse uint32 = 1
)

const terminalLevel = math.MaxInt32

// bddNode is a Shannon node (level, high, low) of a reduced ordered BDD
// with complement edges. The high edge is never complemented (the
// canonical form of Brace, Rudell and Bryant 1990), so each Boolean
// function has exactly one literal.
type bddNode struct {
	level  int32
	hi, lo uint32
}

type cacheEntry struct {
	a, b, res, op uint32
}

const (
	opAnd uint32 = iota + 1
	opXor
	opWithout
)

// errNodeLimit is returned when a diagram would grow beyond the node limit.
type nodeLimitError struct{ limit int }

func (e *nodeLimitError) Error() string {
	return fmt.Sprintf("faulttree: node limit of %d decision-diagram nodes exceeded (raise Options.NodeLimit, or lower Options.MaxOrder)", e.limit)
}

type abort struct{ err error }

// budget carries the per-analysis limits shared by the BDD and the ZBDD.
type budget struct {
	ctx   context.Context
	steps uint32
	limit int
	used  func() int
}

func (b *budget) tick() {
	b.steps++
	if b.steps&0x3fff == 0 && b.ctx != nil {
		if err := b.ctx.Err(); err != nil {
			panic(abort{fmt.Errorf("faulttree: analysis stopped: %w", err)})
		}
	}
}

func (b *budget) grow() {
	if b.limit > 0 && b.used() >= b.limit {
		panic(abort{&nodeLimitError{b.limit}})
	}
}

// uniqueTable is an open-addressing hash table of node indices; 0 is empty.
type uniqueTable struct {
	slots []uint32
	count int
}

func nodeHash(level int32, hi, lo uint32) uint32 {
	h := uint64(uint32(level))*0x9E3779B97F4A7C15 ^ uint64(hi)*0xC2B2AE3D27D4EB4F ^ uint64(lo)*0x165667B19E3779F9
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 32
	return uint32(h)
}

// bdd is a shared BDD manager (Bryant 1986) with complement edges, a
// unique table and a lossy computed table.
type bdd struct {
	nodes []bddNode
	table uniqueTable
	cache []cacheEntry
	bud   *budget
}

func newBDD(bud *budget) *bdd {
	d := &bdd{bud: bud}
	d.nodes = append(d.nodes, bddNode{level: terminalLevel})
	d.table.slots = make([]uint32, 1<<12)
	d.cache = make([]cacheEntry, 1<<12)
	return d
}

func (d *bdd) level(f uint32) int32 { return d.nodes[f>>1].level }

// cofactors returns the high and low cofactors of f with respect to the
// variable at level lv.
func (d *bdd) cofactors(f uint32, lv int32) (uint32, uint32) {
	n := &d.nodes[f>>1]
	if n.level != lv {
		return f, f
	}
	c := f & 1
	return n.hi ^ c, n.lo ^ c
}

func (d *bdd) mk(level int32, hi, lo uint32) uint32 {
	if hi == lo {
		return hi
	}
	neg := hi & 1
	hi ^= neg
	lo ^= neg
	t := &d.table
	mask := uint32(len(t.slots) - 1)
	for i := nodeHash(level, hi, lo) & mask; ; i = (i + 1) & mask {
		id := t.slots[i]
		if id == 0 {
			d.bud.grow()
			d.nodes = append(d.nodes, bddNode{level, hi, lo})
			id = uint32(len(d.nodes) - 1)
			t.slots[i] = id
			t.count++
			if t.count*2 > len(t.slots) {
				d.rehash()
			}
			if len(d.nodes) > 2*len(d.cache) && len(d.cache) < 1<<23 {
				d.cache = make([]cacheEntry, 4*len(d.cache))
			}
			return id<<1 | neg
		}
		n := &d.nodes[id]
		if n.level == level && n.hi == hi && n.lo == lo {
			return id<<1 | neg
		}
	}
}

func (d *bdd) rehash() {
	slots := make([]uint32, 2*len(d.table.slots))
	mask := uint32(len(slots) - 1)
	for id := 1; id < len(d.nodes); id++ {
		n := &d.nodes[id]
		i := nodeHash(n.level, n.hi, n.lo) & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = uint32(id)
	}
	d.table.slots = slots
}

func cacheIndex(op, a, b uint32, n int) int {
	return int(nodeHash(int32(op), a, b) & uint32(n-1))
}

func (d *bdd) and(f, g uint32) uint32 {
	switch {
	case f == g:
		return f
	case f == g^1, f == lFalse, g == lFalse:
		return lFalse
	case f == lTrue:
		return g
	case g == lTrue:
		return f
	}
	if f > g {
		f, g = g, f
	}
	ci := cacheIndex(opAnd, f, g, len(d.cache))
	if e := &d.cache[ci]; e.op == opAnd && e.a == f && e.b == g {
		return e.res
	}
	d.bud.tick()
	lv := min(d.level(f), d.level(g))
	f1, f0 := d.cofactors(f, lv)
	g1, g0 := d.cofactors(g, lv)
	hi := d.and(f1, g1)
	lo := d.and(f0, g0)
	r := d.mk(lv, hi, lo)
	ci = cacheIndex(opAnd, f, g, len(d.cache))
	d.cache[ci] = cacheEntry{f, g, r, opAnd}
	return r
}

func (d *bdd) or(f, g uint32) uint32 { return d.and(f^1, g^1) ^ 1 }

func (d *bdd) xor(f, g uint32) uint32 {
	neg := (f ^ g) & 1
	f &^= 1
	g &^= 1
	switch {
	case f == g:
		return lFalse ^ neg
	case f == lTrue:
		return g ^ 1 ^ neg
	case g == lTrue:
		return f ^ 1 ^ neg
	}
	if f > g {
		f, g = g, f
	}
	ci := cacheIndex(opXor, f, g, len(d.cache))
	if e := &d.cache[ci]; e.op == opXor && e.a == f && e.b == g {
		return e.res ^ neg
	}
	d.bud.tick()
	lv := min(d.level(f), d.level(g))
	f1, f0 := d.cofactors(f, lv)
	g1, g0 := d.cofactors(g, lv)
	hi := d.xor(f1, g1)
	lo := d.xor(f0, g0)
	r := d.mk(lv, hi, lo)
	ci = cacheIndex(opXor, f, g, len(d.cache))
	d.cache[ci] = cacheEntry{f, g, r, opXor}
	return r ^ neg
}

// ite returns if f then g else h.
func (d *bdd) ite(f, g, h uint32) uint32 {
	return d.or(d.and(f, g), d.and(f^1, h))
}

// trueAtEmpty reports whether f holds when every variable is false.
func (d *bdd) trueAtEmpty(f uint32) bool {
	for f>>1 != 0 {
		f = d.nodes[f>>1].lo ^ (f & 1)
	}
	return f == lTrue
}
