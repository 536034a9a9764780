package domains

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/count"
	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/faulttree/smalloracle"
	"github.com/depgraph/depgraph/internal/graph"
)

// oldDomains is Domains as it was at commit ba4c240, with the enumeration
// of that commit (package smalloracle): the oracle of
// TestDomainsAgreeWithOracle and BenchmarkDomainsOracle. It computes the
// shared failure domains of each target: the minimal cut sets of the fault tree the model implies (see FaultTree), up to
// MaxOrder, with single points of failure, exact probabilities where the
// nodes carry unavailabilities, and the failover groups each single point
// of failure defeats. All targets share one compiled decision diagram.
func oldDomains(ctx context.Context, g *graph.Graph, targets []int32, opts Options) (*Result, error) {
	if opts.MaxOrder <= 0 {
		opts.MaxOrder = 3
	}
	if opts.HardThreshold <= 0 {
		opts.HardThreshold = 1
	}
	if opts.MaxSets <= 0 {
		opts.MaxSets = 100
	}
	ft := NewFaultTree(g, opts.HardThreshold)
	tops := make([]faulttree.Ref, len(targets))
	for i, t := range targets {
		var err error
		if tops[i], err = ft.Top(t); err != nil {
			return nil, err
		}
	}
	out := &Result{SchemaVersion: blast.SchemaVersion, MaxOrder: opts.MaxOrder, HardThreshold: opts.HardThreshold, Targets: []Target{}}
	if len(targets) == 0 {
		return out, nil
	}
	a := &oldAnalyzer{g: g, ft: ft, opts: opts, singleSets: map[int32]map[int32]bool{}}
	var err error
	if a.singles, err = smalloracle.NewSmall(ft.Builder, 1, smallBudget); err != nil {
		return nil, err
	}
	if opts.MaxOrder <= faulttree.MaxSmallOrder {
		if a.small, err = smalloracle.NewSmall(ft.Builder, opts.MaxOrder, smallBudget); err != nil {
			return nil, err
		}
	} else {
		if a.model, err = faulttree.Compile(ft.Builder, tops...); err != nil {
			return nil, fmt.Errorf("blast: %w", err)
		}
	}
	for i, t := range targets {
		td, err := a.target(ctx, t, tops[i])
		if err != nil {
			return nil, fmt.Errorf("blast: domains of %s: %w", g.ModelNode(t).ID, err)
		}
		out.Targets = append(out.Targets, *td)
		if opts.Progress != nil {
			opts.Progress(i+1, len(targets))
		}
	}
	slices.SortStableFunc(out.Targets, func(a, b Target) int {
		pa, pb := -1.0, -1.0
		if a.Probability != nil {
			pa = *a.Probability
		}
		if b.Probability != nil {
			pb = *b.Probability
		}
		return cmp.Or(cmp.Compare(pb, pa), cmp.Compare(len(b.SPOFs), len(a.SPOFs)), cmp.Compare(len(b.CutSets), len(a.CutSets)), cmp.Compare(a.Target, b.Target))
	})
	return out, nil
}

// oldAnalyzer holds what the targets of one oldDomains call share.
type oldAnalyzer struct {
	g       *graph.Graph
	ft      *FaultTree
	opts    Options
	small   *smalloracle.Small // order ≤ 3: enumeration
	singles *smalloracle.Small // order 1, for the failover groups a SPOF defeats
	model   *faulttree.Model   // larger orders: BDD/ZBDD
	// singleSets caches, per node, the nodes whose failure alone takes it
	// down.
	singleSets map[int32]map[int32]bool
}

