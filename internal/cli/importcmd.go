package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/importer"
	"github.com/depgraph/depgraph/internal/iostreams"
)

type importOptions struct {
	IO           *iostreams.IOStreams
	Format       string
	Files        []string
	Output       string
	Org          string
	Placeholders bool
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
in; metadata.component (the application described) becomes your service;
components linked with a service in the graph are kept, the rest of the
software BOM is not. A BOM written by depgraph export --format cyclonedx is
read back with its ids, kinds, impacts and failover groups.

Every dependency is a hard one (impact 1) unless the input said more: add
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
		Use:   "import <backstage|cyclonedx> FILE...",
		Short: "Turn a Backstage catalog or a CycloneDX SaaSBOM into model nodes",
		Long:  importLong,
		Example: `  $ depgraph import backstage catalog-info.yaml --org acme -o services.yaml
  $ depgraph import backstage catalog/*.yaml --placeholders > services.yaml
  $ depgraph import cyclonedx saasbom.json -o saas.yaml
  $ depgraph validate -m services.yaml`,
		Args: minArgs(2, "a format (backstage or cyclonedx) and at least one FILE"),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []cobra.Completion{"backstage", "cyclonedx"}, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveDefault
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format, opts.Files = args[0], args[1:]
			if opts.Format != "backstage" && opts.Format != "cyclonedx" {
				return flagErrorf("unknown import format %q: use backstage or cyclonedx", opts.Format)
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
	return cmd
}

func runImport(opts *importOptions) error {
	inputs, err := importer.ReadFiles(opts.Files)
	if err != nil {
		return &InputError{Err: err}
	}
	run := importer.Backstage
	if opts.Format == "cyclonedx" {
		run = importer.CycloneDX
	}
	res, err := run(inputs, importer.Options{Org: opts.Org, Placeholders: opts.Placeholders})
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
