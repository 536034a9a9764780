package watchweb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/depgraph/depgraph/internal/watch"
)

// StaleIntervals is how many intervals may pass after the last cycle
// before the watch is stale.
const StaleIntervals = 3

// Options configures a Server.
type Options struct {
	// Interval is the time between cycles; zero takes the snapshot's
	// IntervalSeconds.
	Interval time.Duration
	// Model names the model watched, shown in the page's title.
	Model string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// AllowedHosts are the host names, besides IP addresses and localhost,
	// that requests may name in their Host header (see Handler).
	AllowedHosts []string
	// NoRuntimeMetrics leaves the Go runtime and process collectors out
	// of /metrics (tests compare whole outputs without them).
	NoRuntimeMetrics bool
}

// Server serves the last snapshot it was given. Its methods are safe for
// concurrent use.
type Server struct {
	opts    Options
	page    []byte
	reg     *prometheus.Registry
	metrics *collector
	handler http.Handler

	update   sync.Mutex // serializes Update: metrics and snapshot from one cycle
	mu       sync.RWMutex
	snap     *watch.Snapshot // a private copy, never changed once stored
	lastTime time.Time       // the last cycle's time (zero before the first)
}

// New returns a server with no snapshot yet.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, page: buildPage(opts.Model, opts.Interval)}
	s.metrics = newCollector(opts.Now())
	s.reg = prometheus.NewRegistry()
	s.reg.MustRegister(s.metrics)
	if !opts.NoRuntimeMetrics {
		s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s.handler = s.newHandler()
	return s
}

// Update makes snap the snapshot the server shows. The server keeps a
// copy: the caller may change or reuse snap afterwards. A nil snap is
// ignored.
func (s *Server) Update(snap *watch.Snapshot) {
	if snap == nil {
		return
	}
	c := cloneSnapshot(snap)
	s.update.Lock()
	defer s.update.Unlock()
	at := c.At
	if at.IsZero() {
		at = s.opts.Now()
	}
	s.metrics.update(c, at, s.interval(c))
	s.mu.Lock()
	s.snap, s.lastTime = c, at
	s.mu.Unlock()
}

// HTTPServer returns an http.Server for Handler with timeouts, so that a
// slow or stalled client cannot hold connections open: 5 s to send the
// headers, 10 s for the request, 30 s for the answer, 2 minutes idle.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
}

// Handler returns the HTTP handler of every endpoint. It answers only
// requests whose Host is an IP address, localhost (or a name under
// .localhost) or one of Options.AllowedHosts: a page elsewhere that points
// its own name at 127.0.0.1 (DNS rebinding) cannot read the watch.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.HandleFunc("GET /api/situations", s.serveSituations)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      s.reg,
	}))
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.HandleFunc("GET /favicon.svg", serveFavicon)
	mux.HandleFunc("GET /favicon.ico", serveFavicon)
	return s.secure(mux)
}

// secure answers only GET and HEAD for an allowed host and sets the
// headers every answer carries.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if !s.hostAllowed(r.Host) {
			http.Error(w, "host not allowed: depgraph watch answers to an IP address, localhost or an allowed host name", http.StatusMisdirectedRequest)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: use GET or HEAD", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether a request's Host (with or without a port)
// names this server: an IP address, localhost, a name under .localhost
// (RFC 6761), or one of Options.AllowedHosts. An empty Host (HTTP/1.0,
// which no browser sends) is allowed.
func (s *Server) hostAllowed(host string) bool {
	if host == "" {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if net.ParseIP(host) != nil {
		return true
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	for _, a := range s.opts.AllowedHosts {
		if strings.EqualFold(strings.TrimSuffix(a, "."), host) {
			return true
		}
	}
	return false
}

// state returns the current snapshot (nil before the first cycle) and
// the last cycle's time.
func (s *Server) state() (*watch.Snapshot, time.Time) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snap, s.lastTime
}

// interval is the interval in force for snap.
func (s *Server) interval(snap *watch.Snapshot) time.Duration {
	if s.opts.Interval > 0 {
		return s.opts.Interval
	}
	if snap != nil && snap.IntervalSeconds > 0 {
		return time.Duration(snap.IntervalSeconds * float64(time.Second))
	}
	return 0
}

// Live is what /api/situations adds to the snapshot: the server's view
// of it when the request is served.
type Live struct {
	// Model is Options.Model.
	Model string `json:"model"`
	// Now is the server's time.
	Now time.Time `json:"now"`
	// LastCycle is the time the last completed cycle ran at (its
	// snapshot's At); null before the first.
	LastCycle *time.Time `json:"last_cycle"`
	// IntervalSeconds is the interval in force (0 when unknown).
	IntervalSeconds float64 `json:"interval_seconds"`
	// StaleAfterSeconds is StaleIntervals intervals (0: never stale).
	StaleAfterSeconds float64 `json:"stale_after_seconds"`
	// Healthy is what /healthz says: the last completed cycle ran less
	// than StaleAfterSeconds ago. Health is its text: "ok" or why not.
	Healthy bool   `json:"healthy"`
	Health  string `json:"health"`
	// Stale says a cycle completed but too long ago.
	Stale bool `json:"stale"`
}

// live computes Live at now.
func (s *Server) live(snap *watch.Snapshot, last time.Time, now time.Time) Live {
	iv := s.interval(snap)
	l := Live{
		Model:             s.opts.Model,
		Now:               now.UTC(),
		IntervalSeconds:   iv.Seconds(),
		StaleAfterSeconds: (StaleIntervals * iv).Seconds(),
	}
	switch {
	case snap == nil:
		l.Health = "no cycle yet: the watch has not completed its first cycle"
		return l
	case iv > 0 && now.Sub(last) > StaleIntervals*iv:
		l.Stale = true
		l.Health = fmt.Sprintf("stale: the last cycle (%d) completed at %s, %s ago, more than %d intervals of %s",
			snap.Cycle, last.UTC().Format(time.RFC3339), now.Sub(last).Round(time.Second), StaleIntervals, iv)
	default:
		l.Healthy, l.Health = true, "ok"
	}
	t := last.UTC()
	l.LastCycle = &t
	return l
}

// situationsResponse is the body of /api/situations: the snapshot's
// fields and "live".
type situationsResponse struct {
	*watch.Snapshot
	Live Live `json:"live"`
}

func (s *Server) serveSituations(w http.ResponseWriter, r *http.Request) {
	snap, last := s.state()
	resp := situationsResponse{Snapshot: snap, Live: s.live(snap, last, s.opts.Now())}
	if snap == nil {
		resp.Snapshot = emptySnapshot()
	}
	b, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "encode snapshot: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(append(b, '\n'))
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	snap, last := s.state()
	l := s.live(snap, last, s.opts.Now())
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if !l.Healthy {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if r.Method == http.MethodHead {
		return
	}
	_, _ = fmt.Fprintln(w, l.Health)
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", pageCSP())
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.page))
}

