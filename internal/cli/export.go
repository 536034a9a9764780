package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/export"
	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/openpsa"
)

type exportOptions struct {
	IO            *iostreams.IOStreams
	Model         modelFlags
	OpenPSA       bool
	Format        string
	All           bool
	Target        string
	HardThreshold float64
	Output        string
	Focus         []string
	Depth         int
}

func newExportCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &exportOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "export --format FORMAT | --openpsa",
		Short: "Write the model in another tool's format",
		Long: exportFormatHelp + `
--openpsa writes the fault tree the
model implies (see depgraph domains --help for the semantics) in the Open-PSA
Model Exchange Format, so SCRAM or XFTA can check depgraph's failure domains.

The top event is one service's failure from upstream causes (--target), or,
by default, any of your services failing (an OR over them). Basic events are
the nodes, with their unavailability as probability when the model has one.
Node ids are not valid MEF names ("cloudflare/cdn"), so each name is encoded
reversibly ("/" as _S, "." as _D, "_" as __, a misplaced "-" as _H, other
bytes as _XHH: "cloudflare_Scdn") and the id is kept in the definition's
<label>. SCRAM (scram --validate) accepts the file; its minimal cut sets
(scram -l 3) are depgraph domains' failure domains.`,
		Example: `  $ depgraph export --format csv-edges -m acme.yaml -o edges.csv
  $ depgraph export --format mermaid --all > graph.mmd
  $ depgraph export --format mermaid --focus openai/api --depth 2 > openai.mmd
  $ depgraph export --format cyclonedx -o bom.json
  $ depgraph export --format xlsx -o acme.xlsx
  $ depgraph export --openpsa -m acme.yaml > acme.xml
  $ depgraph export --openpsa --target acme/support-bot -o bot.xml
  $ scram --validate bot.xml && scram --limit-order 3 --probability true bot.xml -o bot-report.xml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.OpenPSA && opts.Format != "":
				return flagErrorf("--openpsa and --format exclude each other")
			case opts.Format != "":
				return runExportFormat(&exportFormatOptions{IO: opts.IO, Model: opts.Model, Format: opts.Format, Output: opts.Output, All: opts.All, Focus: opts.Focus, Depth: opts.Depth})
			case !opts.OpenPSA:
				return flagErrorf("say which format: --format %s, or --openpsa", strings.Join(exportFormatNames(), "|"))
			}
			return runExport(opts)
		},
	}
	opts.Model.register(cmd)
	cmd.Flags().BoolVar(&opts.OpenPSA, "openpsa", false, "write Open-PSA MEF XML")
	cmd.Flags().StringVar(&opts.Format, "format", "", "`format`: "+strings.Join(exportFormatNames(), ", "))
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exportFormatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	cmd.Flags().BoolVar(&opts.All, "all", false, "with --format, the whole model (default: your services and what they depend on)")
	cmd.Flags().StringArrayVar(&opts.Focus, "focus", nil, "with --format mermaid, draw only this `node`'s neighbourhood (repeatable)")
	cmd.Flags().IntVar(&opts.Depth, "depth", 0, "with --focus, follow at most `n` hops each way (0: no limit)")
	cmd.Flags().StringVar(&opts.Target, "target", "", "the `node` whose failure is the top event (default: any service)")
	cmd.Flags().Float64Var(&opts.HardThreshold, "hard-threshold", 1, "impact from which a dependency can take its dependent down")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `file`")
	return cmd
}

func runExport(opts *exportOptions) error {
	_, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		return writeFaultTree(w, g, opts.Target, opts.HardThreshold)
	})
}

// writeFaultTree writes the fault tree of target's failure from upstream
// causes, or of any service failing when target is "", as Open-PSA MEF.
func writeFaultTree(w io.Writer, g *graph.Graph, target string, hardThreshold float64) error {
	ft := domains.NewFaultTree(g, hardThreshold)
	var top faulttree.Ref
	name := "any-service-down"
	if target != "" {
		ids, err := blast.Resolve(g, []string{target})
		if err != nil {
			return err
		}
		if top, err = ft.Top(ids[0]); err != nil {
			return err
		}
		name = target
	} else {
		svcs := g.Services()
		if len(svcs) == 0 {
			return &InputError{Err: fmt.Errorf("the model has no service: name one with --target")}
		}
		var tops []faulttree.Ref
		for _, s := range svcs {
			t, err := ft.Top(s)
			if err != nil {
				return err
			}
			tops = append(tops, t)
		}
		top = ft.Builder.Gate(faulttree.Or, 0, tops...)
	}
	return openpsa.Write(w, ft.Builder, name, top)
}

// exportFormatNames lists the --format values.
func exportFormatNames() []string {
	names := make([]string, len(export.Formats), len(export.Formats)+1)
	for i, f := range export.Formats {
		names[i] = string(f)
	}
	return append(names, formatXLSX)
}
