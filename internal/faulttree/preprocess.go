package faulttree

import (
	"cmp"
	"slices"
)

// The preprocessing passes of Compile. Each one reads a Builder and the
// Refs of its tops and writes an equivalent graph into a new Builder with
// the same basic events (same indices), so the passes compose, can be
// tested one by one against Builder.Eval, and hash-consing in the new
// Builder merges the gates a pass makes identical (SCRAM's "multiple
// definition" step). Every pass is linear in the size of the graph, up to
// sorting the inputs of a gate.

// preprocess runs the passes of Compile in order: coalescing, then module
// splitting (which coalescing would undo).
func preprocess(b *Builder, tops []Ref) (*Builder, []Ref) {
	b, tops = coalesce(b, tops)
	return splitModules(b, tops)
}

// newLike returns an empty Builder with the basic events of b.
func newLike(b *Builder) *Builder {
	nb := NewBuilder()
	for _, e := range b.events {
		nb.Basic(e.Name, e.Prob)
	}
	return nb
}

// parentCounts returns, for every node of b reachable from tops, its number
// of distinct parent gates.
func parentCounts(b *Builder, tops []Ref) []int32 {
	par := make([]int32, len(b.nodes))
	seen := make([]bool, len(b.nodes))
	var walk func(n uint32)
	walk = func(n uint32) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, a := range b.nodes[n].args {
			par[a.node()]++
			walk(a.node())
		}
	}
	for _, t := range tops {
		walk(t.node())
	}
	return par
}

// coalesce merges an And (Or) input that is an uncomplemented And (Or)
// gate with no other parent, and which is not a top, into its parent:
// And(a, And(b, c)) becomes And(a, b, c). The Builder's normalisation
// (constant propagation, x∧¬x, duplicates) is re-applied to the merged
// gates. SCRAM's CoalesceGates(common=false); O(nodes + edges).
func coalesce(b *Builder, tops []Ref) (*Builder, []Ref) {
	nb := newLike(b)
	par := parentCounts(b, tops)
	isTop := make([]bool, len(b.nodes))
	for _, t := range tops {
		isTop[t.node()] = true
	}
	out := rewrite(b, nb, tops, func(n uint32, sn *bnode, in []Ref) Ref {
		args := make([]Ref, 0, len(in))
		for i, ia := range in {
			a := sn.args[i]
			x := &nb.nodes[ia.node()]
			if (sn.op == And || sn.op == Or) && !ia.Negated() && x.typ == GateNode && x.op == sn.op &&
				par[a.node()] == 1 && !isTop[a.node()] {
				args = append(args, x.args...)
				continue
			}
			args = append(args, ia)
		}
		return nb.Gate(sn.op, int(sn.k), args...)
	})
	return nb, out
}

// rewrite copies the graph of b reachable from tops into nb (a Builder
// with b's basic events, see newLike) bottom up, each node once: constants
// and basic events map to their own, and a gate to what gate makes of it,
// given its inputs already rewritten (in, negations applied, in the order
// of sn.args). It returns the tops' new Refs. The passes differ only in
// gate.
func rewrite(b, nb *Builder, tops []Ref, gate func(n uint32, sn *bnode, in []Ref) Ref) []Ref {
	memo := make([]Ref, len(b.nodes))
	done := make([]bool, len(b.nodes))
	var comp func(n uint32) Ref
	comp = func(n uint32) Ref {
		if done[n] {
			return memo[n]
		}
		sn := &b.nodes[n]
		var r Ref
		switch sn.typ {
		case ConstNode:
			r = False
		case EventNode:
			r = nb.evRef[sn.event]
		case GateNode:
			in := make([]Ref, len(sn.args))
			for i, a := range sn.args {
				in[i] = comp(a.node())
				if a.Negated() {
					in[i] = in[i].Not()
				}
			}
			r = gate(n, sn, in)
		}
		memo[n], done[n] = r, true
		return r
	}
	out := make([]Ref, len(tops))
	for i, t := range tops {
		out[i] = comp(t.node())
		if t.Negated() {
			out[i] = out[i].Not()
		}
	}
	return out
}

