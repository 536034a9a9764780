// Package watchweb serves what `depgraph watch` knows over HTTP: a live
// page, the snapshot as JSON, Prometheus metrics and a health check. The
// watch engine (package watch) computes a watch.Snapshot each cycle; the
// CLI hands it to Server.Update, and the server shows the last one.
//
//	srv := watchweb.New(watchweb.Options{Interval: interval, Model: name})
//	srv.Update(snap) // after each cycle, from any goroutine
//	http.Serve(ln, srv.Handler())
//
// # Endpoints
//
//   - / is one self-contained page (inline CSS and script, no external
//     asset): the open situations with their roots, layer, probability,
//     affected services, reporting nodes and incidents; the affected part of
//     the graph, drawn from each situation's paths (service at the top, root
//     at the bottom, highlighted; at most 60 nodes, the roots always among
//     them, the rest counted; every chain is also listed as text); the
//     groups held back by the hysteresis;
//     the feeds and nodes whose state is unknown; the recent events. Its
//     script polls /api/situations every min(interval, 5 s) (or every
//     ?refresh= milliseconds, at least 50, for tests) and redraws without
//     reloading; the window variable depgraphWatch holds its state.
//     Unknown is never shown as healthy: with no open situation but
//     unreadable feeds, the page says their state is unknown.
//   - /api/situations is the last snapshot as JSON, with the snapshot's
//     own fields (snake_case, see package watch) and one more, "live",
//     computed when the request is served (see Live). Before the first
//     cycle it is a snapshot of cycle 0 with empty lists.
//   - /metrics is the Prometheus text format, from a registry of its own
//     (not the global one), with the Go runtime and process metrics and:
//     depgraph_node_impairment{node} (the propagated impairment, 0 to 1),
//     depgraph_node_reported_impairment{node} (what the node's own feed
//     says), depgraph_node_unknown{node} (1 when its feed could not be
//     read), depgraph_feed_up{feed}, depgraph_feed_errors_total{feed},
//     depgraph_feed_last_success_timestamp_seconds{feed} (for feeds read
//     at least once), depgraph_situations_open, depgraph_situations_pending,
//     depgraph_watch_cycles_total, depgraph_watch_last_cycle_timestamp_seconds,
//     depgraph_watch_interval_seconds and depgraph_events_total{event}.
//     Every cycle replaces the previous one whole: a node or feed that left
//     the snapshot leaves the metrics.
//   - /healthz answers 200 "ok" when the last cycle completed within three
//     intervals, and 503 with the reason before the first cycle or when
//     the last cycle is older.
//
// # Staleness
//
// The last cycle's time is the snapshot's At (the time Update was called
// when At is zero), and the interval is Options.Interval (the snapshot's
// IntervalSeconds when that is zero). The watch is stale when the last
// cycle is older than three intervals by Options.Now; the page and
// /healthz then say so. The page also says so when it can no longer reach
// the server.
//
// # Security
//
// Every endpoint answers GET and HEAD only (405 otherwise) and sets
// Content-Type and X-Content-Type-Options: nosniff. The page's
// Content-Security-Policy allows no source but its own inline style and
// script, by their SHA-256 hashes, and fetches to its own origin. Every
// string from a model or a feed is set as text (textContent, SVG text
// nodes), never parsed as markup, and an incident's URL becomes a link only
// when it is http or https. No snapshot data is put into a URL. The server
// is meant for loopback; it has no authentication. It answers only
// requests whose Host header is an IP address, localhost or a name in
// Options.AllowedHosts (421 otherwise), so that a web page elsewhere that
// points its own name at 127.0.0.1 (DNS rebinding) cannot read it; and it
// sends no CORS header, so no other origin's script can read its answers.
//
// # Redraws
//
// Every poll updates the cycle line and the relative times ("35 s ago");
// the rest of the page is redrawn only when the snapshot changed, and the
// banner (an ARIA alert) only when its text changed, so a reader's focus,
// open details and screen reader are not disturbed every few seconds.
package watchweb
