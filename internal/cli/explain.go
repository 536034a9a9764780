package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/safeio"
	"github.com/depgraph/depgraph/internal/statusmap"
	"github.com/depgraph/depgraph/internal/store"
)

type explainOptions struct {
	IO        *iostreams.IOStreams
	Model     modelFlags
	Impacted  []string
	Healthy   []string
	From, To  time.Time
	DB        string
	Incidents []string
	Format    string
	Top       int
}

const explainLong = `Explain ranks the candidate root causes of an observed incident: which
upstream node (or, when one cannot explain it all, which pair of nodes) most
likely caused what you saw, at which layer, with the evidence for and
against each.

Give what broke (--impacted), what stayed healthy (--healthy) and when
(--from, --to). Status evidence comes from the incident store (depgraph
ingest) or from saved feeds (--incidents FILE...).

Scoring. Every node upstream of an impacted node is a candidate:

  score = coverage − contradictions + status evidence − silence − extra − parsimony

  coverage        share of impacted nodes its blast radius reaches (×1.0)
  contradictions  share of healthy nodes it would take down (×0.6): a
                  penalty, not an exclusion, as impact can be partial
  status evidence +0.35 for an incident on it in the window, +0.15 for
                  incidents on nodes between it and the impacted ones,
                  +0.1 when its incident started first, +0.15 when nodes
                  depending on it report trouble too; −0.15 when one of its
                  own dependencies also reports trouble (the deeper layer is
                  the cause, the vendor a victim), unless its incident
                  started 15 minutes earlier or it blames itself; ±0.2 when
                  its own words blame itself or a provider
  silence         −0.1 when its status feed was read and said nothing,
                  unless its page runs on what it would take down
                  (status.hosted_on): such silence proves nothing
  extra           −0.1 × share of its predicted failures nobody reported
  parsimony       −0.25 per cause beyond the first; a pair is proposed when
                  the best single cause leaves impacted nodes unexplained

A vendor's own failure is a legitimate answer: the cloud is not blamed
unless the evidence and the observation point at it.`

func newExplainCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &explainOptions{IO: ios}
	var from, to string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain --impacted NODE[,NODE...] --from TIME --to TIME",
		Short: "Rank the candidate root causes of an observed incident, layer by layer",
		Long:  explainLong,
		Example: `  $ depgraph explain --impacted acme/support-bot,acme/checkout --healthy acme/on-call \
      --from 2025-06-12T17:45Z --to 2025-06-12T21:00Z -m acme.yaml
  $ depgraph explain --impacted acme/support-bot --from 2025-06-12 --incidents saved/*.json --json
  $ depgraph explain --impacted acme/checkout --from 2025-06-12T17:45Z --format markdown`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			opts.Impacted, opts.Healthy = splitList(opts.Impacted), splitList(opts.Healthy)
			if len(opts.Impacted) == 0 {
				return flagErrorf("--impacted needs at least one node")
			}
			if opts.From, err = parseDate(from); err != nil {
				return flagErrorf("--from: %v", err)
			}
			if opts.To, err = parseDate(to); err != nil {
				return flagErrorf("--to: %v", err)
			}
			if opts.From.IsZero() {
				return flagErrorf("--from is required: when the incident started")
			}
			if opts.To.IsZero() {
				opts.To = opts.From.Add(24 * time.Hour)
			}
			if opts.To.Before(opts.From) {
				return flagErrorf("--to is before --from")
			}
			if asJSON {
				opts.Format = "json"
			}
			switch opts.Format {
			case "text", "json", "markdown":
			default:
				return flagErrorf("unknown format %q: use one of text, json, markdown", opts.Format)
			}
			return runExplain(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	f := cmd.Flags()
	f.StringArrayVar(&opts.Impacted, "impacted", nil, "`nodes` that broke (comma-separated, repeatable)")
	f.StringArrayVar(&opts.Healthy, "healthy", nil, "`nodes` seen healthy during the window")
	f.StringVar(&from, "from", "", "window start (RFC 3339 or YYYY-MM-DD, UTC)")
	f.StringVar(&to, "to", "", "window end (default: 24 hours after --from)")
	f.StringVar(&opts.DB, "db", "", "incident store `path` (default: $XDG_STATE_HOME/depgraph/depgraph.db; skipped when absent)")
	f.StringArrayVar(&opts.Incidents, "incidents", nil, "saved feed `file` to use as status evidence (repeatable)")
	f.StringVar(&opts.Format, "format", "text", "output `format`: text, json, markdown")
	f.BoolVar(&asJSON, "json", false, "print JSON (same as --format json)")
	f.IntVar(&opts.Top, "top", 5, "hypotheses shown in text and markdown")
	return cmd
}

