package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
)

type blastOptions struct {
	IO     *iostreams.IOStreams
	Model  modelFlags
	Nodes  []string
	Format render.Format
	Output string
	FailOn string
	All    bool
}

const blastLong = `Blast answers: if these nodes fail, what else fails or degrades, how much,
and along which path, layer by layer (your services, third parties, fourth
parties, clouds, regions, zones).

Semantics. Edges point from a dependent to its dependency. Every node has an
impairment in [0, 1]; the failed nodes have 1. A dependency with impact w
whose impairment is x costs its dependent w·x, and several losses combine as
1 − Π(1 − loss). A failover group (any_of, min: k) has the impairment of its
k-th healthiest member: all members down gives 1, k healthy members give 0.
A node is down at impairment 1 and degraded above 0. A node the numbers
leave healthy is at risk ("at risk ?") when it depends on the failure
through a share nobody has published (impact: unknown). Cycles get the least
fixed point. A nested node (a zone of a region, a component of a vendor) is
part of its parent: failing the parent fails it.

Each affected node is listed with its state, the share lost, and the chain
that explains it, from the affected node down to the failure; each arrow
reads "depends on", as everywhere in depgraph:
"acme/checkout → stripe/api → aws/us-east-1".

Nodes tagged control-plane (or with an id ending in /control-plane) and
data-plane are marked: a control-plane failure means you can't deploy, a
data-plane failure that the site is down.

With --fail-on service-down (service-degraded, service-at-risk) the command
exits with code 3 when one of your own services (kind: service) ends up
down (down or degraded; down, degraded or at risk): a gate for CI.`

func newBlastCmd(ios *iostreams.IOStreams, runF func(context.Context, *blastOptions) error) *cobra.Command {
	opts := &blastOptions{IO: ios}
	var format string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "blast NODE...",
		Short: "Show what fails, how much and along which path when nodes fail",
		Long:  blastLong,
		Example: `  $ depgraph blast aws/us-east-1
  $ depgraph blast azure/southcentralus --json
  $ depgraph blast aws/us-east-1/use1-az4 gcp -m acme.yaml
  $ depgraph blast aws/us-east-1 --fail-on service-down`,
		Args: minArgs(1, "at least one node id to fail, e.g. aws/us-east-1"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Nodes = args
			if asJSON {
				format = string(render.FormatJSON)
			}
			f, err := render.ParseFormat(format, render.FormatText, render.FormatJSON)
			if err != nil {
				return &FlagError{Err: err}
			}
			opts.Format = f
			switch opts.FailOn {
			case "", "service-down", "service-degraded", "service-at-risk":
			default:
				return flagErrorf("--fail-on %q: use service-down, service-degraded or service-at-risk", opts.FailOn)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runBlast(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	formatFlag(cmd, &format, render.FormatText, render.FormatText, render.FormatJSON)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (same as --format json)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `file` instead of standard output")
	cmd.Flags().BoolVar(&opts.All, "all", false, "in text output, also list affected nodes none of your services uses")
	cmd.Flags().StringVar(&opts.FailOn, "fail-on", "", "exit 3 when one of your services is down (`service-down`), affected (service-degraded) or at risk too (service-at-risk)")
	return cmd
}

func runBlast(_ context.Context, opts *blastOptions) error {
	_, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	res, err := blast.Run(g, opts.Nodes)
	if err != nil {
		return err
	}
	err = writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		if opts.Format == render.FormatJSON {
			return render.JSON(w, res)
		}
		return render.BlastText(w, res, render.BlastTextOptions{All: opts.All, Color: opts.IO.ColorEnabled() && (opts.Output == "" || opts.Output == "-")})
	})
	if err != nil {
		return err
	}
	s := res.Summary
	switch {
	case opts.FailOn == "service-down" && len(s.ServicesDown) > 0:
		return &FoundError{What: "services down: " + joinIDs(s.ServicesDown)}
	case opts.FailOn == "service-degraded" && len(s.ServicesDown)+len(s.ServicesDegraded) > 0:
		return &FoundError{What: "services affected: " + joinIDs(append(append([]string{}, s.ServicesDown...), s.ServicesDegraded...))}
	case opts.FailOn == "service-at-risk" && len(s.ServicesDown)+len(s.ServicesDegraded)+len(s.ServicesAtRisk) > 0:
		return &FoundError{What: "services affected or at risk: " + joinIDs(append(append(append([]string{}, s.ServicesDown...), s.ServicesDegraded...), s.ServicesAtRisk...))}
	}
	return nil
}
