package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/fetch"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/live"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/store"
	"github.com/depgraph/depgraph/internal/textsafe"
)

// fetchFlags are the flags of commands that fetch feeds.
type fetchFlags struct {
	Offline       string
	Timeout       time.Duration
	Concurrency   int
	Retries       int
	AllowRedirect []string
}

func (f *fetchFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.Offline, "offline", "", "read saved feeds from `dir` instead of the network")
	cmd.Flags().DurationVar(&f.Timeout, "timeout", 30*time.Second, "time limit per feed request")
	cmd.Flags().IntVar(&f.Concurrency, "concurrency", 16, "feeds fetched at once")
	cmd.Flags().IntVar(&f.Retries, "retries", 2, "retries on server errors and timeouts (never on 4xx)")
	cmd.Flags().StringArrayVar(&f.AllowRedirect, "allow-redirect", nil, "let feeds redirect to this `host` (or host:port) besides their own (repeatable)")
}

// fetcher builds the fetcher for feeds. On a terminal it shows progress
// in feeds, the unit the summary counts in (a Statuspage feed is two
// requests).
func (f *fetchFlags) fetcher(ios *iostreams.IOStreams, feeds []collect.Feed) *fetch.Fetcher {
	fe := &fetch.Fetcher{
		Client:             &http.Client{},
		Concurrency:        f.Concurrency,
		Timeout:            f.Timeout,
		Retries:            f.Retries,
		UserAgent:          fetch.UserAgent(Version),
		Offline:            f.Offline,
		AllowRedirectHosts: f.AllowRedirect,
	}
	if ios.IsStderrTTY() {
		fe.Progress = feedProgress(ios.ErrOut, feeds)
	}
	return fe
}

// feedProgress returns a fetch progress callback that counts finished
// feeds (all of a feed's requests done) out of len(feeds).
func feedProgress(w io.Writer, feeds []collect.Feed) func(fetch.Progress) {
	left := map[string]int{}
	for _, f := range feeds {
		left[f.Key] += len(f.Requests)
	}
	done := 0
	return func(p fetch.Progress) {
		if left[p.Result.Key]--; left[p.Result.Key] == 0 {
			done++
		}
		fmt.Fprintf(w, "\rdepgraph: fetched %d/%d feeds", done, len(feeds))
		if p.Done == p.Total {
			fmt.Fprintln(w)
		}
	}
}

// dbFlag registers --db. An empty value is refused: `--db ""` (an unset
// shell variable, often) must not silently mean the default store.
func dbFlag(cmd *cobra.Command, target *string) {
	cmd.Flags().Var((*dbPath)(target), "db", "incident store `path` (default: $XDG_STATE_HOME/depgraph/depgraph.db)")
}

// dbPath is the value of --db.
type dbPath string

func (p *dbPath) String() string { return string(*p) }
func (p *dbPath) Type() string   { return "string" }
func (p *dbPath) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("empty path: name a store file, or leave --db out for the default store")
	}
	*p = dbPath(v)
	return nil
}

// storePath returns path, or the default store's path when it is empty.
func storePath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return store.DefaultPath()
}

// openStore opens the store named by --db (or the default one) for
// writing, creating it when missing: only ingest does this.
func openStore(path string) (*store.Store, error) {
	path, err := storePath(path)
	if err != nil {
		return nil, err
	}
	return store.Open(path)
}

// openStoreRead opens the store named by --db (or the default one) for
// reading only. A store that does not exist is an input error that says
// so; nothing is created.
func openStoreRead(path string) (*store.Store, error) {
	path, err := storePath(path)
	if err != nil {
		return nil, err
	}
	st, err := store.OpenReadOnly(path)
	if errors.Is(err, store.ErrNoStore) {
		return nil, &InputError{Err: err}
	}
	return st, err
}

// --- ingest ---

type ingestOptions struct {
	IO    *iostreams.IOStreams
	Model modelFlags
	Fetch fetchFlags
	DB    string
	JSON  bool
}

func newIngestCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &ingestOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "ingest",
		Short: "Fetch every status feed the model names and store what is new",
		Long: `Ingest fetches the status feeds named by the model's status blocks and keeps
their incidents in the store: status pages only show their latest incidents,
so the store is what keeps history. An incident seen again is updated in
place; its updates are appended, never duplicated. Every ingest records what
it fetched and when.

Fetching is concurrent (--concurrency), each request has a time limit
(--timeout), server errors and timeouts are retried with backoff but client
errors are not, ETag and Last-Modified make repeat fetches cheap, and one
broken or slow feed never stops the others. Each feed is stored in its own
transaction. The run ends with a per-feed summary; the exit code is 1 when a
feed failed.`,
		Example: `  $ depgraph ingest -m acme.yaml
  $ depgraph ingest --offline saved-feeds/ --db test.db`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	opts.Fetch.register(cmd)
	dbFlag(cmd, &opts.DB)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the per-feed summary as JSON")
	return cmd
}

// feedSummary is one feed's line of the ingest summary.
type feedSummary struct {
	Feed        string   `json:"feed"`
	Nodes       []string `json:"nodes"`
	OK          bool     `json:"ok"`
	New         int      `json:"new"`
	Updated     int      `json:"updated"`
	NotModified int      `json:"not_modified"`
	Errors      []string `json:"errors"`
	// Warnings are what the parser left out (bad or missing times).
	Warnings []string `json:"warnings"`
}

func runIngest(ctx context.Context, opts *ingestOptions) error {
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	feeds := collect.Plan(res.Model, usedBy(g))
	if len(feeds) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "depgraph: warning: the model names no status feed: add status blocks (see docs/model.md)")
		return nil
	}
	st, err := openStore(opts.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	results, err := collect.Run(ctx, opts.Fetch.fetcher(opts.IO, feeds), st, feeds)
	if err != nil {
		return err
	}
	var sums []feedSummary
	failed := 0
	for _, r := range results {
		s := feedSummary{Feed: r.Feed.Key, Nodes: r.Feed.Nodes, OK: !r.Failed(), New: r.New, Updated: r.Updated, NotModified: r.NotModified, Errors: r.Errors, Warnings: []string{}}
		if s.Errors == nil {
			s.Errors = []string{}
		}
		for _, doc := range r.Documents {
			for _, w := range doc.Warnings {
				s.Warnings = append(s.Warnings, w.String())
			}
			printFeedWarnings(opts.IO.ErrOut, r.Feed.Key, doc)
		}
		if r.Failed() {
			failed++
		}
		sums = append(sums, s)
	}
	if opts.JSON {
		if err := render.JSON(opts.IO.Out, map[string]any{"schema_version": 1, "db": st.Path(), "feeds": sums}); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "FEED\tRESULT\tNEW\tUPDATED\tNODES")
		for _, s := range sums {
			result := "ok"
			if !s.OK {
				result = "FAILED"
			} else if s.NotModified > 0 && s.New+s.Updated == 0 {
				result = "not modified"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", textsafe.Line(s.Feed), result, s.New, s.Updated, summarizeIDs(s.Nodes, 3))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, s := range sums {
			for _, e := range s.Errors {
				fmt.Fprintf(opts.IO.ErrOut, "depgraph: error: feed %s: %s\n", textsafe.Line(s.Feed), textsafe.Line(e))
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d feeds failed; what they had stored before is kept", failed, len(sums))
	}
	return nil
}

// usedBy returns a filter keeping the nodes some service of yours depends
// on, or nil (keep all) when the model has no service.
func usedBy(g *graph.Graph) func(string) bool {
	if len(g.Services()) == 0 {
		return nil
	}
	return func(id string) bool {
		i, ok := g.Lookup(id)
		return ok && g.Party(i) > 0
	}
}

// summarizeIDs shows the first n ids and counts the rest.
func summarizeIDs(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:n], ", "), len(ids)-n)
}

// --- status ---

type statusOptions struct {
	IO          *iostreams.IOStreams
	Model       modelFlags
	Fetch       fetchFlags
	JSON        bool
	Maintenance float64
	// Now is the clock liveness is judged by; nil means time.Now.
	Now func() time.Time
}

func newStatusCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &statusOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show which vendors report trouble now and what of yours it hits",
		Long: `Status fetches the model's status feeds now (or reads saved ones with
--offline), maps what they report onto the model's nodes, and propagates it:
the live blast radius.

A node's own impairment comes from the components its status block names
(operational 0, degraded performance 0.25, partial outage 0.5, major outage
1, maintenance --maintenance) and from its open incidents (minor 0.25, major
0.5, critical 1), whichever is worse. An incident is open while the feed
has not resolved it; items of plain RSS and Atom feeds, which never say when
trouble ends, count only within a few days of their last mention (see
docs/feeds.md). Feed components that map to no node are listed so the
mapping can be completed.

A feed that cannot be read (an error, a 304 answer to a request without
validators, an empty Azure channel) is unknown, never healthy: status says
how many feeds could not be read, which, and whose state is therefore
unknown. Exit code 1 when no feed at all could be read.`,
		Example: `  $ depgraph status -m acme.yaml
  $ depgraph status --offline saved-feeds/ --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	opts.Fetch.register(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.Flags().Float64Var(&opts.Maintenance, "maintenance", 0, "impairment of a component under maintenance, 0 to 1")
	return cmd
}

// statusReport is status's JSON output.
type statusReport struct {
	SchemaVersion int `json:"schema_version"`
	// At is the time liveness was judged at.
	At time.Time `json:"at"`
	// FeedsTotal counts the feeds the model names for the nodes in use;
	// FeedsRead those that could be read.
	FeedsTotal int `json:"feeds_total"`
	FeedsRead  int `json:"feeds_read"`
	// Reporting lists the nodes whose feeds report trouble, with their
	// own impairment and the open incidents that concern them.
	Reporting []reportingNode `json:"reporting"`
	// Blast is the propagation of those impairments.
	Blast *blast.Result `json:"blast"`
	// Unknown lists the feeds that could not be read, and UnknownNodes
	// the nodes that read them: their state is unknown, not healthy.
	Unknown      []string `json:"unknown"`
	UnknownNodes []string `json:"unknown_nodes"`
	// Errors lists, per feed, why requests failed.
	Errors map[string][]string `json:"errors"`
	// Warnings lists, per feed, what the parser left out.
	Warnings map[string][]string `json:"warnings"`
	// Unmapped lists, per feed, components no node stands for.
	Unmapped map[string][]string `json:"unmapped"`
}

type reportingNode struct {
	Node       string   `json:"node"`
	Impairment float64  `json:"impairment"`
	Incidents  []string `json:"incidents"`
}

// errNoFeedRead is status's error when no feed could be read.
type errNoFeedRead struct{ total int }

func (e *errNoFeedRead) Error() string {
	if e.total == 0 {
		return "the model names no status feed for the nodes your services use: nothing is known about their state (add status blocks, see docs/model.md)"
	}
	return fmt.Sprintf("none of the %d status feeds could be read: the state of every node is unknown", e.total)
}

// readings hands what was fetched to the live state, which judges it.
func readings(results []collect.Result) []live.Reading {
	rs := make([]live.Reading, len(results))
	for i, r := range results {
		rs[i] = live.Reading{Key: r.Feed.Key, URL: r.Feed.URL, Nodes: r.Feed.Nodes, Documents: r.Documents, Errors: r.Errors}
	}
	return rs
}

func runStatus(ctx context.Context, opts *statusOptions) error {
	if opts.Maintenance < 0 || opts.Maintenance > 1 {
		return flagErrorf("--maintenance %g is outside [0, 1]", opts.Maintenance)
	}
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if opts.Now != nil {
		now = opts.Now().UTC()
	}
	feeds := collect.Plan(res.Model, usedBy(g))
	results, err := collect.Run(ctx, opts.Fetch.fetcher(opts.IO, feeds), nil, feeds)
	if err != nil {
		return err
	}
	ls := live.Compute(res.Model, readings(results), now, opts.Maintenance)
	rep := statusReport{SchemaVersion: 1, At: now, FeedsTotal: len(feeds), FeedsRead: ls.FeedsRead(), Reporting: []reportingNode{},
		Unknown: ls.Unknown, UnknownNodes: ls.UnknownNodes,
		Errors: map[string][]string{}, Warnings: map[string][]string{}, Unmapped: map[string][]string{}}
	for _, f := range ls.Feeds {
		if len(f.Errors) > 0 {
			rep.Errors[f.Key] = f.Errors
		}
		if len(f.Warnings) > 0 {
			rep.Warnings[f.Key] = f.Warnings
		}
		if len(f.Unmapped) > 0 {
			rep.Unmapped[f.Key] = f.Unmapped
		}
	}
	var seeds []blast.Seed
	for _, r := range ls.Reporting {
		i, _ := g.Lookup(r.Node)
		seeds = append(seeds, blast.Seed{Node: i, Impairment: r.Impairment})
		titles := make([]string, 0, len(r.Incidents))
		for _, in := range r.Incidents {
			titles = append(titles, in.Title)
		}
		slices.Sort(titles)
		rep.Reporting = append(rep.Reporting, reportingNode{Node: r.Node, Impairment: r.Impairment, Incidents: slices.Compact(titles)})
	}
	slices.SortFunc(seeds, func(a, b blast.Seed) int { return int(a.Node - b.Node) })
	ids := make([]int32, len(seeds))
	for i, s := range seeds {
		ids[i] = s.Node
	}
	rep.Blast = blast.Describe(g, ids, blast.PropagateSeedsPaths(g, seeds))
	var blind error
	if rep.FeedsRead == 0 {
		blind = &errNoFeedRead{total: rep.FeedsTotal}
	}
	if opts.JSON {
		if err := render.JSON(opts.IO.Out, rep); err != nil {
			return err
		}
		return blind
	}
	out := opts.IO.Out
	switch {
	case blind != nil:
		fmt.Fprintf(out, "No feed could be read (%d of %d): the state of your model's nodes is unknown, not healthy.\n", rep.FeedsRead, rep.FeedsTotal)
	case len(rep.Reporting) == 0:
		fmt.Fprintf(out, "No feed reports trouble on your model's nodes (%d of %d feeds read).\n", rep.FeedsRead, rep.FeedsTotal)
	default:
		fmt.Fprintf(out, "Reporting trouble (%d of %d feeds read):\n", rep.FeedsRead, rep.FeedsTotal)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		for _, r := range rep.Reporting {
			titles := make([]string, len(r.Incidents))
			for i, t := range r.Incidents {
				titles[i] = textsafe.Line(t)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Node, blastPercent(r.Impairment), strings.Join(titles, "; "))
		}
		tw.Flush()
		fmt.Fprintln(out)
		if err := render.BlastText(out, rep.Blast, render.BlastTextOptions{}); err != nil {
			return err
		}
	}
	if n := len(rep.Unknown); n > 0 && blind == nil {
		fmt.Fprintf(out, "Unknown: %s could not be read (%s); the state of %s is unknown, not healthy.\n",
			plural(n, "feed", "feeds"), textsafe.Line(summarizeIDs(rep.Unknown, 5)), summarizeIDs(rep.UnknownNodes, 5))
	}
	errOut := opts.IO.ErrOut
	for _, k := range sortedKeys(rep.Errors) {
		for _, e := range rep.Errors[k] {
			fmt.Fprintf(errOut, "depgraph: warning: feed %s: %s\n", textsafe.Line(k), textsafe.Line(e))
		}
	}
	for _, k := range sortedKeys(rep.Warnings) {
		for _, w := range rep.Warnings[k] {
			fmt.Fprintf(errOut, "depgraph: warning: feed %s: %s\n", textsafe.Line(k), textsafe.Line(w))
		}
	}
	for _, k := range rep.Unknown {
		fmt.Fprintf(errOut, "depgraph: warning: feed %s could not be read: its nodes' state is unknown, not healthy\n", textsafe.Line(k))
	}
	for _, k := range sortedKeys(rep.Unmapped) {
		fmt.Fprintf(errOut, "depgraph: hint: feed %s: components no node stands for: %s\n", textsafe.Line(k), textsafe.Line(summarizeIDs(rep.Unmapped[k], 8)))
	}
	return blind
}

// sortedKeys returns m's keys, sorted.
func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func blastPercent(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }

// plural writes n with the singular or plural word.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
