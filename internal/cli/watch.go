package cli

// Messages of the watch command on stderr follow the house rules: a
// "depgraph: " prefix, lower case, no final period; "depgraph: watch: "
// for the one line each cycle prints, "depgraph: warning: " for what went
// wrong but did not stop the watch.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/diagnose"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/fetch"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/live"
	"github.com/depgraph/depgraph/internal/mention"
	"github.com/depgraph/depgraph/internal/notify"
	"github.com/depgraph/depgraph/internal/store"
	"github.com/depgraph/depgraph/internal/textsafe"
	"github.com/depgraph/depgraph/internal/watch"
)

type watchOptions struct {
	IO             *iostreams.IOStreams
	Model          modelFlags
	Fetch          fetchFlags
	DB             string
	Interval       time.Duration
	Once           bool
	At             time.Time
	Alerts         string
	Webhook        string
	WebhookRetries int
	Listen         string
	Maintenance    float64

	// signals are the signals that stop the watch; nil means SIGINT and
	// SIGTERM (tests send their own).
	signals chan os.Signal
	// listening, when set, is told the address the live server listens
	// on.
	listening func(addr string)
	// webhookBackoff is the first wait between webhook attempts (tests
	// shorten it).
	webhookBackoff time.Duration
}

const watchLong = `Watch fetches the model's status feeds every --interval, stores what is
new, and turns what they report into situations: reports that one upstream
root explains are one situation, so when a cloud region fails and ten
vendors' pages turn red you get one alert, rooted at the region, that says
which of your services it hits.

Each cycle: fetch every feed your services' nodes name (conditional
requests, --concurrency at once, --timeout each; a 304 answer reuses the
last document read), store new incidents, work out which nodes report
trouble and which feeds could not be read (as status does), propagate the
reports (blast radius), and group them by root (the diagnosis of explain,
one root at a time: the likeliest root of all reports and those it
explains, then the next). Then compare with the open situations:

  opened    a group no open situation covers
  updated   a situation's root was revised, a vendor started or stopped
            reporting, more or fewer services are hit, a new incident was
            posted, or its probability moved by 10 points or more
  resolved  every node of the situation has a feed that was read and
            reports no trouble (never suppressed, never delayed)
  blind     a feed could not be read: its nodes' state is unknown; a
            situation with unknown members stays open, never resolved

Hysteresis: trouble at the root or reporting nodes of a situation resolved
less than 30 minutes ago must be seen in 2 cycles in a row before a new
situation opens; only the alert is held back (the live page shows it as
pending), never monitoring or a resolution. A feed that flaps every cycle
so gives at most one opened and one resolved every 30 minutes. A
situation's probability is that of its last event until it moves 10
points from it.

Situations, the events and what was delivered are kept in the store
(--db): a restart sends no second "opened", and events not yet delivered
are delivered first. --alerts FILE (or - for stdout) appends one JSON line
per event; --webhook URL POSTs the same JSON with a "text" summary
(Slack-compatible), retrying server errors with backoff; a webhook that
keeps failing never stops the watch (its events stay pending for 24 hours).

Event lines: {"schema_version": 1, "event": "opened|updated|resolved|blind",
"situation": ID, "at": RFC 3339, "roots": [...], "probability": p,
"layer": "...", "affected_services": [...], "reporting": [...],
"incidents": [{"node", "id", "title", "url"}], "unknown": [...],
"unreadable_feeds": [...], "unknown_services": [...], "changes": [...]}.

--listen ADDR serves a live page (/), /api/situations (JSON), /metrics
(Prometheus) and /healthz; an address without a host listens on loopback
only. --once runs one cycle and exits (for cron and tests), with exit code
1 when no feed at all could be read; --at TIME runs that cycle as if at
TIME (to replay saved feeds). SIGINT or SIGTERM ends
the watch once the current cycle (its store write and deliveries) is done,
with exit code 0.`

func newWatchCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &watchOptions{IO: ios}
	var at string
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Watch the status feeds: one alert per upstream root, a live page, metrics",
		Long:  watchLong,
		Example: `  $ depgraph watch -m acme.yaml --interval 60s --alerts - --listen 127.0.0.1:8080
  $ depgraph watch -m acme.yaml --once --offline saved-feeds/ --db watch.db --alerts events.jsonl
  $ depgraph watch -m acme.yaml --webhook https://hooks.example/T0/B0 --alerts alerts.jsonl`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.At, err = parseDate(at); err != nil {
				return flagErrorf("--at: %v", err)
			}
			if !opts.At.IsZero() && !opts.Once {
				return flagErrorf("--at needs --once: a watch that runs on runs now")
			}
			if opts.Webhook != "" {
				u, err := url.Parse(opts.Webhook)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return flagErrorf("--webhook %q: give an http or https URL", opts.Webhook)
				}
			}
			if opts.Listen != "" {
				if opts.Listen, err = loopbackByDefault(opts.Listen); err != nil {
					return flagErrorf("--listen: %v", err)
				}
			}
			return runWatch(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	opts.Fetch.register(cmd)
	dbFlag(cmd, &opts.DB)
	f := cmd.Flags()
	f.DurationVar(&opts.Interval, "interval", time.Minute, "time between cycles")
	f.BoolVar(&opts.Once, "once", false, "run one cycle and exit")
	f.StringVar(&at, "at", "", "with --once, run the cycle as if at `time` (RFC 3339 or YYYY-MM-DD), to replay saved feeds")
	f.StringVar(&opts.Alerts, "alerts", "", "append one JSON line per event to `file` (- for stdout)")
	f.StringVar(&opts.Webhook, "webhook", "", "POST each event as JSON with a text summary to `url`")
	f.IntVar(&opts.WebhookRetries, "webhook-retries", 3, "retries of a failed webhook POST within a cycle")
	f.StringVar(&opts.Listen, "listen", "", "serve the live page, /api/situations, /metrics and /healthz on `addr` (host:port; no host means loopback)")
	f.Float64Var(&opts.Maintenance, "maintenance", 0, "impairment of a component under maintenance, 0 to 1")
	return cmd
}

