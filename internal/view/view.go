// Package view computes what a graph picture shows: the nodes and edges
// of a model cut down to a focus and depth, with a blast radius marked.
// It decides content only; internal/render decides how it looks.
package view

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// View is a graph picture's content: which nodes and edges to draw and
// what each one's state is. Styling is decided by the renderers.
type View struct {
	// Name is the graph's name.
	Name string `json:"name"`
	// Nodes are drawn in this order (sorted by id).
	Nodes []Node `json:"nodes"`
	// Edges are drawn in this order (sorted by from, then to).
	Edges []Edge `json:"edges"`
	// Omitted counts the nodes the view left out (focus, depth, limit,
	// unused).
	Omitted int `json:"omitted"`
	// Unused counts the omitted nodes left out because none of your
	// services depends on them (Options.UsedOnly).
	Unused int `json:"unused,omitempty"`
}

// Node is one node of a View.
type Node struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Layer string `json:"layer"`
	// Cluster groups nodes in one box: their organisation.
	Cluster string `json:"cluster"`
	// Failed marks a node failed on purpose; State and Impairment show
	// the blast radius ("" and 0 outside it; state "at_risk" with
	// impairment 0 for a node exposed through an unknown share).
	Failed     bool    `json:"failed,omitempty"`
	State      string  `json:"state,omitempty"`
	Impairment float64 `json:"impairment,omitempty"`
	// SPOF marks a single point of failure.
	SPOF bool `json:"spof,omitempty"`
}

// Edge is one dependency edge of a View: From depends on To.
type Edge struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Impact float64 `json:"impact"`
	// ImpactUnknown marks an edge of unknown share (`impact: unknown`;
	// Impact is 0).
	ImpactUnknown bool `json:"impact_unknown,omitempty"`
	// Group labels a failover-group edge ("any 1 of 2"), "" otherwise.
	Group string `json:"group,omitempty"`
	// PartOf marks the edge from a nested node to its parent.
	PartOf bool `json:"part_of,omitempty"`
	// OnPath marks an edge on a blast path.
	OnPath bool `json:"on_path,omitempty"`
}

// Options says what a view shows.
type Options struct {
	// Name is the graph's name.
	Name string
	// Focus limits the view to these nodes' neighbourhood (see
	// graph.Neighbourhood); empty means the whole graph.
	Focus []int32
	// Depth bounds the neighbourhood, in hops; <= 0 means no bound.
	Depth int
	// Failed and Blast mark a blast radius; Blast may be nil.
	Failed []int32
	Blast  *blast.Propagation
	// UsedOnly leaves out the nodes none of your services depends on
	// (graph.Party 0: the unused regions and services of included
	// catalogs), the focus and failed nodes excepted. It is ignored when
	// the model has no service.
	UsedOnly bool
}

// Build computes the view of g that opts asks for.
func Build(g *graph.Graph, opts Options) *View {
	var ids []int32
	if len(opts.Focus) > 0 {
		ids = g.Neighbourhood(opts.Focus, opts.Depth)
	} else {
		ids = make([]int32, g.Len())
		for i := range ids {
			ids[i] = int32(i)
		}
	}
	failed := make(map[int32]bool, len(opts.Failed))
	for _, f := range opts.Failed {
		failed[f] = true
	}
	unused := 0
	if opts.UsedOnly && len(g.Services()) > 0 {
		keep := make(map[int32]bool, len(opts.Focus)+len(opts.Failed))
		for _, f := range opts.Focus {
			keep[f] = true
		}
		for f := range failed {
			keep[f] = true
		}
		used := ids[:0:0]
		for _, i := range ids {
			if g.Party(i) != 0 || keep[i] {
				used = append(used, i)
			}
		}
		unused, ids = len(ids)-len(used), used
	}
	in := make(map[int32]bool, len(ids))
	for _, i := range ids {
		in[i] = true
	}
	onPath := map[[2]int32]bool{}
	var risk *blast.AtRisk
	if opts.Blast != nil {
		opts.Blast.ExplainPaths()
		for _, u := range opts.Blast.Order {
			if v := opts.Blast.Via[u]; v >= 0 {
				onPath[[2]int32{u, v}] = true
			}
		}
		risk = blast.FindAtRisk(g, opts.Blast)
		for _, u := range risk.Order {
			onPath[[2]int32{u, risk.Via[u]}] = true
		}
	}
	v := &View{Name: opts.Name, Nodes: []Node{}, Edges: []Edge{}, Omitted: g.Len() - len(ids), Unused: unused}
	for _, i := range ids {
		m := g.ModelNode(i)
		n := Node{ID: m.ID, Name: m.Name, Kind: string(m.Kind), Layer: g.Layer(i), Cluster: model.Org(m.ID), Failed: failed[i]}
		if p := opts.Blast; p != nil && !failed[i] && p.Impairment[i] > blast.Epsilon {
			n.Impairment = math.Round(p.Impairment[i]*1e6) / 1e6
			n.State = blast.StateDegraded
			if p.Impairment[i] >= 1-blast.Epsilon {
				n.State, n.Impairment = blast.StateDown, 1
			}
		}
		if risk != nil && risk.Risk[i] {
			n.State = blast.StateAtRisk
		}
		v.Nodes = append(v.Nodes, n)
		for _, r := range g.Requirements(i) {
			members := g.Members(r)
			group := ""
			if r.Group {
				group = fmt.Sprintf("needs %d of %d", r.Min, len(members))
			}
			for _, t := range members {
				if !in[t] {
					continue
				}
				v.Edges = append(v.Edges, Edge{
					From: m.ID, To: g.ModelNode(t).ID, Impact: r.Impact, ImpactUnknown: r.Unknown,
					Group: group, PartOf: r.PartOf, OnPath: onPath[[2]int32{i, t}],
				})
			}
		}
	}
	slices.SortStableFunc(v.Edges, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return v
}
