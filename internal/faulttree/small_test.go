package faulttree

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestSmallCutSetsAgreeWithZBDD checks the order-truncated enumeration
// against the BDD/ZBDD engine on fixed-seed random coherent trees, for
// every order it supports.
func TestSmallCutSetsAgreeWithZBDD(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 200 {
		b := NewBuilder()
		top := randomTree(rng, b, 3+rng.IntN(8), 2+rng.IntN(10), false)
		for order := 1; order <= MaxSmallOrder; order++ {
			res, err := Analyze(context.Background(), b, top, Options{MaxOrder: order, MaxSets: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			got, err := SmallCutSets(context.Background(), b, top, order, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(res.Sets)
			if res.EmptySet {
				want = [][]int{{}}
			}
			sortSets(want)
			sortSets(got)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("tree %d, order %d (-zbdd +small):\n%s", i, order, diff)
			}
		}
	}
}

func sortSets(s [][]int) {
	slices.SortFunc(s, func(a, b []int) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return slices.Compare(a, b)
	})
}

func TestSmallCutSetsBudgetAndNegation(t *testing.T) {
	b := NewBuilder()
	var evs []Ref
	for i := range 30 {
		evs = append(evs, b.Basic(string(rune('a'+i)), 0.1))
	}
	top := b.Gate(AtLeast, 2, evs...)
	if _, err := SmallCutSets(context.Background(), b, top, 2, 100); err == nil {
		t.Error("30 choose 2 = 435 sets accepted under a budget of 100")
	}
	if sets, err := SmallCutSets(context.Background(), b, top, 2, 0); err != nil || len(sets) != 435 {
		t.Errorf("got %d sets, %v; want 435", len(sets), err)
	}
	if _, err := SmallCutSets(context.Background(), b, b.Gate(Xor, 0, evs[0], evs[1]), 2, 0); err == nil {
		t.Error("xor accepted")
	}
}

// TestAnalyzeExpansionFallback: when the diagrams exceed the node limit and
// the order limit is small, Options.Expansion gives the same cut sets,
// count and order distribution as an analysis with room, without
// probability; without Expansion, above MaxSmallOrder or on a
// non-monotone tree the node-limit error stays.
func TestAnalyzeExpansionFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	tried := 0
	for i := range 40 {
		b := NewBuilder()
		top := randomTree(rng, b, 20+rng.IntN(20), 30+rng.IntN(30), false)
		for order := 1; order <= MaxSmallOrder; order++ {
			want, err := Analyze(context.Background(), b, top, Options{MaxOrder: order, MaxSets: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			if want.Method != MethodBDD {
				t.Fatalf("tree %d: method %q with room, want bdd", i, want.Method)
			}
			if want.Stats.BDDNodes+want.Stats.ZBDDNodes < 40 {
				continue // too small to run out of nodes
			}
			tried++
			const limit = 10
			if _, err := Analyze(context.Background(), b, top, Options{MaxOrder: order, NodeLimit: limit}); !IsNodeLimit(err) {
				t.Fatalf("tree %d order %d without Expansion: got %v, want a node-limit error", i, order, err)
			}
			got, err := Analyze(context.Background(), b, top, Options{MaxOrder: order, MaxSets: 1 << 20, NodeLimit: limit, Expansion: true, Probability: true})
			if err != nil {
				t.Fatalf("tree %d order %d: %v", i, order, err)
			}
			if got.Method != MethodExpansion || !math.IsNaN(got.Probability) {
				t.Errorf("tree %d order %d: method %q probability %v, want expansion and NaN", i, order, got.Method, got.Probability)
			}
			if got.Count.Cmp(want.Count) != 0 || got.EmptySet != want.EmptySet {
				t.Errorf("tree %d order %d: count %v (empty %v), want %v (empty %v)", i, order, got.Count, got.EmptySet, want.Count, want.EmptySet)
			}
			if diff := cmp.Diff(fmt.Sprint(want.OrderDistribution), fmt.Sprint(got.OrderDistribution)); diff != "" {
				t.Errorf("tree %d order %d distribution (-bdd +expansion):\n%s", i, order, diff)
			}
			if diff := cmp.Diff(want.Sets, got.Sets, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("tree %d order %d sets, in Result.Sets' order (-bdd +expansion):\n%s", i, order, diff)
			}
			if diff := cmp.Diff(want.SetProbabilities, got.SetProbabilities, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("tree %d order %d set probabilities (-bdd +expansion):\n%s", i, order, diff)
			}
		}
	}
	if tried < 20 {
		t.Fatalf("only %d trees large enough to run out of nodes", tried)
	}
	b := NewBuilder()
	top := chain(b, 30)
	if _, err := Analyze(context.Background(), b, top, Options{MaxOrder: MaxSmallOrder + 1, NodeLimit: 20, Expansion: true}); !IsNodeLimit(err) {
		t.Errorf("order %d: got %v, want a node-limit error", MaxSmallOrder+1, err)
	}
	nb := NewBuilder()
	nonMonotone := randomTree(rand.New(rand.NewPCG(5, 5)), nb, 30, 60, true)
	if _, err := Analyze(context.Background(), nb, nonMonotone, Options{MaxOrder: 2, NodeLimit: 10, Expansion: true}); !IsNodeLimit(err) {
		t.Errorf("non-monotone: got %v, want a node-limit error", err)
	}
}
