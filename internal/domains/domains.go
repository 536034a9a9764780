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
	"github.com/depgraph/depgraph/internal/graph"
)

// HoursPerYear converts an unavailability into expected downtime.
const HoursPerYear = 8766

// Options tunes Find.
type Options struct {
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
	// Progress, when not nil, is called after each target with the
	// number done and the total.
	Progress func(done, total int)
}

// Result holds the shared failure domains of some targets.
type Result struct {
	// SchemaVersion is blast.SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// MaxOrder and HardThreshold are the settings used.
	MaxOrder      int     `json:"max_order"`
	HardThreshold float64 `json:"hard_threshold"`
	// Targets are sorted worst first: by probability when known, then by
	// number of single points of failure, of failure domains, then id.
	Targets []Target `json:"targets"`
}

// Target holds one target's failure domains.
type Target struct {
	// Target is the node's id.
	Target string `json:"target"`
	// CutSets are its failure domains: minimal sets of upstream nodes whose
	// joint failure takes it down, sorted by size, then probability
	// (highest first), then ids; at most MaxSets of them.
	CutSets [][]string `json:"cut_sets"`
	// Count is the number of failure domains of size up to MaxOrder (it
	// may exceed len(CutSets)); OrderDistribution counts them by size.
	// JSON numbers (decimal strings beyond 2^53: see package count).
	Count             count.N   `json:"count"`
	OrderDistribution []count.N `json:"order_distribution"`
	// SPOFs are the single points of failure: the domains of size 1.
	SPOFs []string `json:"spofs"`
	// Truncated says MaxOrder may have cut larger domains off.
	Truncated bool `json:"truncated"`
	// Probability is the exact probability that the target is down from
	// upstream causes (BDD), null when some node in its cone has no
	// unavailability (Missing counts those nodes) or, for orders up to 3,
	// when the diagram outgrows probabilityNodeLimit.
	Probability *float64 `json:"probability"`
	Missing     int      `json:"missing_probabilities"`
	// DowntimeHoursPerYear is Probability × 8766.
	DowntimeHoursPerYear *float64 `json:"downtime_hours_per_year"`
	// Importance ranks the nodes by their share of the target's risk
	// (Fussell–Vesely), with their Birnbaum importance; only when
	// Probability is known; the top ten.
	Importance []Importance `json:"importance,omitempty"`
	// Defeated lists the failover groups each single point of failure
	// defeats, with the chains that reach each member.
	Defeated []DefeatedGroup `json:"defeated_failover,omitempty"`
	// Paths gives, for each node in a listed domain, a chain of hard
	// dependencies from the target to it.
	Paths map[string][]string `json:"paths"`
	// Unquantified lists the dependencies of unknown share upstream of the
	// target (see Unquantified): never cut-set members, since nobody knows
	// whether their failure takes the target down.
	Unquantified []blast.Exposure `json:"unquantified_exposure"`
}

