package fetch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// noBackoff retries at once, so that tests are fast.
func noBackoff(int) time.Duration { return 0 }

// sleepCtx waits d or until the client goes away.
func sleepCtx(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Done():
	}
}

func TestFetchOK(t *testing.T) {
	var gotUA, gotAccept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		w.Header().Set("ETag", `W/"v1"`)
		w.Header().Set("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
		fmt.Fprint(w, `{"page":{}}`)
	}))
	defer srv.Close()
	f := &Fetcher{UserAgent: UserAgent("1.2.3")}
	res := f.Fetch(context.Background(), Request{Key: "k", URL: srv.URL + "/api/v2/summary.json"})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if string(res.Body) != `{"page":{}}` || res.Status != 200 || res.ETag != `W/"v1"` ||
		res.LastModified != "Mon, 01 Jan 2024 00:00:00 GMT" || res.Attempts != 1 || res.NotModified || res.Key != "k" {
		t.Errorf("unexpected result %+v", res)
	}
	if want := "depgraph/1.2.3 (+https://github.com/depgraph/depgraph)"; gotUA != want {
		t.Errorf("User-Agent got:%q want:%q", gotUA, want)
	}
	if gotAccept != "*/*" {
		t.Errorf("Accept got:%q", gotAccept)
	}
	if res.Duration <= 0 || res.FetchedAt.IsZero() {
		t.Errorf("timing not filled: %+v", res)
	}
}

var conditionalTests = []struct {
	name             string
	req              Request
	wantNotModified  bool
	wantETag, wantLM string
}{
	{"unconditional", Request{}, false, `"v2"`, "Tue, 02 Jan 2024 00:00:00 GMT"},
	{"etag matches", Request{ETag: `"v2"`}, true, `"v2"`, ""},
	{"etag stale", Request{ETag: `"v1"`}, false, `"v2"`, "Tue, 02 Jan 2024 00:00:00 GMT"},
	{"last-modified matches", Request{LastModified: "Tue, 02 Jan 2024 00:00:00 GMT"}, true, "", "Tue, 02 Jan 2024 00:00:00 GMT"},
}

func TestFetchConditional(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v2"` || r.Header.Get("If-Modified-Since") == "Tue, 02 Jan 2024 00:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified) // validators omitted on purpose
			return
		}
		w.Header().Set("ETag", `"v2"`)
		w.Header().Set("Last-Modified", "Tue, 02 Jan 2024 00:00:00 GMT")
		fmt.Fprint(w, "body")
	}))
	defer srv.Close()
	for _, tt := range conditionalTests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req
			req.URL = srv.URL
			res := (&Fetcher{}).Fetch(context.Background(), req)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if res.NotModified != tt.wantNotModified || res.ETag != tt.wantETag || res.LastModified != tt.wantLM {
				t.Errorf("got NotModified=%v ETag=%q LM=%q, want %v %q %q", res.NotModified, res.ETag, res.LastModified, tt.wantNotModified, tt.wantETag, tt.wantLM)
			}
			if tt.wantNotModified && (res.Body != nil || res.Status != 304) {
				t.Errorf("304 result has body %q status %d", res.Body, res.Status)
			}
		})
	}
}

// statusSeq answers with the given statuses in turn, then 200 "ok".
func statusSeq(codes ...int) (http.Handler, *atomic.Int32) {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(codes) {
			w.WriteHeader(codes[i])
			return
		}
		fmt.Fprint(w, "ok")
	}), &n
}

var retryTests = []struct {
	name         string
	codes        []int
	retries      int
	wantAttempts int
	wantStatus   int // of the result
	wantOK       bool
}{
	{"500 then 200", []int{500}, 2, 2, 200, true},
	{"502 503 then 200", []int{502, 503}, 2, 3, 200, true},
	{"500 out of retries", []int{500, 500, 500, 500}, 2, 3, 500, false},
	{"500 without retries", []int{500}, 0, 1, 500, false},
	{"404 not retried", []int{404}, 3, 1, 404, false},
	{"429 not retried", []int{429}, 3, 1, 429, false},
	{"403 not retried", []int{403}, 3, 1, 403, false},
}

