package watchweb

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/internal/watch"
)

var handlerTests = []struct {
	name   string
	method string
	path   string
	snap   *watch.Snapshot // nil: before the first cycle
	after  time.Duration   // the clock, after the snapshot's At (or t0)
	host   string          // the Host header ("127.0.0.1:8080" when empty)

	status   int
	ctype    string   // Content-Type prefix
	contains []string // in the body
	headers  map[string]string
}{
	{name: "page", method: "GET", path: "/", snap: openSnapshot(),
		status: 200, ctype: "text/html; charset=utf-8", contains: []string{"<title>depgraph watch — shop</title>", `data-interval-ms="30000"`},
		headers: map[string]string{"Cache-Control": "no-cache"}},
	{name: "page head", method: "HEAD", path: "/", snap: openSnapshot(), status: 200, ctype: "text/html"},
	{name: "page post", method: "POST", path: "/", status: 405, ctype: "text/plain", contains: []string{"method not allowed"},
		headers: map[string]string{"Allow": "GET, HEAD"}},
	{name: "page options", method: "OPTIONS", path: "/", status: 405, headers: map[string]string{"Allow": "GET, HEAD"}},
	{name: "api put", method: "PUT", path: "/api/situations", status: 405},
	{name: "metrics delete", method: "DELETE", path: "/metrics", status: 405},
	{name: "healthz patch", method: "PATCH", path: "/healthz", status: 405},
	{name: "favicon", method: "GET", path: "/favicon.ico", status: 200, ctype: "image/svg+xml", contains: []string{"<svg"}},
	{name: "host ipv6", method: "GET", path: "/healthz", host: "[::1]:8080", snap: openSnapshot(), status: 200},
	{name: "host ipv6 no port", method: "GET", path: "/healthz", host: "[::1]", snap: openSnapshot(), status: 200},
	{name: "host localhost", method: "GET", path: "/healthz", host: "LocalHost:8080", snap: openSnapshot(), status: 200},
	{name: "host under localhost", method: "GET", path: "/healthz", host: "watch.localhost.", snap: openSnapshot(), status: 200},
	{name: "host allowed", method: "GET", path: "/api/situations", host: "watch.corp.example:8080", snap: openSnapshot(), status: 200},
	{name: "host rebound", method: "GET", path: "/api/situations", host: "evil.example:8080", snap: openSnapshot(),
		status: 421, ctype: "text/plain", contains: []string{"host not allowed"}},
	{name: "host rebound page", method: "GET", path: "/", host: "localhost.evil.example", status: 421},
	{name: "unknown path", method: "GET", path: "/nope", status: 404},
	{name: "no listing under api", method: "GET", path: "/api/", status: 404},

	{name: "api before first cycle", method: "GET", path: "/api/situations",
		status: 200, ctype: "application/json", contains: []string{`"cycle":0`, `"open":[]`, `"resolved":[]`, `"pending":[]`, `"events":[]`, `"feeds":[]`, `"nodes":[]`, `"healthy":false`, `"last_cycle":null`},
		headers: map[string]string{"Cache-Control": "no-store"}},
	{name: "api open", method: "GET", path: "/api/situations", snap: openSnapshot(), after: 5 * time.Second,
		status: 200, ctype: "application/json; charset=utf-8", contains: []string{`"cycle":1`, `"roots":["aws/us-east-1"]`, `"healthy":true`, `"health":"ok"`, `"model":"shop"`},
		headers: map[string]string{"Cache-Control": "no-store"}},
	{name: "api stale", method: "GET", path: "/api/situations", snap: openSnapshot(), after: 91 * time.Second,
		status: 200, contains: []string{`"stale":true`, `"healthy":false`}},

	{name: "healthz before first cycle", method: "GET", path: "/healthz",
		status: 503, ctype: "text/plain", contains: []string{"no cycle yet"}, headers: map[string]string{"Cache-Control": "no-store"}},
	{name: "healthz fresh", method: "GET", path: "/healthz", snap: openSnapshot(), after: 10 * time.Second,
		status: 200, ctype: "text/plain", contains: []string{"ok\n"}},
	{name: "healthz at three intervals", method: "GET", path: "/healthz", snap: openSnapshot(), after: 3 * interval,
		status: 200, contains: []string{"ok"}},
	{name: "healthz stale", method: "GET", path: "/healthz", snap: openSnapshot(), after: 3*interval + time.Second,
		status: 503, contains: []string{"stale: the last cycle (1) completed at 2026-12-01T10:00:00Z, 1m31s ago, more than 3 intervals of 30s"}},
	{name: "healthz head", method: "HEAD", path: "/healthz", snap: openSnapshot(), status: 200},

	{name: "metrics", method: "GET", path: "/metrics", snap: openSnapshot(),
		status: 200, ctype: "text/plain", contains: []string{"depgraph_situations_open 1", "go_goroutines"}},
}

