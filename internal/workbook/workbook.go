package workbook

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/depgraph/depgraph/internal/export"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/report"
)

// Sheet names, in workbook order.
const (
	SheetSummary       = "Summary"
	SheetServices      = "Services"
	SheetSPOFs         = "Single points of failure"
	SheetDomains       = "Failure domains"
	SheetConcentration = "Concentration"
	SheetAtRisk        = "At-risk vendors"
	SheetStale         = "Stale facts"
	SheetEdges         = "Edges"
)

// Sheets lists the sheet names in order.
var Sheets = []string{SheetSummary, SheetServices, SheetSPOFs, SheetDomains, SheetConcentration, SheetAtRisk, SheetStale, SheetEdges}

// maxCell is the most characters a cell holds (Excel's limit).
const maxCell = 32767

// Edge is one row of the Edges sheet.
type Edge struct {
	Dependent, DependentKind, DependentOrg    string
	Dependency, DependencyKind, DependencyOrg string
	Impact                                    float64
	// Group lists the failover group's members ("" when the edge is not
	// a member of one); Min is the group's min (0 then).
	Group  string
	Min    int
	PartOf bool
	// Source is the file:line declaring the edge.
	Source string
}

// Edges returns the model's edges as export.Edges selects them (your
// services and what they depend on, or every node with opts.All).
func Edges(g *graph.Graph, opts export.Options) []Edge {
	var out []Edge
	for _, e := range export.Edges(g, export.Selected(g, opts)) {
		from, to := g.ModelNode(e.From), g.ModelNode(e.To)
		row := Edge{
			Dependent: from.ID, DependentKind: string(from.Kind), DependentOrg: model.Org(from.ID),
			Dependency: to.ID, DependencyKind: string(to.Kind), DependencyOrg: model.Org(to.ID),
			Impact: e.Dep.Impact, PartOf: e.Dep.PartOf,
		}
		if e.Dep.IsGroup() {
			row.Group, row.Min = strings.Join(e.Dep.AnyOf, "; "), e.Dep.Min
		}
		if p := e.Pos(); p.File != "" {
			row.Source = fmt.Sprintf("%s:%d", p.File, p.Line)
		}
		out = append(out, row)
	}
	return out
}

// column is one column of a sheet: its header, width and number format.
type column struct {
	header string
	width  float64
	format string // "", "percent", "prob", "date", "int"
}

type book struct {
	f      *excelize.File
	header int
	styles map[string]int
}

// Write writes r (and the edges) as an XLSX workbook to w.
func Write(w io.Writer, r *report.Report, edges []Edge) error {
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, styles: map[string]int{}}
	var err error
	if b.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}}}); err != nil {
		return err
	}
	for name, fmtCode := range map[string]string{"percent": "0.0%", "prob": "0.000000", "date": "yyyy-mm-dd", "int": "#,##0", "datetime": "yyyy-mm-dd hh:mm"} {
		code := fmtCode
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return err
		}
		b.styles[name] = id
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, s := range Sheets[1:] {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	for _, fill := range []func(*report.Report, []Edge) error{b.summary, b.services, b.spofs, b.domains, b.concentration, b.atRisk, b.stale, b.edges} {
		if err := fill(r, edges); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:   "depgraph risk report",
		Creator: "depgraph",
		Created: r.Generated.At.UTC().Format(time.RFC3339), Modified: r.Generated.At.UTC().Format(time.RFC3339),
		Description: "model " + r.Generated.ModelHash,
	}); err != nil {
		return err
	}
	return f.Write(w)
}

