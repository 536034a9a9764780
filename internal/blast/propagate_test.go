package blast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// randomModel draws a model of n components whose dependencies may point
// anywhere (so cycles are common, some of them long): hard ones, weighted
// ones (round shares and arbitrary ones, so weighted cycles iterate),
// unknown shares, zero impacts and k-of-n failover groups.
func randomModel(r *rand.Rand, n int) *model.Model {
	m := &model.Model{Files: []string{"random"}}
	id := func(i int) string { return fmt.Sprintf("c%03d", i) }
	for i := range n {
		nd := &model.Node{ID: id(i), Name: id(i), Kind: model.KindComponent}
		used := map[int]bool{i: true}
		pick := func() (int, bool) {
			// Mostly earlier nodes, sometimes any node (a back edge).
			var j int
			if i > 0 && r.Float64() < 0.8 {
				j = r.IntN(i)
			} else {
				j = r.IntN(n)
			}
			if used[j] {
				return 0, false
			}
			used[j] = true
			return j, true
		}
		for range r.IntN(5) {
			impact := 1.0
			switch x := r.Float64(); {
			case x < 0.3:
				impact = math.Round(r.Float64()*100) / 100
			case x < 0.45:
				impact = r.Float64()
			case x < 0.5:
				impact = 0
			}
			unknown := r.Float64() < 0.1
			if unknown {
				impact = 0
			}
			if r.Float64() < 0.25 {
				var ms []string
				for range 2 + r.IntN(4) {
					if j, ok := pick(); ok {
						ms = append(ms, id(j))
					}
				}
				if len(ms) < 2 {
					continue
				}
				nd.DependsOn = append(nd.DependsOn, model.Dependency{AnyOf: ms, Min: 1 + r.IntN(len(ms)), Impact: impact, ImpactUnknown: unknown})
				continue
			}
			if j, ok := pick(); ok {
				nd.DependsOn = append(nd.DependsOn, model.Dependency{ID: id(j), Impact: impact, ImpactUnknown: unknown})
			}
		}
		m.Nodes = append(m.Nodes, nd)
	}
	return m
}

// sharedNet is a Network that is not a *graph.Graph, as the diagnosis
// uses: a requirement of unknown share passes on share of its target's
// impairment.
type sharedNet struct {
	*graph.Graph
	share float64
}

func (s sharedNet) Requirements(i int32) []graph.Requirement {
	rs := s.Graph.Requirements(i)
	if !slices.ContainsFunc(rs, func(r graph.Requirement) bool { return r.Unknown }) {
		return rs
	}
	rs = slices.Clone(rs)
	for k := range rs {
		if rs[k].Unknown {
			rs[k].Impact = s.share
		}
	}
	return rs
}

// randomSeeds draws one to three seeds, failed or partly impaired.
func randomSeeds(r *rand.Rand, n int) []Seed {
	var seeds []Seed
	for range 1 + r.IntN(3) {
		b := 1.0
		if r.Float64() < 0.4 {
			b = 0.01 + 0.99*r.Float64()
		}
		seeds = append(seeds, Seed{Node: int32(r.IntN(n)), Impairment: b})
	}
	return seeds
}

// samePropagation reports how p differs from the reference q, bit for bit:
// impairments, affected order, hop counts, explaining dependencies and
// paths.
func samePropagation(p *Propagation, q *refPropagation) error {
	for u := range q.Impairment {
		if math.Float64bits(p.Impairment[u]) != math.Float64bits(q.Impairment[u]) {
			return fmt.Errorf("node %d: impairment got:%v want:%v", u, p.Impairment[u], q.Impairment[u])
		}
	}
	if !slices.Equal(p.Order, q.Order) {
		return fmt.Errorf("order got:%v want:%v", p.Order, q.Order)
	}
	p.ExplainPaths()
	if !slices.Equal(p.Hops, q.Hops) {
		return fmt.Errorf("hops got:%v want:%v", p.Hops, q.Hops)
	}
	if !slices.Equal(p.Via, q.Via) {
		return fmt.Errorf("via got:%v want:%v", p.Via, q.Via)
	}
	for u := range int32(len(q.Impairment)) {
		if got, want := p.Path(u), q.Path(u); !slices.Equal(got, want) {
			return fmt.Errorf("node %d: path got:%v want:%v", u, got, want)
		}
	}
	return nil
}

