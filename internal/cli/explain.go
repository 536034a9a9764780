package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/diagnose"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/model"
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
	MaxRoots  int
}

const explainLong = `Explain ranks the root causes of an observed incident: which node, or which
two or three nodes failing at once, most likely caused what you saw, at which
layer, with a posterior probability and the factors that moved it.

Give what broke (--impacted), what stayed healthy (--healthy) and when
(--from, --to). Status evidence comes from the incident store (depgraph
ingest) or from saved feeds (--incidents FILE...). A feed binds to the
model's nodes by what it is: AWS history (aws-events data.json or a
per-service RSS) to the AWS service-region nodes by service and region code,
Azure RSS, Google Cloud and Slack to their nodes by type, a Statuspage or
incident.io file (either shape) to the nodes whose status page has its host.
The output says what each file bound to, or why it bound to nothing.

The model (after Sherlock, Bahl et al., SIGCOMM 2007, and Gestalt, Mysore et
al., USENIX ATC 2014; docs/explain.md has every constant and its reason):

  hypothesis    a set of at most --max-roots nodes failing by themselves;
                its predicted impairments come from the blast-radius
                propagation, an edge of unknown share passing on 0.5
  prior         per root, P(failing in the window) = 1 − exp(−λ·(W + 2 h)),
                λ from the store's history of its feed, else from the
                model's unavailability, else a default by kind (incidents a
                year: component 4, vendor 3, cloud-service 2, zone 2,
                region 1, provider 0.5)
  observation   seen impacted: 0.002 + 0.898·x; seen healthy: the rest
                (x the predicted impairment); unobserved: no cost
  incident      a page posts with probability 0.7 when what it speaks for
                is down, 0.05 when not; severity major/minor/none given
                posting 0.6/0.3/0.1 when down, 0.2/0.5/0.3 when not
  silence       0.3 when down, 0.95 when not; no evidence when the page
                runs on what the hypothesis takes down (status.hosted_on)
  words         blames itself / an unnamed provider / names a node: P by
                role root, victim, unaffected = 0.35/0.05/0.15,
                0.03/0.30/0.05, 0.02/0.25/0.05; a named node (names and
                aliases matched in the text) multiplies the odds by 30 as
                the root, 25 when the root is part of it, 10 when impaired
  timing        the root's incident first (15 min slack): 0.65 vs 0.35

Single causes are scored exactly, best upper bound first, until the bound
falls 20 below the best score (such a cause's posterior is below e^-20 of the
best; "pruned" counts them); pairs and triples by a bounded search over the
25 best singles, skipping a second root that explains nothing new.
Probabilities are normalised over the hypotheses considered, not over every
possible cause. Your own services are never a
hypothesis unless nothing else explains. Ties go to fewer roots, then to the
deeper cause.`

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
		// Files after --incidents are more feed files: a shell glob
		// (--incidents saved/*.json) expands to several.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(opts.Incidents) == 0 {
				return noArgs(cmd, args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			opts.Incidents = append(opts.Incidents, args...)
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
			if opts.MaxRoots < 1 || opts.MaxRoots > 3 {
				return flagErrorf("--max-roots must be 1, 2 or 3")
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
	f.StringArrayVar(&opts.Incidents, "incidents", nil, "saved feed `file` to use as status evidence (repeatable; files given after it are read too, so a shell glob works)")
	f.StringVar(&opts.Format, "format", "text", "output `format`: text, json, markdown")
	f.BoolVar(&asJSON, "json", false, "print JSON (same as --format json)")
	f.IntVar(&opts.Top, "top", 5, "hypotheses shown in text and markdown")
	f.IntVar(&opts.MaxRoots, "max-roots", 2, "most `roots` a hypothesis may have (1 to 3)")
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
	in := diagnose.Input{From: opts.From, To: opts.To, Rates: map[int32]float64{}}
	if in.Impacted, err = blast.Resolve(g, opts.Impacted); err != nil {
		return err
	}
	if in.Healthy, err = blast.Resolve(g, opts.Healthy); err != nil {
		return err
	}
	watched := map[int32]bool{}
	addEvidence := func(nodeID string, inc *feed.Incident) bool {
		if !overlaps(inc, opts.From, opts.To) {
			return false
		}
		i, _ := g.Lookup(nodeID)
		in.Evidence = append(in.Evidence, diagnose.Evidence{Node: i, IncidentID: inc.ID, Title: inc.Title, Impact: string(inc.Impact),
			StartedAt: inc.StartedAt, ResolvedAt: inc.ResolvedAt, URL: inc.URL, Text: inc.Text()})
		return true
	}
	var feeds []diagnose.FeedUse
	for _, path := range opts.Incidents {
		data, err := safeio.ReadFileLimit(path, safeio.DefaultLimit)
		if err != nil {
			return &InputError{Err: fmt.Errorf("--incidents: %w", err)}
		}
		doc, err := feed.Parse(data, feed.FormatAuto, path)
		if err != nil {
			return &InputError{Err: err}
		}
		use := diagnose.FeedUse{Name: filepath.Base(path), Format: string(doc.Source.Format), Incidents: len(doc.Incidents), Nodes: []string{}}
		for k := range doc.Incidents {
			if overlaps(&doc.Incidents[k], opts.From, opts.To) {
				use.InWindow++
			}
		}
		br := statusmap.Bind(res.Model, doc, "")
		use.By, use.Reason = br.By, br.Reason
		for _, b := range br.Bindings {
			if b.Covers(doc) {
				i, _ := g.Lookup(b.Node.ID)
				watched[i] = true
			}
		}
		bound := map[string]bool{}
		for _, m := range statusmap.Map(res.Model, doc, "", 0).Matches {
			if addEvidence(m.NodeID, m.Incident) {
				bound[m.NodeID] = true
			}
		}
		for _, b := range br.Bindings {
			if i, _ := g.Lookup(b.Node.ID); watched[i] || bound[b.Node.ID] {
				use.Nodes = append(use.Nodes, b.Node.ID)
			}
		}
		if len(use.Nodes) == 0 && use.Reason == "" {
			use.Reason = fmt.Sprintf("its %d incidents name components or locations no bound node lists", len(doc.Incidents))
			if len(doc.Incidents) == 0 {
				use.Reason = "it speaks for none of the nodes of its type (a per-service feed with no incident names no service)"
			}
		}
		feeds = append(feeds, use)
	}
	if err := storeEvidence(ctx, opts, res, g, watched, in.Rates, addEvidence); err != nil {
		return err
	}
	for w := range watched {
		in.Watched = append(in.Watched, w)
	}
	slices.Sort(in.Watched)
	slices.SortFunc(in.Evidence, func(a, b diagnose.Evidence) int {
		if c := a.StartedAt.Compare(b.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(a.IncidentID, b.IncidentID)
	})
	out := diagnose.Diagnose(g, in, diagnose.Options{MaxRoots: opts.MaxRoots})
	if feeds != nil {
		out.Feeds = feeds
	}
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
func storeEvidence(ctx context.Context, opts *explainOptions, res *ingest.Result, g *graph.Graph, watched map[int32]bool, rates map[int32]float64, add func(string, *feed.Incident) bool) error {
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
	plan := collect.Plan(res.Model, nil)
	for i, r := range historyRates(ctx, st, res.Model, g, plan, opts.From) {
		rates[i] = r
	}
	for _, f := range plan {
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

// minHistory is the least history of a feed that gives a node its prior.
const minHistory = 30 * 24 * time.Hour

// historyRates returns, by node, the incidents a year its feed's history in
// the store shows before to, for the nodes of feeds whose history spans at
// least minHistory: (incidents + 0.5) / years observed.
func historyRates(ctx context.Context, st *store.Store, m *model.Model, g *graph.Graph, feeds []collect.Feed, to time.Time) map[int32]float64 {
	idx := m.Index()
	rates := map[int32]float64{}
	for _, f := range feeds {
		for _, id := range f.Nodes {
			n := idx[id]
			if n == nil || n.Status == nil {
				continue
			}
			ss, err := st.Stats(ctx, store.StatsQuery{Feeds: []string{f.Key}, To: to, AnyOf: n.Status.Components})
			if err != nil || len(ss) == 0 || ss[0].WindowHours < minHistory.Hours() {
				continue
			}
			if i, ok := g.Lookup(id); ok {
				rates[i] = (float64(ss[0].Incidents) + 0.5) / (ss[0].WindowHours / (365.25 * 24))
			}
		}
	}
	return rates
}