// target analyses one target. Failure domains up to order 3 come from the
// order-truncated enumeration (faulttree.Small), which stays small where a
// full diagram can explode; larger orders and every probability come from
// the BDD/ZBDD engine. Both are exact.
func (a *oldAnalyzer) target(ctx context.Context, t int32, top faulttree.Ref) (*Target, error) {
	g, opts := a.g, a.opts
	td := &Target{Target: g.ModelNode(t).ID, CutSets: [][]string{}, SPOFs: []string{}, Paths: map[string][]string{}}
	parents := oldHardPaths(g, t, opts.HardThreshold)
	for i, p := range parents {
		if p != -1 && int32(i) != t && g.ModelNode(int32(i)).Unavailability == nil {
			td.Missing++
		}
	}
	var raw [][]int
	var probs []float64
	var res *faulttree.Result
	if a.small != nil {
		sets, cut, err := a.small.CutSets(ctx, top)
		if err != nil {
			return nil, err
		}
		raw, td.Truncated = sets, cut
		dist := make([]int, opts.MaxOrder)
		for _, s := range sets {
			if len(s) > 0 {
				dist[len(s)-1]++
			}
		}
		td.Count = count.Int(len(sets))
		for _, d := range dist {
			td.OrderDistribution = append(td.OrderDistribution, count.Int(d))
		}
		if td.Missing == 0 {
			r, err := faulttree.Analyze(ctx, a.ft.Builder, top, faulttree.Options{MaxOrder: opts.MaxOrder, Importance: true, NodeLimit: probabilityNodeLimit})
			if err == nil {
				res = r
			} else if !faulttree.IsNodeLimit(err) {
				return nil, err
			}
		}
	} else {
		fo := faulttree.Options{MaxOrder: opts.MaxOrder, Probability: true, Importance: true, MaxSets: opts.MaxSets, NodeLimit: opts.NodeLimit}
		r, err := a.model.Analyze(ctx, top, fo)
		if err != nil {
			return nil, err
		}
		if len(r.OrderDistribution) > 0 && r.OrderDistribution[0].IsInt64() && int(r.OrderDistribution[0].Int64()) > len(r.Sets) {
			fo.MaxSets = int(r.OrderDistribution[0].Int64()) // list every single point of failure
			if r, err = a.model.Analyze(ctx, top, fo); err != nil {
				return nil, err
			}
		}
		res, raw, probs = r, r.Sets, r.SetProbabilities
		td.Count, td.Truncated = count.Of(r.Count), r.Truncated
		td.OrderDistribution = count.Slice(r.OrderDistribution)
	}
	type set struct {
		ids  []string
		prob float64
	}
	sets := make([]set, len(raw))
	for i, s := range raw {
		ids := make([]string, len(s))
		p := 1.0
		for k, ev := range s {
			n := g.ModelNode(int32(ev))
			ids[k] = n.ID
			if n.Unavailability == nil {
				p = math.NaN()
			} else {
				p *= *n.Unavailability
			}
		}
		slices.Sort(ids)
		if probs != nil {
			p = probs[i]
		}
		if math.IsNaN(p) {
			p = -1
		}
		sets[i] = set{ids, p}
	}
	slices.SortStableFunc(sets, func(a, b set) int {
		return cmp.Or(cmp.Compare(len(a.ids), len(b.ids)), cmp.Compare(b.prob, a.prob), slices.Compare(a.ids, b.ids))
	})
	ownRoots := 0
	for _, s := range sets {
		if len(s.ids) == 1 {
			if u, _ := g.Lookup(s.ids[0]); ownOrgRoot(g, u) {
				ownRoots++
				continue
			}
			td.SPOFs = append(td.SPOFs, s.ids[0])
		}
		if len(td.CutSets) < opts.MaxSets || len(s.ids) == 1 {
			td.CutSets = append(td.CutSets, s.ids)
		}
	}
	td.uncount(ownRoots)
	if res != nil && td.Missing == 0 && !math.IsNaN(res.Probability) {
		p := res.Probability
		h := p * HoursPerYear
		td.Probability, td.DowntimeHoursPerYear = &p, &h
		imp := slices.Clone(res.Importance)
		slices.SortStableFunc(imp, func(a, b faulttree.Importance) int {
			return cmp.Or(cmp.Compare(b.FussellVesely, a.FussellVesely), cmp.Compare(a.Name, b.Name))
		})
		for _, x := range imp[:min(10, len(imp))] {
			if x.FussellVesely > 0 {
				td.Importance = append(td.Importance, Importance{Node: x.Name, FussellVesely: x.FussellVesely, Birnbaum: x.Birnbaum})
			}
		}
	}
	for _, s := range td.CutSets {
		for _, id := range s {
			if _, ok := td.Paths[id]; ok {
				continue
			}
			u, _ := g.Lookup(id)
			td.Paths[id] = oldPathTo(g, parents, t, u)
		}
	}
	var err error
	if td.Defeated, err = a.defeatedGroups(ctx, t, parents, td.SPOFs); err != nil {
		return nil, err
	}
	td.Unquantified = blast.Unquantified(g, t)
	if td.Unquantified == nil {
		td.Unquantified = []blast.Exposure{}
	}
	return td, nil
}

// oldHardPaths runs a breadth-first search from the target along hard
// requirements and returns each reached node's parent (-1: unreached).
func oldHardPaths(g *graph.Graph, target int32, hard float64) []int32 {
	parent := make([]int32, g.Len())
	for i := range parent {
		parent[i] = -1
	}
	parent[target] = target
	queue := []int32{target}
	for k := 0; k < len(queue); k++ {
		u := queue[k]
		for _, r := range g.Requirements(u) {
			if r.Impact < hard {
				continue
			}
			for _, v := range g.Members(r) {
				if parent[v] == -1 {
					parent[v] = u
					queue = append(queue, v)
				}
			}
		}
	}
	return parent
}