// serveFavicon serves the page's icon (at /favicon.ico too, where
// browsers look without a link).
func serveFavicon(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "max-age=86400")
	h.Set("Content-Security-Policy", "default-src 'none'")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(favicon))
}

// emptySnapshot is what the server shows before the first cycle.
func emptySnapshot() *watch.Snapshot {
	s := &watch.Snapshot{SchemaVersion: watch.SchemaVersion}
	normalize(s)
	return s
}

// cloneSnapshot returns a deep copy of snap with every list non-nil. It
// goes through JSON, so every field the JSON form carries is copied, those
// added later included. JSON has no NaN nor infinity: such a float
// (an engine bug) becomes 0.
func cloneSnapshot(snap *watch.Snapshot) *watch.Snapshot {
	b, err := json.Marshal(finiteFloats(snap))
	if err != nil {
		panic("watchweb: encode snapshot: " + err.Error()) // plain data: cannot fail
	}
	var c watch.Snapshot
	if err := json.Unmarshal(b, &c); err != nil {
		panic("watchweb: decode snapshot: " + err.Error())
	}
	normalize(&c)
	return &c
}

// finiteFloats returns snap, or a copy of it whose NaN and infinite
// floats are 0 (the lists holding them are copied; snap is unchanged).
func finiteFloats(snap *watch.Snapshot) *watch.Snapshot {
	c := *snap
	c.IntervalSeconds = finite(c.IntervalSeconds)
	sits := func(l []watch.Situation) []watch.Situation {
		l = slices.Clone(l)
		for i := range l {
			l[i].Probability = finite(l[i].Probability)
		}
		return l
	}
	c.Open, c.Resolved, c.Pending = sits(c.Open), sits(c.Resolved), sits(c.Pending)
	c.Events = slices.Clone(c.Events)
	for i := range c.Events {
		c.Events[i].Probability = finite(c.Events[i].Probability)
	}
	c.Nodes = slices.Clone(c.Nodes)
	for i := range c.Nodes {
		c.Nodes[i].Reported = finite(c.Nodes[i].Reported)
		c.Nodes[i].Impairment = finite(c.Nodes[i].Impairment)
	}
	return &c
}

func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// normalize replaces every nil list of s by an empty one, so the JSON
// form has [] where the snapshot had nothing, never null.
func normalize(s *watch.Snapshot) {
	nonNil(&s.Open)
	nonNil(&s.Resolved)
	nonNil(&s.Pending)
	nonNil(&s.Events)
	nonNil(&s.Feeds)
	nonNil(&s.Nodes)
	for _, l := range [][]watch.Situation{s.Open, s.Resolved, s.Pending} {
		for i := range l {
			x := &l[i]
			nonNil(&x.Roots)
			nonNil(&x.AffectedServices)
			nonNil(&x.Reporting)
			nonNil(&x.Incidents)
			nonNil(&x.Paths)
			for j := range x.Paths {
				nonNil(&x.Paths[j])
			}
			nonNil(&x.Unknown)
		}
	}
	for i := range s.Events {
		e := &s.Events[i]
		nonNil(&e.Roots)
		nonNil(&e.AffectedServices)
		nonNil(&e.Reporting)
		nonNil(&e.Incidents)
		nonNil(&e.Unknown)
		nonNil(&e.UnreadableFeeds)
		nonNil(&e.UnknownServices)
		nonNil(&e.Changes)
	}
	for i := range s.Feeds {
		nonNil(&s.Feeds[i].Nodes)
	}
}

func nonNil[T any](l *[]T) {
	if *l == nil {
		*l = []T{}
	}
}