// loopbackByDefault gives an address without a host the loopback host.
func loopbackByDefault(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		if _, perr := strconv.Atoi(addr); perr == nil {
			return net.JoinHostPort("127.0.0.1", addr), nil
		}
		return "", fmt.Errorf("%q: give host:port or :port", addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// watcher runs the cycles of one watch.
type watcher struct {
	opts    *watchOptions
	res     *ingest.Result
	g       *graph.Graph
	feeds   []collect.Feed
	st      *store.Store
	fetcher *fetch.Fetcher
	state   watch.State
	docs    map[string][]byte
	alerts  io.Writer
	hook    *notify.Webhook
	server  snapshotServer
	// rates are the diagnosis's priors from history, as of ratesAt.
	rates   map[int32]float64
	ratesAt time.Time
	// mentions, predictor and hosts are the diagnosis's indexes of the
	// graph, built at the first cycle and kept.
	mentions  *mention.Index
	predictor *diagnose.Predictor
	hosts     map[int32][]int32
	// feedErrs are each feed's errors as last told.
	feedErrs map[string]string
}

// snapshotServer is what the watcher tells about each cycle (the live
// server).
type snapshotServer interface {
	Update(*watch.Snapshot)
}

func runWatch(ctx context.Context, opts *watchOptions) error {
	if opts.Maintenance < 0 || opts.Maintenance > 1 {
		return flagErrorf("--maintenance %g is outside [0, 1]", opts.Maintenance)
	}
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	w := &watcher{opts: opts, res: res, g: g}
	w.feeds = collect.Plan(res.Model, usedBy(g))
	if len(w.feeds) == 0 {
		return &InputError{Err: errors.New("the model names no status feed for the nodes your services use: there is nothing to watch (add status blocks, see docs/model.md)")}
	}
	w.fetcher = opts.Fetch.fetcher(opts.IO, w.feeds)
	if w.st, err = openStore(opts.DB); err != nil {
		return err
	}
	defer w.st.Close()
	stateJSON, docs, err := w.st.LoadWatch(ctx)
	if err != nil {
		return err
	}
	w.docs = docs
	if stateJSON != nil {
		if err := json.Unmarshal(stateJSON, &w.state); err != nil {
			return fmt.Errorf("the watch state in %s cannot be read: %w", w.st.Path(), err)
		}
	}
	switch opts.Alerts {
	case "":
	case "-":
		w.alerts = opts.IO.Out
	default:
		f, err := os.OpenFile(opts.Alerts, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return &InputError{Err: fmt.Errorf("--alerts: %w", err)}
		}
		defer f.Close()
		w.alerts = f
	}
	if opts.Webhook != "" {
		w.hook = &notify.Webhook{URL: opts.Webhook, Client: &http.Client{}, Retries: opts.WebhookRetries,
			Backoff: opts.webhookBackoff, UserAgent: fetch.UserAgent(Version)}
	}
	if opts.Listen != "" {
		stop, err := w.listen(ctx)
		if err != nil {
			return err
		}
		defer stop()
	}

	sigs := opts.signals
	if sigs == nil {
		sigs = make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
		defer signal.Stop(sigs)
	}
	for {
		// A cycle is never cut short by a signal: it ends with its store
		// write, then the watch exits.
		ls, err := w.cycle(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		if opts.Once {
			if ls.FeedsRead() == 0 {
				return &errNoFeedRead{total: len(ls.Feeds)}
			}
			return nil
		}
		t := time.NewTimer(opts.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-sigs:
			t.Stop()
			fmt.Fprintln(opts.IO.ErrOut, "depgraph: watch: stopped")
			return nil
		case <-t.C:
		}
	}
}

// cycle runs one cycle: fetch, judge, step, store, deliver, show.
func (w *watcher) cycle(ctx context.Context) (*live.State, error) {
	now := time.Now().UTC()
	if !w.opts.At.IsZero() {
		now = w.opts.At.UTC()
	}
	results, err := collect.Run(ctx, w.fetcher, w.st, w.feeds)
	if err != nil {
		return nil, err
	}
	fresh := map[string][]byte{}
	for i := range results {
		r := &results[i]
		switch {
		case len(r.Documents) > 0:
			b, err := json.Marshal(r.Documents)
			if err != nil {
				return nil, fmt.Errorf("keep the document of %s: %w", r.Feed.Key, err)
			}
			fresh[r.Feed.Key] = b
		case r.NotModified > 0 && len(r.Errors) == 0:
			// 304: the feed has not changed since the document kept.
			var docs []*feed.Document
			if b, ok := w.docs[r.Feed.Key]; ok && json.Unmarshal(b, &docs) == nil && len(docs) > 0 {
				r.Documents = docs
			} else {
				r.Errors = append(r.Errors, "the server answered 304 Not Modified but no earlier document of this feed is kept: its state is unknown")
			}
		}
	}
	for k, b := range fresh {
		w.docs[k] = b
	}
	ls := live.Compute(w.res.Model, readings(results), now, w.opts.Maintenance)
	// Priors from the store's history of each feed (30 days or more),
	// refreshed once an hour of watching.
	if w.rates == nil || now.Sub(w.ratesAt) >= time.Hour || now.Before(w.ratesAt) {
		w.rates, w.ratesAt = historyRates(ctx, w.st, w.res.Model, w.g, w.feeds, now), now
	}
	if w.mentions == nil {
		w.mentions, w.predictor, w.hosts = mention.FromGraph(w.g), diagnose.NewPredictor(w.g), diagnose.StatusHosts(w.g)
	}
	groups := watch.Analyze(w.g, ls, watch.AnalyzeOptions{Rates: w.rates, Mentions: w.mentions, Predictor: w.predictor, StatusHosts: w.hosts})
	c := watch.Cycle{At: now, Groups: groups, UnknownServices: func(ids []string) []string { return watch.UnknownServices(w.g, ids) }}
	for _, f := range ls.Feeds {
		cf := watch.CycleFeed{Key: f.Key, URL: f.URL, Nodes: f.Nodes, Read: f.Read}
		if !f.Read {
			cf.Error = "no document could be read"
			if len(f.Errors) > 0 {
				cf.Error = f.Errors[0]
			}
		}
		c.Feeds = append(c.Feeds, cf)
	}
	events := w.state.Step(c)
	stateJSON, err := json.Marshal(&w.state)
	if err != nil {
		return nil, fmt.Errorf("keep the watch state: %w", err)
	}
	commit := store.WatchCommit{State: stateJSON, Documents: fresh, At: now}
	for _, ev := range events {
		body, err := json.Marshal(ev)
		if err != nil {
			return nil, fmt.Errorf("keep an event: %w", err)
		}
		we := store.WatchEvent{Situation: ev.Situation, Event: ev.Event, At: ev.At, Body: body, Alerts: store.DeliveryNone, Webhook: store.DeliveryNone}
		if w.alerts != nil {
			we.Alerts = store.DeliveryPending
		}
		if w.hook != nil {
			we.Webhook = store.DeliveryPending
		}
		commit.Events = append(commit.Events, we)
	}
	if _, err := w.st.CommitWatch(ctx, commit); err != nil {
		return nil, err
	}
	w.deliver(ctx, now)
	w.report(ls, events)
	if w.server != nil {
		w.server.Update(w.snapshot(ctx, now, ls, c))
	}
	return ls, nil
}

// maxPendingAge is how long an undelivered event is worth delivering.
const maxPendingAge = 24 * time.Hour

// deliver sends the events pending at each configured sink, oldest
// first. A sink that fails keeps its events pending for the next cycle.
func (w *watcher) deliver(ctx context.Context, now time.Time) {
	errOut := w.opts.IO.ErrOut
	if w.alerts != nil {
		pending, err := w.st.PendingWatchEvents(ctx, store.SinkAlerts)
		if err != nil {
			fmt.Fprintf(errOut, "depgraph: warning: alerts: %v\n", err)
		}
		for _, e := range pending {
			if _, err := w.alerts.Write(append(e.Body, '\n')); err != nil {
				fmt.Fprintf(errOut, "depgraph: warning: alerts: %v; the events stay pending\n", err)
				break
			}
			if err := w.st.MarkWatchEvent(ctx, e.Seq, store.SinkAlerts, store.DeliverySent, 0, ""); err != nil {
				fmt.Fprintf(errOut, "depgraph: warning: alerts: %v\n", err)
			}
		}
	}
	if w.hook != nil {
		pending, err := w.st.PendingWatchEvents(ctx, store.SinkWebhook)
		if err != nil {
			fmt.Fprintf(errOut, "depgraph: warning: webhook: %v\n", err)
		}
		for _, e := range pending {
			if now.Sub(e.At) > maxPendingAge && w.opts.At.IsZero() {
				w.st.MarkWatchEvent(ctx, e.Seq, store.SinkWebhook, store.DeliveryAbandoned, 0, "older than 24h, not sent")
				fmt.Fprintf(errOut, "depgraph: warning: webhook: event %d (%s %s) is older than 24h and was never delivered: given up\n", e.Seq, e.Event, e.Situation)
				continue
			}
			var ev watch.Event
			if err := json.Unmarshal(e.Body, &ev); err != nil {
				w.st.MarkWatchEvent(ctx, e.Seq, store.SinkWebhook, store.DeliveryAbandoned, 0, err.Error())
				continue
			}
			body, err := notify.WebhookBody(ev)
			if err != nil {
				w.st.MarkWatchEvent(ctx, e.Seq, store.SinkWebhook, store.DeliveryAbandoned, 0, err.Error())
				fmt.Fprintf(errOut, "depgraph: warning: webhook: event %d (%s %s): %s; not sent\n", e.Seq, e.Event, e.Situation, textsafe.Line(err.Error()))
				continue
			}
			attempts, err := w.hook.Send(ctx, body, fmt.Sprintf("depgraph-event-%d", e.Seq))
			var perm *notify.PermanentError
			switch {
			case err == nil:
				w.st.MarkWatchEvent(ctx, e.Seq, store.SinkWebhook, store.DeliverySent, attempts, "")
			case errors.As(err, &perm):
				w.st.MarkWatchEvent(ctx, e.Seq, store.SinkWebhook, store.DeliveryAbandoned, attempts, err.Error())
				fmt.Fprintf(errOut, "depgraph: warning: webhook: event %d (%s %s): %s; not retried\n", e.Seq, e.Event, e.Situation, textsafe.Line(err.Error()))
			default:
				w.st.MarkWatchEvent(ctx, e.Seq, store.SinkWebhook, store.DeliveryPending, attempts, err.Error())
				fmt.Fprintf(errOut, "depgraph: warning: webhook: event %d (%s %s) not delivered after %d attempts: %s; retried next cycle\n",
					e.Seq, e.Event, e.Situation, attempts, textsafe.Line(err.Error()))
			}
			if err != nil {
				// Keep the order of events: later ones wait for this one.
				if !errors.As(err, &perm) {
					break
				}
			}
		}
	}
}

// report prints the cycle's line and its events on stderr.
func (w *watcher) report(ls *live.State, events []watch.Event) {
	errOut := w.opts.IO.ErrOut
	open := 0
	for _, s := range w.state.Situations {
		if s.State == "open" {
			open++
		}
	}
	fmt.Fprintf(errOut, "depgraph: watch: cycle %d at %s: %d of %d feeds read, %s reporting, %s open\n",
		w.state.Cycle, ls.At.Format(time.RFC3339), ls.FeedsRead(), len(ls.Feeds),
		plural(len(ls.Reporting), "node", "nodes"), plural(open, "situation", "situations"))
	for _, ev := range events {
		fmt.Fprintf(errOut, "depgraph: watch: %s\n", notify.Text(ev))
	}
	// A feed's errors are told when they change, not every cycle.
	if w.feedErrs == nil {
		w.feedErrs = map[string]string{}
	}
	for _, f := range ls.Feeds {
		msg := strings.Join(f.Errors, "; ")
		if msg != "" && msg != w.feedErrs[f.Key] {
			fmt.Fprintf(errOut, "depgraph: warning: feed %s: %s\n", textsafe.Line(f.Key), textsafe.Line(msg))
		}
		w.feedErrs[f.Key] = msg
	}
}

// snapshot is the live page's view after a cycle.
func (w *watcher) snapshot(ctx context.Context, now time.Time, ls *live.State, c watch.Cycle) *watch.Snapshot {
	var events []watch.Event
	if recent, err := w.st.RecentWatchEvents(ctx, 50); err == nil {
		for _, e := range recent {
			var ev watch.Event
			if json.Unmarshal(e.Body, &ev) == nil {
				events = append(events, ev)
			}
		}
	}
	var seeds []blast.Seed
	reported := map[string]float64{}
	for _, r := range ls.Reporting {
		i, _ := w.g.Lookup(r.Node)
		seeds = append(seeds, blast.Seed{Node: i, Impairment: r.Impairment})
		reported[r.Node] = r.Impairment
	}
	p := blast.PropagateSeeds(w.g, seeds)
	unknown := map[string]bool{}
	for _, id := range ls.UnknownNodes {
		unknown[id] = true
	}
	var nodes []watch.NodeState
	seen := map[string]bool{}
	add := func(id string) {
		i, ok := w.g.Lookup(id)
		if !ok || seen[id] {
			return
		}
		seen[id] = true
		nodes = append(nodes, watch.NodeState{Node: id, Kind: string(w.g.ModelNode(i).Kind), Reported: reported[id],
			Impairment: p.Impairment[i], Unknown: unknown[id]})
	}
	for _, f := range w.feeds {
		for _, id := range f.Nodes {
			add(id)
		}
	}
	for _, i := range p.Order {
		add(w.g.ModelNode(i).ID)
	}
	slices.SortFunc(nodes, func(a, b watch.NodeState) int { return strings.Compare(a.Node, b.Node) })
	return w.state.Snapshot(now, w.opts.Interval, events, w.state.FeedStates(c.Feeds), nodes)
}