// visitDates are the dates of the depth-first walk of Dutuit and Rauzy
// (1996): every arrival at a node (once per incoming edge) and every exit
// from a gate ticks the clock.
type visitDates struct {
	first, exit, last []int32
	// lo and hi bound the dates of a node and of all its descendants.
	lo, hi []int32
}

// dates walks b from tops and returns the visit dates of every node.
// O(nodes + edges).
func dates(b *Builder, tops []Ref) *visitDates {
	n := len(b.nodes)
	d := &visitDates{first: make([]int32, n), exit: make([]int32, n), last: make([]int32, n), lo: make([]int32, n), hi: make([]int32, n)}
	var t int32
	var visit func(id uint32)
	visit = func(id uint32) {
		t++
		if d.first[id] != 0 {
			d.last[id] = t
			return
		}
		d.first[id], d.last[id] = t, t
		l, h := t, t
		// Gates first, then events, as SCRAM's AssignTiming: a shared
		// event is then reached late, so its date range overlaps fewer
		// siblings.
		for pass := range 2 {
			for _, a := range b.nodes[id].args {
				c := a.node()
				if (b.nodes[c].typ == GateNode) != (pass == 0) {
					continue
				}
				visit(c)
				l = min(l, d.lo[c])
				h = max(h, d.hi[c])
			}
		}
		t++
		d.exit[id] = t
		d.lo[id], d.hi[id] = l, max(h, t)
	}
	for _, r := range tops {
		if r.node() != 0 {
			visit(r.node())
		}
	}
	// A node's hi must cover its later visits, which happen after its own
	// walk: fold them in bottom-up (children come before parents in the
	// exit order, so one pass over nodes by exit date suffices).
	order := make([]uint32, 0, n)
	for id := range n {
		if d.first[id] != 0 {
			order = append(order, uint32(id))
		}
	}
	slices.SortFunc(order, func(a, c uint32) int { return cmp.Compare(d.exitOrFirst(a), d.exitOrFirst(c)) })
	for _, id := range order {
		h := max(d.hi[id], d.last[id])
		for _, a := range b.nodes[id].args {
			h = max(h, d.hi[a.node()])
		}
		d.hi[id] = h
	}
	return d
}

func (d *visitDates) exitOrFirst(id uint32) int32 {
	if d.exit[id] != 0 {
		return d.exit[id]
	}
	return d.first[id]
}

// isModule reports whether gate id is a module: no node below it is
// reached from outside it, that is, every date of its descendants falls
// strictly inside its own first and exit dates.
func (d *visitDates) isModule(b *Builder, id uint32) bool {
	if b.nodes[id].typ != GateNode {
		return false
	}
	for _, a := range b.nodes[id].args {
		c := a.node()
		if d.lo[c] <= d.first[id] || d.hi[c] >= d.exit[id] {
			return false
		}
	}
	return true
}

// splitModules gives independent groups of inputs of an And or Or gate a
// gate of their own, which is then a module: SCRAM's module creation
// (Preprocessor::ProcessModularArgs), an extension of the Dutuit and
// Rauzy (1996) detection. For a gate G the inputs are sorted into
//
//   - non-shared inputs: reached only once (an event with one parent, or
//     a module gate with one parent); if there are two or more and they
//     are not all of G's inputs, they become one new module;
//   - modular inputs: shared, but every visit of them and of their
//     descendants falls inside G's window and overlaps no other input's
//     dates; they become one new module gate, split into one sub-module
//     per group of inputs whose date ranges overlap;
//   - the rest, which stay inputs of G.
//
// A module is solved once and stands for one proxy variable in its
// parents, so the BDDs and cut-set families stay factored. O(nodes +
// edges log edges).
func splitModules(b *Builder, tops []Ref) (*Builder, []Ref) {
	nb, out, _ := splitModulesMade(b, tops)
	return nb, out
}

