package export

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// graphMLKey declares one GraphML attribute.
type graphMLKey struct {
	id, domain, typ string
}

// graphMLKeys are the node and edge attributes GraphML carries. Gephi shows
// the "label" attribute as the node label; yEd maps any of them through its
// properties mapper.
var graphMLKeys = []graphMLKey{
	{"label", "node", "string"},
	{"name", "node", "string"},
	{"kind", "node", "string"},
	{"layer", "node", "string"},
	{"org", "node", "string"},
	{"owner", "node", "string"},
	{"tags", "node", "string"},
	{"unavailability", "node", "double"},
	{"impact", "edge", "double"},
	{"impact_unknown", "edge", "boolean"},
	{"group", "edge", "string"},
	{"min", "edge", "int"},
	{"part_of", "edge", "boolean"},
	{"source", "edge", "string"},
}

// GraphML writes the graph as GraphML (http://graphml.graphdrawing.org/),
// directed, one <edge> per dependency edge (see Edges), so a failover
// group's members appear as parallel edges carrying the group. Node
// element ids are n0, n1, … (GraphML ids are XML tokens, which "/" is
// not); the model id is the "label" attribute.
func GraphML(w io.Writer, g *graph.Graph, opts Options) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range graphMLKeys {
		fmt.Fprintf(bw, "  <key id=%q for=%q attr.name=%q attr.type=%q/>\n", k.id, k.domain, k.id, k.typ)
	}
	bw.WriteString(`  <graph id="depgraph" edgedefault="directed">` + "\n")
	nodes := Selected(g, opts)
	local := make(map[int32]int, len(nodes))
	for k, i := range nodes {
		local[i] = k
		n := g.ModelNode(i)
		fmt.Fprintf(bw, "    <node id=\"n%d\">\n", k)
		data := func(key, value string) {
			if value != "" {
				fmt.Fprintf(bw, "      <data key=%q>%s</data>\n", key, xmlText(value))
			}
		}
		data("label", n.ID)
		data("name", n.Name)
		data("kind", string(n.Kind))
		data("layer", g.Layer(i))
		data("org", model.Org(n.ID))
		data("owner", n.Owner)
		data("tags", strings.Join(n.Tags, ","))
		if n.Unavailability != nil {
			data("unavailability", formatFloat(*n.Unavailability))
		}
		bw.WriteString("    </node>\n")
	}
	for k, e := range Edges(g, nodes) {
		fmt.Fprintf(bw, "    <edge id=\"e%d\" source=\"n%d\" target=\"n%d\">\n", k, local[e.From], local[e.To])
		if e.Dep.ImpactUnknown { // no number to give: the share is unknown
			bw.WriteString("      <data key=\"impact_unknown\">true</data>\n")
		} else {
			fmt.Fprintf(bw, "      <data key=\"impact\">%s</data>\n", formatFloat(e.Dep.Impact))
		}
		if e.Dep.IsGroup() {
			fmt.Fprintf(bw, "      <data key=\"group\">%s</data>\n", xmlText(groupString(e.Dep)))
			fmt.Fprintf(bw, "      <data key=\"min\">%d</data>\n", e.Dep.Min)
		}
		if e.Dep.PartOf {
			bw.WriteString("      <data key=\"part_of\">true</data>\n")
		}
		if p := lineOf(e.Pos()); p != "" {
			fmt.Fprintf(bw, "      <data key=\"source\">%s</data>\n", xmlText(p))
		}
		bw.WriteString("    </edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

// xmlText escapes s as XML character data. Characters XML 1.0 cannot hold
// at all (most control characters) become U+FFFD, as encoding/xml does.
func xmlText(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return strconv.Quote(s) // unreachable: strings.Builder never fails
	}
	return b.String()
}
