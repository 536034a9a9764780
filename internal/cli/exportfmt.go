package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/export"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/report"
	"github.com/depgraph/depgraph/internal/workbook"
)

// exportFormatOptions are the options of `depgraph export --format X`
// (csv-edges, csv-domains, graphml, mermaid, cyclonedx).
type exportFormatOptions struct {
	IO     *iostreams.IOStreams
	Model  modelFlags
	Format string
	Output string
	// All writes every node, not only those your services reach.
	All bool
	// Focus and Depth cut a Mermaid diagram down to a neighbourhood.
	Focus []string
	Depth int
}

// exportFormatHelp documents the --format exports, for export's Long.
const exportFormatHelp = `--format writes the model for spreadsheets and other tools:

  csv-edges    one row per dependency edge: both ends with name, kind, layer
               and organisation, the impact, the failover group (members and
               min) it belongs to, part_of, and the file:line declaring it
  csv-domains  one row per failure domain of each service (minimal cut sets
               up to order 3, as depgraph domains): target, size, nodes, the
               probability all of them are down, the service's own
               unavailability, and the failover groups a single point of
               failure defeats
  graphml      GraphML for yEd and Gephi: nodes with kind, layer, name, org
               and owner; edges with impact and failover group
  mermaid      a Mermaid flowchart to paste into a postmortem: one subgraph
               per organisation, failover members dashed, impacts below 1
               as labels; kept under Mermaid's default limits (50,000
               characters, 500 edges) by drawing the nodes nearest your
               services, with a note of what was left out (and a warning);
               --focus NODE --depth N draws one neighbourhood
  xlsx         the risk report as a workbook (-o FILE.xlsx): one sheet per
               table (services, single points of failure, failure domains,
               concentration, at-risk vendors, stale facts, edges), typed
               cells, frozen headers; as depgraph report -o risk.xlsx
  cyclonedx    a CycloneDX 1.6 JSON BOM: every node a service (bom-ref = id),
               the graph under "dependencies", depgraph's semantics in
               depgraph:* properties; deterministic serial number
  dora         the DORA Register of Information's supply-chain templates as
               an xBRL-CSV report package folder (-o DIR, which must not
               exist): B_05.01 (providers: the vendors your services use,
               rank 1, and theirs, rank 2 and up) and B_05.02 (one row per
               contract and recipient -> subcontractor link), with the
               codes and contracts import dora kept in meta.dora

By default only your services and what they depend on are written (the
included catalogs' unused regions are left out); --all writes every node.
CSV cells that a spreadsheet would run as a formula get a leading quote.`

// runExportFormat writes the model in one of the export.Formats.
func runExportFormat(opts *exportFormatOptions) error {
	if opts.Format == formatXLSX {
		return runExportXLSX(opts)
	}
	f, err := export.ParseFormat(opts.Format)
	if err != nil {
		return &FlagError{Err: err}
	}
	_, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	if f == export.FormatDORA {
		if opts.Output == "" || opts.Output == "-" {
			return flagErrorf("--format dora writes a folder: give it with -o DIR")
		}
		reg := export.BuildDORA(g)
		for _, w := range reg.Warnings {
			warn(opts.IO.ErrOut, "%s", w)
		}
		if len(reg.Providers) == 0 {
			warn(opts.IO.ErrOut, "no provider: your services depend on no vendor")
		}
		if err := export.WriteDORADir(opts.Output, reg); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: wrote %s: %d providers (B_05.01), %d supply-chain rows (B_05.02)\n", opts.Output, len(reg.Providers), len(reg.Chain))
		return nil
	}
	xopts := export.Options{All: opts.All, Depth: opts.Depth}
	if len(opts.Focus) > 0 || opts.Depth != 0 {
		if f != export.FormatMermaid {
			return flagErrorf("--focus and --depth go with --format mermaid")
		}
		if len(opts.Focus) == 0 {
			return flagErrorf("--depth goes with --focus")
		}
		if xopts.Focus, err = blast.Resolve(g, opts.Focus); err != nil {
			return err
		}
	}
	if f == export.FormatMermaid {
		var st export.MermaidStats
		err := writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
			var err error
			st, err = export.WriteMermaid(w, g, xopts)
			return err
		})
		if err == nil && st.Cut() {
			warn(opts.IO.ErrOut, "the diagram was cut down to fit Mermaid's limits (%d characters, %d edges): %d of %d nodes and %d of %d edges drawn, the nodes nearest your services first; draw a part with --focus NODE --depth 2", export.MermaidMaxText, export.MermaidMaxEdges, st.Nodes, st.TotalNodes, st.Edges, st.TotalEdges)
		}
		return err
	}
	if f == export.FormatCSVDomains {
		res, err := export.ComputeDomains(context.Background(), g, domains.Options{})
		if err != nil {
			return analysisError(err, 0)
		}
		if len(res.Targets) == 0 {
			warn(opts.IO.ErrOut, "the model has no service (kind: service): no failure domains to write")
		}
		for _, t := range res.Targets {
			if t.Count.Big().Cmp(big.NewInt(int64(len(t.CutSets)))) > 0 {
				warn(opts.IO.ErrOut, "%s: %d of its %s failure domains written (the smallest first)", t.Target, len(t.CutSets), t.Count)
			}
		}
		return writeOutput(opts.IO, opts.Output, func(w io.Writer) error { return export.DomainsCSV(w, g, res) })
	}
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		if err := export.Write(context.Background(), w, f, g, xopts); err != nil {
			return fmt.Errorf("export %s: %w", f, err)
		}
		return nil
	})
}

// formatXLSX is the workbook export: the risk report's tables, not one of
// export.Formats (it needs the report, which the exporters do not).
const formatXLSX = "xlsx"

// runExportXLSX writes the risk report's workbook (report.Build with its
// defaults), the edges as --all selects them.
func runExportXLSX(opts *exportFormatOptions) error {
	if len(opts.Focus) > 0 || opts.Depth != 0 {
		return flagErrorf("--focus and --depth go with --format mermaid")
	}
	if (opts.Output == "" || opts.Output == "-") && opts.IO.IsStdoutTTY() {
		return flagErrorf("will not write a workbook to a terminal: use -o model.xlsx, or redirect the output")
	}
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	r, err := report.Build(context.Background(), res.Model, g, report.Options{Now: time.Now(), ModelHash: res.Model.Hash()})
	if errors.Is(err, report.ErrNoServices) {
		return &InputError{Err: err}
	}
	if err != nil {
		return analysisError(err, 0)
	}
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		return workbook.Write(w, r, workbook.Edges(g, export.Options{All: opts.All}))
	})
}
