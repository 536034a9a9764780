package cli

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/importer"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/render"
)

type importOptions struct {
	IO           *iostreams.IOStreams
	Format       string
	Files        []string
	Output       string
	Org          string
	Placeholders bool
	// Vendor, Source, AsOf and JSON are for subprocessors.
	Vendor string
	Source string
	AsOf   string
	JSON   bool
	// CatalogDirs are extra catalogs entities are mapped onto.
	CatalogDirs []string
}

const importLong = `Import turns another catalog of services into depgraph model nodes, written
as a model YAML file that loads as it is (-o FILE, or standard output). A
comment at the top names the files it came from.

backstage reads Backstage catalog files (catalog-info.yaml: YAML documents,
one entity each). A Component of type service or website becomes one of your
services (kind service), other Components and APIs become components, a
Resource a cloud-service (a vendor when its type is vendor, saas,
third-party, external or external-service). Systems become no node: their
members carry meta.system. spec.dependsOn and spec.consumesApis become
dependencies; an API depends on the Components that provide it; dependencyOf
is read in reverse. Ids are ORG/NAME with --org (default: the entity's
namespace).

cyclonedx reads CycloneDX JSON BOMs (a SaaSBOM: services, nested services and
the "dependencies" graph). Services become components in the organisation
of their provider ("Acme Inc" → acme-inc), or of the service they are nested
in unless they lie across a trust boundary (then a vendor of their own); metadata.component (the application described) becomes your service;
components linked with a service in the graph are kept, the rest of the
software BOM is not. A BOM written by depgraph export --format cyclonedx is
read back with its ids, kinds, impacts and failover groups.

subprocessors reads one vendor's published sub-processor list (one FILE: CSV,
TSV, a Markdown table, or a saved HTML page with <table>s) given with
--vendor ID. Columns are found by their headers (entity, name, sub-processor,
supplier, vendor, company; purpose, function, service, processing;
location, country, region). Each entity is mapped to a catalog node by its
name, id or aliases, legal forms ("Inc.", "GmbH") and parenthesised
abbreviations ("Amazon Web Services (AWS)") aside; the catalogs it maps
into are included. The model written makes the vendor depend on every
sub-processor with an unknown share (impact: unknown): a list says who
processes data, not how much of the service fails with them. Unmapped
entities become new vendors of confidence low; the list (--source,
--as-of) is the source of every edge; purposes and locations are kept in
the vendor's meta.subprocessors. A vendor that a catalog defines is
extended (an overlay) rather than defined again. --json prints
{"schema_version": 1, "vendor", "rows": [{"name", "mapped_to" (id or null),
"purpose", "locations"}]}.

dora reads a DORA Register of Information report package (one DIR: the
xBRL-CSV package root with META-INF/ and reports/, or a folder of the
template CSVs b_02.01.csv … b_06.01.csv with column codes c0010… as
headers). Functions (B_06.01) become your services (ORG/NAME, --org,
default register), ICT third-party service providers (B_05.01) vendors,
mapped onto catalog nodes by name like subprocessors; the contractual
arrangements (B_02.02) make functions depend on their direct providers, and
the ICT service supply chains (B_05.02) make each recipient depend on its
subcontractor (rank 2 and up), so a subcontractor is a fourth party in
blast. Every edge is of unknown share; register codes and contracts are
kept in meta.dora, which export --format dora writes back.

Backstage and CycloneDX dependencies are hard ones (impact 1) unless the input said more: add
impacts and failover groups (any_of) by hand, include the vendors' catalogs,
and check the result with depgraph validate. A ref to an entity no input
defines is an error (all are listed at once); --placeholders adds it as a
node of kind unknown instead.

Exit codes: 0 ok, 1 failure, 2 bad usage or invalid input.`

func newImportCmd(ios *iostreams.IOStreams) *cobra.Command {
	return newImportCmdWith(ios, nil)
}

