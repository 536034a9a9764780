package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/safeio"
	"github.com/depgraph/depgraph/internal/textsafe"
)

type feedParseOptions struct {
	IO     *iostreams.IOStreams
	Files  []string
	Format feed.Format
	JSON   bool
}

func newFeedCmd(ios *iostreams.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "feed <command>",
		Short: "Work with saved status-page feeds",
		Long: `Status pages publish their incidents as feeds: Atlassian Statuspage JSON,
incident.io, Google Cloud's incidents.json, AWS Health RSS and events JSON,
Azure status RSS, generic RSS and Atom, Slack's status API, Upptime and
Instatus. depgraph reads them all into one normalized incident shape.`,
		Example: `  $ depgraph feed parse summary.json
  $ depgraph feed parse incidents.json --format gcp --json`,
	}
	opts := &feedParseOptions{IO: ios}
	var format string
	parse := &cobra.Command{
		Use:   "parse FILE...",
		Short: "Parse saved feeds offline and print their normalized incidents",
		Long: `Parse reads saved status feeds (use - for standard input) and prints their
incidents and components in normalized form: impacts none, minor, major,
critical or maintenance; times in RFC 3339 UTC whatever the feed used; what a
format has and the shape does not, kept under "extra".

--format auto (the default) recognises the format from the content; an
explicit format overrides it. The JSON output is versioned:
{"schema_version": 1, "source", "incidents", "components"}, or a JSON array
of such documents when several files are given.`,
		Example: `  $ depgraph feed parse summary.json
  $ depgraph feed parse incidents.json --format gcp --json
  $ curl -s https://www.githubstatus.com/api/v2/summary.json | depgraph feed parse -`,
		Args: minArgs(1, "at least one feed file (or - for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := feed.ParseFormat(format)
			if err != nil {
				return &FlagError{Err: err}
			}
			opts.Files, opts.Format = args, f
			return runFeedParse(opts)
		},
	}
	names := []string{string(feed.FormatAuto)}
	for _, f := range feed.Formats {
		names = append(names, string(f))
	}
	parse.Flags().StringVar(&format, "format", string(feed.FormatAuto), "feed `format`: "+strings.Join(names, ", "))
	_ = parse.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	parse.Flags().BoolVar(&opts.JSON, "json", false, "print the normalized documents as JSON")
	cmd.AddCommand(parse)
	return cmd
}

func runFeedParse(opts *feedParseOptions) error {
	var docs []*feed.Document
	for _, name := range opts.Files {
		var data []byte
		var err error
		if name == "-" {
			data, err = safeio.ReadAllLimit(opts.IO.In, "standard input", feed.MaxSize)
		} else {
			data, err = safeio.ReadFileLimit(name, feed.MaxSize)
		}
		if err != nil {
			return &InputError{Err: err}
		}
		doc, err := feed.Parse(data, opts.Format, name)
		if err != nil {
			return &InputError{Err: err}
		}
		docs = append(docs, doc)
		printFeedWarnings(opts.IO.ErrOut, name, doc)
	}
	if opts.JSON {
		if len(docs) == 1 {
			return render.JSON(opts.IO.Out, docs[0])
		}
		return render.JSON(opts.IO.Out, docs)
	}
	for i, doc := range docs {
		if i > 0 {
			fmt.Fprintln(opts.IO.Out)
		}
		if err := feedText(opts.IO.Out, doc); err != nil {
			return err
		}
	}
	return nil
}

// printFeedWarnings writes one warning line per thing the parser left out
// of the feed named name (see feed.Warning), feed text escaped.
func printFeedWarnings(w io.Writer, name string, doc *feed.Document) {
	const most = 20
	for i, fw := range doc.Warnings {
		if i == most {
			fmt.Fprintf(w, "depgraph: warning: feed %s: ... and %d more left out or changed\n", textsafe.Line(name), len(doc.Warnings)-most)
			break
		}
		fmt.Fprintf(w, "depgraph: warning: feed %s: %s\n", textsafe.Line(name), textsafe.Line(fw.String()))
	}
}

// feedText prints a document for people: a header, the incidents, then the
// components that are not operational. Feed text is escaped (package
// textsafe) and kept to one line per cell.
func feedText(w io.Writer, doc *feed.Document) error {
	src := doc.Source
	fmt.Fprintf(w, "%s (%s)", textsafe.Line(src.Name), src.Format)
	if src.Page != "" {
		fmt.Fprintf(w, ": %s", textsafe.Line(src.Page))
	}
	fmt.Fprintf(w, ", %d incidents, %d components", len(doc.Incidents), len(doc.Components))
	if n := len(doc.Warnings); n > 0 {
		fmt.Fprintf(w, ", %d left out or changed (see the warnings)", n)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(doc.Incidents) > 0 {
		fmt.Fprintln(tw, "\nSTARTED\tRESOLVED\tIMPACT\tSTATUS\tTITLE\tCOMPONENTS")
	}
	for _, in := range doc.Incidents {
		resolved := "open"
		if in.ResolvedAt != nil {
			resolved = in.ResolvedAt.Format(time.RFC3339)
		} else if until, ok := in.LiveUntil(); ok {
			resolved = "no end, live to " + until.Format(time.DateOnly)
		}
		comps := textsafe.Line(strings.Join(append(append([]string{}, in.Components...), in.Locations...), ", "))
		if r := []rune(comps); len(r) > 60 {
			comps = string(r[:57]) + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", in.StartedAt.Format(time.RFC3339), resolved, textsafe.Line(string(in.Impact)), textsafe.Line(in.Status), textsafe.Line(in.Title), comps)
	}
	var troubled []feed.Component
	for _, c := range doc.Components {
		if c.Status != feed.StatusOperational {
			troubled = append(troubled, c)
		}
	}
	if len(troubled) > 0 {
		fmt.Fprintln(tw, "\nCOMPONENT\tGROUP\tSTATUS")
		for _, c := range troubled {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", textsafe.Line(c.Name), textsafe.Line(orDash(c.Group)), c.Status)
		}
	}
	return tw.Flush()
}