func TestFetchRetries(t *testing.T) {
	for _, tt := range retryTests {
		t.Run(tt.name, func(t *testing.T) {
			h, n := statusSeq(tt.codes...)
			srv := httptest.NewServer(h)
			defer srv.Close()
			var waits []int
			f := &Fetcher{Retries: tt.retries, Backoff: func(a int) time.Duration { waits = append(waits, a); return 0 }}
			res := f.Fetch(context.Background(), Request{URL: srv.URL})
			if res.Attempts != tt.wantAttempts || int(n.Load()) != tt.wantAttempts {
				t.Errorf("attempts got:%d (server saw %d) want:%d", res.Attempts, n.Load(), tt.wantAttempts)
			}
			if res.Status != tt.wantStatus {
				t.Errorf("status got:%d want:%d", res.Status, tt.wantStatus)
			}
			if (res.Err == nil) != tt.wantOK {
				t.Errorf("err got:%v want ok=%v", res.Err, tt.wantOK)
			}
			var se *StatusError
			if !tt.wantOK && (!errors.As(res.Err, &se) || se.Code != tt.wantStatus || !strings.HasPrefix(res.Err.Error(), "fetch: ")) {
				t.Errorf("err got:%v, want a fetch: *StatusError %d", res.Err, tt.wantStatus)
			}
			for i, a := range waits {
				if a != i+1 {
					t.Errorf("backoff called with attempts %v, want 1, 2, …", waits)
					break
				}
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	var hits atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		sleepCtx(r, 5*time.Second)
	}))
	defer slow.Close()
	slowBody := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		sleepCtx(r, 5*time.Second) // stall mid-body
	}))
	defer slowBody.Close()
	f := &Fetcher{Timeout: 100 * time.Millisecond, Retries: 1, Backoff: noBackoff}
	start := time.Now()
	res := f.FetchAll(context.Background(), []Request{{URL: slow.URL}, {URL: slowBody.URL}})
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("timeouts took %v, want about 2×100ms", el)
	}
	for i, r := range res {
		if !errors.Is(r.Err, context.DeadlineExceeded) || !strings.Contains(r.Err.Error(), "timed out") {
			t.Errorf("%d: err got:%v want a timeout", i, r.Err)
		}
		if r.Attempts != 2 {
			t.Errorf("%d: attempts got:%d want:2 (timeouts are retried)", i, r.Attempts)
		}
	}
	if hits.Load() != 2 {
		t.Errorf("slow server hit %d times, want 2", hits.Load())
	}
}

var sizeTests = []struct {
	name    string
	size    int
	chunked bool
	wantErr bool
}{
	{"under limit", 999, false, false},
	{"at limit", 1000, false, false},
	{"over limit with length", 1001, false, true},
	{"over limit chunked", 5000, true, true},
	{"at limit chunked", 1000, true, false},
}

func TestFetchMaxBytes(t *testing.T) {
	for _, tt := range sizeTests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				body := strings.Repeat("x", tt.size)
				if tt.chunked {
					w.Write([]byte(body[:tt.size/2]))
					w.(http.Flusher).Flush()
					w.Write([]byte(body[tt.size/2:]))
					return
				}
				w.Header().Set("Content-Length", fmt.Sprint(tt.size))
				w.Write([]byte(body))
			}))
			defer srv.Close()
			res := (&Fetcher{MaxBytes: 1000, Retries: 2, Backoff: noBackoff}).Fetch(context.Background(), Request{URL: srv.URL})
			if !tt.wantErr {
				if res.Err != nil || len(res.Body) != tt.size {
					t.Fatalf("got err %v, %d bytes", res.Err, len(res.Body))
				}
				return
			}
			if !errors.Is(res.Err, ErrTooLarge) || !strings.Contains(res.Err.Error(), "response larger than 1000 bytes") {
				t.Errorf("err got:%v", res.Err)
			}
			if res.Body != nil || hits.Load() != 1 {
				t.Errorf("oversized: body %d bytes, %d requests; want none and 1 (not retried)", len(res.Body), hits.Load())
			}
		})
	}
}