// newImportCmdWith builds the command with runF in place of runImport
// (tests).
func newImportCmdWith(ios *iostreams.IOStreams, runF func(*importOptions) error) *cobra.Command {
	opts := &importOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "import <backstage|cyclonedx|subprocessors|dora> FILE...",
		Short: "Turn a Backstage catalog, a CycloneDX SaaSBOM, a sub-processor list or a DORA register into model nodes",
		Long:  importLong,
		Example: `  $ depgraph import backstage catalog-info.yaml --org acme -o services.yaml
  $ depgraph import backstage catalog/*.yaml --placeholders > services.yaml
  $ depgraph import cyclonedx saasbom.json -o saas.yaml
  $ depgraph import subprocessors zed-subprocessors.md --vendor zed --source https://zed.dev/subprocessors --as-of 2024-08-19 -o zed.yaml
  $ depgraph import dora register/ --org acme -o register.yaml
  $ depgraph validate -m services.yaml`,
		Args: minArgs(2, "a format (backstage, cyclonedx, subprocessors or dora) and at least one FILE"),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []cobra.Completion{"backstage", "cyclonedx", "subprocessors", "dora"}, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveDefault
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format, opts.Files = args[0], args[1:]
			switch opts.Format {
			case "backstage", "cyclonedx":
				if opts.Vendor != "" || opts.Source != "" || opts.AsOf != "" || opts.JSON {
					return flagErrorf("--vendor, --source, --as-of and --json go with import subprocessors")
				}
			case "dora":
				if opts.Vendor != "" || opts.Source != "" || opts.AsOf != "" || opts.JSON || opts.Placeholders {
					return flagErrorf("--vendor, --source, --as-of, --json and --placeholders do not go with import dora")
				}
				if len(opts.Files) != 1 {
					return flagErrorf("import dora reads one register (DIR); got %d", len(opts.Files))
				}
			case "subprocessors":
				if opts.Vendor == "" {
					return flagErrorf("import subprocessors needs --vendor ID: the vendor whose list it is")
				}
				if len(opts.Files) != 1 {
					return flagErrorf("import subprocessors reads one list (FILE); got %d", len(opts.Files))
				}
				if opts.AsOf != "" {
					if _, err := time.Parse(time.DateOnly, opts.AsOf); err != nil {
						return flagErrorf("--as-of %q: write the date as YYYY-MM-DD", opts.AsOf)
					}
				}
				if opts.Source != "" {
					if u, err := url.Parse(opts.Source); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
						return flagErrorf("--source %q: give the list's http(s) address", opts.Source)
					}
				}
			default:
				return flagErrorf("unknown import format %q: use backstage, cyclonedx, subprocessors or dora", opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return runImport(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "write the model to `file` (default: standard output)")
	f.StringVar(&opts.Org, "org", "", "`organisation` (first id segment) of your own entities")
	f.BoolVar(&opts.Placeholders, "placeholders", false, "add undefined refs as nodes of kind unknown instead of failing")
	f.StringVar(&opts.Vendor, "vendor", "", "subprocessors: the `id` of the vendor whose list it is")
	f.StringVar(&opts.Source, "source", "", "subprocessors: the list's `url`")
	f.StringVar(&opts.AsOf, "as-of", "", "subprocessors: the `date` the list states, YYYY-MM-DD")
	f.BoolVar(&opts.JSON, "json", false, "subprocessors: print the rows and their mapping as JSON")
	f.StringArrayVar(&opts.CatalogDirs, "catalog", nil, "extra catalog `dir`ectory to map third parties onto (repeatable)")
	return cmd
}

func runImport(opts *importOptions) error {
	if opts.Format == "dora" {
		return runImportDORA(opts)
	}
	inputs, err := importer.ReadFiles(opts.Files)
	if err != nil {
		return &InputError{Err: err}
	}
	known, err := knownNodes(opts.CatalogDirs)
	if err != nil {
		return err
	}
	if opts.Format == "subprocessors" {
		return runImportSubprocessors(opts, inputs[0], known)
	}
	run := importer.Backstage
	if opts.Format == "cyclonedx" {
		run = importer.CycloneDX
	}
	res, err := run(inputs, importer.Options{Org: opts.Org, Placeholders: opts.Placeholders, Known: known})
	if err != nil {
		return err // an ingest.ErrorList: exit 2, one line per problem
	}
	for _, w := range res.Warnings {
		warn(opts.IO.ErrOut, "%s", w.Error())
	}
	if len(res.Nodes) == 0 {
		return &InputError{Err: errors.New(importEmptyMessage(opts.Format))}
	}
	if err := writeOutput(opts.IO, opts.Output, res.WriteYAML); err != nil {
		return err
	}
	if opts.Output != "" && opts.Output != "-" {
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: wrote %s to %s\n", english.Count(len(res.Nodes), "node", "nodes"), opts.Output)
	}
	return nil
}

func importEmptyMessage(format string) string {
	if format == "backstage" {
		return "no Component, API or Resource entity found: nothing to import"
	}
	return "no service found in the BOM: nothing to import"
}

// runImportSubprocessors maps a sub-processor list onto every available
// catalog and writes the model (and, with --json, the rows).
func runImportSubprocessors(opts *importOptions, in importer.Input, known []*model.Node) error {
	res, err := importer.Subprocessors(in, importer.SubprocessorOptions{Vendor: opts.Vendor, Source: opts.Source, AsOf: opts.AsOf, Known: known})
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		warn(opts.IO.ErrOut, "%s", w)
	}
	if opts.Source == "" {
		warn(opts.IO.ErrOut, "no --source: the edges carry no source address")
	}
	if opts.AsOf == "" {
		warn(opts.IO.ErrOut, "no --as-of: the list's date is unknown")
	}
	if opts.JSON {
		if opts.Output != "" && opts.Output != "-" {
			if err := writeOutput(opts.IO, opts.Output, res.WriteYAML); err != nil {
				return err
			}
		}
		return render.JSON(opts.IO.Out, res.Report())
	}
	if err := writeOutput(opts.IO, opts.Output, res.WriteYAML); err != nil {
		return err
	}
	if opts.Output != "" && opts.Output != "-" {
		mapped := 0
		for _, r := range res.Rows {
			if r.MappedTo != nil {
				mapped++
			}
		}
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: wrote %s: %d sub-processors of %s, %d mapped to catalog nodes\n", opts.Output, len(res.Rows), opts.Vendor, mapped)
	}
	return nil
}

