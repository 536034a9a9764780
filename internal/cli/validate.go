package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
)

type validateOptions struct {
	IO    *iostreams.IOStreams
	Model modelFlags
	JSON  bool
}

func newValidateCmd(ios *iostreams.IOStreams, runF func(context.Context, *validateOptions) error) *cobra.Command {
	opts := &validateOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a model and report every problem at once",
		Long: `Validate reads the model (and the catalogs it includes) and reports every
problem at once as file:line:col: message, with a hint where a fix is likely
(a "did you mean" for a mistyped id, key or kind; the catalog to include for
an id it defines). Cycles of dependencies are allowed but reported as
warnings: analyses use their least fixed point. Each overlay (an
` + "`extend: ID`" + ` entry that adds to a catalog node) is listed with what it
changed.

Exit code 2 when the model is invalid.`,
		Example: `  $ depgraph validate -m acme.yaml
  $ depgraph validate -m models/ --catalog ./private-catalogs
  $ depgraph validate --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runValidate(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	return cmd
}

// validateReport is validate's JSON output.
type validateReport struct {
	// SchemaVersion is 1.
	SchemaVersion int `json:"schema_version"`
	// Valid is true when the model loaded without errors.
	Valid bool `json:"valid"`
	// Files are the files read, catalogs included.
	Files []string `json:"files"`
	// Catalogs are the catalogs included.
	Catalogs []string `json:"catalogs"`
	// Nodes, Edges and Groups count the model's nodes, distinct
	// dependency edges and failover groups.
	Nodes  int `json:"nodes"`
	Edges  int `json:"edges"`
	Groups int `json:"groups"`
	// Cycles lists groups of nodes that depend on each other.
	Cycles [][]string `json:"cycles"`
	// Errors lists every problem, positioned.
	Errors []problem `json:"errors"`
	// Overlays lists what each `extend:` entry changed.
	Overlays []overlayReport `json:"overlays"`
}

// overlayReport is what one `extend:` entry changed.
type overlayReport struct {
	// Pos is where the overlay is declared.
	Pos string `json:"pos"`
	// Target is the node extended.
	Target string `json:"target"`
	// Changes says what changed, one entry per field
	// ("depends_on +aws/eu-west-1", "status replaced statuspage https://…").
	Changes []string `json:"changes"`
	// Reason is the overlay's reason for replacing facts, "" if none.
	Reason string `json:"reason,omitempty"`
}

type problem struct {
	Pos     string `json:"pos"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

func runValidate(_ context.Context, opts *validateOptions) error {
	rep := validateReport{SchemaVersion: 1, Files: []string{}, Catalogs: []string{}, Cycles: [][]string{}, Errors: []problem{}, Overlays: []overlayReport{}}
	res, g, err := opts.Model.loadGraph()
	var el ingest.ErrorList
	switch {
	case errors.As(err, &el):
		for _, e := range el {
			rep.Errors = append(rep.Errors, problem{Pos: e.Where(), Message: e.Msg, Hint: e.Hint})
		}
	case err != nil:
		return err
	default:
		rep.Valid = true
		rep.Files, rep.Catalogs = res.Model.Files, res.Model.Catalogs
		rep.Nodes, rep.Edges = g.Len(), g.EdgeCount()
		rep.Groups = countGroups(g)
		for _, o := range res.Model.Overlays {
			rep.Overlays = append(rep.Overlays, overlayReport{Pos: o.Pos.String(), Target: o.Target, Changes: o.Changes, Reason: o.Reason})
		}
		if c := g.Cycles(); c != nil {
			rep.Cycles = c
		}
	}
	if opts.JSON {
		if err := render.JSON(opts.IO.Out, rep); err != nil {
			return err
		}
		if !rep.Valid {
			return &InputError{Err: fmt.Errorf("the model has %d errors", len(el))}
		}
		return nil
	}
	if !rep.Valid {
		return err
	}
	for _, c := range rep.Cycles {
		warn(opts.IO.ErrOut, "cycle: %s depend on each other (analyses use the least fixed point)", joinIDs(c))
	}
	fmt.Fprintf(opts.IO.Out, "ok: %d nodes, %d edges, %d failover groups from %d files", rep.Nodes, rep.Edges, rep.Groups, len(rep.Files))
	if len(rep.Catalogs) > 0 {
		fmt.Fprintf(opts.IO.Out, " (catalogs: %s)", joinIDs(rep.Catalogs))
	}
	fmt.Fprintln(opts.IO.Out)
	for _, o := range rep.Overlays {
		fmt.Fprintf(opts.IO.Out, "%s: extends %s: %s", o.Pos, o.Target, strings.Join(o.Changes, "; "))
		if o.Reason != "" {
			fmt.Fprintf(opts.IO.Out, " (reason: %s)", o.Reason)
		}
		fmt.Fprintln(opts.IO.Out)
	}
	return nil
}

func countGroups(g *graph.Graph) int {
	n := 0
	for i := range g.Len() {
		for _, r := range g.Requirements(int32(i)) {
			if r.Group {
				n++
			}
		}
	}
	return n
}