func TestFetchGarbage(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/truncated-once":
			if n.Add(1) == 1 {
				// Promise 100 bytes, send 5, drop the connection.
				w.Header().Set("Content-Length", "100")
				w.Write([]byte("trunc"))
				w.(http.Flusher).Flush()
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					conn.Close()
				}
				return
			}
			fmt.Fprint(w, "whole")
		case "/binary":
			w.Write([]byte{0xff, 0xfe, 0x00, '<', '{'})
		case "/hangup":
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}
	}))
	defer srv.Close()
	f := &Fetcher{Retries: 1, Backoff: noBackoff}
	res := f.FetchAll(context.Background(), []Request{
		{URL: srv.URL + "/truncated-once"}, {URL: srv.URL + "/binary"}, {URL: srv.URL + "/hangup"},
	})
	if res[0].Err != nil || string(res[0].Body) != "whole" || res[0].Attempts != 2 {
		t.Errorf("truncated body: %+v, want a retry then the whole body", res[0])
	}
	if res[1].Err != nil || string(res[1].Body) != "\xff\xfe\x00<{" {
		t.Errorf("binary body: %+v, want the bytes untouched (parsing is the caller's job)", res[1])
	}
	if res[2].Err == nil || res[2].Attempts != 2 || res[2].Status != 0 {
		t.Errorf("hang-up: %+v, want a network error after 2 attempts", res[2])
	}
}

// inflight counts concurrent requests and remembers the peak.
type inflight struct {
	mu        sync.Mutex
	cur, peak int
}

func (c *inflight) wrap(d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.cur++
		c.peak = max(c.peak, c.cur)
		c.mu.Unlock()
		sleepCtx(r, d)
		c.mu.Lock()
		c.cur--
		c.mu.Unlock()
		fmt.Fprint(w, r.URL.Path)
	})
}

func TestConcurrencyBound(t *testing.T) {
	var c inflight
	srv := httptest.NewServer(c.wrap(20 * time.Millisecond))
	defer srv.Close()
	var reqs []Request
	for i := range 60 {
		reqs = append(reqs, Request{Key: fmt.Sprint(i), URL: fmt.Sprintf("%s/%d", srv.URL, i)})
	}
	res := (&Fetcher{Concurrency: 5, PerHost: -1}).FetchAll(context.Background(), reqs)
	for i, r := range res {
		if r.Err != nil || string(r.Body) != fmt.Sprintf("/%d", i) || r.Key != fmt.Sprint(i) {
			t.Fatalf("result %d out of order or failed: %+v", i, r)
		}
	}
	if c.peak > 5 || c.peak < 2 {
		t.Errorf("peak in flight got:%d want ≤5 (and some concurrency)", c.peak)
	}
}

func TestPerHostBound(t *testing.T) {
	var a, b inflight
	sa := httptest.NewServer(a.wrap(20 * time.Millisecond))
	defer sa.Close()
	sb := httptest.NewServer(b.wrap(20 * time.Millisecond))
	defer sb.Close()
	var reqs []Request
	for range 20 {
		reqs = append(reqs, Request{URL: sa.URL}, Request{URL: sb.URL})
	}
	start := time.Now()
	res := (&Fetcher{Concurrency: 10, PerHost: 2}).FetchAll(context.Background(), reqs)
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if a.peak > 2 || b.peak > 2 {
		t.Errorf("per-host peaks got:%d,%d want ≤2", a.peak, b.peak)
	}
	// Two hosts in parallel: about 20/2 × 20ms = 200ms, not 400ms.
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
}

