package faulttree

import (
	"context"
	"fmt"
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

// TestSmallAgreesWithOracle checks the order-split enumeration against the
// one it replaced (small_oracle_test.go) on fixed-seed random coherent
// trees: every gate's cut sets, its truncation flag and its order-1 sets,
// for every order, with the gates of one tree sharing one Small as
// Domains shares it across targets.
func TestSmallAgreesWithOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for i := range 300 {
		b := NewBuilder()
		n, gates := 3+rng.IntN(40), 2+rng.IntN(60)
		var pool []Ref
		for e := range n {
			pool = append(pool, b.Basic(fmt.Sprint("e", e), 0.1))
		}
		for range gates {
			args := make([]Ref, 1+rng.IntN(5))
			for k := range args {
				// Favour recent gates: deep trees with shared sub-trees.
				args[k] = pool[max(0, len(pool)-1-rng.IntN(min(len(pool), 12)))]
				if rng.IntN(3) == 0 {
					args[k] = pool[rng.IntN(len(pool))]
				}
			}
			kind := []Kind{Or, Or, And, AtLeast}[rng.IntN(4)]
			pool = append(pool, b.Gate(kind, 1+rng.IntN(len(args)), args...))
		}
		if i%50 == 0 {
			pool = append(pool, True, False, b.Gate(And, 0, pool[len(pool)-1], True))
		}
		for order := 1; order <= MaxSmallOrder; order++ {
			s, err := NewSmall(b, order, 0)
			if err != nil {
				t.Fatal(err)
			}
			o, _ := newOldSmall(b, order, 0)
			for k := len(pool) - 1; k >= 0; k -= 1 + rng.IntN(3) {
				r := pool[k]
				got, gotCut, err := s.CutSets(context.Background(), r)
				if err != nil {
					t.Fatal(err)
				}
				want, wantCut, err := o.cutSets(context.Background(), r)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("tree %d, gate %d, order %d (-oracle +small):\n%s", i, k, order, diff)
				}
				if gotCut != wantCut {
					t.Fatalf("tree %d, gate %d, order %d: truncated %v, oracle %v", i, k, order, gotCut, wantCut)
				}
				gs, _ := s.Singles(context.Background(), r)
				ws, _ := o.singles(context.Background(), r)
				if !slices.Equal(gs, toInt32(ws)) {
					t.Fatalf("tree %d, gate %d, order %d: singles %v, oracle %v", i, k, order, gs, ws)
				}
			}
		}
	}
}

func toInt32(s []int) []int32 {
	out := make([]int32, len(s))
	for i, x := range s {
		out[i] = int32(x)
	}
	return out
}
