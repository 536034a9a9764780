package graph

import (
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"

	"github.com/depgraph/depgraph/internal/model"
)

// Graph is an immutable dependency graph. Node IDs are dense, 0..Len()-1,
// in the order of the model ids' byte order.
type Graph struct {
	nodes     []*model.Node
	gnodes    []graph.Node // nodes as gonum nodes, index = ID
	index     map[string]int32
	reqOff    []int32 // node i's requirements are reqs[reqOff[i]:reqOff[i+1]]
	reqs      []Requirement
	members   []int32 // failover group members, referenced by Requirement
	depOff    []int32 // node i's distinct dependencies are deps[depOff[i]:depOff[i+1]], sorted
	deps      []int32
	depW      []float64 // largest impact of any entry from i to deps[k]
	revOff    []int32   // node i's dependents are rev[revOff[i]:revOff[i+1]], sorted
	rev       []int32
	party     []int32 // see Party
	services  []int32 // see Services
	order     []int32 // see Order
	component []int32 // see Component
}

// Requirement is one depends_on entry of a node: a single dependency
// (Group false, one member) or a failover group working while Min of its
// members work.
type Requirement struct {
	// Impact is the share of the dependent lost when the requirement is
	// fully failed.
	Impact float64
	// Min is how many members must work; 1 for a single dependency.
	Min int32
	// Group is true for a failover group.
	Group bool
	// PartOf marks the implicit dependency of a nested node on its parent.
	PartOf bool
	// Unknown marks a requirement of unknown share (`impact: unknown`):
	// Impact is 0 and the dependent is at risk, not impaired, when it fails.
	Unknown bool
	first   int32
	count   int32
}

// Node is a graph node as gonum sees it.
type Node struct {
	id int64
	// Model is the model node.
	Model *model.Node
}

// ID returns the dense node ID.
func (n Node) ID() int64 { return n.id }

// DOTID returns the model id, so gonum's DOT encoder names nodes by it.
func (n Node) DOTID() string { return n.Model.ID }

// Build builds the graph of a validated model. It returns an error, never
// a panic, when the model was not validated (unknown or self dependencies,
// duplicate ids).
func Build(m *model.Model) (*Graph, error) {
	ids := make([]string, 0, len(m.Nodes))
	byID := make(map[string]*model.Node, len(m.Nodes))
	for _, n := range m.Nodes {
		if _, dup := byID[n.ID]; dup {
			return nil, fmt.Errorf("graph: duplicate id %q", n.ID)
		}
		byID[n.ID] = n
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	g := &Graph{
		nodes:  make([]*model.Node, len(ids)),
		gnodes: make([]graph.Node, len(ids)),
		index:  make(map[string]int32, len(ids)),
		reqOff: make([]int32, len(ids)+1),
		depOff: make([]int32, len(ids)+1),
		revOff: make([]int32, len(ids)+1),
	}
	for i, id := range ids {
		g.nodes[i] = byID[id]
		g.gnodes[i] = Node{id: int64(i), Model: byID[id]}
		g.index[id] = int32(i)
	}
	var scratch []int32
	var scratchW []float64
	for i, n := range g.nodes {
		scratch, scratchW = scratch[:0], scratchW[:0]
		for _, d := range n.DependsOn {
			r := Requirement{Impact: d.Impact, Min: 1, Group: d.IsGroup(), PartOf: d.PartOf, Unknown: d.ImpactUnknown, first: int32(len(g.members))}
			if r.Group {
				r.Min = int32(d.Min)
			}
			for _, t := range d.Targets() {
				j, ok := g.index[t]
				if !ok {
					return nil, fmt.Errorf("graph: %s: %q depends on unknown %q", d.Pos, n.ID, t)
				}
				if int(j) == i {
					return nil, fmt.Errorf("graph: %s: %q depends on itself", d.Pos, n.ID)
				}
				g.members = append(g.members, j)
				scratch = append(scratch, j)
				scratchW = append(scratchW, d.Impact)
			}
			r.count = int32(len(g.members)) - r.first
			g.reqs = append(g.reqs, r)
		}
		g.reqOff[i+1] = int32(len(g.reqs))
		g.appendDeps(scratch, scratchW)
		g.depOff[i+1] = int32(len(g.deps))
	}
	g.buildReverse()
	for i, n := range g.nodes {
		if n.Kind == model.KindService {
			g.services = append(g.services, int32(i))
		}
	}
	g.party = parties(g)
	g.orderComponents()
	return g, nil
}

// appendDeps appends one node's distinct dependencies, sorted, keeping the
// largest impact per target.
func (g *Graph) appendDeps(targets []int32, weights []float64) {
	start := len(g.deps)
	for k, t := range targets {
		if at := slices.Index(g.deps[start:], t); at >= 0 {
			g.depW[start+at] = max(g.depW[start+at], weights[k])
			continue
		}
		g.deps = append(g.deps, t)
		g.depW = append(g.depW, weights[k])
	}
	seg, segW := g.deps[start:], g.depW[start:]
	if !slices.IsSorted(seg) {
		perm := make([]int, len(seg))
		for k := range perm {
			perm[k] = k
		}
		slices.SortFunc(perm, func(a, b int) int { return int(seg[a] - seg[b]) })
		sortedT := make([]int32, len(seg))
		sortedW := make([]float64, len(seg))
		for k, p := range perm {
			sortedT[k], sortedW[k] = seg[p], segW[p]
		}
		copy(seg, sortedT)
		copy(segW, sortedW)
	}
}

// buildReverse fills the dependents adjacency by counting sort.
func (g *Graph) buildReverse() {
	n := len(g.nodes)
	for _, t := range g.deps {
		g.revOff[t+1]++
	}
	for i := 0; i < n; i++ {
		g.revOff[i+1] += g.revOff[i]
	}
	g.rev = make([]int32, len(g.deps))
	fill := slices.Clone(g.revOff[:n])
	for u := 0; u < n; u++ { // u ascending, so each dependents list ends sorted
		for _, t := range g.deps[g.depOff[u]:g.depOff[u+1]] {
			g.rev[fill[t]] = int32(u)
			fill[t]++
		}
	}
}

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.nodes) }

