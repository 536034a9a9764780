package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/internal/catalog"
	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/render"
)

type catalogOptions struct {
	IO          *iostreams.IOStreams
	CatalogDirs []string
	JSON        bool
	Name        string
	Now         time.Time
	Warnings    bool
}

func newCatalogCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &catalogOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "catalog <command>",
		Short: "List, show and lint the bundled and private catalogs",
		Long: `Catalogs are reusable, sourced model entries for real clouds and vendors,
included from a model by name (include: [aws, openai]). The bundled ones are
built into depgraph; --catalog DIR adds a folder of your own (NAME.yaml files
in the same format, see catalogs/README.md), searched first.`,
		Example: `  $ depgraph catalog list
  $ depgraph catalog show openai
  $ depgraph catalog lint --catalog ./private-catalogs`,
	}
	cmd.PersistentFlags().StringArrayVar(&opts.CatalogDirs, "catalog", nil, "extra catalog `dir`ectory (repeatable)")
	cmd.PersistentFlags().BoolVar(&opts.JSON, "json", false, "print JSON")
	run := func(f func(*catalogOptions) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Name = args[0]
			}
			opts.Now = time.Now()
			return f(opts)
		}
	}
	lint := &cobra.Command{
		Use:   "lint",
		Short: "Check that every catalog entry is sourced, dated and has a valid feed config",
		Long: `Lint loads every catalog together (so ids must not clash and every reference
must resolve) and checks each node against the rules of catalogs/README.md:
a source with a url and a date (as_of, published or read), not in the future
and not after the date the source states, or marked verified: false; no
as_of shared as a placeholder by sources of five or more hosts; a source of
its own for every share strictly between 0 and 1; a status block for every
vendor with a known status page, with a known feed type and an address; no
alias claimed by two nodes. Sources older than a year and unverified ones
are warnings. Exit code 2 when any error is found.`,
		Example: "  $ depgraph catalog lint\n  $ depgraph catalog lint --catalog ./private-catalogs --json",
		Args:    noArgs,
		RunE:    run(runCatalogLint),
	}
	lint.Flags().BoolVar(&opts.Warnings, "warnings", false, "list the warnings too")
	cmd.AddCommand(
		lint,
		&cobra.Command{
			Use:     "list",
			Short:   "List the catalogs with their kinds, feed types and source dates",
			Example: "  $ depgraph catalog list\n  $ depgraph catalog list --json",
			Args:    noArgs,
			RunE:    run(runCatalogList),
		},
		&cobra.Command{
			Use:     "show NAME",
			Short:   "Show a catalog's nodes, their dependencies and their sources",
			Example: "  $ depgraph catalog show openai",
			Args:    exactArgs(1, "a catalog name, e.g. openai"),
			RunE:    run(runCatalogShow),
		},
	)
	return cmd
}

func (o *catalogOptions) entries() ([]catalog.Entry, error) {
	var all []catalog.Entry
	seen := map[string]bool{}
	for _, dir := range o.CatalogDirs {
		es, err := catalog.List(os.DirFS(dir))
		if err != nil {
			return nil, &InputError{Err: fmt.Errorf("%s: %w", dir, err)}
		}
		for _, e := range es {
			e.File = dir + "/" + e.File
			seen[e.Name] = true
			all = append(all, e)
		}
	}
	es, err := catalog.List(catalogs.FS)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if !seen[e.Name] {
			e.File = "catalogs/" + e.File
			all = append(all, e)
		}
	}
	slices.SortFunc(all, func(a, b catalog.Entry) int { return strings.Compare(a.Name, b.Name) })
	return all, nil
}

func (o *catalogOptions) load(names []string) (*ingest.Result, error) {
	return ingest.Load(ingest.Options{Includes: names, CatalogDirs: o.CatalogDirs, Catalogs: catalogs.FS})
}

