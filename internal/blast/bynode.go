package blast

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/depgraph/depgraph/internal/graph"
)

// NodeImpact says what failing one node does to the targets.
type NodeImpact struct {
	// Node is the node's id; Kind and Layer describe it.
	Node  string `json:"node"`
	Kind  string `json:"kind"`
	Layer string `json:"layer"`
	// TakesDown lists the targets its failure alone takes down: the
	// targets for which it is a single point of failure (a failure domain
	// of order 1), under the hard-dependency semantics of package domains.
	TakesDown []string `json:"takes_down"`
	// Degrades lists the other targets its failure reaches through
	// dependencies of known share (weighted or failover, impact > 0)
	// without taking them down.
	Degrades []string `json:"degrades"`
	// AtRisk lists the targets its failure reaches only through some
	// dependency of unknown share (`impact: unknown`): counted apart, never
	// as a number.
	AtRisk []string `json:"at_risk"`
}

// ByNode computes, for every node, the targets its failure alone takes
// down and those it only degrades, and returns the nodes that reach at
// least one target, sorted by how many targets they take down, then
// degrade, then id.
//
// "Takes down" propagates one failure along hard requirements (impact at
// least hardThreshold): a node goes down when a hard single dependency is
// down or when a failover group has lost more members than it can spare.
// This is a reachability computation with a counter per group, O(cone) per
// node, so O(V·C) for an average downstream cone of C nodes; nodes are
// spread over GOMAXPROCS workers. "Degrades" is reachability along
// dependents through dependencies of known share (impact > 0); "AtRisk"
// what more is reached once dependencies of unknown share are followed.
func ByNode(g *graph.Graph, targets []int32, hardThreshold float64) []NodeImpact {
	n := g.Len()
	isTarget := make([]bool, n)
	for _, t := range targets {
		isTarget[t] = true
	}
	results := make([]*NodeImpact, n)
	weak := weakEdges(g)
	workers := min(runtime.GOMAXPROCS(0), 8)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newSingleFailure(g, hardThreshold, weak)
			for {
				u := int32(next.Add(1) - 1)
				if int(u) >= n {
					return
				}
				down, reached, quantified := w.run(u)
				var ni NodeImpact
				for _, v := range down {
					if isTarget[v] && v != u {
						ni.TakesDown = append(ni.TakesDown, g.ModelNode(v).ID)
					}
				}
				for k, v := range reached {
					switch {
					case !isTarget[v] || v == u || w.down[v]:
					case k < quantified:
						ni.Degrades = append(ni.Degrades, g.ModelNode(v).ID)
					default:
						ni.AtRisk = append(ni.AtRisk, g.ModelNode(v).ID)
					}
				}
				w.reset()
				if len(ni.TakesDown)+len(ni.Degrades)+len(ni.AtRisk) == 0 {
					continue
				}
				m := g.ModelNode(u)
				ni.Node, ni.Kind, ni.Layer = m.ID, string(m.Kind), g.Layer(u)
				slices.Sort(ni.TakesDown)
				slices.Sort(ni.Degrades)
				if ni.TakesDown == nil {
					ni.TakesDown = []string{}
				}
				if ni.Degrades == nil {
					ni.Degrades = []string{}
				}
				slices.Sort(ni.AtRisk)
				if ni.AtRisk == nil {
					ni.AtRisk = []string{}
				}
				results[u] = &ni
			}
		}()
	}
	wg.Wait()
	var out []NodeImpact
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b NodeImpact) int {
		return cmp.Or(cmp.Compare(len(b.TakesDown), len(a.TakesDown)), cmp.Compare(len(b.Degrades), len(a.Degrades)), cmp.Compare(a.Node, b.Node))
	})
	return out
}

// singleFailure propagates one node's failure; its buffers are reused
// between runs and cleared through the touched lists.
type singleFailure struct {
	g        *graph.Graph
	hard     float64
	weak     [][]weakEdge // per node, its dependents with the share of the edge; nil when every edge carries
	unknown  bool         // some edge is of unknown share
	down     []bool
	seen     []bool
	lost     map[groupKey]int32 // members lost per (node, requirement)
	downList []int32
	reached  []int32
}

