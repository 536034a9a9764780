package faulttree

import (
	"context"
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
			got, err := smallCutSets(context.Background(), b, top, order, 0)
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
	if _, err := smallCutSets(context.Background(), b, top, 2, 100); err == nil {
		t.Error("30 choose 2 = 435 sets accepted under a budget of 100")
	}
	if sets, err := smallCutSets(context.Background(), b, top, 2, 0); err != nil || len(sets) != 435 {
		t.Errorf("got %d sets, %v; want 435", len(sets), err)
	}
	if _, err := smallCutSets(context.Background(), b, b.Gate(Xor, 0, evs[0], evs[1]), 2, 0); err == nil {
		t.Error("xor accepted")
	}
}

// smallCutSets is one top's cut sets by a Small of its own.
func smallCutSets(ctx context.Context, b *Builder, top Ref, maxOrder, budget int) ([][]int, error) {
	c, err := NewSmall(b, maxOrder, budget)
	if err != nil {
		return nil, err
	}
	sets, _, err := c.CutSets(ctx, top)
	return sets, err
}
