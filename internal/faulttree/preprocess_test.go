package faulttree

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// describe prints the graph below r as nested gates, inputs in Ref order,
// for structural comparisons.
func describe(b *Builder, r Ref) string {
	var sb strings.Builder
	var walk func(r Ref)
	walk = func(r Ref) {
		if r.Negated() {
			sb.WriteString("~")
		}
		n := &b.nodes[r.node()]
		switch n.typ {
		case ConstNode:
			sb.WriteString("F")
		case EventNode:
			sb.WriteString(b.events[n.event].Name)
		case GateNode:
			sb.WriteString(n.op.String())
			if n.op == AtLeast {
				fmt.Fprintf(&sb, "%d", n.k)
			}
			sb.WriteString("(")
			args := slices.Clone(n.args)
			slices.SortFunc(args, func(x, y Ref) int { return strings.Compare(describe(b, x), describe(b, y)) })
			for i, a := range args {
				if i > 0 {
					sb.WriteString(" ")
				}
				walk(a)
			}
			sb.WriteString(")")
		}
	}
	walk(r)
	return sb.String()
}

type passFunc func(*Builder, []Ref) (*Builder, []Ref)

// passTests are hand-made graphs and the structure each pass gives them.
var passTests = []struct {
	name  string
	pass  passFunc
	build func(b *Builder, e map[string]Ref) []Ref
	want  []string
}{
	{
		name: "coalesce/nested-and",
		pass: coalesce,
		build: func(b *Builder, e map[string]Ref) []Ref {
			return []Ref{b.Gate(And, 0, e["a"], b.Gate(And, 0, e["b"], b.Gate(And, 0, e["c"], e["d"])))}
		},
		want: []string{"and(a b c d)"},
	},
	{
		name: "coalesce/keeps-shared-complemented-and-other-kinds",
		pass: coalesce,
		build: func(b *Builder, e map[string]Ref) []Ref {
			shared := b.Gate(Or, 0, e["a"], e["b"])
			neg := b.Gate(Or, 0, e["c"], e["d"]).Not()
			and := b.Gate(And, 0, e["c"], e["e"])
			return []Ref{b.Gate(Or, 0, shared, neg, and, b.Gate(And, 0, shared, e["e"]))}
		},
		want: []string{"or(and(c e) and(e or(a b)) or(a b) ~or(c d))"},
	},
	{
		name: "coalesce/keeps-tops",
		pass: coalesce,
		build: func(b *Builder, e map[string]Ref) []Ref {
			inner := b.Gate(Or, 0, e["a"], e["b"])
			return []Ref{b.Gate(Or, 0, inner, e["c"]), inner}
		},
		want: []string{"or(c or(a b))", "or(a b)"},
	},
	{
		name: "coalesce/folds-contradiction",
		pass: coalesce,
		build: func(b *Builder, e map[string]Ref) []Ref {
			return []Ref{b.Gate(And, 0, e["a"].Not(), b.Gate(And, 0, e["a"], e["b"]))}
		},
		want: []string{"F"},
	},
	{
		// {a, b} are reached once; {and(x c), and(x d)} share x only
		// between themselves; e is shared with the other top, walked
		// second: e's dates start after those of the and gates (the walk
		// visits gate inputs before event inputs).
		name: "split/non-shared-and-modular",
		pass: splitModules,
		build: func(b *Builder, e map[string]Ref) []Ref {
			g1 := b.Gate(And, 0, e["x"], e["c"])
			g2 := b.Gate(And, 0, e["x"], e["d"])
			return []Ref{b.Gate(Or, 0, e["a"], e["b"], g1, g2, e["e"]), b.Gate(And, 0, e["e"], e["f"])}
		},
		want: []string{"or(e or(a b) or(and(c x) and(d x)))", "and(e f)"},
	},
	{
		// The same, but e's dates span the and gates' (e is reached first
		// from the other top, walked first): as in SCRAM, date ranges that
		// overlap keep the inputs in the gate.
		name: "split/overlap-blocks",
		pass: splitModules,
		build: func(b *Builder, e map[string]Ref) []Ref {
			g1 := b.Gate(And, 0, e["x"], e["c"])
			g2 := b.Gate(And, 0, e["x"], e["d"])
			return []Ref{b.Gate(And, 0, e["e"], e["f"]), b.Gate(Or, 0, e["a"], e["b"], g1, g2, e["e"])}
		},
		want: []string{"and(e f)", "or(and(c x) and(d x) e or(a b))"},
	},
	{
		// Two independent groups of modular inputs become two modules
		// below one new gate.
		name: "split/two-groups",
		pass: splitModules,
		build: func(b *Builder, e map[string]Ref) []Ref {
			g1 := b.Gate(And, 0, e["x"], e["a"])
			g2 := b.Gate(And, 0, e["x"], e["b"])
			g3 := b.Gate(And, 0, e["y"], e["c"])
			g4 := b.Gate(And, 0, e["y"], e["d"])
			return []Ref{b.Gate(Or, 0, g1, g2, g3, g4, e["e"]), b.Gate(And, 0, e["e"], e["f"])}
		},
		want: []string{"or(e or(or(and(a x) and(b x)) or(and(c y) and(d y))))", "and(e f)"},
	},
	{
		// A gate that is already a module is left alone; an AtLeast gate
		// is never split.
		name: "split/module-and-atleast-unchanged",
		pass: splitModules,
		build: func(b *Builder, e map[string]Ref) []Ref {
			return []Ref{b.Gate(And, 0, e["a"], e["b"], e["c"]), b.Gate(AtLeast, 2, e["d"], e["e"], e["f"], b.Gate(Or, 0, e["x"], e["y"]))}
		},
		want: []string{"and(a b c)", "atleast2(d e f or(x y))"},
	},
}

