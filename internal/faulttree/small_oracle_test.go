package faulttree_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/faulttree/smalloracle"
)

// TestSmallAgreesWithOracle checks the order-split enumeration against the
// one it replaced (package smalloracle) on fixed-seed random coherent
// trees: every gate's cut sets, its truncation flag and its order-1 sets,
// for every order, with the gates of one tree sharing one Small as
// Domains shares it across targets.
func TestSmallAgreesWithOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for i := range 300 {
		b := faulttree.NewBuilder()
		n, gates := 3+rng.IntN(40), 2+rng.IntN(60)
		var pool []faulttree.Ref
		for e := range n {
			pool = append(pool, b.Basic(fmt.Sprint("e", e), 0.1))
		}
		for range gates {
			args := make([]faulttree.Ref, 1+rng.IntN(5))
			for k := range args {
				// Favour recent gates: deep trees with shared sub-trees.
				args[k] = pool[max(0, len(pool)-1-rng.IntN(min(len(pool), 12)))]
				if rng.IntN(3) == 0 {
					args[k] = pool[rng.IntN(len(pool))]
				}
			}
			kind := []faulttree.Kind{faulttree.Or, faulttree.Or, faulttree.And, faulttree.AtLeast}[rng.IntN(4)]
			pool = append(pool, b.Gate(kind, 1+rng.IntN(len(args)), args...))
		}
		if i%50 == 0 {
			pool = append(pool, faulttree.True, faulttree.False, b.Gate(faulttree.And, 0, pool[len(pool)-1], faulttree.True))
		}
		for order := 1; order <= faulttree.MaxSmallOrder; order++ {
			s, err := faulttree.NewSmall(b, order, 0)
			if err != nil {
				t.Fatal(err)
			}
			o, _ := smalloracle.NewSmall(b, order, 0)
			for k := len(pool) - 1; k >= 0; k -= 1 + rng.IntN(3) {
				r := pool[k]
				got, gotCut, err := s.CutSets(context.Background(), r)
				if err != nil {
					t.Fatal(err)
				}
				want, wantCut, err := o.CutSets(context.Background(), r)
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
				ws, _ := o.Singles(context.Background(), r)
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