// TestManyFeedsTimeIsSlowest fetches 500 feeds with fixed-seed delays and
// checks the total is near the slowest feed, far below the sum.
func TestManyFeedsTimeIsSlowest(t *testing.T) {
	const n = 500
	r := rand.New(rand.NewPCG(1, 1))
	delays := make([]time.Duration, n)
	var sum, slowest time.Duration
	for i := range delays {
		delays[i] = time.Duration(r.IntN(60)) * time.Millisecond
		if i == 123 {
			delays[i] = 300 * time.Millisecond
		}
		sum += delays[i]
		slowest = max(slowest, delays[i])
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &i)
		sleepCtx(r, delays[i])
		fmt.Fprintf(w, `{"feed":%d}`, i)
	}))
	defer srv.Close()
	srv.Config.SetKeepAlivesEnabled(true)
	reqs := make([]Request, n)
	for i := range reqs {
		reqs[i] = Request{Key: fmt.Sprintf("feed-%d", i), URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)}
	}
	var progress atomic.Int32
	f := &Fetcher{Concurrency: n, PerHost: -1, Progress: func(p Progress) {
		if p.Total != n || int(progress.Add(1)) != p.Done {
			t.Errorf("bad progress %d/%d", p.Done, p.Total)
		}
	}}
	start := time.Now()
	res := f.FetchAll(context.Background(), reqs)
	total := time.Since(start)
	for i, r := range res {
		if r.Err != nil || string(r.Body) != fmt.Sprintf(`{"feed":%d}`, i) {
			t.Fatalf("feed %d: %+v", i, r)
		}
	}
	if progress.Load() != n {
		t.Errorf("progress called %d times, want %d", progress.Load(), n)
	}
	t.Logf("%d feeds: total %v, slowest %v, sum %v", n, total, slowest, sum)
	if total < slowest {
		t.Errorf("total %v below the slowest feed %v: delays not applied", total, slowest)
	}
	if total > slowest+2*time.Second || total > sum/4 {
		t.Errorf("total %v is not bounded by the slowest feed (%v); sum is %v", total, slowest, sum)
	}
}

func TestOneBadFeedDoesNotStopOthers(t *testing.T) {
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer good.Close()
	bad, _ := statusSeq(500, 500, 500)
	badSrv := httptest.NewServer(bad)
	defer badSrv.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sleepCtx(r, 5*time.Second) }))
	defer slow.Close()
	reqs := []Request{
		{Key: "slow", URL: slow.URL}, {Key: "good1", URL: good.URL}, {Key: "bad", URL: badSrv.URL},
		{Key: "nourl", URL: "ftp://example.invalid/x"}, {Key: "good2", URL: good.URL},
	}
	res := (&Fetcher{Timeout: 200 * time.Millisecond, Retries: 1, Backoff: noBackoff}).FetchAll(context.Background(), reqs)
	for i, r := range res {
		if r.Key != reqs[i].Key {
			t.Fatalf("result %d is %s, want %s: not in input order", i, r.Key, reqs[i].Key)
		}
	}
	if res[1].Err != nil || res[4].Err != nil {
		t.Errorf("good feeds failed: %v, %v", res[1].Err, res[4].Err)
	}
	if res[0].Err == nil || res[2].Err == nil || res[3].Err == nil {
		t.Errorf("bad feeds succeeded: %+v", res)
	}
	if res[3].Attempts != 0 || !strings.Contains(res[3].Err.Error(), "not an http(s) URL") {
		t.Errorf("bad URL: %+v", res[3])
	}
}

func TestFetchAllCanceled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sleepCtx(r, 5*time.Second) }))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	reqs := make([]Request, 20)
	for i := range reqs {
		reqs[i].URL = srv.URL
	}
	start := time.Now()
	res := (&Fetcher{Concurrency: 2, Retries: 3, Backoff: noBackoff}).FetchAll(ctx, reqs)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("cancel took %v", el)
	}
	for i, r := range res {
		if !errors.Is(r.Err, context.DeadlineExceeded) {
			t.Errorf("%d: err got:%v want the context's", i, r.Err)
		}
		if r.Attempts > 1 {
			t.Errorf("%d: retried after the caller's context ended (%d attempts)", i, r.Attempts)
		}
	}
}

func TestRetryAfterHonored(t *testing.T) {
	var first time.Time
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
			return
		}
		if d := time.Since(first); d < 900*time.Millisecond {
			t.Errorf("retried after %v despite Retry-After: 1", d)
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	res := (&Fetcher{Retries: 1, Backoff: noBackoff}).Fetch(context.Background(), Request{URL: srv.URL})
	if res.Err != nil || res.Attempts != 2 {
		t.Errorf("%+v", res)
	}
}

var retryAfterTests = []struct {
	in   string
	want time.Duration
}{
	{"", 0},
	{"3", 3 * time.Second},
	{"-3", 0},
	{"100000", MaxRetryAfter},
	{"Wed, 21 Oct 2015 07:28:10 GMT", 10 * time.Second},
	{"Wed, 21 Oct 2015 07:27:00 GMT", 0},
	{"soon", 0},
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)
	for _, tt := range retryAfterTests {
		if got := retryAfter(tt.in, now); got != tt.want {
			t.Errorf("retryAfter(%q) got:%v want:%v", tt.in, got, tt.want)
		}
	}
}

