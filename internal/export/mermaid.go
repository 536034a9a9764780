package export

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// Mermaid's default limits (mermaid.initialize: maxTextSize and
// maxEdges): past them Mermaid draws an error instead of the diagram.
const (
	MermaidMaxText  = 50_000
	MermaidMaxEdges = 500
)

// MermaidStats says what a Mermaid diagram holds.
type MermaidStats struct {
	// Nodes and Edges are drawn, of TotalNodes and TotalEdges selected.
	Nodes, Edges           int
	TotalNodes, TotalEdges int
	// Chars is the diagram's length as Mermaid counts it (UTF-16 units).
	Chars int
}

// Cut reports whether nodes or edges were left out to stay under
// Mermaid's limits.
func (s MermaidStats) Cut() bool { return s.Nodes < s.TotalNodes || s.Edges < s.TotalEdges }

// Mermaid writes the graph as a Mermaid flowchart; see WriteMermaid.
func Mermaid(w io.Writer, g *graph.Graph, opts Options) error {
	_, err := WriteMermaid(w, g, opts)
	return err
}

// WriteMermaid writes the graph as a Mermaid flowchart (`flowchart LR`)
// that renders where Markdown does (GitHub, GitLab, most wikis): one
// subgraph per organisation, your services as stadiums, regions and zones
// as hexagons, an arrow from each dependent to its dependency. Failover
// group members are dashed; an arrow is labelled with its impact when below
// 1 ("30%") and with "k of n" for a group that needs more than one member.
//
// The diagram stays under Mermaid's default limits (MermaidMaxText
// characters, MermaidMaxEdges edges): when the selection is larger, the
// nodes nearest your services (or the focus nodes) are kept, in
// breadth-first order along dependencies, as many as fit, and a note node
// in the diagram says what was left out and how to draw the rest (--focus,
// --depth). The stats say whether that happened.
//
// Node ids are n0, n1, … and every label is quoted with Mermaid's entity
// codes for quotes, angle brackets, '&', '#', '%', '|' and backquotes, so a
// name can neither break the chart nor inject markup.
func WriteMermaid(w io.Writer, g *graph.Graph, opts Options) (MermaidStats, error) {
	nodes := Selected(g, opts)
	all := edgesWithin(g, nodes)
	st := MermaidStats{TotalNodes: len(nodes), TotalEdges: len(all)}
	text, ne := mermaidText(g, nodes, st, false)
	if ne > MermaidMaxEdges || utf16Len(text) > MermaidMaxText {
		order := nearestFirst(g, nodes, opts)
		// The largest prefix of order that fits: edges and text only grow
		// with it.
		fits := func(k int) bool {
			kept := slices.Clone(order[:k])
			slices.Sort(kept)
			t, ne := mermaidText(g, kept, st, true)
			return ne <= MermaidMaxEdges && utf16Len(t) <= MermaidMaxText
		}
		k := sort.Search(len(order), func(k int) bool { return !fits(k + 1) })
		k = max(k, 1)
		kept := slices.Clone(order[:k])
		slices.Sort(kept)
		st.Nodes = k
		st.Edges = len(edgesWithin(g, kept))
		text, _ = mermaidText(g, kept, st, true)
	} else {
		st.Nodes, st.Edges = len(nodes), ne
	}
	st.Chars = utf16Len(text)
	_, err := io.WriteString(w, text)
	return st, err
}

// edgesWithin returns the edges between the given nodes (Edges keeps
// those to nodes outside).
func edgesWithin(g *graph.Graph, nodes []int32) []Edge {
	in := make(map[int32]bool, len(nodes))
	for _, i := range nodes {
		in[i] = true
	}
	var out []Edge
	for _, e := range Edges(g, nodes) {
		if in[e.To] {
			out = append(out, e)
		}
	}
	return out
}