// oldPathTo returns the chain target → … → u from oldHardPaths' parents.
func oldPathTo(g *graph.Graph, parent []int32, target, u int32) []string {
	if parent[u] == -1 {
		return []string{g.ModelNode(target).ID, g.ModelNode(u).ID}
	}
	var rev []string
	for v := u; ; v = parent[v] {
		rev = append(rev, g.ModelNode(v).ID)
		if v == target {
			break
		}
	}
	slices.Reverse(rev)
	return rev
}

// defeatedGroups lists the failover groups in the target's hard cone that
// one of its single points of failure defeats: a group of n members
// needing k is defeated by u when u alone takes down n−k+1 members, u
// being among the order-1 cut sets of each (singles). Chains show how u
// reaches each member.
func (a *oldAnalyzer) defeatedGroups(ctx context.Context, target int32, parents []int32, spofs []string) ([]DefeatedGroup, error) {
	g := a.g
	if len(spofs) == 0 {
		return nil, nil
	}
	isSPOF := map[int32]bool{}
	for _, id := range spofs {
		u, _ := g.Lookup(id)
		isSPOF[u] = true
	}
	singles := func(u int32) (map[int32]bool, error) {
		if set, ok := a.singleSets[u]; ok {
			return set, nil
		}
		r, err := a.ft.Down(u)
		if err != nil {
			return nil, err
		}
		evs, err := a.singles.Singles(ctx, r)
		if err != nil {
			return nil, err
		}
		set := make(map[int32]bool, len(evs))
		for _, e := range evs {
			set[int32(e)] = true
		}
		a.singleSets[u] = set
		return set, nil
	}
	var out []DefeatedGroup
	for v := range int32(g.Len()) {
		if parents[v] == -1 {
			continue
		}
		for _, r := range g.Requirements(v) {
			if !r.Group || r.Impact < a.opts.HardThreshold {
				continue
			}
			members := g.Members(r)
			need := len(members) - int(r.Min) + 1
			count := map[int32]int{}
			downBy := make([]map[int32]bool, len(members))
			for i, m := range members {
				s, err := singles(m)
				if err != nil {
					return nil, err
				}
				downBy[i] = s
				for u := range s {
					if isSPOF[u] {
						count[u]++
					}
				}
			}
			var causes []int32
			for u, c := range count {
				if c >= need {
					causes = append(causes, u)
				}
			}
			slices.Sort(causes)
			for _, u := range causes {
				dg := DefeatedGroup{Cause: g.ModelNode(u).ID, Owner: g.ModelNode(v).ID}
				for i, m := range members {
					dg.Members = append(dg.Members, g.ModelNode(m).ID)
					if downBy[i][u] {
						dg.Down = append(dg.Down, g.ModelNode(m).ID)
						chain, err := a.chain(ctx, m, u, singles)
						if err != nil {
							return nil, err
						}
						dg.Chains = append(dg.Chains, chain)
					}
				}
				out = append(out, dg)
			}
		}
	}
	slices.SortFunc(out, func(x, y DefeatedGroup) int {
		return cmp.Or(strings.Compare(x.Owner, y.Owner), slices.Compare(x.Members, y.Members), strings.Compare(x.Cause, y.Cause))
	})
	return out, nil
}

// chain finds a shortest chain of hard dependencies from m to cause
// through nodes that cause alone takes down, m first.
func (a *oldAnalyzer) chain(ctx context.Context, m, cause int32, singles func(int32) (map[int32]bool, error)) ([]string, error) {
	g := a.g
	parent := map[int32]int32{m: m}
	queue := []int32{m}
	for k := 0; k < len(queue); k++ {
		if _, found := parent[cause]; found {
			break
		}
		for _, r := range g.Requirements(queue[k]) {
			if r.Impact < a.opts.HardThreshold {
				continue
			}
			for _, v := range g.Members(r) {
				if _, seen := parent[v]; seen {
					continue
				}
				s, err := singles(v)
				if err != nil {
					return nil, err
				}
				if s[cause] {
					parent[v] = queue[k]
					queue = append(queue, v)
				}
			}
		}
	}
	if _, ok := parent[cause]; !ok {
		return []string{g.ModelNode(m).ID, g.ModelNode(cause).ID}, nil
	}
	var rev []string
	for v := cause; ; v = parent[v] {
		rev = append(rev, g.ModelNode(v).ID)
		if v == m {
			break
		}
	}
	slices.Reverse(rev)
	return rev, nil
}
