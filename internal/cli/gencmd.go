package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/iostreams"
)

type genOptions struct {
	IO     *iostreams.IOStreams
	Nodes  int
	Edges  int
	Seed   uint64
	Output string
}

func newGenCmd(ios *iostreams.IOStreams, runF func(context.Context, *genOptions) error) *cobra.Command {
	opts := &genOptions{IO: ios}
	cmd := &cobra.Command{
		Use:    "gen",
		Short:  "Generate a large realistic model for benchmarks",
		Hidden: true,
		Long: `Gen writes a generated model (providers, regions, zones, thousands of vendors
with heavy-tailed fan-out, services with failover groups) of about the
requested size, reproducible from --seed.`,
		Example: `  $ depgraph gen --nodes 10000 --edges 50000 -o big.yaml
  $ depgraph validate -m big.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Nodes < 1 || opts.Edges < 0 {
				return flagErrorf("--nodes must be at least 1 and --edges at least 0")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
				return gen.WriteYAML(w, gen.Generate(gen.Sized(opts.Nodes, opts.Edges, opts.Seed)))
			})
		},
	}
	cmd.Flags().IntVar(&opts.Nodes, "nodes", 10000, "about how many `n`odes")
	cmd.Flags().IntVar(&opts.Edges, "edges", 50000, "about how many `n` edges")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 1, "random `seed`")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `file`")
	return cmd
}