// EdgeCount returns the number of distinct dependency edges.
func (g *Graph) EdgeCount() int { return len(g.deps) }

// Lookup returns the ID of the node with the given model id.
func (g *Graph) Lookup(id string) (int32, bool) {
	i, ok := g.index[id]
	return i, ok
}

// ModelNode returns the model node with dense ID i.
func (g *Graph) ModelNode(i int32) *model.Node { return g.nodes[i] }

// IDs returns the model ids in dense-ID order (sorted).
func (g *Graph) IDs() []string {
	out := make([]string, len(g.nodes))
	for i, n := range g.nodes {
		out[i] = n.ID
	}
	return out
}

// Requirements returns node i's depends_on entries.
func (g *Graph) Requirements(i int32) []Requirement { return g.reqs[g.reqOff[i]:g.reqOff[i+1]] }

// Members returns the dependencies a requirement names: one node for a
// single dependency, the members of a failover group.
func (g *Graph) Members(r Requirement) []int32 { return g.members[r.first : r.first+r.count] }

// Services returns your own services (the nodes of kind service), in ID
// order; do not modify.
func (g *Graph) Services() []int32 { return g.services }

// Dependencies returns node i's distinct dependencies, sorted.
func (g *Graph) Dependencies(i int32) []int32 { return g.deps[g.depOff[i]:g.depOff[i+1]] }

// Dependents returns the nodes that depend on node i, sorted.
func (g *Graph) Dependents(i int32) []int32 { return g.rev[g.revOff[i]:g.revOff[i+1]] }

// Party returns node i's party as seen from your own services (nodes of
// kind service): 1 for your own services and everything of their
// organisation they reach without leaving it, 3 for a third party (the
// first organisation boundary crossed), 4 for a fourth party, and so on;
// 0 when no service of yours depends on it.
func (g *Graph) Party(i int32) int { return int(g.party[i]) }

// parties computes Party for every node by a 0-1 breadth-first search from
// the services along dependency edges, where crossing into another
// organisation costs 1. O(V + E).
func parties(g *Graph) []int32 {
	n := len(g.nodes)
	dist := make([]int32, n)
	for i := range dist {
		dist[i] = -1
	}
	// deque as two stacks of frontier: process cost-0 edges before cost-1.
	var cur, next []int32
	for _, i := range g.services {
		dist[i] = 0
		cur = append(cur, i)
	}
	orgs := make([]string, n)
	for i, nd := range g.nodes {
		orgs[i] = model.Org(nd.ID)
	}
	for level := int32(0); len(cur) > 0; level++ {
		for k := 0; k < len(cur); k++ { // cur grows with same-level nodes
			u := cur[k]
			if dist[u] != level {
				continue
			}
			for _, v := range g.Dependencies(u) {
				if orgs[v] == orgs[u] {
					if dist[v] == -1 || dist[v] > level {
						dist[v] = level
						cur = append(cur, v)
					}
				} else if dist[v] == -1 {
					dist[v] = level + 1
					next = append(next, v)
				}
			}
		}
		cur, next = next, cur[:0]
	}
	party := make([]int32, n)
	for i, d := range dist {
		switch {
		case d < 0:
			party[i] = 0
		case d == 0:
			party[i] = 1
		default:
			party[i] = d + 2
		}
	}
	return party
}

