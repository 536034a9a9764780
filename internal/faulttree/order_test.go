package faulttree

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// levelNames prints an order as event names and "[gate" for a module
// proxy, the gate named by describe.
func levelNames(b *Builder, levels []levelInfo) []string {
	var out []string
	for _, li := range levels {
		if li.event >= 0 {
			out = append(out, b.events[li.event].Name)
		} else {
			out = append(out, "["+describe(b, mkRef(li.module, false)))
		}
	}
	return out
}

func TestVariableOrder(t *testing.T) {
	// top = Or(a, And(b, s), And(c, s), Or(d, e)) with s shared: Or(d, e)
	// and the top are modules.
	b := NewBuilder()
	e := map[string]Ref{}
	for _, n := range strings.Fields("a b c d e s") {
		e[n] = b.Basic(n, 0.1)
	}
	top := b.Gate(Or, 0, e["a"], b.Gate(And, 0, e["b"], e["s"]), b.Gate(And, 0, e["c"], e["s"]), b.Gate(Or, 0, e["d"], e["e"]))
	tops := []Ref{top}
	d := dates(b, tops)
	isModule := make([]bool, len(b.nodes))
	for id := range b.nodes {
		isModule[id] = d.first[id] != 0 && d.isModule(b, uint32(id))
	}
	parents := parentCounts(b, tops)
	for _, tt := range []struct {
		order VariableOrder
		want  string
	}{
		// Gates first, then events, by decreasing parent count: s (two
		// parents) comes before b within the first And.
		{OrderDepthFirst, "[or(a and(b s) and(c s) or(d e)) s b c [or(d e) d e a"},
		{OrderEventsFirst, "[or(a and(b s) and(c s) or(d e)) a b s c [or(d e) d e"},
	} {
		if got := strings.Join(levelNames(b, variableOrder(b, tops, isModule, parents, tt.order)), " "); got != tt.want {
			t.Errorf("order %d: got:%q want:%q", tt.order, got, tt.want)
		}
	}
}

// TestVariableOrderKeepsModulesContiguous checks on fixed-seed random
// graphs that each event has one level and that the variables below a
// module proxy are exactly the levels that follow it.
func TestVariableOrderKeepsModulesContiguous(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	checked := 0
	for i := range 200 {
		b := NewBuilder()
		top := randomTree(rng, b, 4+rng.IntN(12), 5+rng.IntN(25), i%2 == 1)
		nb, tops := preprocess(b, []Ref{top})
		d := dates(nb, tops)
		isModule := make([]bool, len(nb.nodes))
		for id := range nb.nodes {
			isModule[id] = d.first[id] != 0 && d.isModule(nb, uint32(id))
		}
		for _, order := range []VariableOrder{OrderDepthFirst, OrderEventsFirst} {
			levels := variableOrder(nb, tops, isModule, parentCounts(nb, tops), order)
			seen := map[int32]bool{}
			for _, li := range levels {
				if li.event >= 0 {
					if seen[li.event] {
						t.Fatalf("graph %d: event %d has two levels", i, li.event)
					}
					seen[li.event] = true
				}
			}
			for lv, li := range levels {
				if li.event >= 0 {
					continue
				}
				// Variables of the module: its events and inner proxies.
				var below []string
				var walk func(id uint32, root bool)
				vis := map[uint32]bool{}
				walk = func(id uint32, root bool) {
					if vis[id] {
						return
					}
					vis[id] = true
					nd := &nb.nodes[id]
					if nd.typ == EventNode {
						below = append(below, nb.events[nd.event].Name)
					}
					if nd.typ == GateNode && isModule[id] && !root {
						below = append(below, "["+describe(nb, mkRef(id, false)))
					}
					for _, a := range nd.args {
						walk(a.node(), false)
					}
				}
				walk(li.module, true)
				if lv+1+len(below) > len(levels) {
					t.Fatalf("graph %d order %d: module %s has %d variables after level %d of %d", i, order, describe(nb, mkRef(li.module, false)), len(below), lv, len(levels))
				}
				got := levelNames(nb, levels[lv+1:lv+1+len(below)])
				slices.Sort(got)
				slices.Sort(below)
				if !slices.Equal(got, below) {
					t.Fatalf("graph %d order %d: module %s is followed by %v, want %v", i, order, describe(nb, mkRef(li.module, false)), got, below)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no module checked")
	}
}

// TestWithOrder: a Model re-ordered from another gives what compiling
// under that order gives (same levels, same analysis), without
// preprocessing again.
func TestWithOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	for i := range 50 {
		b := NewBuilder()
		top := randomTree(rng, b, 5+rng.IntN(20), 5+rng.IntN(30), i%2 == 1)
		want, err := CompileOrder(b, OrderDepthFirst, top)
		if err != nil {
			t.Fatal(err)
		}
		first, err := CompileOrder(b, OrderEventsFirst, top)
		if err != nil {
			t.Fatal(err)
		}
		got := first.withOrder(OrderDepthFirst)
		if !slices.Equal(want.levels, got.levels) || !slices.Equal(want.evLevel, got.evLevel) || !slices.Equal(want.proxyLevel, got.proxyLevel) {
			t.Fatalf("tree %d: levels differ", i)
		}
		opts := Options{MaxOrder: 4, Probability: true, MaxSets: 100}
		wr, err := want.Analyze(context.Background(), top, opts)
		if err != nil {
			t.Fatal(err)
		}
		gr, err := got.Analyze(context.Background(), top, opts)
		if err != nil {
			t.Fatal(err)
		}
		if wr.Count.Cmp(gr.Count) != 0 || !slices.EqualFunc(wr.Sets, gr.Sets, slices.Equal[[]int]) || wr.Probability != gr.Probability {
			t.Fatalf("tree %d: compiled %v %v %v, re-ordered %v %v %v", i, wr.Count, wr.Sets, wr.Probability, gr.Count, gr.Sets, gr.Probability)
		}
	}
}
