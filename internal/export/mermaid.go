package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// Mermaid writes the graph as a Mermaid flowchart (`flowchart LR`) that
// renders where Markdown does (GitHub, GitLab, most wikis): one subgraph per
// organisation, your services as stadiums, regions and zones as hexagons,
// an arrow from each dependent to its dependency. Failover group members
// are dashed; an arrow is labelled with its impact when below 1 ("30%")
// and with "k of n" for a group that needs more than one member.
//
// Node ids are n0, n1, … and every label is quoted with Mermaid's entity
// codes for quotes, angle brackets, '&', '#', '%', '|' and backquotes, so a
// name can neither break the chart nor inject markup.
func Mermaid(w io.Writer, g *graph.Graph, opts Options) error {
	bw := bufio.NewWriter(w)
	nodes := Selected(g, opts)
	edges := Edges(g, nodes)
	fmt.Fprintf(bw, "%%%% depgraph: %d nodes, %d edges; solid: hard or weighted dependency, dashed: failover group member\n", len(nodes), len(edges))
	bw.WriteString("flowchart LR\n")
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
		fmt.Fprintf(bw, "  subgraph o%d[\"%s\"]\n", k, mermaidText(orgTitle(g, org)))
		for _, i := range byOrg[org] {
			fmt.Fprintf(bw, "    n%d%s\n", local[i], mermaidShape(g.ModelNode(i)))
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
		fmt.Fprintf(bw, "  n%d %s n%d\n", local[e.From], arrow, local[e.To])
	}
	return bw.Flush()
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
	label := mermaidText(n.ID)
	if n.Name != "" && n.Name != n.ID {
		label = mermaidText(n.Name) + "<br/>" + label
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

// mermaidText escapes s for a quoted Mermaid label with numeric entity
// codes (Mermaid turns "#60;" into "&#60;"); line breaks become spaces.
func mermaidText(s string) string {
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
