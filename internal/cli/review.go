package cli

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/examples"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/review"
)

type reviewOptions struct {
	IO        *iostreams.IOStreams
	Model     modelFlags
	Candidate string
	Node      string
	Placement review.Placement
	Format    string
	Output    string
}

const reviewLong = `Review answers the procurement question: what changes if we add this vendor?

The candidate is a YAML file with its node(s) in the model format, a catalog
name (anthropic) or a catalog node id (anthropic/api). Say where it goes:

  --as-failover-for NODE   a new member of the failover group NODE owns; when
                           NODE has a single hard dependency X instead, X
                           becomes any_of [X, candidate]; when NODE is itself
                           a member of one failover group, that group
                           (--primary X picks among several)
  --as-dependency-of NODE  a new dependency of NODE (--impact, default 1)

The review prints the single points of failure each of your services gains
and loses, the failure domains a failover candidate shares with the group's
existing members (one node whose failure alone takes both down: a shared
region means the failover does not protect against that region failing),
concentration (how many services each provider and region takes down or
degrades) before and after, the expected downtime before and after where
every node carries an unavailability, and a one-line verdict with its
reasons: recommended, acceptable with reservations, or not recommended.

Failure domains use the hard-dependency semantics of "depgraph domains".
--format markdown writes the review for a procurement ticket.`

// newReviewCmd is "depgraph review".
func newReviewCmd(ios *iostreams.IOStreams) *cobra.Command { return reviewCmd(ios, nil) }

func reviewCmd(ios *iostreams.IOStreams, runF func(context.Context, *reviewOptions) error) *cobra.Command {
	opts := &reviewOptions{IO: ios}
	var failoverFor, dependencyOf string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "review --candidate FILE|NAME (--as-failover-for NODE | --as-dependency-of NODE)",
		Short: "Review what adding a candidate vendor would change",
		Long:  reviewLong,
		Example: `  $ depgraph review --candidate anthropic --as-failover-for acme/support-bot
  $ depgraph review --candidate newvendor.yaml --as-failover-for acme/support-bot -m acme.yaml --format markdown
  $ depgraph review --candidate anthropic/api --as-failover-for acme/support-bot --primary openai/api --json
  $ depgraph review --candidate sendgrid --as-dependency-of acme/checkout --impact 0.2`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Candidate == "" {
				return flagErrorf("depgraph review needs --candidate FILE|NAME")
			}
			switch {
			case failoverFor != "" && dependencyOf != "":
				return flagErrorf("give either --as-failover-for or --as-dependency-of, not both")
			case failoverFor != "":
				opts.Placement.Mode, opts.Placement.Target = review.Failover, failoverFor
			case dependencyOf != "":
				opts.Placement.Mode, opts.Placement.Target = review.Dependency, dependencyOf
			default:
				return flagErrorf("say where the candidate goes: --as-failover-for NODE or --as-dependency-of NODE")
			}
			if opts.Placement.Primary != "" && opts.Placement.Mode != review.Failover {
				return flagErrorf("--primary goes with --as-failover-for")
			}
			if cmd.Flags().Changed("impact") && opts.Placement.Mode != review.Dependency {
				return flagErrorf("--impact goes with --as-dependency-of")
			}
			if opts.Placement.Impact < 0 || opts.Placement.Impact > 1 || (cmd.Flags().Changed("impact") && opts.Placement.Impact == 0) {
				return flagErrorf("--impact %g: use a share in (0, 1]", opts.Placement.Impact)
			}
			if asJSON {
				opts.Format = "json"
			}
			switch opts.Format {
			case "text", "markdown", "json":
			default:
				return flagErrorf("unknown format %q: use one of text, markdown, json", opts.Format)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runReview(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.Candidate, "candidate", "", "the candidate: a YAML `file`, a catalog name or a catalog node id")
	f.StringVar(&opts.Node, "node", "", "the candidate `node` when the file or catalog defines several")
	f.StringVar(&failoverFor, "as-failover-for", "", "add the candidate to the failover group of `NODE`")
	f.StringVar(&dependencyOf, "as-dependency-of", "", "add the candidate as a dependency of `NODE`")
	f.StringVar(&opts.Placement.Primary, "primary", "", "with --as-failover-for, the `member` (or dependency) the candidate backs up")
	f.Float64Var(&opts.Placement.Impact, "impact", 1, "with --as-dependency-of, the new dependency's impact")
	f.StringVar(&opts.Format, "format", "text", "output `format`: text, markdown, json")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"text", "markdown", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
	f.BoolVar(&asJSON, "json", false, "print JSON (same as --format json)")
	f.StringVarP(&opts.Output, "output", "o", "", "write to `file` instead of standard output")
	return cmd
}

func runReview(ctx context.Context, opts *reviewOptions) error {
	lo := ingest.Options{
		Paths:                opts.Model.Paths,
		CatalogDirs:          opts.Model.CatalogDirs,
		AllowOutsideIncludes: opts.Model.AllowOutsideIncludes,
		Catalogs:             catalogs.FS,
		Default:              &ingest.FSFile{FS: examples.FS, Name: examples.Default},
	}
	base, err := ingest.Load(lo)
	if err != nil {
		return err
	}
	c, err := review.LoadCandidate(lo, base.Model, opts.Candidate, opts.Node)
	if err != nil {
		return err
	}
	res, err := review.Review(ctx, c.Model, c.Node, c.Source, opts.Placement)
	if err != nil {
		var ute *review.UnknownTargetError
		var ce *review.ChoiceError
		if errors.As(err, &ute) || errors.As(err, &ce) {
			return &InputError{Err: err}
		}
		return err
	}
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		switch opts.Format {
		case "json":
			return render.JSON(w, res)
		case "markdown":
			return review.WriteMarkdown(w, res)
		}
		return review.WriteText(w, res)
	})
}
