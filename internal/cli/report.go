package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/export"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/report"
	"github.com/depgraph/depgraph/internal/store"
	"github.com/depgraph/depgraph/internal/workbook"
)

// The report formats.
const (
	reportHTML     = "html"
	reportMarkdown = "markdown"
	reportJSON     = "json"
	reportXLSX     = "xlsx"
)

type reportOptions struct {
	IO    *iostreams.IOStreams
	Model modelFlags
	// Output is the file written, "" or "-" for standard output.
	Output string
	// Format is html, markdown, json or xlsx.
	Format string
	// DB is the incident store; "" means the default one, used only when
	// it exists.
	DB string
	// StaleDays, HistoryDays, MaxOrder and PictureNodes tune the report.
	StaleDays    int
	HistoryDays  int
	MaxOrder     int
	PictureNodes int
	Timeout      time.Duration
	// Now is the clock (tests fix it).
	Now func() time.Time
}

const reportLong = `Report writes the pre-incident risk report, for a risk lead to read and
forward. In this order: a one-minute summary (the services an outside node
can take down alone, the worst shared failure domains, the single points of
failure, expected downtime where the model has probabilities); one section
per service (its single points of failure, the failure domains that defeat
its failover groups, with the chains that show why, its expected downtime
and the nodes contributing most to it); concentration (the providers,
regions and vendors most of your services sit on, with how many each takes
down or degrades); stale facts (sources older than --stale-days, with where
they are declared); a picture of the relevant part of the graph, single
points of failure and shared failure domains marked, at most
--picture-nodes nodes (it says what it left out); an incident timeline when
the incident store has history; and when and from which model (a SHA-256 of
the loaded files) it was generated.

Semantics are those of depgraph domains (minimal cut sets of the fault tree
the model implies, up to --max-order nodes; a hard dependency is an OR, a
failover group fails when too many members fail) and domains --by-node.
A node is "outside" when it belongs to another organisation than the
services that reach it.

Formats: html (one self-contained file: inline CSS and SVG, no network
fetch, prints well), markdown (renders on code-hosting sites) and json (the
canonical, versioned form, carrying everything the other two show) and
xlsx (a workbook for risk and procurement teams: one sheet per table —
summary, services, single points of failure, failure domains, concentration,
at-risk vendors, stale facts, edges — with typed cells and frozen headers).
The format comes from --format, else from the -o extension (.html, .md,
.json, .xlsx); without either, Markdown. HTML and XLSX are never written to
a terminal.

The incident timeline reads --db, or the default store when it exists
(depgraph ingest fills it), over the last --history-days days.`

func newReportCmd(ios *iostreams.IOStreams) *cobra.Command {
	return newReportCmdRun(ios, nil)
}

func newReportCmdRun(ios *iostreams.IOStreams, runF func(context.Context, *reportOptions) error) *cobra.Command {
	opts := &reportOptions{IO: ios, Now: time.Now}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the risk report (HTML, Markdown or JSON) for people to read and forward",
		Long:  reportLong,
		Example: `  $ depgraph report -m acme.yaml -o risk.html
  $ depgraph report -m acme.yaml -o risk.md
  $ depgraph report -m acme.yaml -o risk.xlsx
  $ depgraph report --format json --stale-days 180 > risk.json
  $ depgraph report --db state/depgraph.db -o risk.html`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := reportFormat(opts.Format, opts.Output)
			if err != nil {
				return err
			}
			opts.Format = f
			if opts.StaleDays < 1 {
				return flagErrorf("--stale-days %d: use a number of days from 1", opts.StaleDays)
			}
			if opts.HistoryDays < 1 {
				return flagErrorf("--history-days %d: use a number of days from 1", opts.HistoryDays)
			}
			if opts.MaxOrder < 1 || opts.MaxOrder > 8 {
				return flagErrorf("--max-order %d: use 1 to 8", opts.MaxOrder)
			}
			if opts.PictureNodes < 1 || opts.PictureNodes > 600 {
				return flagErrorf("--picture-nodes %d: use 1 to 600", opts.PictureNodes)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runReport(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "", "write to `file` (.html, .md, .json or .xlsx) instead of standard output")
	fl.StringVar(&opts.Format, "format", "", "output `format`: html, markdown, json or xlsx (default: from -o, else markdown)")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{reportHTML, reportMarkdown, reportJSON, reportXLSX}, cobra.ShellCompDirectiveNoFileComp
	})
	dbFlag(cmd, &opts.DB)
	fl.IntVar(&opts.StaleDays, "stale-days", 365, "a source older than this many `days` is stale")
	fl.IntVar(&opts.HistoryDays, "history-days", 180, "the incident timeline covers this many `days`")
	fl.IntVar(&opts.MaxOrder, "max-order", 2, "largest failure domain size analysed")
	fl.IntVar(&opts.PictureNodes, "picture-nodes", 150, "most nodes the picture draws")
	fl.DurationVar(&opts.Timeout, "timeout", 0, "give up after this long (0: no limit)")
	return cmd
}