// splitModulesMade is splitModules that also returns the gates it made.
func splitModulesMade(b *Builder, tops []Ref) (*Builder, []Ref, []Ref) {
	d := dates(b, tops)
	nb := newLike(b)
	var made []Ref
	gate := func(op Kind, args []Ref) Ref {
		r := nb.Gate(op, 0, args...)
		made = append(made, r)
		return r
	}
	type arg struct {
		ref    Ref // in nb
		lo, hi int32
	}
	out := rewrite(b, nb, tops, func(n uint32, sn *bnode, in []Ref) Ref {
		var single, modular, rest []arg
		for i, ia := range in {
			c := sn.args[i].node()
			x := arg{ia, d.lo[c], d.hi[c]}
			switch {
			case sn.op != And && sn.op != Or:
				rest = append(rest, x)
			case d.first[c] == d.last[c] && (b.nodes[c].typ == EventNode || d.isModule(b, c)):
				single = append(single, x)
			case x.lo > d.first[n] && x.hi < d.exit[n]:
				modular = append(modular, x)
			default:
				rest = append(rest, x)
			}
		}
		modular, rest = filterModular(modular, rest, func(x arg) (int32, int32) { return x.lo, x.hi })
		refs := func(xs []arg) []Ref {
			out := make([]Ref, len(xs))
			for i, x := range xs {
				out[i] = x.ref
			}
			return out
		}
		args := refs(rest)
		if len(single) >= 2 && len(single) < len(sn.args) {
			args = append(args, gate(sn.op, refs(single)))
		} else {
			args = append(args, refs(single)...)
		}
		groups := groupOverlapping(modular, func(x arg) (int32, int32) { return x.lo, x.hi })
		var sub []Ref
		for _, g := range groups {
			if len(g) >= 2 && len(groups) > 1 {
				sub = append(sub, gate(sn.op, refs(g)))
			} else {
				sub = append(sub, refs(g)...)
			}
		}
		if len(sub) >= 2 && len(modular) < len(sn.args) {
			args = append(args, gate(sn.op, sub))
		} else {
			args = append(args, sub...)
		}
		return nb.Gate(sn.op, int(sn.k), args...)
	})
	return nb, out, made
}

// filterModular moves to rest every modular input whose date range
// overlaps the range of an input in rest, until no overlap is left
// (SCRAM's FilterModularArgs). O(n log n) per round with a sweep over the
// merged ranges of rest.
func filterModular[T any](modular, rest []T, rng func(T) (int32, int32)) ([]T, []T) {
	for len(modular) > 0 && len(rest) > 0 {
		// Merged, sorted ranges of rest.
		var iv [][2]int32
		for _, x := range rest {
			l, h := rng(x)
			iv = append(iv, [2]int32{l, h})
		}
		slices.SortFunc(iv, func(a, b [2]int32) int { return cmp.Compare(a[0], b[0]) })
		merged := iv[:1]
		for _, v := range iv[1:] {
			if top := &merged[len(merged)-1]; v[0] <= top[1] {
				top[1] = max(top[1], v[1])
			} else {
				merged = append(merged, v)
			}
		}
		var keep, moved []T
		for _, x := range modular {
			l, h := rng(x)
			// The first merged range ending at or after l.
			i, _ := slices.BinarySearchFunc(merged, l, func(v [2]int32, t int32) int { return cmp.Compare(v[1], t) })
			if i < len(merged) && merged[i][0] <= h {
				moved = append(moved, x)
			} else {
				keep = append(keep, x)
			}
		}
		if len(moved) == 0 {
			break
		}
		modular, rest = keep, append(rest, moved...)
	}
	return modular, rest
}

// groupOverlapping splits xs into the groups of transitively overlapping
// date ranges (SCRAM's GroupModularArgs), each group in input order.
// O(n log n).
func groupOverlapping[T any](xs []T, rng func(T) (int32, int32)) [][]T {
	if len(xs) == 0 {
		return nil
	}
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		la, _ := rng(xs[a])
		lb, _ := rng(xs[b])
		return cmp.Compare(la, lb)
	})
	group := make([]int, len(xs))
	g := -1
	var end int32
	for _, i := range idx {
		l, h := rng(xs[i])
		if g < 0 || l > end {
			g++
			end = h
		} else {
			end = max(end, h)
		}
		group[i] = g
	}
	out := make([][]T, g+1)
	for i, x := range xs {
		out[group[i]] = append(out[group[i]], x)
	}
	return out
}