func TestHandlers(t *testing.T) {
	for _, tt := range handlerTests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: t0.Add(tt.after)}
			srv := New(Options{Interval: interval, Model: "shop", Now: clk.now, AllowedHosts: []string{"watch.corp.example"}})
			if tt.snap != nil {
				srv.Update(tt.snap)
			}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.Host = "127.0.0.1:8080"
			if tt.host != "" {
				req.Host = tt.host
			}
			srv.Handler().ServeHTTP(rec, req)
			res := rec.Result()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("status: got:%d want:%d (body %q)", res.StatusCode, tt.status, body)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options: got:%q want:nosniff", got)
			}
			if tt.status != 404 && res.Header.Get("Content-Type") == "" {
				t.Error("no Content-Type")
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("Content-Type: got:%q want prefix %q", res.Header.Get("Content-Type"), tt.ctype)
			}
			for k, v := range tt.headers {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s: got:%q want:%q", k, got, v)
				}
			}
			if tt.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD answered a body of %d bytes", len(body))
			}
			for _, want := range tt.contains {
				if !strings.Contains(string(body), want) {
					t.Errorf("body lacks %q:\n%s", want, cut(string(body)))
				}
			}
		})
	}
}

func cut(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// get serves one GET and returns the body.
func get(t testing.TB, h http.Handler, path string) (*http.Response, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", path, nil)
	req.Host = "127.0.0.1:8080"
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// TestSituationsJSON checks that /api/situations is the snapshot, field
// for field, and that the live part follows the clock.
func TestSituationsJSON(t *testing.T) {
	clk := &clock{t: t0.Add(7 * time.Second)}
	srv := New(Options{Interval: interval, Model: "shop", Now: clk.now})
	h := srv.Handler()
	for _, snap := range []*watch.Snapshot{openSnapshot(), resolvedSnapshot()} {
		srv.Update(snap)
		_, b := get(t, h, "/api/situations")
		var got watch.Snapshot
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(snap, &got); d != "" {
			t.Errorf("cycle %d (-want +got):\n%s", snap.Cycle, d)
		}
		var resp struct{ Live Live }
		if err := json.Unmarshal(b, &resp); err != nil {
			t.Fatal(err)
		}
		want := Live{Model: "shop", Now: clk.t, LastCycle: tp(snap.At), IntervalSeconds: 30, StaleAfterSeconds: 90, Healthy: true, Health: "ok"}
		if d := cmp.Diff(want, resp.Live); d != "" {
			t.Errorf("live (-want +got):\n%s", d)
		}
		clk.t = clk.t.Add(interval)
	}
}

// TestEmptyListsNotNull checks that every list is [] in JSON, before the
// first cycle and for a snapshot whose lists are nil.
func TestEmptyListsNotNull(t *testing.T) {
	sparse := &watch.Snapshot{Cycle: 3, At: t0,
		Open:   []watch.Situation{{ID: "x", Paths: [][]string{nil}}},
		Events: []watch.Event{{Event: watch.Blind}},
		Feeds:  []watch.FeedState{{Key: "f"}},
	}
	for _, snap := range []*watch.Snapshot{nil, sparse} {
		srv := New(Options{Interval: interval, Now: (&clock{t: t0}).now})
		srv.Update(snap)
		_, b := get(t, srv.Handler(), "/api/situations")
		for _, m := range regexp.MustCompile(`"([a-z_]+)":null`).FindAllStringSubmatch(string(b), -1) {
			if m[1] != "last_cycle" && m[1] != "resolved_at" && m[1] != "last_success" {
				t.Errorf("cycle %d: %q is null:\n%s", cycleOf(snap), m[1], b)
			}
		}
		if strings.Contains(string(b), "[null]") {
			t.Errorf("a null path:\n%s", b)
		}
	}
}

func cycleOf(s *watch.Snapshot) int {
	if s == nil {
		return 0
	}
	return s.Cycle
}

// TestUpdateCopies checks that the server keeps its own copy: changing
// the snapshot after Update changes nothing served.
func TestUpdateCopies(t *testing.T) {
	srv := New(Options{Interval: interval, Now: (&clock{t: t0}).now})
	snap := openSnapshot()
	srv.Update(snap)
	_, before := get(t, srv.Handler(), "/api/situations")
	snap.Open[0].Roots[0] = "changed"
	snap.Open[0].Paths[0][0] = "changed"
	*snap.Feeds[0].LastSuccess = t0.Add(time.Hour)
	snap.Nodes = nil
	_, after := get(t, srv.Handler(), "/api/situations")
	if string(before) != string(after) {
		t.Errorf("the served snapshot changed with the caller's:\n%s\n%s", before, after)
	}
}

// TestNonFiniteFloats checks that a NaN or infinite probability (an
// engine bug) does not break the JSON: it shows as 0.
func TestNonFiniteFloats(t *testing.T) {
	srv := New(Options{Interval: interval, Now: (&clock{t: t0}).now})
	snap := openSnapshot()
	snap.Open[0].Probability = math.NaN()
	snap.Nodes[0].Impairment = math.Inf(1)
	srv.Update(snap)
	res, b := get(t, srv.Handler(), "/api/situations")
	var got watch.Snapshot
	if err := json.Unmarshal(b, &got); res.StatusCode != 200 || err != nil {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	if got.Open[0].Probability != 0 || got.Nodes[0].Impairment != 0 {
		t.Errorf("got:%v,%v want:0,0", got.Open[0].Probability, got.Nodes[0].Impairment)
	}
	if snap.Open[0].Probability == 0 {
		t.Error("Update changed the caller's snapshot")
	}
}

// TestIntervalFromSnapshot checks that without Options.Interval the
// snapshot's interval decides staleness.
func TestIntervalFromSnapshot(t *testing.T) {
	for _, tt := range []struct {
		after  time.Duration
		status int
	}{{89 * time.Second, 200}, {91 * time.Second, 503}} {
		srv := New(Options{Now: (&clock{t: t0.Add(tt.after)}).now})
		srv.Update(openSnapshot())
		if res, b := get(t, srv.Handler(), "/healthz"); res.StatusCode != tt.status {
			t.Errorf("after %v: got:%d want:%d (%s)", tt.after, res.StatusCode, tt.status, b)
		}
	}
}

// TestPageCSP checks that the page's inline style and script are the ones
// its Content-Security-Policy allows, and nothing else is.
func TestPageCSP(t *testing.T) {
	srv := New(Options{Interval: interval, Model: `<img src=x onerror=alert(1)>"`})
	res, b := get(t, srv.Handler(), "/")
	page := string(b)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP lacks %q: %s", want, csp)
		}
	}
	if strings.Contains(csp, "unsafe-") {
		t.Errorf("CSP allows unsafe sources: %s", csp)
	}
	for _, el := range []string{"script", "style"} {
		m := regexp.MustCompile(`(?s)<`+el+`>(.*?)</`+el+`>`).FindAllStringSubmatch(page, -1)
		if len(m) != 1 {
			t.Fatalf("%d <%s> elements, want 1", len(m), el)
		}
		h := sha256.Sum256([]byte(m[0][1]))
		if src := "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"; !strings.Contains(csp, el+"-src "+src) {
			t.Errorf("the inline %s's hash %s is not in the CSP: %s", el, src, csp)
		}
	}
	if strings.Contains(page, "<img") || !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;&#34;") {
		t.Error("the model name is not escaped in the page")
	}
	outside := strings.ReplaceAll(page, "'http://www.w3.org/2000/svg'", "")
	outside = strings.ReplaceAll(outside, "&lt;img src=x", "")
	outside = strings.ReplaceAll(outside, `<link rel="icon" href="favicon.svg" type="image/svg+xml">`, "")
	for _, ext := range []string{"http://", "https://", "<link", "<img", " src=", "@import"} {
		if strings.Contains(outside, ext) {
			t.Errorf("the page refers to something outside itself: %q", ext)
		}
	}
}

// TestScriptSetsNoMarkup checks the script's rule: snapshot strings are
// text. None of the calls that parse a string as markup or code appear.
func TestScriptSetsNoMarkup(t *testing.T) {
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute('on", "javascript:", "</script"} {
		if strings.Contains(pageScript, bad) {
			t.Errorf("page.js contains %q", bad)
		}
	}
	if strings.Contains(pageStyle, "</style") || strings.Contains(pageStyle, "url(") {
		t.Error("page.css closes its element or loads a resource")
	}
}

// TestConcurrentUpdate serves while updating (run with -race).
func TestConcurrentUpdate(t *testing.T) {
	srv := New(Options{Interval: interval, NoRuntimeMetrics: true})
	h := srv.Handler()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			s := openSnapshot()
			if i%2 == 1 {
				s = resolvedSnapshot()
			}
			s.Cycle = i + 1
			srv.Update(s)
		}
	}()
	for i := 0; i < 50; i++ {
		for _, p := range []string{"/api/situations", "/metrics", "/healthz"} {
			if res, _ := get(t, h, p); res.StatusCode >= 500 && p != "/healthz" {
				t.Errorf("%s: %d", p, res.StatusCode)
			}
		}
	}
	wg.Wait()
}