// LayerName names a party number: "own", "third-party", "fourth-party", …,
// "unused" for 0.
func LayerName(party int) string {
	switch party {
	case 0:
		return "unused"
	case 1:
		return "own"
	case 2: // not produced by Party; kept for completeness
		return "second-party"
	}
	names := []string{"third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
	if party-3 < len(names) {
		return names[party-3] + "-party"
	}
	return fmt.Sprintf("%dth-party", party)
}

// Layer returns node i's layer as shown in reports: infrastructure kinds
// by their kind (region, zone, …), everything else by party (own,
// third-party, fourth-party, …); "unused" when no service depends on it.
func (g *Graph) Layer(i int32) string {
	if k := g.nodes[i].Kind; k.Infrastructure() && g.party[i] != 0 {
		return string(k)
	}
	return LayerName(g.Party(i))
}

// --- gonum graph.Directed and graph.Weighted ---

// Node returns the node with the given ID, or nil.
func (g *Graph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(g.gnodes)) {
		return nil
	}
	return g.gnodes[id]
}

// Nodes returns all nodes in ID order.
func (g *Graph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.gnodes) }

// From returns the dependencies of node id.
func (g *Graph) From(id int64) graph.Nodes {
	if g.Node(id) == nil {
		return graph.Empty
	}
	return g.nodeList(g.Dependencies(int32(id)))
}

// To returns the dependents of node id.
func (g *Graph) To(id int64) graph.Nodes {
	if g.Node(id) == nil {
		return graph.Empty
	}
	return g.nodeList(g.Dependents(int32(id)))
}

func (g *Graph) nodeList(ids []int32) graph.Nodes {
	if len(ids) == 0 {
		return graph.Empty
	}
	out := make([]graph.Node, len(ids))
	for k, i := range ids {
		out[k] = g.gnodes[i]
	}
	return iterator.NewOrderedNodes(out)
}

// HasEdgeBetween reports whether an edge runs either way between x and y.
func (g *Graph) HasEdgeBetween(xid, yid int64) bool {
	return g.HasEdgeFromTo(xid, yid) || g.HasEdgeFromTo(yid, xid)
}

// HasEdgeFromTo reports whether u depends on v.
func (g *Graph) HasEdgeFromTo(uid, vid int64) bool {
	_, ok := g.edgeIndex(uid, vid)
	return ok
}

func (g *Graph) edgeIndex(uid, vid int64) (int, bool) {
	if g.Node(uid) == nil || g.Node(vid) == nil {
		return 0, false
	}
	lo, hi := int(g.depOff[uid]), int(g.depOff[uid+1])
	k, ok := slices.BinarySearch(g.deps[lo:hi], int32(vid))
	return lo + k, ok
}

// Edge returns the edge from u to v, or nil.
func (g *Graph) Edge(uid, vid int64) graph.Edge { return g.WeightedEdge(uid, vid) }

// WeightedEdge returns the edge from u to v weighted by its impact, or nil.
func (g *Graph) WeightedEdge(uid, vid int64) graph.WeightedEdge {
	k, ok := g.edgeIndex(uid, vid)
	if !ok {
		return nil
	}
	return Edge{F: g.gnodes[uid], T: g.gnodes[vid], W: g.depW[k]}
}

// Weight returns the impact of the edge from x to y; a node to itself
// weighs 0; absent edges report false.
func (g *Graph) Weight(xid, yid int64) (float64, bool) {
	if xid == yid {
		return 0, true
	}
	k, ok := g.edgeIndex(xid, yid)
	if !ok {
		return 0, false
	}
	return g.depW[k], true
}

// Edge is a dependency edge: F depends on T with impact W.
type Edge struct {
	F, T graph.Node
	W    float64
}

// From returns the dependent.
func (e Edge) From() graph.Node { return e.F }

// To returns the dependency.
func (e Edge) To() graph.Node { return e.T }

// ReversedEdge returns the edge reversed.
func (e Edge) ReversedEdge() graph.Edge { return Edge{F: e.T, T: e.F, W: e.W} }

// Weight returns the impact.
func (e Edge) Weight() float64 { return e.W }

// String formats a list of dense IDs as their model ids, for messages.
func (g *Graph) String(ids []int32) string {
	parts := make([]string, len(ids))
	for k, i := range ids {
		parts[k] = g.nodes[i].ID
	}
	return strings.Join(parts, ", ")
}

var (
	_ graph.Directed = (*Graph)(nil)
	_ graph.Weighted = (*Graph)(nil)
)
