package faulttree

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// textbookTests are small trees with known minimal cut sets and
// probabilities (NE 574 lecture 8 and SCRAM's core tests, rebuilt by hand).
var textbookTests = []struct {
	name  string
	probs map[string]float64
	build func(b *Builder, ev map[string]Ref) Ref
	opts  Options
	sets  string // minimal cut sets, "{}" is the empty set
	prob  float64
	trunc bool
}{
	{
		name:  "ne574",
		probs: map[string]float64{"B": .1, "C": .3, "D": .5, "F": .7, "G": .2, "H": .4, "I": .8},
		build: func(b *Builder, e map[string]Ref) Ref {
			a := b.Gate(Or, 0, e["F"], e["G"])
			t1 := b.Gate(Or, 0, a, e["B"], e["C"])
			t2 := b.Gate(Or, 0, e["C"], e["D"], b.Gate(And, 0, e["H"], e["I"]))
			return b.Gate(And, 0, t1, t2)
		},
		sets: "{C} {B,D} {D,F} {D,G} {B,H,I} {F,H,I} {G,H,I}",
		prob: 0.662208,
	},
	{
		name:  "two-of-three",
		probs: map[string]float64{"A": .1, "B": .2, "C": .3},
		build: func(b *Builder, e map[string]Ref) Ref { return b.Gate(AtLeast, 2, e["A"], e["B"], e["C"]) },
		sets:  "{A,B} {A,C} {B,C}",
		prob:  0.098,
	},
	{
		name:  "xor-chain",
		probs: map[string]float64{"A": .1, "B": .2, "C": .3},
		build: func(b *Builder, e map[string]Ref) Ref {
			return b.Gate(Xor, 0, e["A"], b.Gate(Xor, 0, e["B"], e["C"]))
		},
		sets: "{A} {B} {C}",
		prob: 0.404,
	},
	{
		name:  "a-or-not-b-is-unity",
		probs: map[string]float64{"A": .1, "B": .2},
		build: func(b *Builder, e map[string]Ref) Ref { return b.Gate(Or, 0, e["A"], e["B"].Not()) },
		sets:  "{}",
		prob:  0.82,
	},
	{
		name:  "ab-or-not-a-c",
		probs: map[string]float64{"A": .1, "B": .2, "C": .3},
		build: func(b *Builder, e map[string]Ref) Ref {
			return b.Gate(Or, 0, b.Gate(And, 0, e["A"], e["B"]), b.Gate(And, 0, e["A"].Not(), e["C"]))
		},
		sets: "{C} {A,B}",
		prob: 0.29,
	},
	{
		name:  "contradiction",
		probs: map[string]float64{"A": .1},
		build: func(b *Builder, e map[string]Ref) Ref { return b.Gate(And, 0, e["A"], b.Gate(Not, 0, e["A"])) },
		sets:  "",
		prob:  0,
	},
	{
		name:  "imply-and-iff",
		probs: map[string]float64{"A": .1, "B": .2, "C": .3},
		build: func(b *Builder, e map[string]Ref) Ref {
			return b.Gate(Imply, 0, e["A"], b.Gate(Imply, 0, e["B"], e["C"]))
		},
		sets: "{}",
		prob: 0.986,
	},
	{
		name:  "house-constants",
		probs: map[string]float64{"A": .5},
		build: func(b *Builder, e map[string]Ref) Ref {
			return b.Gate(And, 0, b.Const(true), b.Gate(Or, 0, e["A"], b.Const(false)))
		},
		sets: "{A}",
		prob: 0.5,
	},
	{
		name:  "truncated-at-order-2",
		probs: map[string]float64{"A": .1, "B": .2, "C": .3, "D": .4},
		build: func(b *Builder, e map[string]Ref) Ref {
			return b.Gate(Or, 0, b.Gate(And, 0, e["A"], e["B"]), b.Gate(And, 0, e["B"], e["C"], e["D"]))
		},
		opts:  Options{MaxOrder: 2},
		sets:  "{A,B}",
		prob:  0.1*0.2 + 0.2*0.3*0.4 - 0.1*0.2*0.3*0.4,
		trunc: true,
	},
}

func buildEvents(b *Builder, probs map[string]float64) map[string]Ref {
	names := make([]string, 0, len(probs))
	for n := range probs {
		names = append(names, n)
	}
	slices.Sort(names)
	ev := map[string]Ref{}
	for _, n := range names {
		ev[n] = b.Basic(n, probs[n])
	}
	return ev
}

func formatSets(b *Builder, sets [][]int) string {
	var out []string
	for _, s := range sets {
		var names []string
		for _, e := range s {
			names = append(names, b.Event(e).Name)
		}
		slices.Sort(names)
		out = append(out, "{"+strings.Join(names, ",")+"}")
	}
	return strings.Join(out, " ")
}

