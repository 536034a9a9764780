package faulttree

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestExpandAgreesWithBDD checks the direct ZBDD expansion against the
// BDD engine on fixed-seed random coherent trees: the same count, order
// distribution, empty set, listed sets and their probabilities, for
// orders up to 6.
func TestExpandAgreesWithBDD(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for i := range 150 {
		b := NewBuilder()
		top := randomTree(rng, b, 4+rng.IntN(25), 3+rng.IntN(40), false)
		for order := 1; order <= 6; order++ {
			opts := Options{MaxOrder: order, MaxSets: 1 << 20}
			want, err := Analyze(context.Background(), b, top, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Expand(context.Background(), b, top, opts)
			if err != nil {
				t.Fatalf("tree %d order %d: %v", i, order, err)
			}
			if d := expansionDiff(want, got); d != "" {
				t.Fatalf("tree %d order %d: %s", i, order, d)
			}
			// A few sets: the same orders and probabilities as the BDD's
			// (equally probable sets may be other ones).
			few := Options{MaxOrder: order, MaxSets: 3}
			wantFew, err := Analyze(context.Background(), b, top, few)
			if err != nil {
				t.Fatal(err)
			}
			gotFew, err := Expand(context.Background(), b, top, few)
			if err != nil {
				t.Fatal(err)
			}
			orders := func(sets [][]int) (o []int) {
				for _, s := range sets {
					o = append(o, len(s))
				}
				return o
			}
			if diff := cmp.Diff(orders(wantFew.Sets), orders(gotFew.Sets)); diff != "" {
				t.Fatalf("tree %d order %d, 3 sets: orders (-bdd +expansion):\n%s", i, order, diff)
			}
			if diff := cmp.Diff(wantFew.SetProbabilities, gotFew.SetProbabilities, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Fatalf("tree %d order %d, 3 sets: probabilities (-bdd +expansion):\n%s", i, order, diff)
			}
		}
	}
}

// expansionDiff says how an expansion's result got differs from the BDD's
// result want of the same analysis ("" when it does not): count, empty
// set, order distribution, listed sets and their probabilities, the
// truncation (never missed), the method and the absent probability.
func expansionDiff(want, got *Result) string {
	switch {
	case got.Count.Cmp(want.Count) != 0 || got.EmptySet != want.EmptySet:
		return fmt.Sprintf("count %v (empty %v), want %v (empty %v)", got.Count, got.EmptySet, want.Count, want.EmptySet)
	case want.Truncated && !got.Truncated:
		return "the BDD says truncated, the expansion not"
	case got.Method != MethodExpansion || !math.IsNaN(got.Probability):
		return fmt.Sprintf("method %q, probability %v; want expansion and NaN", got.Method, got.Probability)
	}
	if diff := cmp.Diff(fmt.Sprint(want.OrderDistribution), fmt.Sprint(got.OrderDistribution)); diff != "" {
		return "distribution (-bdd +expansion):\n" + diff
	}
	if diff := cmp.Diff(want.Sets, got.Sets, cmpopts.EquateEmpty()); diff != "" {
		return "sets (-bdd +expansion):\n" + diff
	}
	if diff := cmp.Diff(want.SetProbabilities, got.SetProbabilities, cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateNaNs()); diff != "" {
		return "set probabilities (-bdd +expansion):\n" + diff
	}
	if diff := cmp.Diff(want.UnknownProbability, got.UnknownProbability, cmpopts.EquateEmpty()); diff != "" {
		return "events of unknown probability (-bdd +expansion):\n" + diff
	}
	return ""
}

// TestExpandUnknownProbability: the events of unknown probability are
// those of the top's cone, as in the BDD path, also when the order limit
// drops every set they are in.
func TestExpandUnknownProbability(t *testing.T) {
	b := NewBuilder()
	a, x, c := b.Basic("a", 0.1), b.Basic("x", 0.2), b.Basic("c", math.NaN())
	top := b.Gate(Or, 0, a, b.Gate(And, 0, x, c))
	for order := 1; order <= 2; order++ {
		opts := Options{MaxOrder: order, MaxSets: 10}
		want, err := Analyze(context.Background(), b, top, opts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Expand(context.Background(), b, top, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.UnknownProbability) != 1 {
			t.Fatalf("order %d: the BDD gives unknown %v, want [c]", order, want.UnknownProbability)
		}
		if d := expansionDiff(want, got); d != "" && !strings.HasPrefix(d, "the BDD says") {
			t.Errorf("order %d: %s", order, d)
		}
	}
}

// TestAnalyzeExpansionFallback: when the diagrams exceed the node limit,
// Options.Expansion gives the same cut sets, count and order distribution
// as an analysis with room, without probability; without Expansion,
// without an order limit or on a non-monotone tree the node-limit error
// stays.
func TestAnalyzeExpansionFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	tried := 0
	for i := range 40 {
		b := NewBuilder()
		top := randomTree(rng, b, 20+rng.IntN(20), 30+rng.IntN(30), false)
		for order := 1; order <= 5; order++ {
			want, err := Analyze(context.Background(), b, top, Options{MaxOrder: order, MaxSets: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			if want.Method != MethodBDD {
				t.Fatalf("tree %d: method %q with room, want bdd", i, want.Method)
			}
			// A node limit the expansion fits in: the trees whose
			// diagrams do not fit in it are the cases.
			ex, err := Expand(context.Background(), b, top, Options{MaxOrder: order})
			if err != nil {
				t.Fatal(err)
			}
			limit := ex.Stats.ZBDDNodes + 1
			if _, err := Analyze(context.Background(), b, top, Options{MaxOrder: order, NodeLimit: limit}); !IsNodeLimit(err) {
				continue
			}
			tried++
			got, err := Analyze(context.Background(), b, top, Options{MaxOrder: order, MaxSets: 1 << 20, NodeLimit: limit, Expansion: true, Probability: true})
			if err != nil {
				t.Fatalf("tree %d order %d: %v", i, order, err)
			}
			if d := expansionDiff(want, got); d != "" {
				t.Errorf("tree %d order %d: %s", i, order, d)
			}
		}
	}
	if tried < 40 {
		t.Fatalf("only %d trees large enough to run out of nodes", tried)
	}
	b := NewBuilder()
	top := chain(b, 30)
	if _, err := Analyze(context.Background(), b, top, Options{NodeLimit: 20, Expansion: true}); !IsNodeLimit(err) {
		t.Errorf("no order limit: got %v, want a node-limit error", err)
	}
	nb := NewBuilder()
	nonMonotone := randomTree(rand.New(rand.NewPCG(5, 5)), nb, 30, 60, true)
	if _, err := Analyze(context.Background(), nb, nonMonotone, Options{MaxOrder: 2, NodeLimit: 10, Expansion: true}); !IsNodeLimit(err) || !strings.Contains(err.Error(), "expansion failed too: expansion needs a monotone tree") {
		t.Errorf("non-monotone: got %v, want a node-limit error saying why the expansion does not apply", err)
	}
}