// reportFormat picks the format from --format, else from the output
// file's extension, else Markdown.
func reportFormat(format, output string) (string, error) {
	switch format {
	case reportHTML, reportMarkdown, reportJSON, reportXLSX:
		return format, nil
	case "md":
		return reportMarkdown, nil
	case "":
	default:
		return "", flagErrorf("unknown format %q: use html, markdown, json or xlsx", format)
	}
	if output == "" || output == "-" {
		return reportMarkdown, nil
	}
	switch strings.ToLower(path.Ext(output)) {
	case ".html", ".htm":
		return reportHTML, nil
	case ".md", ".markdown":
		return reportMarkdown, nil
	case ".json":
		return reportJSON, nil
	case ".xlsx":
		return reportXLSX, nil
	}
	return "", flagErrorf("cannot tell the format of %q from its extension: use .html, .md, .json or .xlsx, or --format", output)
}

func runReport(ctx context.Context, opts *reportOptions) error {
	toStdout := opts.Output == "" || opts.Output == "-"
	if opts.Format == reportHTML && toStdout && opts.IO.IsStdoutTTY() {
		return flagErrorf("will not write HTML to a terminal: use -o report.html, or redirect the output")
	}
	if opts.Format == reportXLSX && toStdout && opts.IO.IsStdoutTTY() {
		return flagErrorf("will not write a workbook to a terminal: use -o risk.xlsx, or redirect the output")
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	now := opts.Now().UTC()
	ro := report.Options{Now: now, ModelHash: res.Model.Hash(), StaleDays: opts.StaleDays, MaxOrder: opts.MaxOrder, PictureNodes: opts.PictureNodes}
	st, note, err := openHistory(opts.DB)
	if err != nil {
		return err
	}
	if note != "" {
		ro.TimelineNote = note
		where := ""
		if p, err := storePath(opts.DB); err == nil {
			where = " (store: " + p + ")"
		}
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: warning: the report has no incident timeline: %s%s\n", note, where)
	}
	if st != nil {
		defer st.Close()
		ro.TimelineTo = now
		ro.TimelineFrom = now.AddDate(0, 0, -opts.HistoryDays)
		if ro.Incidents, err = report.Incidents(ctx, st, res.Model, g, ro.TimelineFrom, ro.TimelineTo); err != nil {
			return err
		}
	}
	prog := opts.IO.Progress()
	ro.Progress = func(done, total int) { prog.Count("analysed services", done, total) }
	r, err := report.Build(ctx, res.Model, g, ro)
	prog.Done()
	if errors.Is(err, report.ErrNoServices) {
		return &InputError{Err: err}
	}
	if err != nil {
		return analysisError(err, opts.Timeout)
	}
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		switch opts.Format {
		case reportHTML:
			return report.WriteHTML(w, r, report.HTMLOptions{})
		case reportJSON:
			return report.WriteJSON(w, r)
		case reportXLSX:
			return workbook.Write(w, r, workbook.Edges(g, export.Options{}))
		}
		return report.WriteMarkdown(w, r)
	})
}

// openHistory opens the incident store named by --db, or the default one,
// for reading. An explicit --db that does not exist is an input error.
// Without a readable store it returns nil and a note saying why: the
// report then has no timeline and says so.
func openHistory(db string) (*store.Store, string, error) {
	path, err := storePath(db)
	if err != nil {
		return nil, fmt.Sprintf("no incident store (%v)", err), nil
	}
	st, err := store.OpenReadOnly(path)
	switch {
	case err == nil:
		return st, "", nil
	case errors.Is(err, store.ErrNoStore) && db != "":
		return nil, "", &InputError{Err: fmt.Errorf("--db: %w", err)}
	case errors.Is(err, store.ErrNoStore):
		// The report is shared: it names no local path; stderr does.
		return nil, "no incident store (run `depgraph ingest` to collect history)", nil
	}
	return nil, fmt.Sprintf("the incident store could not be read (%v)", err), nil
}
