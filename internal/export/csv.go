package export

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// EdgesHeader is the header row of EdgesCSV.
var EdgesHeader = []string{
	"dependent", "dependent_name", "dependent_kind", "dependent_layer", "dependent_org",
	"dependency", "dependency_name", "dependency_kind", "dependency_layer", "dependency_org",
	"impact", "failover_group", "failover_min", "part_of", "source",
}

// EdgesCSV writes one row per dependency edge (see Edges), both ends with
// their name, kind, layer and organisation; then the impact, the failover
// group (members joined by ";", and its min) when the edge is a member of
// one, whether it is the implicit part-of edge of a nested node, and the
// file:line that declares it.
func EdgesCSV(w io.Writer, g *graph.Graph, opts Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(EdgesHeader); err != nil {
		return err
	}
	for _, e := range Edges(g, Selected(g, opts)) {
		from, to := g.ModelNode(e.From), g.ModelNode(e.To)
		min := ""
		if e.Dep.IsGroup() {
			min = strconv.Itoa(e.Dep.Min)
		}
		row := []string{
			from.ID, from.Name, string(from.Kind), g.Layer(e.From), model.Org(from.ID),
			to.ID, to.Name, string(to.Kind), g.Layer(e.To), model.Org(to.ID),
			impactCell(*e.Dep), groupString(e.Dep), min, strconv.FormatBool(e.Dep.PartOf), lineOf(e.Pos()),
		}
		if err := cw.Write(cells(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ComputeDomains runs the failure-domain analysis behind DomainsCSV on
// every service of the model (kind service), with MaxOrder 3 and up to
// 1000 domains per service unless opts says otherwise.
func ComputeDomains(ctx context.Context, g *graph.Graph, opts domains.Options) (*domains.Result, error) {
	if opts.MaxOrder <= 0 {
		opts.MaxOrder = 3
	}
	if opts.MaxSets <= 0 {
		opts.MaxSets = 1000
	}
	return domains.Find(ctx, g, g.Services(), opts)
}

// DomainsHeader is the header row of DomainsCSV.
var DomainsHeader = []string{
	"target", "size", "nodes", "probability", "target_unavailability", "defeats_failover_of",
}

// DomainsCSV writes one row per failure domain of each target: the
// target, the domain's size (1 for a single point of failure), its nodes
// (joined by ";"), the probability that all of them are down (the product
// of their unavailabilities, empty when one is unknown), the target's own
// unavailability from upstream causes when known, and for a single point
// of failure the nodes whose failover groups it defeats (joined by ";").
// Targets come in res's order (worst first), domains in res's order
// (smallest first).
func DomainsCSV(w io.Writer, g *graph.Graph, res *domains.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(DomainsHeader); err != nil {
		return err
	}
	for _, t := range res.Targets {
		targetP := ""
		if t.Probability != nil {
			targetP = formatFloat(*t.Probability)
		}
		defeats := map[string][]string{}
		for _, d := range t.Defeated {
			if !slices.Contains(defeats[d.Cause], d.Owner) {
				defeats[d.Cause] = append(defeats[d.Cause], d.Owner)
			}
		}
		for _, set := range t.CutSets {
			def := ""
			if len(set) == 1 {
				owners := slices.Clone(defeats[set[0]])
				slices.Sort(owners)
				def = strings.Join(owners, ";")
			}
			row := []string{t.Target, strconv.Itoa(len(set)), strings.Join(set, ";"), setProbability(g, set), targetP, def}
			if err := cw.Write(cells(row)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// setProbability is the probability that every node of set is down by
// itself (independent basic events), "" when one has no unavailability.
func setProbability(g *graph.Graph, set []string) string {
	p := 1.0
	for _, id := range set {
		i, ok := g.Lookup(id)
		if !ok || g.ModelNode(i).Unavailability == nil {
			return ""
		}
		p *= *g.ModelNode(i).Unavailability
	}
	return formatFloat(p)
}

// cells defuses spreadsheet formulas: a cell starting with =, +, -, @, a
// tab or a carriage return gets a leading single quote (OWASP's advice
// against CSV injection), so a vendor name never runs as a formula.
func cells(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

// impactCell is an edge's impact column: the number, or "unknown" for
// `impact: unknown`.
func impactCell(d model.Dependency) string {
	if d.ImpactUnknown {
		return "unknown"
	}
	return formatFloat(d.Impact)
}
