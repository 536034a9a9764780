package export

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// Format names an export format.
type Format string

// The export formats.
const (
	FormatCSVEdges   Format = "csv-edges"   // one CSV row per dependency edge
	FormatCSVDomains Format = "csv-domains" // one CSV row per failure domain of each service
	FormatGraphML    Format = "graphml"     // GraphML for yEd and Gephi
	FormatMermaid    Format = "mermaid"     // a Mermaid flowchart
	FormatCycloneDX  Format = "cyclonedx"   // CycloneDX 1.6 JSON, services and dependencies
)

// Formats lists every export format in a stable order.
var Formats = []Format{FormatCSVEdges, FormatCSVDomains, FormatGraphML, FormatMermaid, FormatCycloneDX, FormatDORA}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	if slices.Contains(Formats, Format(s)) {
		return Format(s), nil
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("export: unknown format %q: use one of %s", s, strings.Join(names, ", "))
}

// Options tunes the exporters.
type Options struct {
	// All writes every node of the model; by default only your services
	// and the nodes they depend on, directly or not, are written.
	All bool
	// Domains are the settings of the failure-domain analysis behind
	// FormatCSVDomains; MaxOrder 0 means 3.
	Domains domains.Options
	// Focus and Depth cut the Mermaid diagram down to the focus nodes'
	// neighbourhood (graph.Neighbourhood: what they depend on and what
	// depends on them, at most Depth hops each way, 0: no limit).
	Focus []int32
	Depth int
}

// Write writes g in format f. For FormatCSVDomains it runs the
// failure-domain analysis on your services first (see ComputeDomains).
func Write(ctx context.Context, w io.Writer, f Format, g *graph.Graph, opts Options) error {
	switch f {
	case FormatCSVEdges:
		return EdgesCSV(w, g, opts)
	case FormatCSVDomains:
		res, err := ComputeDomains(ctx, g, opts.Domains)
		if err != nil {
			return err
		}
		return DomainsCSV(w, g, res)
	case FormatGraphML:
		return GraphML(w, g, opts)
	case FormatMermaid:
		return Mermaid(w, g, opts)
	case FormatCycloneDX:
		return CycloneDX(w, g, opts)
	case FormatDORA:
		return fmt.Errorf("export: %s writes a folder: use WriteDORADir", f)
	}
	_, err := ParseFormat(string(f))
	return err
}

// Selected returns the dense IDs of the nodes the exporters write, in id
// order: the focus nodes' neighbourhood when opts.Focus is set; every
// node with opts.All or when the model has no service,
// otherwise the nodes some service of yours reaches (graph.Party != 0).
func Selected(g *graph.Graph, opts Options) []int32 {
	if len(opts.Focus) > 0 {
		return g.Neighbourhood(opts.Focus, opts.Depth)
	}
	all := opts.All || !(len(g.Services()) > 0)
	out := make([]int32, 0, g.Len())
	for i := range int32(g.Len()) {
		if all || g.Party(i) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// Edge is one target of one depends_on entry.
type Edge struct {
	// From is the dependent, To the dependency (dense IDs).
	From, To int32
	// Dep is the depends_on entry the edge comes from.
	Dep *model.Dependency
	// Member is To's index in Dep.AnyOf for a failover group, 0 otherwise.
	Member int
}

// Pos returns where the edge was declared: the group member's position
// for a failover group, the entry's otherwise.
func (e Edge) Pos() model.Pos {
	if e.Dep.IsGroup() && e.Member < len(e.Dep.MemberPos) {
		return e.Dep.MemberPos[e.Member]
	}
	return e.Dep.Pos
}

// Edges returns the edges out of the given nodes: dependents in the order
// given, then each dependent's depends_on entries in declaration order,
// then group members in order. Edges to nodes outside the set are kept
// (Selected never leaves a dependency out).
func Edges(g *graph.Graph, nodes []int32) []Edge {
	var out []Edge
	for _, i := range nodes {
		n := g.ModelNode(i)
		for k := range n.DependsOn {
			d := &n.DependsOn[k]
			for m, t := range d.Targets() {
				j, ok := g.Lookup(t)
				if !ok {
					continue // graph.Build refuses this; be safe
				}
				out = append(out, Edge{From: i, To: j, Dep: d, Member: m})
			}
		}
	}
	return out
}

// formatFloat writes f in its shortest exact form.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// groupString writes a failover group's members as "a;b;c".
func groupString(d *model.Dependency) string {
	if !d.IsGroup() {
		return ""
	}
	return strings.Join(d.AnyOf, ";")
}

// lineOf formats a position as file:line.
func lineOf(p model.Pos) string {
	p.Col = 0
	return p.String()
}
