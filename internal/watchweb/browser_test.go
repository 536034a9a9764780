package watchweb

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/depgraph/depgraph/internal/testenv"
	"github.com/depgraph/depgraph/internal/watch"
)

// browser is one headless chromium tab, with the page's console errors,
// uncaught exceptions and log errors (a CSP violation, a failed load)
// collected.
type browser struct {
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	bin := testenv.Chromium(t)
	dir := t.TempDir()
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 1600),
		chromedp.UserDataDir(dir),
	)
	b := &browser{}
	ctx, cancel2 := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() {
		cancel2()
		cancel()
	})
	// Start the browser with no deadline (a deadline on the first Run
	// would stop the whole browser), then give the test its limit.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	tctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	b.ctx = tctx
	return b
}

func (b *browser) listen(ev any) {
	var p string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			p = fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		p = "exception: " + (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error()
	case *log.EventEntryAdded:
		if e.Entry != nil && (e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning) {
			p = fmt.Sprintf("log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL)
		}
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

// check fails the test on any problem the page logged.
func (b *browser) check(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("the page logged: %s", p)
	}
	b.problems = nil
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript predicate holds, at most 15 s, and
// fails with what the page shows if it never does.
func waitFor(t *testing.T, b *browser, what, predicate string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate,
		chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		body, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("waiting for %s (%s): %v\nthe page shows:\n%s", what, predicate, err, body)
	}
}

func screenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	file := filepath.Join(testenv.ArtifactsDir(t), name)
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// text is the text of the element with the given id.
func text(id string) string { return `document.getElementById('` + id + `').textContent` }

// TestLivePageInBrowser serves a snapshot with an open situation, checks
// that the page shows it, then gives the server the next cycle, where it
// resolved, and waits for the page to show that without reloading.
func TestLivePageInBrowser(t *testing.T) {
	b := newBrowser(t)
	// The clock stays 35 s after the first cycle: not stale.
	srv := New(Options{Interval: interval, Model: "shop", Now: (&clock{t: t0.Add(35 * time.Second)}).now})
	srv.Update(openSnapshot())
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	if err := chromedp.Do(b.ctx, chromedp.Navigate(ts.URL+"/?refresh=100")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, "the first cycle", `document.body.dataset.cycle === "1"`)
	if got := eval[string](t, b, `document.title`); got != "depgraph watch — shop" {
		t.Errorf("title: got:%q want:%q", got, "depgraph watch — shop")
	}
	open := eval[string](t, b, text("open"))
	for _, want := range []string{"Open situations (1)", "Root: aws/us-east-1", "fourth party", "93 %", "checkout", "payments", "stripe", "auth0", "Elevated API errors"} {
		if !strings.Contains(open, want) {
			t.Errorf("the open situations lack %q:\n%s", want, open)
		}
	}
	if got := eval[string](t, b, text("summary")); !strings.Contains(got, "1 open situation: aws/us-east-1") {
		t.Errorf("summary: got:%q", got)
	}
	// The affected part of the graph: one box per node of the paths, the
	// root highlighted, the services marked.
	if got := eval[string](t, b, `document.querySelector('#open svg.chains g.root text').textContent`); got != "aws/us-east-1" {
		t.Errorf("the highlighted root: got:%q want:aws/us-east-1", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('#open svg.chains g.node').length`); got != 5 {
		t.Errorf("nodes drawn: got:%d want:5 (checkout, payments, stripe, auth0, aws/us-east-1)", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('#open svg.chains path.edge').length`); got != 5 {
		t.Errorf("edges drawn: got:%d want:5", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('#open svg.chains g.service').length`); got != 2 {
		t.Errorf("services drawn: got:%d want:2", got)
	}
	// The root is below the services: the chains go down to it.
	if got := eval[bool](t, b, `(function(){var r=document.querySelector('#open g.root rect').getBBox(), s=document.querySelector('#open g.service rect').getBBox(); return r.y > s.y})()`); !got {
		t.Error("the root is not drawn below the services")
	}
	if got := eval[string](t, b, `document.querySelector('#open a[href^="https://status.stripe.com/"]').textContent`); got != "Elevated API errors" {
		t.Errorf("incident link: got:%q", got)
	}
	// The unreadable feed is shown as unknown, not as healthy.
	unknown := eval[string](t, b, text("unknown"))
	if eval[bool](t, b, `document.getElementById('unknown').hidden`) || !strings.Contains(unknown, "datadog") || !strings.Contains(unknown, "HTTP 503") {
		t.Errorf("the unknown feed is not shown:\n%s", unknown)
	}
	if got := eval[string](t, b, text("banner")); got != "" {
		t.Errorf("banner before staleness: %q", got)
	}
	screenshot(t, b, "watch-open.png")

	// Polls that bring nothing new redraw nothing (a reader's focus and
	// screen reader stay put).
	renders := eval[int](t, b, `window.depgraphWatch.renders`)
	polls := eval[int](t, b, `window.depgraphWatch.polls`)
	waitFor(t, b, "three more polls", fmt.Sprintf(`window.depgraphWatch.polls >= %d`, polls+3))
	if got := eval[int](t, b, `window.depgraphWatch.renders`); got != renders {
		t.Errorf("unchanged polls redrew the page: %d renders, then %d", renders, got)
	}

	// Mark this page load: a reload would lose the mark.
	eval[chromedp.Void](t, b, `window.__loadMark = 'kept'`)
	loadedAt := eval[float64](t, b, `window.depgraphWatch.loadedAt`)

	srv.Update(resolvedSnapshot())
	waitFor(t, b, "the resolution", `document.body.dataset.cycle === "2" && document.getElementById('summary').textContent.includes('No open situation')`)
	if got := eval[string](t, b, `String(window.__loadMark)`); got != "kept" {
		t.Errorf("the page reloaded: the mark is %q", got)
	}
	if got := eval[float64](t, b, `window.depgraphWatch.loadedAt`); got != loadedAt {
		t.Errorf("the page reloaded: loaded at %v, then %v", loadedAt, got)
	}
	if got := eval[string](t, b, text("open")); !strings.Contains(got, "No open situation") || strings.Contains(got, "Root:") {
		t.Errorf("open situations after the resolution:\n%s", got)
	}
	resolved := eval[string](t, b, text("resolved"))
	for _, want := range []string{"Recently resolved (1)", "aws/us-east-1", "resolved"} {
		if !strings.Contains(resolved, want) {
			t.Errorf("the resolved situations lack %q:\n%s", want, resolved)
		}
	}
	if got := eval[string](t, b, text("events")); !strings.Contains(got, "resolved") || !strings.Contains(got, "opened") {
		t.Errorf("events: %q", got)
	}
	if !eval[bool](t, b, `document.getElementById('unknown').hidden`) {
		t.Error("the unknown-state section still shows with every feed read")
	}
	if got := eval[string](t, b, text("summary")); !strings.Contains(got, "All 1 feed read") {
		t.Errorf("summary: %q", got)
	}
	screenshot(t, b, "watch-resolved.png")
	b.check(t)
}

// TestStaleAndUnknownInBrowser checks the warnings: a stale watch, and
// no open situation while feeds are unreadable (unknown, not healthy).
func TestStaleAndUnknownInBrowser(t *testing.T) {
	b := newBrowser(t)
	snap := resolvedSnapshot()
	snap.Feeds = append(snap.Feeds, watch.FeedState{Key: "datadog", Nodes: []string{"datadog"}, LastError: "timeout", Errors: 9})
	snap.Nodes = append(snap.Nodes, watch.NodeState{Node: "datadog", Kind: "vendor", Unknown: true})
	srv := New(Options{Interval: interval, Model: "shop", Now: (&clock{t: snap.At.Add(10 * interval)}).now})
	srv.Update(snap)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(ts.URL+"/?refresh=100")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, "the cycle", `document.body.dataset.cycle === "2"`)
	if got := eval[string](t, b, text("banner")); !strings.Contains(got, "Stale: no cycle has completed for more than 3 intervals (the last one at 2026-12-01 10:00:30 UTC)") {
		t.Errorf("banner: got:%q want the stale warning", got)
	}
	sum := eval[string](t, b, text("summary"))
	if !strings.Contains(sum, "No open situation among the feeds read, but the state of 1 feed (1 node) is unknown") {
		t.Errorf("summary: got:%q want the unknown state said", sum)
	}
	if eval[bool](t, b, `document.querySelector('#summary .headline').classList.contains('ok')`) {
		t.Error("the headline is styled healthy while a feed is unreadable")
	}
	// The server goes away: the page says it cannot reach it.
	ts.Close()
	waitFor(t, b, "the offline notice", `document.getElementById('banner').textContent.includes('Cannot reach the watch server')`)
	screenshot(t, b, "watch-stale.png")
	b.mu.Lock()
	// Failed fetches after the server closed are expected in the log.
	kept := b.problems[:0]
	for _, p := range b.problems {
		if !strings.Contains(p, "api/situations") && !strings.Contains(p, "Failed to fetch") && !strings.Contains(p, "ERR_CONNECTION_REFUSED") {
			kept = append(kept, p)
		}
	}
	b.problems = kept
	b.mu.Unlock()
	b.check(t)
}

// hostile is text an attacker controls through a status feed or a model.
var hostile = []string{
	`<script>window.__pwned=1</script>`,
	`<img src=x onerror="window.__pwned=1">`,
	`"><svg onload="window.__pwned=1">`,
	"\u202eevil\u202c",
	"\x1b[31mred\x1b[0m",
	"</script><script>window.__pwned=1</script>",
	"{{MODEL}}",
}

// TestHostileInBrowser renders a snapshot whose every string is hostile:
// nothing runs, no element is injected, the text shows as text, and only
// the http(s) link is a link.
func TestHostileInBrowser(t *testing.T) {
	b := newBrowser(t)
	snap := hostileSnapshot()
	srv := New(Options{Interval: interval, Model: hostile[0], Now: (&clock{t: snap.At}).now})
	srv.Update(snap)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(ts.URL+"/?refresh=100")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, "the cycle", `document.body.dataset.cycle === "7" && window.depgraphWatch.polls >= 2`)
	if got := eval[string](t, b, `String(window.__pwned)`); got != "undefined" {
		t.Errorf("injected script ran: window.__pwned = %s", got)
	}
	if got := eval[int](t, b, `document.scripts.length`); got != 1 {
		t.Errorf("%d <script> elements, want the page's own", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('img, iframe, object, embed, main svg[onload], [onerror], [onload]').length`); got != 0 {
		t.Errorf("%d injected elements", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('a[href^="javascript"], a[href^="data"], a[href^="vbscript"]').length`); got != 0 {
		t.Errorf("%d links with a script URL", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('#open a[href="https://example.com/%3Cscript%3E"], #open a[href="https://example.com/<script>"]').length`); got != 1 {
		t.Errorf("the https incident is linked %d times, want 1", got)
	}
	main := eval[string](t, b, `document.querySelector('main').textContent`)
	for _, want := range []string{`<script>window.__pwned=1</script>`, `<img src=x onerror="window.__pwned=1">`, `\u202eevil\u202c`, `\x1b[31mred\x1b[0m`, "link not shown: not http or https"} {
		if !strings.Contains(main, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	if strings.ContainsAny(main, "\u202e\x1b") {
		t.Error("a control character reached the page's text unescaped")
	}
	if got := eval[string](t, b, `document.title`); got != "depgraph watch — "+hostile[0] {
		t.Errorf("title: got:%q", got)
	}
	screenshot(t, b, "watch-hostile.png")
	b.check(t)
}

// hostileSnapshot puts the hostile strings in every field shown.
func hostileSnapshot() *watch.Snapshot {
	h := hostile
	at := t0
	sit := watch.Situation{
		ID: h[5], State: "open", Finding: watch.Finding{Roots: []string{h[0]}, Probability: 0.5, Layer: h[1],
			AffectedServices: []string{h[2], h[3]}, Reporting: []string{h[4], h[6]},
			Incidents: []watch.Incident{
				{Node: h[0], ID: h[1], Title: h[2], URL: "javascript:window.__pwned=1"},
				{Node: h[3], ID: h[4], Title: h[0], URL: "https://example.com/<script>"},
				{Node: h[5], ID: h[6], Title: h[1], URL: "data:text/html,<script>window.__pwned=1</script>"},
				{Node: h[5], ID: h[6], Title: h[4], URL: " JaVaScRiPt:window.__pwned=1"},
			}},
		Paths:   [][]string{{h[2], h[4], h[0]}, {h[3], h[6], h[0]}, {h[1], h[0]}},
		Unknown: []string{h[6]}, OpenedAt: at, UpdatedAt: at,
	}
	return &watch.Snapshot{
		SchemaVersion: watch.SchemaVersion, At: at, Cycle: 7, IntervalSeconds: 30,
		Open: []watch.Situation{sit}, Pending: []watch.Situation{sit}, Resolved: []watch.Situation{sit},
		Events: []watch.Event{{Event: h[0], Situation: h[1], At: at, Finding: watch.Finding{Roots: []string{h[2]}}, Changes: []string{h[3], h[4]}},
			{Event: watch.Blind, At: at, UnreadableFeeds: []string{h[5]}}},
		Feeds: []watch.FeedState{{Key: h[0], URL: "javascript:alert(1)", Nodes: []string{h[1]}, LastError: h[2], Errors: 1}},
		Nodes: []watch.NodeState{{Node: h[0], Kind: h[1], Reported: 1, Impairment: 1}, {Node: h[3], Kind: h[4], Unknown: true}},
	}
}

// TestLargeSituationInBrowser draws a situation with more nodes than the
// diagram holds: the root is drawn, the rest cut with a count, and the
// chains are all listed as text.
func TestLargeSituationInBrowser(t *testing.T) {
	b := newBrowser(t)
	snap := openSnapshot()
	sit := &snap.Open[0]
	sit.Paths = nil
	for i := range 100 {
		sit.Paths = append(sit.Paths, []string{fmt.Sprintf("svc-%03d", i), fmt.Sprintf("vendor-%03d", i), "aws/us-east-1"})
	}
	srv := New(Options{Interval: interval, Now: (&clock{t: t0}).now})
	srv.Update(snap)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(ts.URL+"/?refresh=100")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, "the cycle", `document.body.dataset.cycle === "1"`)
	if got := eval[int](t, b, `document.querySelectorAll('#open svg.chains g.node').length`); got != 60 {
		t.Errorf("nodes drawn: got:%d want:60", got)
	}
	if got := eval[string](t, b, `document.querySelector('#open svg.chains g.root text').textContent`); got != "aws/us-east-1" {
		t.Errorf("the root: got:%q", got)
	}
	if got := eval[string](t, b, `document.querySelector('#open figcaption').textContent`); !strings.Contains(got, "141 more nodes not drawn") {
		t.Errorf("caption: got:%q want the count of nodes left out", got)
	}
	if got := eval[int](t, b, `document.querySelectorAll('#open ol.chains li').length`); got != 100 {
		t.Errorf("chains listed: got:%d want:100", got)
	}
	b.check(t)
}