// Importance is one node's contribution to a target's risk.
type Importance struct {
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

// Find computes the shared failure domains of each target: the minimal
// cut sets of the fault tree the model implies (see FaultTree), up to
// MaxOrder, with single points of failure, exact probabilities where the
// nodes carry unavailabilities, and the failover groups each single point
// of failure defeats. All targets share one compiled decision diagram.
func Find(ctx context.Context, g *graph.Graph, targets []int32, opts Options) (*Result, error) {
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
	a := &domainAnalyzer{g: g, ft: ft, opts: opts, groups: map[[2]int32]*groupCauses{}, chains: map[[2]int32][]string{}, count: make([]int32, g.Len()), mark: make([]bool, g.Len()),
		singleSets: make([][]int32, g.Len()), parent: make([]int32, g.Len())}
	a.hardParent = make([]int32, g.Len())
	for i := range a.parent {
		a.parent[i], a.hardParent[i] = -1, -1
	}
	for u := range int32(g.Len()) {
		for _, r := range g.Requirements(u) {
			a.unknown = a.unknown || r.Unknown
		}
	}
	var err error
	if opts.MaxOrder <= faulttree.MaxSmallOrder {
		if a.small, err = faulttree.NewSmall(ft.Builder, opts.MaxOrder, smallBudget); err != nil {
			return nil, err
		}
		a.singles = a.small
	} else {
		if a.singles, err = faulttree.NewSmall(ft.Builder, 1, smallBudget); err != nil {
			return nil, err
		}
		if a.model, err = faulttree.Compile(ft.Builder, tops...); err != nil {
			return nil, fmt.Errorf("domains: %w", err)
		}
	}
	for i, t := range targets {
		td, err := a.target(ctx, t, tops[i])
		if err != nil {
			return nil, fmt.Errorf("domains: %s: %w", g.ModelNode(t).ID, err)
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

// smallBudget bounds the failure domains one gate may hold in the
// order-truncated enumeration (memory); beyond it the analysis fails with
// a message rather than exhausting memory.
const smallBudget = 2_000_000

// probabilityNodeLimit bounds the diagram built for a probability when the
// cut sets came from the enumeration: past it the probability is reported
// as unknown rather than waited for.
const probabilityNodeLimit = 4_000_000

// domainAnalyzer holds what the targets of one Find call share.
type domainAnalyzer struct {
	g       *graph.Graph
	ft      *FaultTree
	opts    Options
	small   *faulttree.Small // order ≤ 3: enumeration
	singles *faulttree.Small // order-1 sets, for the failover groups a SPOF defeats: small itself when set
	model   *faulttree.Model // larger orders: BDD/ZBDD
	// groups caches the causes of each failover group, by owner and
	// requirement index.
	groups map[[2]int32]*groupCauses
	// chains caches chain, by member and cause.
	chains map[[2]int32][]string
	// singleSets caches singlesOf, by node (nil: not yet known).
	singleSets [][]int32
	// count, mark, parent and queue are scratch space by node, zero
	// (parent: -1) between uses.
	count  []int32
	mark   []bool
	parent []int32
	queue  []int32
	// hardParent and cone are hardPaths' parents (-1 between targets) and
	// the nodes it reached.
	hardParent, cone []int32
	// unknown says some requirement of the graph has an unknown share
	// (else no target has unquantified exposure).
	unknown bool
}

// target analyses one target. Failure domains up to order 3 come from the
// order-truncated enumeration (faulttree.Small), which stays small where a
// full diagram can explode; larger orders and every probability come from
// the BDD/ZBDD engine. Both are exact.
func (a *domainAnalyzer) target(ctx context.Context, t int32, top faulttree.Ref) (*Target, error) {
	g, opts := a.g, a.opts
	td := &Target{Target: g.ModelNode(t).ID, CutSets: [][]string{}, SPOFs: []string{}, Paths: map[string][]string{}}
	parents := a.hardParent
	cone := hardPaths(g, t, opts.HardThreshold, parents, a.cone[:0])
	defer func() {
		for _, v := range cone {
			parents[v] = -1
		}
		a.cone = cone
	}()
	for _, v := range cone {
		if v != t && g.ModelNode(v).Unavailability == nil {
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
			td.Paths[id] = pathTo(g, parents, t, u)
		}
	}
	var err error
	if td.Defeated, err = a.defeatedGroups(ctx, cone, td.SPOFs); err != nil {
		return nil, err
	}
	if a.unknown {
		td.Unquantified = blast.Unquantified(g, t)
	}
	if td.Unquantified == nil {
		td.Unquantified = []blast.Exposure{}
	}
	return td, nil
}

// hardPaths runs a breadth-first search from the target along hard
// requirements, sets each reached node's parent in parent (which must be
// all -1; -1 stays for unreached nodes) and returns the nodes reached,
// appended to queue.
func hardPaths(g *graph.Graph, target int32, hard float64, parent, queue []int32) []int32 {
	parent[target] = target
	queue = append(queue, target)
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
	return queue
}

// pathTo returns the chain target → … → u from the parents of a
// breadth-first search from target (hardPaths, findChain).
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

// groupCauses is what one failover group's defeat owes to no target: the
// nodes that alone take down enough of its members (causes, sorted), the
// members each takes down, and the DefeatedGroup of each cause, built
// when a target first needs it and then shared by every target.
type groupCauses struct {
	owner   int32
	members []int32
	down    [][]int32 // per member, its order-1 cut sets, sorted
	causes  []int32
	built   []*DefeatedGroup // per cause, nil until needed
}

// singlesOf returns the nodes whose failure alone takes u down, sorted.
// With MaxOrder ≤ 3 they are the order-1 sets of u's family in the
// enumeration the cut sets come from, already computed for every node in
// a target's cone.
func (a *domainAnalyzer) singlesOf(ctx context.Context, u int32) ([]int32, error) {
	if a.singleSets[u] != nil {
		return a.singleSets[u], nil
	}
	r, err := a.ft.Down(u)
	if err != nil {
		return nil, err
	}
	s, err := a.singles.Singles(ctx, r)
	if err != nil {
		return nil, err
	}
	if s == nil {
		s = []int32{}
	}
	a.singleSets[u] = s
	return s, nil
}

// group returns the causes of the failover group r of node v, computed
// once for all targets: a group of n members needing k is defeated by u
// when u alone takes down n−k+1 members.
func (a *domainAnalyzer) group(ctx context.Context, v int32, ri int, r graph.Requirement) (*groupCauses, error) {
	key := [2]int32{v, int32(ri)}
	if gc, ok := a.groups[key]; ok {
		return gc, nil
	}
	members := a.g.Members(r)
	need := len(members) - int(r.Min) + 1
	gc := &groupCauses{owner: v, members: members, down: make([][]int32, len(members))}
	var touched []int32
	for i, m := range members {
		s, err := a.singlesOf(ctx, m)
		if err != nil {
			return nil, err
		}
		gc.down[i] = s
		for _, u := range s {
			if a.count[u] == 0 {
				touched = append(touched, u)
			}
			a.count[u]++
		}
	}
	for _, u := range touched {
		if int(a.count[u]) >= need {
			gc.causes = append(gc.causes, u)
		}
		a.count[u] = 0
	}
	slices.Sort(gc.causes)
	gc.built = make([]*DefeatedGroup, len(gc.causes))
	a.groups[key] = gc
	return gc, nil
}

// defeated returns the DefeatedGroup of the k-th cause of gc.
func (a *domainAnalyzer) defeated(ctx context.Context, gc *groupCauses, k int) (*DefeatedGroup, error) {
	if dg := gc.built[k]; dg != nil {
		return dg, nil
	}
	g, u := a.g, gc.causes[k]
	dg := &DefeatedGroup{Cause: g.ModelNode(u).ID, Owner: g.ModelNode(gc.owner).ID}
	for i, m := range gc.members {
		dg.Members = append(dg.Members, g.ModelNode(m).ID)
		if _, ok := slices.BinarySearch(gc.down[i], u); ok {
			dg.Down = append(dg.Down, g.ModelNode(m).ID)
			chain, err := a.chain(ctx, m, u)
			if err != nil {
				return nil, err
			}
			dg.Chains = append(dg.Chains, chain)
		}
	}
	gc.built[k] = dg
	return dg, nil
}

// defeatedGroups lists the failover groups in the target's hard cone (the
// nodes hardPaths reached) that one of its single points of failure
// defeats (see group). Chains show how the cause reaches each member. The
// groups' causes and chains are shared by all targets; the slices of the
// result must not be modified.
func (a *domainAnalyzer) defeatedGroups(ctx context.Context, cone []int32, spofs []string) ([]DefeatedGroup, error) {
	g := a.g
	if len(spofs) == 0 {
		return nil, nil
	}
	isSPOF := a.mark
	var marked []int32
	for _, id := range spofs {
		u, _ := g.Lookup(id)
		isSPOF[u] = true
		marked = append(marked, u)
	}
	defer func() {
		for _, u := range marked {
			isSPOF[u] = false
		}
	}()
	var out []DefeatedGroup
	for _, v := range cone {
		for ri, r := range g.Requirements(v) {
			if !r.Group || r.Impact < a.opts.HardThreshold {
				continue
			}
			gc, err := a.group(ctx, v, ri, r)
			if err != nil {
				return nil, err
			}
			for k, u := range gc.causes {
				if !isSPOF[u] {
					continue
				}
				dg, err := a.defeated(ctx, gc, k)
				if err != nil {
					return nil, err
				}
				out = append(out, *dg)
			}
		}
	}
	slices.SortFunc(out, func(x, y DefeatedGroup) int {
		return cmp.Or(strings.Compare(x.Owner, y.Owner), slices.Compare(x.Members, y.Members), strings.Compare(x.Cause, y.Cause))
	})
	return out, nil
}

// chain finds a shortest chain of hard dependencies from m to cause
// through nodes that cause alone takes down, m first. Chains are cached:
// a member of several failover groups is explained once per cause.
func (a *domainAnalyzer) chain(ctx context.Context, m, cause int32) ([]string, error) {
	key := [2]int32{m, cause}
	if c, ok := a.chains[key]; ok {
		return c, nil
	}
	c, err := a.findChain(ctx, m, cause)
	if err != nil {
		return nil, err
	}
	a.chains[key] = c
	return c, nil
}

func (a *domainAnalyzer) findChain(ctx context.Context, m, cause int32) ([]string, error) {
	g := a.g
	parent := a.parent // -1 between uses
	parent[m] = m
	queue := append(a.queue[:0], m)
	defer func() {
		for _, v := range queue {
			parent[v] = -1
		}
		a.queue = queue
	}()
	for k := 0; k < len(queue) && parent[cause] == -1; k++ {
		for _, r := range g.Requirements(queue[k]) {
			if r.Impact < a.opts.HardThreshold {
				continue
			}
			for _, v := range g.Members(r) {
				if parent[v] != -1 {
					continue
				}
				s, err := a.singlesOf(ctx, v)
				if err != nil {
					return nil, err
				}
				if _, ok := slices.BinarySearch(s, cause); ok {
					parent[v] = queue[k]
					queue = append(queue, v)
				}
			}
		}
	}
	return pathTo(g, parent, m, cause), nil
}