func TestDefaultBackoff(t *testing.T) {
	for attempt, base := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 6: 30 * time.Second, 60: 30 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := DefaultBackoff(attempt)
			if d < base/2 || d > base {
				t.Fatalf("DefaultBackoff(%d) = %v, want in [%v, %v]", attempt, d, base/2, base)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("DefaultBackoff(%d) has no jitter", attempt)
		}
	}
}

// TestNotModifiedWithoutValidators: a 304 to a request that sent no
// validators is an error, never a healthy "not modified" (issue 16 item 4).
func TestNotModifiedWithoutValidators(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	res := (&Fetcher{}).Fetch(context.Background(), Request{Key: "k", URL: srv.URL})
	if !errors.Is(res.Err, ErrNoValidators) || res.NotModified {
		t.Fatalf("got Err=%v NotModified=%v, want ErrNoValidators", res.Err, res.NotModified)
	}
	res = (&Fetcher{}).Fetch(context.Background(), Request{Key: "k", URL: srv.URL, ETag: `"v1"`})
	if res.Err != nil || !res.NotModified {
		t.Fatalf("with a validator: got Err=%v NotModified=%v", res.Err, res.NotModified)
	}
}

// TestRedirectPolicy: redirects stay on the feed's host and port and never
// go from https to http, unless the host is allowed (issue 16 item 9).
func TestRedirectPolicy(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "internal secret")
	}))
	defer other.Close()
	tlsOther := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "tls other")
	}))
	defer tlsOther.Close()
	var self *httptest.Server
	self = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/same-absolute":
			http.Redirect(w, r, self.URL+"/final", http.StatusMovedPermanently)
		case "/other-port":
			http.Redirect(w, r, other.URL+"/latest/meta-data/", http.StatusFound)
		case "/other-host":
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/x", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/final":
			fmt.Fprint(w, "feed")
		}
	}))
	defer self.Close()
	tlsSelf := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(self.URL, "127.0.0.1", "127.0.0.1", 1)+"/final", http.StatusFound)
	}))
	defer tlsSelf.Close()
	otherHost := strings.TrimPrefix(other.URL, "http://")
	tests := []struct {
		name    string
		url     string
		allow   []string
		client  *http.Client
		want    string // body, or "" for a refused redirect
		errText string
	}{
		{"same host relative", self.URL + "/same", nil, nil, "feed", ""},
		{"same host absolute", self.URL + "/same-absolute", nil, nil, "feed", ""},
		{"other port refused", self.URL + "/other-port", nil, nil, "", "another host or port (127.0.0.1:"},
		{"other host refused", self.URL + "/other-host", nil, nil, "", "another host or port (localhost:"},
		{"allowed host:port", self.URL + "/other-port", []string{otherHost}, nil, "internal secret", ""},
		{"https to http refused", tlsSelf.URL, []string{otherHost, "127.0.0.1"}, tlsSelf.Client(), "", "a downgrade from https to http"},
		{"loop stops", self.URL + "/loop", nil, nil, "", "more than 10 redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			client := tt.client
			if client == nil {
				client = &http.Client{}
			} else {
				c := *client
				client = &c
			}
			f := &Fetcher{Client: client, AllowRedirectHosts: tt.allow, Retries: 2, Backoff: noBackoff}
			res := f.Fetch(context.Background(), Request{Key: "k", URL: tt.url})
			if tt.want != "" {
				if res.Err != nil || string(res.Body) != tt.want {
					t.Fatalf("got %q, %v; want %q", res.Body, res.Err, tt.want)
				}
				return
			}
			if !errors.Is(res.Err, ErrRedirect) || !strings.Contains(res.Err.Error(), tt.errText) {
				t.Fatalf("err = %v, want a refused redirect: %s", res.Err, tt.errText)
			}
			if res.Attempts != 1 {
				t.Errorf("a refused redirect was retried: %d attempts", res.Attempts)
			}
			if tt.name == "other port refused" && hits.Load() != 0 {
				t.Errorf("the other host was reached")
			}
		})
	}
}
