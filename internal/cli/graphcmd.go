package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/view"
)

type graphOptions struct {
	IO     *iostreams.IOStreams
	Model  modelFlags
	Focus  []string
	Depth  int
	Blast  []string
	Format render.Format
	Output string
}

func newGraphCmd(ios *iostreams.IOStreams, runF func(context.Context, *graphOptions) error) *cobra.Command {
	opts := &graphOptions{IO: ios}
	var format string
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Draw the dependency graph as DOT or SVG",
		Long: `Graph draws the model: organisations as boxes, edges from dependent to
dependency (dashed for failover groups, dotted from a nested node to its
parent, labelled with the impact when below 100%).

--focus cuts the picture down to some nodes, everything they depend on and
everything that depends on them; --depth bounds both directions in hops.
--blast marks a blast radius: the failed nodes red, what they take down
filled, what they degrade amber, the explaining paths red.

DOT is written by default (instant, no layout). SVG is laid out by Graphviz,
built in, and limited to 600 nodes. PNG is not offered: the built-in
renderer draws it wrongly; convert the SVG. The format follows the
extension of -o when --format is not given.`,
		Example: `  $ depgraph graph --focus acme/support-bot -o support-bot.svg
  $ depgraph graph --blast azure/southcentralus --focus acme/support-bot -o blast.svg
  $ depgraph graph -m acme.yaml > acme.dot`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				if f := render.FormatFromFile(opts.Output); f != "" {
					format = string(f)
				}
			}
			f, err := render.ParseFormat(format, render.FormatDOT, render.FormatSVG, render.FormatJSON)
			if err != nil {
				return &FlagError{Err: err}
			}
			opts.Format = f
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runGraph(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	formatFlag(cmd, &format, render.FormatDOT, render.FormatDOT, render.FormatSVG, render.FormatJSON)
	cmd.Flags().StringArrayVar(&opts.Focus, "focus", nil, "show only this `node`'s neighbourhood (repeatable)")
	cmd.Flags().IntVar(&opts.Depth, "depth", 0, "with --focus, follow at most `n` hops each way (0: no limit)")
	cmd.Flags().StringArrayVar(&opts.Blast, "blast", nil, "mark the blast radius of failing this `node` (repeatable)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `file` (format from its extension)")
	return cmd
}

func runGraph(_ context.Context, opts *graphOptions) error {
	_, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	vo := view.Options{Name: "depgraph", Depth: opts.Depth}
	if vo.Focus, err = blast.Resolve(g, opts.Focus); err != nil {
		return err
	}
	if len(opts.Blast) > 0 {
		if vo.Failed, err = blast.Resolve(g, opts.Blast); err != nil {
			return err
		}
		vo.Blast = blast.Propagate(g, vo.Failed)
	}
	v := view.Build(g, vo)
	if v.Omitted > 0 && opts.Format != render.FormatJSON {
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: hint: showing %d of %d nodes\n", len(v.Nodes), g.Len())
	}
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		switch opts.Format {
		case render.FormatJSON:
			return render.JSON(w, v)
		case render.FormatSVG:
			return render.Image(w, v, opts.Format)
		}
		return render.DOT(w, v)
	})
}