func TestTextbook(t *testing.T) {
	for _, tt := range textbookTests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder()
			top := tt.build(b, buildEvents(b, tt.probs))
			opts := tt.opts
			opts.Probability, opts.Importance, opts.MaxSets = true, true, 100
			res, err := Analyze(context.Background(), b, top, opts)
			if err != nil {
				t.Fatal(err)
			}
			got := formatSets(b, res.Sets)
			if res.EmptySet {
				got = "{}"
			}
			// Sets come by order then probability; compare as sorted lists.
			gs, ws := strings.Fields(got), strings.Fields(tt.sets)
			slices.Sort(gs)
			slices.Sort(ws)
			if !slices.Equal(gs, ws) {
				t.Errorf("sets got:%v want:%v", got, tt.sets)
			}
			if int(res.Count.Int64()) != len(ws) {
				t.Errorf("count got:%v want:%d", res.Count, len(ws))
			}
			if math.Abs(res.Probability-tt.prob) > 1e-12 {
				t.Errorf("probability got:%v want:%v", res.Probability, tt.prob)
			}
			if res.Truncated != tt.trunc {
				t.Errorf("truncated got:%v want:%v", res.Truncated, tt.trunc)
			}
		})
	}
}

// randomTree builds a random gate graph over n events with shared
// sub-trees; nonCoherent adds Not and Xor.
func randomTree(rng *rand.Rand, b *Builder, n, gates int, nonCoherent bool) Ref {
	pool := make([]Ref, 0, n+gates)
	for i := range n {
		pool = append(pool, b.Basic(fmt.Sprintf("e%d", i), 0.05+0.9*rng.Float64()))
	}
	for range gates {
		k := 2 + rng.IntN(3)
		args := make([]Ref, k)
		for i := range args {
			args[i] = pool[rng.IntN(len(pool))]
			if nonCoherent && rng.IntN(5) == 0 {
				args[i] = args[i].Not()
			}
		}
		kinds := []Kind{Or, And, AtLeast}
		if nonCoherent {
			kinds = append(kinds, Xor, Nand, Iff)
		}
		kind := kinds[rng.IntN(len(kinds))]
		pool = append(pool, b.Gate(kind, 2, args...))
	}
	return pool[len(pool)-1]
}

// bruteForce returns the minimal true points (sorted by order, then
// lexicographically), the exact probability and the Birnbaum factors.
func bruteForce(b *Builder, top Ref) ([][]int, float64, []float64) {
	n := b.NumEvents()
	truth := make([]bool, 1<<n)
	failed := make([]bool, n)
	p := 0.0
	birn := make([]float64, n)
	for mask := range 1 << n {
		w := 1.0
		for i := range n {
			failed[i] = mask&(1<<i) != 0
			if failed[i] {
				w *= b.Event(i).Prob
			} else {
				w *= 1 - b.Event(i).Prob
			}
		}
		truth[mask] = b.Eval(top, failed)
		if truth[mask] {
			p += w
		}
	}
	for i := range n {
		for mask := range 1 << n {
			if mask&(1<<i) != 0 {
				continue
			}
			w := 1.0
			for j := range n {
				if j == i {
					continue
				}
				if mask&(1<<j) != 0 {
					w *= b.Event(j).Prob
				} else {
					w *= 1 - b.Event(j).Prob
				}
			}
			d := 0.0
			if truth[mask|1<<i] {
				d++
			}
			if truth[mask] {
				d--
			}
			birn[i] += w * d
		}
	}
	var sets [][]int
	for mask := range 1 << n {
		if !truth[mask] {
			continue
		}
		minimal := true
		for sub := (mask - 1) & mask; ; sub = (sub - 1) & mask {
			if sub != mask && truth[sub] {
				minimal = false
				break
			}
			if sub == 0 {
				break
			}
		}
		if mask == 0 {
			minimal = true
		}
		if minimal {
			var s []int
			for i := range n {
				if mask&(1<<i) != 0 {
					s = append(s, i)
				}
			}
			sets = append(sets, s)
		}
	}
	slices.SortFunc(sets, func(a, b []int) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return slices.Compare(a, b)
	})
	return sets, p, birn
}

