package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/policy"
	"github.com/depgraph/depgraph/internal/render"
)

type checkOptions struct {
	IO     *iostreams.IOStreams
	Model  modelFlags
	Policy string
	JSON   bool
	Today  time.Time
}

const checkLong = `Check evaluates a policy file against the model: a gate for CI. It exits
with code 0 when the model keeps every rule, 3 when it breaks one (each
violation is printed), and 2 when the model or the policy is invalid (a
policy naming a tag no service has, or an allowed node the model does not
know, is invalid rather than silently vacuous).

Rules (the format is in docs/policy.md):

  no_spof               no single point of failure outside an allowed list
                        for the services with some tags
  failover_independent  no failover group whose members share a failure
                        domain of order 1 (one node that takes them all down)
  max_concentration     no provider or region carrying (taking down or
                        degrading) more than a share of some services
  max_source_age        no fact used by your services (a node, or one of
                        its dependencies with sources of its own) whose
                        oldest source is older than a number of days, and
                        none resting only on unverified sources
  no_unquantified       no dependency of unknown share (impact: unknown)
                        upstream of some services, outside an allowed list

Single points of failure and failure domains use the hard-dependency
semantics of "depgraph domains": a dependency with impact 1 takes its
dependent down, a failover group goes down when too few members are left.
Each violation names where it comes from: the node (or the failover group
entry, or the source) in the model as file:line:col, and the rule in the
policy.`

// newCheckCmd is "depgraph check".
func newCheckCmd(ios *iostreams.IOStreams) *cobra.Command { return checkCmd(ios, nil) }

func checkCmd(ios *iostreams.IOStreams, runF func(context.Context, *checkOptions) error) *cobra.Command {
	opts := &checkOptions{IO: ios}
	var today string
	cmd := &cobra.Command{
		Use:   "check --policy FILE",
		Short: "Check the model against a policy file (exit 3 when a rule is broken)",
		Long:  checkLong,
		Example: `  $ depgraph check -m acme.yaml --policy policy.yaml
  $ depgraph check -m models/ --policy policy.yaml --json
  $ depgraph check --policy policy.yaml --today 2026-01-01`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Policy == "" {
				return flagErrorf("depgraph check needs --policy FILE")
			}
			if today != "" {
				t, err := time.Parse(time.DateOnly, today)
				if err != nil {
					return flagErrorf("--today %q: use YYYY-MM-DD", today)
				}
				opts.Today = t
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCheck(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.Policy, "policy", "", "policy `file` (YAML, see docs/policy.md)")
	f.BoolVar(&opts.JSON, "json", false, "print JSON")
	f.StringVar(&today, "today", "", "measure source ages from this `date` (YYYY-MM-DD; default: today)")
	return cmd
}

func runCheck(ctx context.Context, opts *checkOptions) error {
	p, err := policy.Load(opts.Policy)
	if err != nil {
		return err
	}
	_, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	rep, err := policy.Evaluate(ctx, g, p, policy.Options{Now: opts.Today})
	if err != nil {
		return err
	}
	if opts.JSON {
		err = render.JSON(opts.IO.Out, rep)
	} else {
		err = policy.WriteText(opts.IO.Out, rep)
	}
	if err != nil {
		return err
	}
	if n := len(rep.Violations); n > 0 {
		word := "violations"
		if n == 1 {
			word = "violation"
		}
		return &FoundError{What: fmt.Sprintf("policy %s: %d %s", opts.Policy, n, word)}
	}
	return nil
}