// TestPropagateMatchesReference compares the propagation with the one it
// replaced (reference_test.go), bit for bit, on random models with cycles,
// failover groups of k of n, unknown and zero shares, for random seeds: on
// the graph itself, on a Network of another type (no cached index) and
// with the 64-bit term layout.
func TestPropagateMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 13))
	cycles := 0
	for model := range 200 {
		n := 2 + r.IntN(60)
		if model%20 == 0 {
			n = 300 + r.IntN(300)
		}
		g, err := graph.Build(randomModel(r, n))
		if err != nil {
			t.Fatal(err)
		}
		for k := 1; k < n; k++ {
			if g.Component(g.Order()[k]) == g.Component(g.Order()[k-1]) {
				cycles++
				break
			}
		}
		nets := []Network{g, sharedNet{Graph: g, share: 0.3}}
		for range 10 {
			seeds := randomSeeds(r, n)
			for ni, net := range nets {
				if err := samePropagation(PropagateSeeds(net, seeds), refPropagate(net, seeds, true)); err != nil {
					t.Fatalf("model %d (%d nodes), net %d, seeds %v: %v", model, n, ni, seeds, err)
				}
				if err := samePropagation(PropagateSeedsPaths(net, seeds), refPropagate(net, seeds, true)); err != nil {
					t.Fatalf("model %d (%d nodes), net %d, seeds %v, paths in the pass: %v", model, n, ni, seeds, err)
				}
			}
			x := buildIndex(g, true)
			p := propagate(x, x.terms64, seeds, false)
			explain(x, x.terms64, p)
			if err := samePropagation(p, refPropagate(g, seeds, true)); err != nil {
				t.Fatalf("model %d (%d nodes), 64-bit terms, seeds %v: %v", model, n, seeds, err)
			}
			if err := samePropagation(propagate(x, x.terms64, seeds, true), refPropagate(g, seeds, true)); err != nil {
				t.Fatalf("model %d (%d nodes), 64-bit terms, seeds %v, paths in the pass: %v", model, n, seeds, err)
			}
		}
		failed := []int32{int32(r.IntN(n))}
		if err := samePropagation(Propagate(g, failed), refPropagate(g, []Seed{{Node: failed[0], Impairment: 1}}, true)); err != nil {
			t.Fatalf("model %d, Propagate(%v): %v", model, failed, err)
		}
	}
	if cycles < 50 {
		t.Fatalf("only %d of the random models have a cycle", cycles)
	}
}

// TestPropagateMatchesReferenceOnGeneratedModels does the same on the
// benchmarks' generated models (no cycles, many hubs), failing regions
// and single nodes.
func TestPropagateMatchesReferenceOnGeneratedModels(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		g := testmodel.Generated(t, 3000, 15000, seed)
		r := rand.New(rand.NewPCG(seed, 13))
		for _, region := range []string{benchRegion, benchHomeRegion} {
			if u, ok := g.Lookup(region); ok {
				if err := samePropagation(Propagate(g, []int32{u}), refPropagate(g, []Seed{{Node: u, Impairment: 1}}, true)); err != nil {
					t.Fatalf("seed %d, %s: %v", seed, region, err)
				}
			}
		}
		for range 30 {
			seeds := randomSeeds(r, g.Len())
			if err := samePropagation(PropagateSeeds(g, seeds), refPropagate(g, seeds, true)); err != nil {
				t.Fatalf("seed %d, seeds %v: %v", seed, seeds, err)
			}
			if err := samePropagation(PropagateSeedsPaths(g, seeds), refPropagate(g, seeds, true)); err != nil {
				t.Fatalf("seed %d, seeds %v, paths in the pass: %v", seed, seeds, err)
			}
		}
	}
}

// TestPropagateSeedBelowEpsilon checks that a seed impaired by less than
// Epsilon leaves nothing behind: the next propagation on the graph is the
// same as without it. (The reference left such a seed's impairment in its
// pooled buffers when nothing else reached the node.)
func TestPropagateSeedBelowEpsilon(t *testing.T) {
	g := build(t, `  - {id: a, kind: component}
  - {id: b, kind: component, depends_on: [{id: a, impact: 0.5}]}
  - {id: c, kind: component, depends_on: [b]}
`)
	want := Propagate(g, []int32{0})
	tiny := PropagateSeeds(g, []Seed{{Node: 1, Impairment: 1e-12}})
	if len(tiny.Order) != 0 || slices.ContainsFunc(tiny.Impairment, func(x float64) bool { return x != 0 }) {
		t.Fatalf("a seed of 1e-12: got:%v want no impairment", tiny.Impairment)
	}
	got := Propagate(g, []int32{0})
	if !slices.Equal(got.Impairment, want.Impairment) {
		t.Fatalf("after a seed of 1e-12: got:%v want:%v", got.Impairment, want.Impairment)
	}
}