// TestAgainstBruteForce checks counts, sets, probability and Birnbaum
// factors on fixed-seed random trees, coherent and not.
func TestAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 300 {
		nonCoherent := i%2 == 1
		b := NewBuilder()
		top := randomTree(rng, b, 2+rng.IntN(9), 3+rng.IntN(12), nonCoherent)
		res, err := Analyze(context.Background(), b, top, Options{Probability: true, Importance: true, MaxSets: 1 << 12})
		if err != nil {
			t.Fatal(err)
		}
		want, p, birn := bruteForce(b, top)
		got := slices.Clone(res.Sets)
		if res.EmptySet {
			got = [][]int{nil}
		}
		slices.SortFunc(got, func(a, b []int) int {
			if len(a) != len(b) {
				return len(a) - len(b)
			}
			return slices.Compare(a, b)
		})
		if fmt.Sprint(got) != fmt.Sprint(want) || res.Count.Int64() != int64(len(want)) {
			t.Fatalf("tree %d: sets got:%v (count %v) want:%v", i, got, res.Count, want)
		}
		if math.Abs(res.Probability-p) > 1e-9 {
			t.Fatalf("tree %d: probability got:%v want:%v", i, res.Probability, p)
		}
		for _, im := range res.Importance {
			if math.Abs(im.Birnbaum-birn[im.Event]) > 1e-9 {
				t.Fatalf("tree %d: Birnbaum(%s) got:%v want:%v", i, im.Name, im.Birnbaum, birn[im.Event])
			}
		}
		// Truncation: the counts per order below the limit must not change.
		if len(want) > 0 && len(want[len(want)-1]) > 1 {
			L := len(want[len(want)-1]) - 1
			tr, err := Analyze(context.Background(), b, top, Options{MaxOrder: L})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, s := range want {
				if len(s) <= L {
					n++
				}
			}
			if tr.Count.Int64() != int64(n) || !tr.Truncated {
				t.Fatalf("tree %d: -l %d count got:%v (truncated %v) want:%d (truncated)", i, L, tr.Count, tr.Truncated, n)
			}
		}
	}
}

// TestSharedModel checks that many tops analysed on one Model give the
// same results as separate analyses.
func TestSharedModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	b := NewBuilder()
	var tops []Ref
	for range 20 {
		tops = append(tops, randomTree(rng, b, 8, 10, false))
	}
	m, err := Compile(b, tops...)
	if err != nil {
		t.Fatal(err)
	}
	for i, top := range tops {
		got, err := m.Analyze(context.Background(), top, Options{MaxOrder: 3, Probability: true})
		if err != nil {
			t.Fatal(err)
		}
		want, err := Analyze(context.Background(), b, top, Options{MaxOrder: 3, Probability: true})
		if err != nil {
			t.Fatal(err)
		}
		if got.Count.Cmp(want.Count) != 0 || math.Abs(got.Probability-want.Probability) > 1e-12 {
			t.Errorf("top %d: shared got:%v %v want:%v %v", i, got.Count, got.Probability, want.Count, want.Probability)
		}
	}
}

// chain builds the AND of n two-event ORs: 2^n minimal cut sets of order n.
func chain(b *Builder, n int) Ref {
	var ands []Ref
	for i := range n {
		ands = append(ands, b.Gate(Or, 0, b.Basic(fmt.Sprintf("a%d", i), .1), b.Basic(fmt.Sprintf("b%d", i), .1)))
	}
	return b.Gate(And, 0, ands...)
}

func TestHugeCountUsesBigInts(t *testing.T) {
	b := NewBuilder()
	top := chain(b, 70)
	res, err := Analyze(context.Background(), b, top, Options{MaxOrder: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Count.String(), "1180591620717411303424"; got != want { // 2^70
		t.Errorf("count got:%v want:%v", got, want)
	}
}

func TestLimits(t *testing.T) {
	b := NewBuilder()
	top := chain(b, 30)
	_, err := Analyze(context.Background(), b, top, Options{NodeLimit: 20})
	if !IsNodeLimit(err) {
		t.Errorf("node limit: got err %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Analyze(ctx, b, top, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got err %v", err)
	}
	// A deadline inside a long computation stops it.
	rng := rand.New(rand.NewPCG(3, 3))
	b2 := NewBuilder()
	big := randomTree(rng, b2, 400, 3000, true)
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Analyze(ctx, b2, big, Options{})
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !IsNodeLimit(err) {
		t.Errorf("deadline: unexpected err %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("deadline not honoured: %v", d)
	}
}

func benchmarkRandom(b *testing.B, n int) {
	rng := rand.New(rand.NewPCG(1, 1))
	bl := NewBuilder()
	var tops []Ref
	for range n / 10 {
		tops = append(tops, randomTree(rng, bl, 10, 10, false))
	}
	for b.Loop() {
		m, err := Compile(bl, tops...)
		if err != nil {
			b.Fatal(err)
		}
		for _, top := range tops {
			if _, err := m.Analyze(context.Background(), top, Options{MaxOrder: 3, Probability: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkRandom_100(b *testing.B)  { benchmarkRandom(b, 100) }
func BenchmarkRandom_1000(b *testing.B) { benchmarkRandom(b, 1000) }