func runCatalogList(o *catalogOptions) error {
	es, err := o.entries()
	if err != nil {
		return err
	}
	if o.JSON {
		for i := range es { // lists as [], never null
			es[i].Includes = nonNil(es[i].Includes)
			es[i].Kinds = nonNil(es[i].Kinds)
			es[i].FeedTypes = nonNil(es[i].FeedTypes)
		}
		return render.JSON(o.IO.Out, map[string]any{"schema_version": 1, "catalogs": es})
	}
	tw := tabwriter.NewWriter(o.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tNODES\tKINDS\tFEEDS\tSOURCES AS OF\tDESCRIPTION")
	for _, e := range es {
		asOf := e.OldestAsOf
		if e.NewestAsOf != e.OldestAsOf {
			asOf += ".." + e.NewestAsOf
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", e.Name, e.Nodes, strings.Join(e.Kinds, ","), orDash(strings.Join(e.FeedTypes, ",")), orDash(asOf), e.Description)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// shownNode is a catalog node as `catalog show --json` prints it.
type shownNode struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	Name       string         `json:"name"`
	Confidence string         `json:"confidence,omitempty"`
	DependsOn  []string       `json:"depends_on"`
	Status     *model.Status  `json:"status,omitempty"`
	Sources    []model.Source `json:"sources"`
	Pos        string         `json:"pos"`
}

func runCatalogShow(o *catalogOptions) error {
	res, err := o.load([]string{o.Name})
	if err != nil {
		return err
	}
	origin := "catalog:" + o.Name
	var nodes []shownNode
	for _, n := range res.Model.Nodes {
		if n.Origin != origin {
			continue
		}
		sn := shownNode{ID: n.ID, Kind: string(n.Kind), Name: n.Name, Confidence: n.Confidence, Status: n.Status, Sources: n.Sources, Pos: n.Pos.String(), DependsOn: []string{}}
		for _, d := range n.DependsOn {
			desc := describeDep(d)
			for _, s := range d.Sources {
				desc += fmt.Sprintf(" [source %s, %s]", s.URL, sourceDate(s))
			}
			sn.DependsOn = append(sn.DependsOn, desc)
		}
		nodes = append(nodes, sn)
	}
	if o.JSON {
		return render.JSON(o.IO.Out, map[string]any{"schema_version": 1, "catalog": o.Name, "nodes": nodes})
	}
	ew := o.IO.Out
	fmt.Fprintf(ew, "catalog %s: %s\n", o.Name, english.Count(len(nodes), "node", "nodes"))
	for _, n := range nodes {
		fmt.Fprintf(ew, "\n%s (%s)", n.ID, n.Kind)
		if n.Name != n.ID {
			fmt.Fprintf(ew, " %q", n.Name)
		}
		if n.Confidence != "" {
			fmt.Fprintf(ew, ", confidence %s", n.Confidence)
		}
		fmt.Fprintln(ew)
		if len(n.DependsOn) > 0 {
			fmt.Fprintf(ew, "  depends on: %s\n", strings.Join(n.DependsOn, ", "))
		}
		if n.Status != nil {
			fmt.Fprintf(ew, "  status: %s %s\n", n.Status.Type, n.Status.URL)
		}
		for _, s := range n.Sources {
			fmt.Fprintf(ew, "  source: %s (%s)", s.URL, sourceDate(s))
			if s.Note != "" {
				fmt.Fprintf(ew, ": %s", s.Note)
			}
			fmt.Fprintln(ew)
		}
	}
	return nil
}

// sourceDate says how old a source's facts are: "as of D" (with the
// date it states, or the day it was read, when they differ),
// "unverified", or "undated".
func sourceDate(s model.Source) string {
	switch {
	case s.Unverified:
		return "unverified"
	case s.AsOf == "":
		return "undated"
	case s.Read != "" && s.Read != s.AsOf:
		return fmt.Sprintf("as of %s, read %s", s.AsOf, s.Read)
	}
	return "as of " + s.AsOf
}

// describeDep writes a dependency the way the model spells it.
func describeDep(d model.Dependency) string {
	switch {
	case d.PartOf:
		return d.ID + " (part of)"
	case d.IsGroup() && d.ImpactUnknown:
		return fmt.Sprintf("any %d of [%s] (impact unknown)", d.Min, strings.Join(d.AnyOf, ", "))
	case d.IsGroup():
		return fmt.Sprintf("any %d of [%s]", d.Min, strings.Join(d.AnyOf, ", "))
	case d.ImpactUnknown:
		return d.ID + " (impact unknown)"
	case d.Impact < 1:
		return fmt.Sprintf("%s (impact %g)", d.ID, d.Impact)
	}
	return d.ID
}

func runCatalogLint(o *catalogOptions) error {
	es, err := o.entries()
	if err != nil {
		return err
	}
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	res, err := o.load(names)
	if err != nil {
		return err
	}
	findings := catalog.Lint(res.Model, o.Now)
	nErr := catalog.Errors(findings)
	if o.JSON {
		type finding struct {
			Pos      string `json:"pos"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		out := []finding{}
		for _, f := range findings {
			out = append(out, finding{Pos: f.Pos.String(), Severity: string(f.Severity), Message: f.Message})
		}
		if err := render.JSON(o.IO.Out, map[string]any{"schema_version": 1, "catalogs": len(es), "nodes": len(res.Model.Nodes), "errors": nErr, "warnings": len(findings) - nErr, "findings": out}); err != nil {
			return err
		}
	} else {
		for _, f := range findings {
			if f.Severity == catalog.SeverityError || o.Warnings {
				fmt.Fprintf(o.IO.ErrOut, "depgraph: %s: %s: %s\n", f.Severity, f.Pos, f.Message)
			}
		}
		fmt.Fprintf(o.IO.Out, "%s, %s: %s, %s\n", english.Count(len(es), "catalog", "catalogs"), english.Count(len(res.Model.Nodes), "node", "nodes"),
			english.Count(nErr, "error", "errors"), english.Count(len(findings)-nErr, "warning", "warnings"))
		if !o.Warnings && len(findings) > nErr {
			fmt.Fprintf(o.IO.ErrOut, "depgraph: hint: --warnings lists the warnings (sources older than a year, nodes without a confidence)\n")
		}
	}
	if nErr > 0 {
		return &InputError{Err: fmt.Errorf("catalog lint found %d errors", nErr)}
	}
	return nil
}

// nonNil returns s, or an empty slice for nil, so JSON prints [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