type groupKey struct {
	node int32
	req  int32
}

func newSingleFailure(g *graph.Graph, hard float64, weak [][]weakEdge) *singleFailure {
	return &singleFailure{g: g, hard: hard, weak: weak, unknown: hasUnknown(weak), down: make([]bool, g.Len()), seen: make([]bool, g.Len()), lost: map[groupKey]int32{}}
}

// run fails u and returns the nodes that go down (u first) and every node
// reached downstream: the first quantified of them through dependencies of
// known share, the rest only through some dependency of unknown share.
func (w *singleFailure) run(u int32) (down, reached []int32, quantified int) {
	g := w.g
	w.down[u] = true
	w.downList = append(w.downList, u)
	for k := 0; k < len(w.downList); k++ {
		v := w.downList[k]
		for _, d := range g.Dependents(v) {
			if w.down[d] {
				continue
			}
			for ri, r := range g.Requirements(d) {
				if r.Impact < w.hard || !slices.Contains(g.Members(r), v) {
					continue
				}
				if !r.Group {
					w.markDown(d)
					break
				}
				key := groupKey{d, int32(ri)}
				w.lost[key]++
				spare := int32(len(g.Members(r))) - r.Min
				if w.lost[key] > spare {
					w.markDown(d)
					break
				}
			}
		}
	}
	// Reachability for degradation, then for risk.
	w.seen[u] = true
	w.reached = append(w.reached, u)
	if w.weak == nil { // every edge carries: plain reachability
		for k := 0; k < len(w.reached); k++ {
			for _, d := range g.Dependents(w.reached[k]) {
				if !w.seen[d] {
					w.seen[d] = true
					w.reached = append(w.reached, d)
				}
			}
		}
		return w.downList, w.reached, len(w.reached)
	}
	for pass, unknownOK := range []bool{false, true} {
		if pass == 1 {
			quantified = len(w.reached)
			if !w.unknown {
				break
			}
		}
		for k := 0; k < len(w.reached); k++ {
			for _, e := range w.weak[w.reached[k]] {
				if !w.seen[e.d] && (e.share == shareKnown || (unknownOK && e.share == shareUnknown)) {
					w.seen[e.d] = true
					w.reached = append(w.reached, e.d)
				}
			}
		}
	}
	return w.downList, w.reached, quantified
}

// The shares a dependency edge can have, for reachability.
const (
	shareNone    uint8 = iota // impact 0: never carries a failure
	shareUnknown              // impact: unknown: carries risk
	shareKnown                // impact > 0: carries degradation
)

// hasUnknown reports whether some edge of weak is of unknown share.
func hasUnknown(weak [][]weakEdge) bool {
	for _, es := range weak {
		for _, e := range es {
			if e.share == shareUnknown {
				return true
			}
		}
	}
	return false
}

// weakEdge is one dependent of a node and the share of the edge.
type weakEdge struct {
	d     int32
	share uint8
}

// weakEdges returns, per node, its dependents with the share of each
// edge, or nil when every edge of g has a known share above 0 (plain
// reachability is then exact). Built once per ByNode call, O(E).
func weakEdges(g *graph.Graph) [][]weakEdge {
	weak := false
	for i := range int32(g.Len()) {
		for _, r := range g.Requirements(i) {
			weak = weak || r.Unknown || r.Impact <= 0
		}
	}
	if !weak {
		return nil
	}
	out := make([][]weakEdge, g.Len())
	for d := range int32(g.Len()) {
		for _, r := range g.Requirements(d) {
			share := shareKnown
			switch {
			case r.Unknown:
				share = shareUnknown
			case r.Impact <= 0:
				share = shareNone
			}
			for _, v := range g.Members(r) {
				out[v] = append(out[v], weakEdge{d, share})
			}
		}
	}
	return out
}

func (w *singleFailure) markDown(d int32) {
	w.down[d] = true
	w.downList = append(w.downList, d)
}

func (w *singleFailure) reset() {
	for _, v := range w.downList {
		w.down[v] = false
	}
	for _, v := range w.reached {
		w.seen[v] = false
	}
	w.downList, w.reached = w.downList[:0], w.reached[:0]
	clear(w.lost)
}
