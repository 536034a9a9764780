package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/openpsa"
)

type exportOptions struct {
	IO            *iostreams.IOStreams
	Model         modelFlags
	OpenPSA       bool
	Target        string
	HardThreshold float64
	Output        string
}

func newExportCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &exportOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "export --openpsa",
		Short: "Write the model in another tool's format",
		Long: `Export writes the model for other tools. --openpsa writes the fault tree the
model implies (see depgraph domains --help for the semantics) in the Open-PSA
Model Exchange Format, so SCRAM or XFTA can check depgraph's failure domains.

The top event is one service's failure from upstream causes (--target), or,
by default, any of your services failing (an OR over them). Basic events are
the nodes, with their unavailability as probability when the model has one.`,
		Example: `  $ depgraph export --openpsa -m acme.yaml > acme.xml
  $ depgraph export --openpsa --target acme/support-bot -o bot.xml
  $ scram --mcs --limit-order 3 bot.xml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !opts.OpenPSA {
				return flagErrorf("say which format: --openpsa")
			}
			return runExport(opts)
		},
	}
	opts.Model.register(cmd)
	cmd.Flags().BoolVar(&opts.OpenPSA, "openpsa", false, "write Open-PSA MEF XML")
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
	ft := blast.NewFaultTree(g, opts.HardThreshold)
	var top faulttree.Ref
	name := "any-service-down"
	if opts.Target != "" {
		ids, err := blast.Resolve(g, []string{opts.Target})
		if err != nil {
			return err
		}
		if top, err = ft.Top(ids[0]); err != nil {
			return err
		}
		name = opts.Target
	} else {
		svcs := services(g)
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
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		return openpsa.Write(w, ft.Builder, name, top)
	})
}
