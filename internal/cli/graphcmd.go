package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/english"
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
	All    bool
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

It draws what your services (kind: service) use, as report and export do:
the regions and services of included catalogs that nothing of yours
depends on are left out; --all draws every node.

--focus cuts the picture down to some nodes, everything they depend on and
everything that depends on them; --depth bounds both directions in hops.
--blast marks a blast radius: the failed nodes red, what they take down
filled, what they degrade amber, the explaining paths red.

DOT is written by default (instant, no layout). SVG is laid out by Graphviz,
built in, and limited to 600 nodes (a bigger view is refused with a hint:
cut it down with --focus and --depth, or write DOT). PNG is not offered: the built-in
renderer draws it wrongly; convert the SVG. The format follows the
extension of -o when --format is not given.`,
		Example: `  $ depgraph graph --focus acme/support-bot -o support-bot.svg
  $ depgraph graph --blast azure/southcentralus --focus acme/support-bot -o blast.svg
  $ depgraph graph -o acme.svg
  $ depgraph graph --all > everything.dot`,
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
	cmd.Flags().BoolVar(&opts.All, "all", false, "draw every node, also those none of your services uses")
	return cmd
}

func runGraph(_ context.Context, opts *graphOptions) error {
	_, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	vo := view.Options{Name: "depgraph", Depth: opts.Depth, UsedOnly: !opts.All}
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
	if opts.Format == render.FormatSVG && len(v.Nodes) > render.MaxRenderNodes {
		hint := "cut it down with --focus NODE and --depth N, or write DOT (-o graph.dot)"
		if opts.All {
			hint = "drop --all, or " + hint
		}
		return &InputError{Err: fmt.Errorf("graph: %d nodes are too many for a picture (at most %d): %s", len(v.Nodes), render.MaxRenderNodes, hint)}
	}
	if v.Omitted > 0 && opts.Format != render.FormatJSON {
		msg := fmt.Sprintf("showing %d of %d nodes", len(v.Nodes), g.Len())
		if v.Unused > 0 {
			msg += fmt.Sprintf(" (%s none of your services uses: --all draws %s)", english.Count(v.Unused, "node", "nodes"), english.Noun(v.Unused, "it", "them"))
		}
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: hint: %s\n", msg)
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