func TestPasses(t *testing.T) {
	for _, tt := range passTests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder()
			e := map[string]Ref{}
			for _, n := range strings.Fields("a b c d e f x y") {
				e[n] = b.Basic(n, 0.1)
			}
			tops := tt.build(b, e)
			nb, out := tt.pass(b, tops)
			var got []string
			for _, r := range out {
				got = append(got, describe(nb, r))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got:%q want:%q", got, tt.want)
			}
		})
	}
}

// TestPassesKeepTheFunction checks on fixed-seed random graphs, coherent
// and not, that every pass and the whole pipeline give the same truth
// table for every top, and that the new gates of splitModules are modules.
func TestPassesKeepTheFunction(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	passes := map[string]passFunc{"coalesce": coalesce, "split": splitModules, "pipeline": preprocess}
	for i := range 200 {
		b := NewBuilder()
		n := 2 + rng.IntN(9)
		top := randomTree(rng, b, n, 3+rng.IntN(15), i%2 == 1)
		tops := []Ref{top}
		// A second top sharing part of the graph.
		if len(b.nodes) > 3 {
			tops = append(tops, mkRef(uint32(1+rng.IntN(len(b.nodes)-1)), rng.IntN(2) == 0))
		}
		for name, pass := range passes {
			nb, out := pass(b, tops)
			failed := make([]bool, n)
			for mask := range 1 << n {
				for k := range n {
					failed[k] = mask&(1<<k) != 0
				}
				for j := range tops {
					if b.Eval(tops[j], failed) != nb.Eval(out[j], failed) {
						t.Fatalf("graph %d, %s: top %d differs at %0*b", i, name, j, n, mask)
					}
				}
			}
		}
	}
}

// TestSplitModulesMakesModules checks that every gate splitModules adds is
// a module of the new graph.
func TestSplitModulesMakesModules(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	made := 0
	for i := range 300 {
		b := NewBuilder()
		top := randomTree(rng, b, 4+rng.IntN(12), 5+rng.IntN(25), false)
		cb, ctops := coalesce(b, []Ref{top})
		nb, out, news := splitModulesMade(cb, ctops)
		d := dates(nb, out)
		for _, r := range news {
			made++
			if !d.isModule(nb, r.node()) {
				t.Fatalf("graph %d: new gate %s is not a module of %s", i, describe(nb, r), describe(nb, out[0]))
			}
		}
	}
	if made == 0 {
		t.Fatal("no gate made: the test checks nothing")
	}
}