func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func runExplain(ctx context.Context, opts *explainOptions) error {
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	in := blast.ExplainInput{Observation: blast.Observation{From: opts.From, To: opts.To}, StatusHosts: map[int32][]int32{}}
	if in.Impacted, err = blast.Resolve(g, opts.Impacted); err != nil {
		return err
	}
	if in.Healthy, err = blast.Resolve(g, opts.Healthy); err != nil {
		return err
	}
	for i := range int32(g.Len()) {
		if st := g.ModelNode(i).Status; st != nil {
			for _, h := range st.HostedOn {
				if j, ok := g.Lookup(h); ok {
					in.StatusHosts[i] = append(in.StatusHosts[i], j)
				}
			}
		}
	}
	watched := map[int32]bool{}
	addEvidence := func(nodeID string, inc *feed.Incident) {
		if !overlaps(inc, opts.From, opts.To) {
			return
		}
		i, _ := g.Lookup(nodeID)
		text := inc.Title
		for _, u := range inc.Updates {
			text += " " + u.Body
		}
		in.Evidence = append(in.Evidence, blast.Evidence{Node: i, IncidentID: inc.ID, Title: inc.Title, Impact: string(inc.Impact),
			StartedAt: inc.StartedAt, ResolvedAt: inc.ResolvedAt, URL: inc.URL, Text: text})
	}
	for _, path := range opts.Incidents {
		data, err := safeio.ReadFileLimit(path, safeio.DefaultLimit)
		if err != nil {
			return &InputError{Err: fmt.Errorf("--incidents: %w", err)}
		}
		doc, err := feed.Parse(data, feed.FormatAuto, path)
		if err != nil {
			return &InputError{Err: err}
		}
		mapped := statusmap.Map(res.Model, doc, doc.Source.URL, 0)
		for _, b := range statusmap.Bindings(res.Model, doc.Source.Format, doc.Source.URL) {
			i, _ := g.Lookup(b.Node.ID)
			watched[i] = true
		}
		for _, m := range mapped.Matches {
			addEvidence(m.NodeID, m.Incident)
		}
	}
	if err := storeEvidence(ctx, opts, res, g, watched, addEvidence); err != nil {
		return err
	}
	for w := range watched {
		in.Watched = append(in.Watched, w)
	}
	slices.Sort(in.Watched)
	slices.SortFunc(in.Evidence, func(a, b blast.Evidence) int {
		if c := a.StartedAt.Compare(b.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(a.IncidentID, b.IncidentID)
	})
	out := blast.Explain(g, in, blast.ExplainOptions{})
	switch opts.Format {
	case "json":
		return render.JSON(opts.IO.Out, out)
	case "markdown":
		return render.ExplainMarkdown(opts.IO.Out, out, opts.Top)
	}
	return render.ExplainText(opts.IO.Out, out, opts.Top)
}

// storeEvidence adds the stored incidents that concern the model's nodes,
// when a store exists (an explicit --db must exist).
func storeEvidence(ctx context.Context, opts *explainOptions, res *ingest.Result, g *graph.Graph, watched map[int32]bool, add func(string, *feed.Incident)) error {
	path := opts.DB
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil
		}
		if _, err := os.Stat(p); err != nil {
			return nil // no history yet
		}
		path = p
	} else if _, err := os.Stat(path); err != nil {
		return &InputError{Err: fmt.Errorf("--db %s: %w", path, err)}
	}
	st, err := openStoreRead(path)
	if err != nil {
		return err
	}
	defer st.Close()
	idx := res.Model.Index()
	for _, f := range collect.Plan(res.Model, nil) {
		incs, err := st.Incidents(ctx, store.Query{Feeds: []string{f.Key}, Until: opts.To})
		if err != nil {
			return err
		}
		fetches, err := st.Fetches(ctx, store.FetchQuery{Feeds: []string{f.Key}, Since: opts.From, Until: opts.To})
		if err != nil {
			return err
		}
		read := false
		for _, fe := range fetches {
			if fe.Error == "" {
				read = true
			}
		}
		for _, id := range f.Nodes {
			n := idx[id]
			if read {
				i, _ := g.Lookup(id)
				watched[i] = true
			}
			b := statusmap.Binding{Node: n, Status: n.Status}
			for k := range incs {
				if b.Concerns(&incs[k].Incident) {
					add(id, &incs[k].Incident)
				}
			}
		}
	}
	return nil
}

// overlaps reports whether an incident overlaps [from, to]; maintenance
// never counts.
func overlaps(in *feed.Incident, from, to time.Time) bool {
	if in.Impact == feed.ImpactMaintenance {
		return false
	}
	if in.StartedAt.After(to) {
		return false
	}
	if until, ok := in.LiveUntil(); ok && in.ResolvedAt == nil && until.Before(from) {
		return false // a plain RSS/Atom item, no longer live by then
	}
	return in.ResolvedAt == nil || !in.ResolvedAt.Before(from)
}
