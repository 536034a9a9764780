package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/modeldiff"
	"github.com/depgraph/depgraph/internal/render"
)

type diffOptions struct {
	IO          *iostreams.IOStreams
	Old, New    string
	CatalogDirs []string
	JSON        bool
	Output      string
}

const diffLong = `Diff shows what moved between two versions of a model: in a postmortem the
first question is "what changed?", and for the dependency layer the answer
is here.

OLD and NEW are model files, directories, or git revisions of them written
git:REV:path (read with git show from the repository of the current
directory; includes within that path resolve). The diff lists the nodes
added and removed, the dependency edges added, removed and changed (impact,
failover group membership, min), the nodes whose regions or zones changed,
attribute and source changes, and, first, what all this did to each
service's single points of failure (order-1 failure domains under the
hard-dependency semantics of "depgraph domains"): gained and lost.`

// newDiffCmd is "depgraph diff".
func newDiffCmd(ios *iostreams.IOStreams) *cobra.Command { return diffCmd(ios, nil) }

func diffCmd(ios *iostreams.IOStreams, runF func(context.Context, *diffOptions) error) *cobra.Command {
	opts := &diffOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what changed between two versions of a model and what it did to your services",
		Long:  diffLong,
		Example: `  $ depgraph diff acme-2025.yaml acme.yaml
  $ depgraph diff git:HEAD~1:acme.yaml acme.yaml
  $ depgraph diff git:v1.2:models git:main:models --json`,
		Args: exactArgs(2, "two models to compare: OLD NEW (files, directories or git:REV:path)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDiff(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.CatalogDirs, "catalog", nil, "extra catalog `dir`ectory searched before the built-in catalogs (repeatable)")
	f.BoolVar(&opts.JSON, "json", false, "print JSON")
	f.StringVarP(&opts.Output, "output", "o", "", "write to `file` instead of standard output")
	return cmd
}

func runDiff(ctx context.Context, opts *diffOptions) error {
	lo := ingest.Options{CatalogDirs: opts.CatalogDirs, Catalogs: catalogs.FS}
	old, err := modeldiff.Load(ctx, opts.Old, "", lo)
	if err != nil {
		return err
	}
	new, err := modeldiff.Load(ctx, opts.New, "", lo)
	if err != nil {
		return err
	}
	d, err := modeldiff.Compare(ctx, opts.Old, old, opts.New, new)
	if err != nil {
		return err
	}
	return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
		if opts.JSON {
			return render.JSON(w, d)
		}
		return modeldiff.WriteText(w, d)
	})
}
