package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/safeio"
	"github.com/depgraph/depgraph/internal/view"
)

type renderOptions struct {
	IO     *iostreams.IOStreams
	Input  string
	Format render.Format
	Output string
}

func newRenderCmd(ios *iostreams.IOStreams, runF func(context.Context, *renderOptions) error) *cobra.Command {
	opts := &renderOptions{IO: ios}
	var format string
	cmd := &cobra.Command{
		Use:   "render [FILE]",
		Short: "Turn saved JSON output back into text or a picture",
		Long: `Render reads JSON that depgraph wrote earlier (from FILE or standard input)
and writes it in another format, without the model: a blast result as text,
a graph view (graph --format json) as DOT or SVG.`,
		Example: `  $ depgraph blast aws/us-east-1 --json > blast.json
  $ depgraph render blast.json
  $ depgraph graph --format json --focus acme/support-bot | depgraph render --format svg -o bot.svg`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Input = args[0]
			}
			if !cmd.Flags().Changed("format") {
				if f := render.FormatFromFile(opts.Output); f != "" {
					format = string(f)
				}
			}
			f, err := render.ParseFormat(format, render.FormatText, render.FormatDOT, render.FormatSVG)
			if err != nil {
				return &FlagError{Err: err}
			}
			opts.Format = f
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRender(cmd.Context(), opts)
		},
	}
	formatFlag(cmd, &format, render.FormatText, render.FormatText, render.FormatDOT, render.FormatSVG)
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `file`")
	return cmd
}

// maxRenderInput bounds the JSON render reads (256 MiB).
const maxRenderInput = 256 << 20

// viewSchemaVersion is the graph view version render reads; views written
// without a schema_version are read as this one.
const viewSchemaVersion = 1

// savedOutput holds any of the JSON documents render understands.
type savedOutput struct {
	SchemaVersion int              `json:"schema_version"`
	Failed        []string         `json:"failed"`
	Affected      []blast.Affected `json:"affected"`
	Summary       blast.Summary    `json:"summary"`
	Nodes         []view.Node      `json:"nodes"`
	Edges         []view.Edge      `json:"edges"`
	Name          string           `json:"name"`
	Omitted       int              `json:"omitted"`
}

func runRender(_ context.Context, opts *renderOptions) error {
	name := "standard input"
	var data []byte
	var err error
	if opts.Input != "" && opts.Input != "-" {
		name = opts.Input
		data, err = safeio.ReadFileLimit(opts.Input, maxRenderInput)
	} else {
		data, err = safeio.ReadAllLimit(opts.IO.In, name, maxRenderInput)
	}
	if err != nil {
		return &InputError{Err: err}
	}
	var doc savedOutput
	if err := json.Unmarshal(data, &doc); err != nil {
		return &InputError{Err: fmt.Errorf("%s: not depgraph JSON: %w", name, err)}
	}
	switch {
	case doc.Failed != nil && doc.SchemaVersion != blast.SchemaVersion:
		return &InputError{Err: fmt.Errorf("%s: blast result of schema_version %d: this depgraph reads version %d (re-run the command that wrote it)", name, doc.SchemaVersion, blast.SchemaVersion)}
	case doc.Nodes != nil && doc.SchemaVersion != 0 && doc.SchemaVersion != viewSchemaVersion:
		return &InputError{Err: fmt.Errorf("%s: graph view of schema_version %d: this depgraph reads version %d (re-run the command that wrote it)", name, doc.SchemaVersion, viewSchemaVersion)}
	case doc.Failed != nil:
		if opts.Format != render.FormatText {
			return &InputError{Err: fmt.Errorf("%s is a blast result: it renders as text; for a picture use `depgraph graph --blast`", name)}
		}
		res := &blast.Result{SchemaVersion: doc.SchemaVersion, Failed: doc.Failed, Affected: doc.Affected, Summary: doc.Summary}
		return writeOutput(opts.IO, opts.Output, func(w io.Writer) error { return render.BlastText(w, res, render.BlastTextOptions{All: true}) })
	case doc.Nodes != nil:
		v := &view.View{Name: doc.Name, Nodes: doc.Nodes, Edges: doc.Edges, Omitted: doc.Omitted}
		return writeOutput(opts.IO, opts.Output, func(w io.Writer) error {
			switch opts.Format {
			case render.FormatSVG:
				return render.Image(w, v, opts.Format)
			case render.FormatDOT:
				return render.DOT(w, v)
			}
			return fmt.Errorf("a graph view renders as dot or svg, not %s", opts.Format)
		})
	}
	return &InputError{Err: fmt.Errorf("%s: not a blast result or a graph view", name)}
}
