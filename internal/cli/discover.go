package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/discover"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/importer"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/statusmap"
	"github.com/depgraph/depgraph/internal/store"
)

type discoverOptions struct {
	IO        *iostreams.IOStreams
	Model     modelFlags
	Incidents []string
	DB        string
	JSON      bool
	Output    string
}

func newDiscoverCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &discoverOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "discover [--incidents FILE...] [--db PATH]",
		Short: "Propose fourth parties that vendors' status history names",
		Long: `Discover reads vendors' incidents — saved feed files (--incidents, any
format depgraph feed reads), or the incident store (--db, read only; the
default when no --incidents is given) — and looks in each incident's title
and updates for the providers, services and regions that node ids, names
and aliases name ("Azure", "us-east-1", "IAD"), among the model's nodes and
every catalog's. Each incident belongs to the nodes whose status block
reads its feed (a node listing the incident's components before one that
reads the whole feed). A node named that the reporting node does not
already reach is proposed as its dependency, with the incidents as
evidence. Not proposed: the vendor's own nodes (same organisation), nodes
already upstream of it (or a part of one), nodes downstream of it, and a
name several nodes share.

The proposals are written as a YAML overlay to review and keep (-o FILE,
or standard output): one extend: entry per reporting node, each proposed
edge of unknown share (impact: unknown), each incident a source (its page
and date) and in meta.discovered (incident id and quote). Load it beside
the model: depgraph validate -m model.yaml -m overlay.yaml. --json prints
{"schema_version": 1, "proposals": [{"from", "to", "evidence":
[{"incident_id", "url", "quote"}]}]}.

Exit codes: 0 ok (with or without proposals), 1 failure, 2 bad usage or
invalid input.`,
		Example: `  $ depgraph discover -m acme.yaml --incidents github-incident.json -o discovered.yaml
  $ depgraph validate -m acme.yaml -m discovered.yaml
  $ depgraph discover -m acme.yaml --db depgraph.db --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiscover(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	cmd.Flags().StringArrayVar(&opts.Incidents, "incidents", nil, "saved feed `file` to read incidents from (repeatable)")
	dbFlag(cmd, &opts.DB)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the proposals as JSON")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the overlay to `file` (default: standard output)")
	return cmd
}

func runDiscover(ctx context.Context, opts *discoverOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	var reports []discover.Report
	if len(opts.Incidents) > 0 {
		if opts.DB != "" {
			return flagErrorf("--incidents and --db exclude each other")
		}
		for _, path := range opts.Incidents {
			doc, err := readFeedFile(path)
			if err != nil {
				return &InputError{Err: err}
			}
			rs := bindReports(statusmap.Bindings(res.Model, doc.Source.Format, doc.Source.URL), doc.Incidents)
			if len(rs) == 0 {
				warn(opts.IO.ErrOut, "%s: no node of the model reads this %s feed (%s) or its incidents' components: skipped", path, doc.Source.Format, cmpOr(doc.Source.URL, "no page address"))
			}
			reports = append(reports, rs...)
		}
	} else {
		path := opts.DB
		if path == "" {
			if path, err = store.DefaultPath(); err != nil {
				return err
			}
		}
		if _, err := os.Stat(path); err != nil {
			return &InputError{Err: fmt.Errorf("no incident store at %s: run depgraph ingest, or give --incidents FILE", path)}
		}
		st, err := store.Open(path)
		if err != nil {
			return err
		}
		defer st.Close()
		idx := res.Model.Index()
		for _, f := range collect.Plan(res.Model, nil) {
			stored, err := st.Incidents(ctx, store.Query{Feeds: []string{f.Key}})
			if err != nil {
				return err
			}
			var bs []statusmap.Binding
			for _, id := range f.Nodes {
				if n := idx[id]; n != nil && n.Status != nil {
					bs = append(bs, statusmap.Binding{Node: n, Status: n.Status})
				}
			}
			incs := make([]feed.Incident, len(stored))
			for i := range stored {
				incs[i] = stored[i].Incident
			}
			reports = append(reports, bindReports(bs, incs)...)
		}
	}
	known, err := knownNodes(opts.Model.CatalogDirs)
	if err != nil {
		return err
	}
	props := discover.Propose(g, known, reports)
	if len(props) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: %d incidents read: no provider named that the model does not already have\n", len(reports))
	}
	write := func(w io.Writer) error { return writeDiscovered(w, props, g.Lookup, known, len(reports)) }
	if opts.JSON {
		if opts.Output != "" && opts.Output != "-" {
			if err := writeOutput(opts.IO, opts.Output, write); err != nil {
				return err
			}
		}
		if props == nil {
			props = []discover.Proposal{}
		}
		return render.JSON(opts.IO.Out, map[string]any{"schema_version": 1, "proposals": props})
	}
	if err := writeOutput(opts.IO, opts.Output, write); err != nil {
		return err
	}
	if opts.Output != "" && opts.Output != "-" {
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: wrote %s: %d proposed dependencies from %d incidents\n", opts.Output, len(props), len(reports))
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readFeedFile reads and parses one saved feed, refusing files larger
// than feed.MaxSize.
func readFeedFile(path string) (*feed.Document, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Size() > feed.MaxSize {
		return nil, fmt.Errorf("%s is larger than the %d-byte limit", path, feed.MaxSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return feed.ParseReader(f, feed.FormatAuto, path)
}

// bindReports pairs each incident with the bound nodes it concerns: the
// nodes that list its components, or else those reading the whole feed.
func bindReports(bs []statusmap.Binding, incs []feed.Incident) []discover.Report {
	var out []discover.Report
	for i := range incs {
		in := &incs[i]
		var specific, whole []string
		for _, b := range bs {
			if !b.Concerns(in) {
				continue
			}
			if len(b.Status.Components) > 0 {
				specific = append(specific, b.Node.ID)
			} else {
				whole = append(whole, b.Node.ID)
			}
		}
		if len(specific) == 0 {
			specific = whole
		}
		for _, id := range specific {
			out = append(out, discover.Report{Vendor: id, Incident: in})
		}
	}
	return out
}

// writeDiscovered writes the proposals as an overlay file.
func writeDiscovered(w io.Writer, props []discover.Proposal, lookup func(string) (int32, bool), known []*model.Node, incidents int) error {
	header := []string{
		fmt.Sprintf("Proposed by `depgraph discover` from %d incidents: %d dependencies that vendors' status", incidents, len(props)),
		"history names and the model does not have. Review each (a provider named in an incident",
		"is not always one the vendor runs on), keep what is right, then load this file beside",
		"the model: depgraph validate -m MODEL -m THIS. Every edge is of unknown share.",
	}
	origin := map[string]string{}
	for _, n := range known {
		origin[n.ID] = n.Origin
	}
	cats := map[string]bool{}
	var nodes []*model.Node
	byFrom := map[string]*model.Node{}
	for _, p := range props {
		n := byFrom[p.From]
		if n == nil {
			n = &model.Node{ID: p.From, Meta: map[string]any{}}
			byFrom[p.From] = n
			nodes = append(nodes, n)
		}
		n.DependsOn = append(n.DependsOn, model.Dependency{ID: p.To, ImpactUnknown: true})
		if _, ok := lookup(p.To); !ok {
			if c, ok := strings.CutPrefix(origin[p.To], "catalog:"); ok {
				cats[c] = true
			}
		}
		disc, _ := n.Meta["discovered"].([]any)
		for _, e := range p.Evidence {
			disc = append(disc, map[string]any{"to": p.To, "incident_id": e.IncidentID, "quote": e.Quote})
			if strings.HasPrefix(e.URL, "https://") || strings.HasPrefix(e.URL, "http://") {
				src := model.Source{URL: e.URL, AsOf: e.At, Note: "incident " + e.IncidentID + " names " + p.To}
				if !slices.Contains(n.Sources, src) {
					n.Sources = append(n.Sources, src)
				}
			}
		}
		n.Meta["discovered"] = disc
	}
	var includes []string
	for c := range cats {
		includes = append(includes, c)
	}
	slices.Sort(includes)
	if len(nodes) == 0 {
		_, err := io.WriteString(w, "# "+header[0]+"\ndepgraph: 1\nnodes: []\n")
		return err
	}
	return importer.WriteOverlays(w, header, includes, nodes)
}
