package blast

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/graph"
)

// HoursPerYear converts an unavailability into expected downtime.
const HoursPerYear = 8766

// DomainOptions tunes Domains.
type DomainOptions struct {
	// MaxOrder bounds the size of the failure domains (minimal cut sets)
	// kept; 0 means 3.
	MaxOrder int
	// HardThreshold is the impact from which a dependency can make its
	// dependent down; 0 means 1 (only full-impact dependencies).
	HardThreshold float64
	// MaxSets bounds the failure domains listed per target (all single
	// points of failure are always listed); 0 means 100.
	MaxSets int
	// NodeLimit bounds the decision diagrams (memory); 0 means the
	// engine's default.
	NodeLimit int
}

// DomainsResult holds the shared failure domains of some targets.
type DomainsResult struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// MaxOrder and HardThreshold are the settings used.
	MaxOrder      int     `json:"max_order"`
	HardThreshold float64 `json:"hard_threshold"`
	// Targets are sorted worst first: by probability when known, then by
	// number of single points of failure, of failure domains, then id.
	Targets []TargetDomains `json:"targets"`
}

// TargetDomains are one target's failure domains.
type TargetDomains struct {
	// Target is the node's id.
	Target string `json:"target"`
	// CutSets are its failure domains: minimal sets of upstream nodes whose
	// joint failure takes it down, sorted by size, then probability
	// (highest first), then ids; at most MaxSets of them.
	CutSets [][]string `json:"cut_sets"`
	// Count is the number of failure domains of size up to MaxOrder (it
	// may exceed len(CutSets)); OrderDistribution counts them by size.
	Count             string   `json:"count"`
	OrderDistribution []string `json:"order_distribution"`
	// SPOFs are the single points of failure: the domains of size 1.
	SPOFs []string `json:"spofs"`
	// Truncated says MaxOrder may have cut larger domains off.
	Truncated bool `json:"truncated"`
	// Probability is the exact probability that the target is down from
	// upstream causes (BDD), null when some node in its cone has no
	// unavailability; Missing counts those nodes.
	Probability *float64 `json:"probability"`
	Missing     int      `json:"missing_probabilities"`
	// DowntimeHoursPerYear is Probability × 8766.
	DowntimeHoursPerYear *float64 `json:"downtime_hours_per_year"`
	// Importance ranks the nodes by their share of the target's risk
	// (Fussell–Vesely), with their Birnbaum importance; only when
	// Probability is known; the top ten.
	Importance []NodeImportance `json:"importance,omitempty"`
	// Defeated lists the failover groups each single point of failure
	// defeats, with the chains that reach each member.
	Defeated []DefeatedGroup `json:"defeated_failover,omitempty"`
	// Paths gives, for each node in a listed domain, a chain of hard
	// dependencies from the target to it.
	Paths map[string][]string `json:"paths"`
}

// NodeImportance is one node's contribution to a target's risk.
type NodeImportance struct {
	Node          string  `json:"node"`
	FussellVesely float64 `json:"fussell_vesely"`
	Birnbaum      float64 `json:"birnbaum"`
}

// DefeatedGroup is a failover group whose members all fail with one node.
type DefeatedGroup struct {
	// Cause is the single point of failure.
	Cause string `json:"cause"`
	// Owner is the node holding the failover group; Members are the
	// group's members, and Down those the cause takes down.
	Owner   string   `json:"owner"`
	Members []string `json:"members"`
	Down    []string `json:"down"`
	// Chains are the paths from each down member to the cause, member
	// first.
	Chains [][]string `json:"chains"`
}