// table writes a header row and rows of typed values (string, int,
// float64, bool, time.Time, nil for an empty cell), freezes the header and
// puts a filter on it.
func (b *book) table(sheet string, cols []column, rows [][]any) error {
	f := b.f
	hdr := make([]any, len(cols))
	for i, c := range cols {
		hdr[i] = c.header
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, c.width); err != nil {
			return err
		}
		if c.format != "" && len(rows) > 0 {
			from, _ := excelize.CoordinatesToCellName(i+1, 2)
			to, _ := excelize.CoordinatesToCellName(i+1, len(rows)+1)
			if err := f.SetCellStyle(sheet, from, to, b.styles[c.format]); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetRow(sheet, "A1", &hdr); err != nil {
		return err
	}
	if err := f.SetRowStyle(sheet, 1, 1, b.header); err != nil {
		return err
	}
	for i, row := range rows {
		for k, v := range row {
			if s, ok := v.(string); ok && len(s) > maxCell {
				row[k] = s[:maxCell-20] + " … (cut: too long)"
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), max(len(rows), 1)+1)
	return f.AutoFilter(sheet, "A1:"+last, nil)
}

// opt is a nullable number: nil for an unknown value (an empty cell).
func opt(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func join(s []string) string { return strings.Join(s, "; ") }

func (b *book) summary(r *report.Report, edges []Edge) error {
	g, s := r.Generated, r.Summary
	rows := [][]any{
		{"generated", g.At.UTC()},
		{"model hash", g.ModelHash},
		{"model files", join(g.Files)},
		{"nodes", g.Nodes},
		{"edges", g.Edges},
		{"largest failure domain analysed", g.MaxOrder},
		{"a source is stale after (days)", g.StaleDays},
		{"your services", s.Services},
		{"services at risk (an outside node takes them down alone)", len(s.AtRisk)},
		{"single points of failure", s.SPOFCount},
		{"failover groups defeated", s.DefeatedFailover},
		{"stale facts", s.StaleFacts},
	}
	if err := b.table(SheetSummary, []column{{"item", 55, ""}, {"value", 40, ""}}, rows); err != nil {
		return err
	}
	return b.f.SetCellStyle(SheetSummary, "B2", "B2", b.styles["datetime"])
}

func (b *book) services(r *report.Report, _ []Edge) error {
	cols := []column{
		{"service", 28, ""}, {"name", 28, ""}, {"owner", 18, ""}, {"tags", 18, ""},
		{"at_risk", 9, ""}, {"spofs", 8, "int"}, {"external_spofs", 14, "int"},
		{"defeated_failover_groups", 22, "int"}, {"failure_domains", 15, "int"}, {"truncated", 10, ""},
		{"unavailability", 14, "prob"}, {"downtime_hours_per_year", 22, ""}, {"missing_probabilities", 20, "int"},
	}
	var rows [][]any
	for _, s := range r.Services {
		var domains any = s.DomainCount.String()
		if s.DomainCount.IsExact() {
			domains = float64(s.DomainCount.Big().Int64())
		}
		rows = append(rows, []any{s.ID, s.Name, s.Owner, join(s.Tags), s.AtRisk, s.SPOFCount, s.ExternalSPOFs,
			s.DefeatedCount, domains, s.Truncated, opt(s.Probability), opt(s.DowntimeHoursPerYear), s.Missing})
	}
	return b.table(SheetServices, cols, rows)
}

func (b *book) spofs(r *report.Report, _ []Edge) error {
	cols := []column{{"service", 28, ""}, {"node", 32, ""}, {"kind", 12, ""}, {"layer", 12, ""}, {"external", 9, ""}, {"via", 70, ""}}
	var rows [][]any
	for _, s := range r.Services {
		for _, p := range s.SPOFs {
			rows = append(rows, []any{s.ID, p.Node, p.Kind, p.Layer, p.External, strings.Join(p.Via, " → ")})
		}
	}
	return b.table(SheetSPOFs, cols, rows)
}

func (b *book) domains(r *report.Report, _ []Edge) error {
	cols := []column{{"service", 28, ""}, {"size", 6, "int"}, {"nodes", 80, ""}}
	var rows [][]any
	for _, s := range r.Services {
		for _, p := range s.SPOFs {
			rows = append(rows, []any{s.ID, 1, p.Node})
		}
		for _, d := range s.Domains {
			rows = append(rows, []any{s.ID, len(d), join(d)})
		}
	}
	return b.table(SheetDomains, cols, rows)
}

func (b *book) concentration(r *report.Report, _ []Edge) error {
	cols := []column{{"node", 32, ""}, {"name", 28, ""}, {"kind", 12, ""}, {"layer", 12, ""},
		{"takes_down", 11, "int"}, {"share_of_services", 16, "percent"}, {"services_taken_down", 60, ""}, {"services_degraded", 40, ""}}
	var rows [][]any
	for _, c := range r.Concentration.Nodes {
		rows = append(rows, []any{c.Node, c.Name, c.Kind, c.Layer, len(c.TakesDown), c.Share, join(c.TakesDown), join(c.Degrades)})
	}
	return b.table(SheetConcentration, cols, rows)
}

// atRisk groups the outside single points of failure by vendor
// (organisation): which of your services each vendor can take down alone,
// and through which of its nodes.
func (b *book) atRisk(r *report.Report, _ []Edge) error {
	type vendor struct {
		nodes, services []string
	}
	byOrg := map[string]*vendor{}
	for _, s := range r.Services {
		for _, p := range s.SPOFs {
			if !p.External {
				continue
			}
			org := model.Org(p.Node)
			v := byOrg[org]
			if v == nil {
				v = &vendor{}
				byOrg[org] = v
			}
			if !slices.Contains(v.nodes, p.Node) {
				v.nodes = append(v.nodes, p.Node)
			}
			if !slices.Contains(v.services, s.ID) {
				v.services = append(v.services, s.ID)
			}
		}
	}
	orgs := make([]string, 0, len(byOrg))
	for o := range byOrg {
		orgs = append(orgs, o)
	}
	slices.SortFunc(orgs, func(a, c string) int {
		if d := len(byOrg[c].services) - len(byOrg[a].services); d != 0 {
			return d
		}
		return strings.Compare(a, c)
	})
	cols := []column{{"vendor", 24, ""}, {"services_at_risk", 16, "int"}, {"services", 60, ""}, {"nodes", 60, ""}}
	var rows [][]any
	for _, o := range orgs {
		v := byOrg[o]
		slices.Sort(v.nodes)
		slices.Sort(v.services)
		rows = append(rows, []any{o, len(v.services), join(v.services), join(v.nodes)})
	}
	return b.table(SheetAtRisk, cols, rows)
}

func (b *book) stale(r *report.Report, _ []Edge) error {
	cols := []column{{"node", 32, ""}, {"as_of", 12, "date"}, {"age_days", 10, "int"}, {"url", 60, ""}, {"note", 40, ""}, {"source", 30, ""}}
	var rows [][]any
	for _, s := range r.Stale.Facts {
		var asOf any = s.AsOf
		if t, err := time.Parse(time.DateOnly, s.AsOf); err == nil {
			asOf = t
		} else if s.AsOf == "" {
			asOf = nil
		}
		rows = append(rows, []any{s.Node, asOf, s.AgeDays, s.URL, s.Note, s.Pos})
	}
	return b.table(SheetStale, cols, rows)
}

func (b *book) edges(_ *report.Report, edges []Edge) error {
	cols := []column{{"dependent", 30, ""}, {"dependent_kind", 14, ""}, {"dependent_org", 14, ""},
		{"dependency", 30, ""}, {"dependency_kind", 15, ""}, {"dependency_org", 15, ""},
		{"impact", 8, "percent"}, {"failover_group", 40, ""}, {"failover_min", 12, ""}, {"part_of", 8, ""}, {"source", 30, ""}}
	rows := make([][]any, 0, len(edges))
	for _, e := range edges {
		var min any
		if e.Min > 0 {
			min = e.Min
		}
		var group any
		if e.Group != "" {
			group = e.Group
		}
		rows = append(rows, []any{e.Dependent, e.DependentKind, e.DependentOrg, e.Dependency, e.DependencyKind, e.DependencyOrg, e.Impact, group, min, e.PartOf, e.Source})
	}
	return b.table(SheetEdges, cols, rows)
}
