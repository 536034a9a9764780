package render

import (
	"fmt"
	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/view"
	"io"
	"slices"
	"strconv"
	"strings"
)

// DOT writes a view as Graphviz DOT: organisations as clusters, failed
// nodes red, down nodes filled pink, degraded nodes filled amber, at-risk
// nodes dashed and pale yellow, your services bold, failover edges dashed
// and labelled, edges of unknown share dashed and labelled "?", part-of
// edges dotted, blast paths red. Attributes are written in sorted order.
func DOT(w io.Writer, v *view.View) error {
	ew := &errWriter{w: w}
	ew.printf("digraph %s {\n", quote(v.Name))
	ew.printf("  graph [fontname=\"Helvetica\" rankdir=\"LR\" nodesep=\"0.3\" ranksep=\"0.6\"];\n")
	ew.printf("  node [fontname=\"Helvetica\" fontsize=\"10\" shape=\"box\" style=\"rounded\"];\n")
	ew.printf("  edge [fontname=\"Helvetica\" fontsize=\"8\" color=\"#555555\"];\n")
	clusters := map[string][]view.Node{}
	var names []string
	for _, n := range v.Nodes {
		if _, ok := clusters[n.Cluster]; !ok {
			names = append(names, n.Cluster)
		}
		clusters[n.Cluster] = append(clusters[n.Cluster], n)
	}
	slices.Sort(names)
	for i, c := range names {
		ew.printf("  subgraph cluster_%d {\n", i)
		ew.printf("    label=%s; style=\"rounded,dashed\"; color=\"#999999\"; fontsize=\"11\";\n", quote(c))
		for _, n := range clusters[c] {
			ew.printf("    %s %s;\n", quote(n.ID), attrs(nodeAttrs(n)))
		}
		ew.printf("  }\n")
	}
	for _, e := range v.Edges {
		ew.printf("  %s -> %s %s;\n", quote(e.From), quote(e.To), attrs(edgeAttrs(e)))
	}
	if v.Omitted > 0 {
		ew.printf("  %s [shape=\"note\" style=\"\" label=%s];\n", quote("(omitted)"), quote(english.Count(v.Omitted, "node", "nodes")+" not shown"))
	}
	ew.printf("}\n")
	return ew.err
}

// shapes maps node kinds to DOT shapes.
var shapes = map[string]string{
	"service":       "box",
	"vendor":        "box",
	"component":     "box",
	"provider":      "box3d",
	"region":        "folder",
	"zone":          "tab",
	"cloud-service": "component",
	"unknown":       "diamond",
}

func nodeAttrs(n view.Node) map[string]string {
	label := n.ID
	if n.Name != "" && n.Name != n.ID {
		label = n.Name + "\n" + n.ID
	}
	a := map[string]string{"label": label, "shape": shapes[n.Kind]}
	style := []string{"rounded"}
	if n.Kind == "service" {
		style = append(style, "bold")
	}
	if n.Kind == "unknown" {
		style = []string{"dashed"}
	}
	switch {
	case n.Failed:
		style = append(style, "filled")
		a["fillcolor"], a["fontcolor"] = "#c0392b", "white"
	case n.State == "down":
		style = append(style, "filled")
		a["fillcolor"] = "#f5b7b1"
	case n.State == "degraded":
		style = append(style, "filled")
		a["fillcolor"] = "#fdebd0"
		a["label"] += fmt.Sprintf("\n%s lost", percent(n.Impairment))
	case n.State == blast.StateAtRisk:
		style = append(style, "filled", "dashed")
		a["fillcolor"] = "#fcf3cf"
		a["label"] += "\nat risk (share unknown)"
	}
	if n.SPOF {
		a["penwidth"] = "3"
		a["color"] = "#7d3c98"
	}
	a["style"] = strings.Join(style, ",")
	return a
}

func edgeAttrs(e view.Edge) map[string]string {
	a := map[string]string{}
	var style []string
	switch {
	case e.PartOf:
		style = append(style, "dotted")
		a["arrowhead"] = "empty"
	case e.Group != "":
		style = append(style, "dashed")
		a["label"] = e.Group
		if e.ImpactUnknown {
			a["label"] += ", ?"
		}
	case e.ImpactUnknown:
		a["label"] = "?"
		style = append(style, "dashed")
	case e.Impact < 1:
		a["label"] = percent(e.Impact)
	}
	if e.OnPath {
		a["color"], a["penwidth"] = "#c0392b", "2"
	}
	if len(style) > 0 {
		a["style"] = strings.Join(style, ",")
	}
	return a
}

// attrs formats attributes in sorted key order.
func attrs(a map[string]string) string {
	if len(a) == 0 {
		return ""
	}
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + quote(a[k])
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// quote makes a DOT double-quoted string.
func quote(s string) string {
	q := strconv.Quote(s)
	return strings.ReplaceAll(q, `\n`, `\n`)
}