// Domains computes the shared failure domains of each target: the minimal
// cut sets of the fault tree the model implies (see FaultTree), up to
// MaxOrder, with single points of failure, exact probabilities where the
// nodes carry unavailabilities, and the failover groups each single point
// of failure defeats. All targets share one compiled decision diagram.
func Domains(ctx context.Context, g *graph.Graph, targets []int32, opts DomainOptions) (*DomainsResult, error) {
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
	out := &DomainsResult{SchemaVersion: SchemaVersion, MaxOrder: opts.MaxOrder, HardThreshold: opts.HardThreshold, Targets: []TargetDomains{}}
	if len(targets) == 0 {
		return out, nil
	}
	m, err := faulttree.Compile(ft.Builder, tops...)
	if err != nil {
		return nil, fmt.Errorf("blast: %w", err)
	}
	sf := newSingleFailure(g, opts.HardThreshold)
	for i, t := range targets {
		td, err := analyzeTarget(ctx, m, g, sf, t, tops[i], opts)
		if err != nil {
			return nil, fmt.Errorf("blast: domains of %s: %w", g.ModelNode(t).ID, err)
		}
		out.Targets = append(out.Targets, *td)
	}
	slices.SortStableFunc(out.Targets, func(a, b TargetDomains) int {
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

func analyzeTarget(ctx context.Context, m *faulttree.Model, g *graph.Graph, sf *singleFailure, t int32, top faulttree.Ref, opts DomainOptions) (*TargetDomains, error) {
	fo := faulttree.Options{MaxOrder: opts.MaxOrder, Probability: true, Importance: true, MaxSets: opts.MaxSets, NodeLimit: opts.NodeLimit}
	res, err := m.Analyze(ctx, top, fo)
	if err != nil {
		return nil, err
	}
	if len(res.OrderDistribution) > 0 && res.OrderDistribution[0].IsInt64() && int(res.OrderDistribution[0].Int64()) > len(res.Sets) {
		fo.MaxSets = int(res.OrderDistribution[0].Int64()) // list every single point of failure
		if res, err = m.Analyze(ctx, top, fo); err != nil {
			return nil, err
		}
	}
	td := &TargetDomains{Target: g.ModelNode(t).ID, CutSets: [][]string{}, SPOFs: []string{}, Count: res.Count.String(),
		Truncated: res.Truncated, Missing: len(res.UnknownProbability), Paths: map[string][]string{}}
	for _, d := range res.OrderDistribution {
		td.OrderDistribution = append(td.OrderDistribution, d.String())
	}
	type set struct {
		ids  []string
		prob float64
	}
	sets := make([]set, len(res.Sets))
	for i, s := range res.Sets {
		ids := make([]string, len(s))
		for k, ev := range s {
			ids[k] = g.ModelNode(int32(ev)).ID
		}
		slices.Sort(ids)
		p := res.SetProbabilities[i]
		if math.IsNaN(p) {
			p = -1
		}
		sets[i] = set{ids, p}
	}
	slices.SortStableFunc(sets, func(a, b set) int {
		return cmp.Or(cmp.Compare(len(a.ids), len(b.ids)), cmp.Compare(b.prob, a.prob), slices.Compare(a.ids, b.ids))
	})
	for _, s := range sets {
		td.CutSets = append(td.CutSets, s.ids)
		if len(s.ids) == 1 {
			td.SPOFs = append(td.SPOFs, s.ids[0])
		}
	}
	if td.Missing == 0 && !math.IsNaN(res.Probability) {
		p := res.Probability
		h := p * HoursPerYear
		td.Probability, td.DowntimeHoursPerYear = &p, &h
		imp := slices.Clone(res.Importance)
		slices.SortStableFunc(imp, func(a, b faulttree.Importance) int {
			return cmp.Or(cmp.Compare(b.FussellVesely, a.FussellVesely), cmp.Compare(a.Name, b.Name))
		})
		for _, x := range imp[:min(10, len(imp))] {
			if x.FussellVesely > 0 {
				td.Importance = append(td.Importance, NodeImportance{Node: x.Name, FussellVesely: x.FussellVesely, Birnbaum: x.Birnbaum})
			}
		}
	}
	parents := hardPaths(g, t, opts.HardThreshold)
	for _, s := range td.CutSets {
		for _, id := range s {
			if _, ok := td.Paths[id]; ok {
				continue
			}
			u, _ := g.Lookup(id)
			td.Paths[id] = pathTo(g, parents, t, u)
		}
	}
	for _, id := range td.SPOFs {
		u, _ := g.Lookup(id)
		td.Defeated = append(td.Defeated, defeatedGroups(g, sf, u, t)...)
	}
	return td, nil
}

// hardPaths runs a breadth-first search from the target along hard
// requirements and returns each reached node's parent (-1: unreached).
func hardPaths(g *graph.Graph, target int32, hard float64) []int32 {
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

// pathTo returns the chain target → … → u from hardPaths' parents.
func pathTo(g *graph.Graph, parent []int32, target, u int32) []string {
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

// defeatedGroups lists the failover groups on the way to target whose
// members all (or all but fewer than Min) go down with cause.
func defeatedGroups(g *graph.Graph, sf *singleFailure, cause, target int32) []DefeatedGroup {
	defer sf.reset()
	down, _ := sf.run(cause)
	isDown := make(map[int32]bool, len(down))
	for _, v := range down {
		isDown[v] = true
	}
	// Only groups of nodes the target (transitively) depends on.
	upstream := map[int32]bool{}
	for _, v := range g.Neighbourhood([]int32{target}, 0) {
		upstream[v] = true
	}
	var out []DefeatedGroup
	for _, v := range down {
		if !upstream[v] {
			continue
		}
		for _, r := range g.Requirements(v) {
			if !r.Group || r.Impact < sf.hard {
				continue
			}
			members := g.Members(r)
			var downMembers []int32
			for _, mb := range members {
				if isDown[mb] {
					downMembers = append(downMembers, mb)
				}
			}
			if len(downMembers) <= len(members)-int(r.Min) {
				continue
			}
			dg := DefeatedGroup{Cause: g.ModelNode(cause).ID, Owner: g.ModelNode(v).ID}
			for _, mb := range members {
				dg.Members = append(dg.Members, g.ModelNode(mb).ID)
			}
			for _, mb := range downMembers {
				dg.Down = append(dg.Down, g.ModelNode(mb).ID)
				dg.Chains = append(dg.Chains, chainWithin(g, mb, cause, isDown))
			}
			out = append(out, dg)
		}
	}
	slices.SortFunc(out, func(a, b DefeatedGroup) int {
		return cmp.Or(strings.Compare(a.Owner, b.Owner), slices.Compare(a.Members, b.Members))
	})
	return out
}

// chainWithin finds a shortest chain of dependencies from u to cause
// through down nodes, u first.
func chainWithin(g *graph.Graph, u, cause int32, isDown map[int32]bool) []string {
	parent := map[int32]int32{u: u}
	queue := []int32{u}
	for k := 0; k < len(queue); k++ {
		if _, found := parent[cause]; found {
			break
		}
		for _, v := range g.Dependencies(queue[k]) {
			if _, seen := parent[v]; !seen && isDown[v] {
				parent[v] = queue[k]
				queue = append(queue, v)
			}
		}
	}
	if _, ok := parent[cause]; !ok {
		return []string{g.ModelNode(u).ID, g.ModelNode(cause).ID}
	}
	var rev []string
	for v := cause; ; v = parent[v] {
		rev = append(rev, g.ModelNode(v).ID)
		if v == u {
			break
		}
	}
	slices.Reverse(rev)
	return rev
}