// nearestFirst orders nodes breadth-first from the roots (the focus nodes,
// else your services, else the nodes nothing depends on) along
// dependencies, then dependents; the rest follow in id order.
func nearestFirst(g *graph.Graph, nodes []int32, opts Options) []int32 {
	in := make(map[int32]bool, len(nodes))
	for _, i := range nodes {
		in[i] = true
	}
	var roots []int32
	for _, cand := range [][]int32{opts.Focus, g.Services()} {
		for _, i := range cand {
			if in[i] {
				roots = append(roots, i)
			}
		}
		if len(roots) > 0 {
			break
		}
	}
	if len(roots) == 0 {
		for _, i := range nodes {
			if len(g.Dependents(i)) == 0 {
				roots = append(roots, i)
			}
		}
	}
	seen := map[int32]bool{}
	var out []int32
	queue := []int32{}
	for _, r := range roots {
		if !seen[r] {
			seen[r] = true
			queue = append(queue, r)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		out = append(out, u)
		for _, step := range [][]int32{g.Dependencies(u), g.Dependents(u)} {
			for _, v := range step {
				if in[v] && !seen[v] {
					seen[v] = true
					queue = append(queue, v)
				}
			}
		}
	}
	for _, i := range nodes {
		if !seen[i] {
			out = append(out, i)
		}
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// mermaidText renders the diagram of nodes (sorted) and the edges between
// them; cut adds the note on what was left out. It returns the text and
// the number of edges drawn.
func mermaidText(g *graph.Graph, nodes []int32, st MermaidStats, cut bool) (string, int) {
	var bw strings.Builder
	edges := edgesWithin(g, nodes)
	if cut {
		fmt.Fprintf(&bw, "%%%% depgraph: %d of %d nodes, %d of %d edges (Mermaid's limits: %d characters, %d edges); solid: hard or weighted dependency, dashed: failover group member\n", len(nodes), st.TotalNodes, len(edges), st.TotalEdges, MermaidMaxText, MermaidMaxEdges)
	} else {
		fmt.Fprintf(&bw, "%%%% depgraph: %d nodes, %d edges; solid: hard or weighted dependency, dashed: failover group member\n", len(nodes), len(edges))
	}
	bw.WriteString("flowchart LR\n")
	if cut {
		note := fmt.Sprintf("Cut down to fit Mermaid's limits (%d characters, %d edges): %d of %d nodes and %d of %d edges drawn, the nodes nearest your services first; %d nodes left out. Draw a part with depgraph export --format mermaid --focus NODE --depth 2, or the whole with --format graphml or depgraph graph.",
			MermaidMaxText, MermaidMaxEdges, len(nodes), st.TotalNodes, len(edges), st.TotalEdges, st.TotalNodes-len(nodes))
		fmt.Fprintf(&bw, "  depgraph_note[\"%s\"]\n", mermaidEscape(note))
	}
	local := make(map[int32]int, len(nodes))
	byOrg := map[string][]int32{}
	var orgs []string
	for k, i := range nodes {
		local[i] = k
		org := model.Org(g.ModelNode(i).ID)
		if _, seen := byOrg[org]; !seen {
			orgs = append(orgs, org)
		}
		byOrg[org] = append(byOrg[org], i)
	}
	slices.Sort(orgs)
	for k, org := range orgs {
		fmt.Fprintf(&bw, "  subgraph o%d[\"%s\"]\n", k, mermaidEscape(orgTitle(g, org)))
		for _, i := range byOrg[org] {
			fmt.Fprintf(&bw, "    n%d%s\n", local[i], mermaidShape(g.ModelNode(i)))
		}
		bw.WriteString("  end\n")
	}
	for _, e := range edges {
		arrow := "-->"
		if e.Dep.IsGroup() {
			arrow = "-.->"
		}
		var label []string
		if e.Dep.IsGroup() && e.Dep.Min > 1 {
			label = append(label, fmt.Sprintf("%d of %d", e.Dep.Min, len(e.Dep.AnyOf)))
		}
		if e.Dep.ImpactUnknown {
			label = append(label, "share unknown")
		} else if e.Dep.Impact < 1 {
			label = append(label, percent(e.Dep.Impact))
		}
		if len(label) > 0 {
			arrow += `|"` + strings.Join(label, ", ") + `"|`
		}
		fmt.Fprintf(&bw, "  n%d %s n%d\n", local[e.From], arrow, local[e.To])
	}
	return bw.String(), len(edges)
}

// orgTitle names an organisation by its root node's name when the model
// has one ("OpenAI (openai)"), by its id otherwise.
func orgTitle(g *graph.Graph, org string) string {
	if name := orgName(g, org); name != org {
		return name + " (" + org + ")"
	}
	return org
}

// orgName names an organisation by its root node's name when the model
// has one, by its id otherwise.
func orgName(g *graph.Graph, org string) string {
	if i, ok := g.Lookup(org); ok {
		if name := g.ModelNode(i).Name; name != "" {
			return name
		}
	}
	return org
}

// mermaidShape returns a node's shape and quoted label: the id, and the
// name under it when it differs.
func mermaidShape(n *model.Node) string {
	label := mermaidEscape(n.ID)
	if n.Name != "" && n.Name != n.ID {
		label = mermaidEscape(n.Name) + "<br/>" + label
	}
	switch n.Kind {
	case model.KindService:
		return `(["` + label + `"])`
	case model.KindRegion, model.KindZone:
		return `{{"` + label + `"}}`
	}
	return `["` + label + `"]`
}

// percent formats an impact as a percentage, to 0.1 %.
func percent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + "%"
}

// mermaidEscape escapes s for a quoted Mermaid label with numeric entity
// codes (Mermaid turns "#60;" into "&#60;"); line breaks become spaces.
func mermaidEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"', '#', '<', '>', '&', '%', '|', '`':
			fmt.Fprintf(&b, "#%d;", r)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