// knownNodes loads every catalog (the built-in ones and those in dirs):
// the nodes imports map third parties onto.
func knownNodes(dirs []string) ([]*model.Node, error) {
	cat := &catalogOptions{CatalogDirs: dirs}
	es, err := cat.entries()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	res, err := cat.load(names)
	if err != nil {
		return nil, err
	}
	return res.Model.Nodes, nil
}

// runImportDORA maps a Register of Information onto every available
// catalog and writes the model.
func runImportDORA(opts *importOptions) error {
	inputs, err := importer.ReadDORA(opts.Files[0])
	if err != nil {
		return &InputError{Err: err}
	}
	known, err := knownNodes(opts.CatalogDirs)
	if err != nil {
		return err
	}
	res, err := importer.DORA(inputs, importer.Options{Org: opts.Org, Known: known})
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		warn(opts.IO.ErrOut, "%s", w)
	}
	if err := writeOutput(opts.IO, opts.Output, res.WriteYAML); err != nil {
		return err
	}
	if opts.Output != "" && opts.Output != "-" {
		mapped := 0
		for _, p := range res.Providers {
			if p.MappedTo != nil {
				mapped++
			}
		}
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: wrote %s: %d functions, %d providers (%d mapped to catalog nodes), %d supply-chain links\n", opts.Output, len(res.Functions), len(res.Providers), mapped, len(res.Chain))
	}
	return nil
}
