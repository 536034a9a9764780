package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults used for zero Fetcher fields.
const (
	// DefaultConcurrency is the number of requests in flight at once.
	DefaultConcurrency = 16
	// DefaultPerHost is the number of requests in flight to one host.
	DefaultPerHost = 4
	// DefaultTimeout bounds one attempt: connect, headers and body.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBytes is the largest body read (after decompression).
	DefaultMaxBytes = 16 << 20
	// MaxRetryAfter caps how long a Retry-After header can delay a retry.
	MaxRetryAfter = time.Minute
)

// DefaultVersion is the version UserAgent reports when the Fetcher has no
// UserAgent of its own.
const DefaultVersion = "devel"

// UserAgent returns depgraph's User-Agent for version, which names the
// project so that status-page operators can find who is polling them.
func UserAgent(version string) string {
	return "depgraph/" + version + " (+https://github.com/depgraph/depgraph)"
}

// ErrTooLarge is wrapped by the error of a response whose body exceeds
// Fetcher.MaxBytes.
var ErrTooLarge = errors.New("response too large")

// StatusError is the error of a response with a status other than 2xx or
// 304.
type StatusError struct {
	// URL is the address requested.
	URL string
	// Code is the HTTP status code.
	Code int
	// Status is the status line text, e.g. "404 Not Found".
	Status string
}

// Error implements error.
func (e *StatusError) Error() string { return fmt.Sprintf("fetch: %s: HTTP %s", e.URL, e.Status) }

// Request asks for one feed.
type Request struct {
	// Key is the caller's name for the feed (a model node id or the URL);
	// Offline mode looks files up by it.
	Key string
	// URL is the feed's address, http or https.
	URL string
	// ETag and LastModified are the validators of the last good fetch;
	// when set they are sent as If-None-Match and If-Modified-Since.
	ETag, LastModified string
}

// Result is the outcome of one Request.
type Result struct {
	// Key and URL repeat the request's.
	Key, URL string
	// File is the file read in Offline mode, empty otherwise.
	File string
	// Status is the last HTTP status received, 0 when none came.
	Status int
	// Body is the response body of a successful fetch, nil otherwise.
	Body []byte
	// ETag and LastModified are the response's validators. For a 304 that
	// omits them they are the request's, which stay valid.
	ETag, LastModified string
	// NotModified is true when the server answered 304 to a conditional
	// request: the feed has not changed and Body is nil.
	NotModified bool
	// Err is why the fetch failed, nil on success (including 304). HTTP
	// errors are *StatusError; oversized bodies wrap ErrTooLarge.
	Err error
	// Attempts is the number of requests made (or files read).
	Attempts int
	// FetchedAt is when the first attempt started.
	FetchedAt time.Time
	// Duration is the time from the first attempt to the result, backoff
	// included.
	Duration time.Duration
}

// Progress reports one finished request to Fetcher.Progress.
type Progress struct {
	// Done is the number of requests finished so far, this one included.
	Done int
	// Total is the number of requests.
	Total int
	// Result is the finished request's result.
	Result *Result
}

// Fetcher fetches feeds. The zero value is ready to use with the defaults;
// a Fetcher must not be changed while FetchAll runs.
type Fetcher struct {
	// Client makes the requests; nil means a client on a clone of
	// http.DefaultTransport. Its own Timeout, if any, also applies.
	Client *http.Client
	// Concurrency bounds the requests in flight; 0 means
	// DefaultConcurrency.
	Concurrency int
	// PerHost bounds the requests in flight to one host (host:port), so
	// that many feeds of one provider (AWS's per-service RSS feeds, say) do
	// not hammer it; 0 means DefaultPerHost, negative means no bound
	// beyond Concurrency.
	PerHost int
	// Timeout bounds each attempt on one feed, body included; 0 means
	// DefaultTimeout. A feed takes at most about (Retries+1)·Timeout plus
	// backoff.
	Timeout time.Duration
	// MaxBytes is the largest body accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Retries is how many times a failed attempt is retried: after a 5xx
	// answer, a timeout or a network error, never after a 4xx answer, an
	// oversized body or a bad URL. 0 means no retries.
	Retries int
	// Backoff returns the wait before retry number attempt (1 for the
	// first retry); nil means DefaultBackoff. A Retry-After header on a
	// 5xx answer lengthens the wait, up to MaxRetryAfter.
	Backoff func(attempt int) time.Duration
	// UserAgent is sent with each request; empty means
	// UserAgent(DefaultVersion).
	UserAgent string
	// Offline, when set, is a directory of saved feeds that FetchAll reads
	// instead of the network; see OfflineName for how a request finds its
	// file.
	Offline string
	// Progress, when set, is called after each request finishes, from one
	// goroutine at a time.
	Progress func(Progress)
	// AllowRedirectHosts lists hosts (host or host:port) a feed may
	// redirect to besides its own; see RedirectPolicy.
	AllowRedirectHosts []string
}

// ErrRedirect is wrapped by the error of a request whose redirect was
// refused (see RedirectPolicy).
var ErrRedirect = errors.New("redirect refused")

// ErrNoValidators is wrapped by the error of a 304 Not Modified answer to
// a request that sent no validators: the server sent no feed, and nothing
// earlier is known to be current.
var ErrNoValidators = errors.New("HTTP 304 Not Modified to a request without validators (no ETag or Last-Modified sent)")

// maxRedirects is the most redirects followed for one request.
const maxRedirects = 10

// RedirectPolicy returns an http.Client CheckRedirect function that
// follows a redirect only to the original request's own host and port
// (default ports made explicit, names compared case-insensitively) or to
// a host in allow, never from https to http, and at most 10 times. A
// status page that could send the fetcher anywhere could point it at
// internal addresses (cloud metadata, admin ports).
func RedirectPolicy(allow []string) func(req *http.Request, via []*http.Request) error {
	allowed := map[string]bool{}
	for _, h := range allow {
		allowed[strings.ToLower(h)] = true
	}
	return func(req *http.Request, via []*http.Request) error {
		if len(via) == 0 {
			return nil
		}
		first, prev := via[0].URL, via[len(via)-1].URL
		refuse := func(why string) error {
			return fmt.Errorf("%w: %s to %s: %s", ErrRedirect, safeURL(prev), safeURL(req.URL), why)
		}
		if len(via) >= maxRedirects {
			return refuse(fmt.Sprintf("more than %d redirects", maxRedirects))
		}
		if prev.Scheme == "https" && req.URL.Scheme != "https" || req.URL.Scheme != "https" && req.URL.Scheme != "http" {
			return refuse("a downgrade from https to " + req.URL.Scheme)
		}
		to, toPort := strings.ToLower(req.URL.Hostname()), port(req.URL)
		if to == strings.ToLower(first.Hostname()) && toPort == port(first) {
			return nil
		}
		if allowed[to] || allowed[to+":"+toPort] {
			return nil
		}
		return refuse(fmt.Sprintf("another host or port (%s:%s); allow it with --allow-redirect %s", to, toPort, to))
	}
}

// port returns u's port, the scheme's default when it has none.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// safeURL prints u for an error message: no user information, no query,
// cut to 120 bytes, control characters escaped.
func safeURL(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.Fragment = nil, "", ""
	s := strconv.QuoteToASCII(c.String())
	s = s[1 : len(s)-1]
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// DefaultBackoff waits about 1s, 2s, 4s… (capped at 30s) before retry
// number attempt, with jitter: a uniform random share of 50–100% of that,
// so that many clients failing together do not retry together.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Second << min(max(attempt-1, 0), 5)
	d = min(d, 30*time.Second)
	return d/2 + rand.N(d/2+1)
}

// FetchAll fetches every request concurrently within the Fetcher's bounds
// and returns one Result per request, in input order. It returns when all
// are done or ctx is canceled (the rest then fail with ctx's error).
func (f *Fetcher) FetchAll(ctx context.Context, reqs []Request) []Result {
	results := make([]Result, len(reqs))
	r := f.runner()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for i := range reqs {
		wg.Go(func() {
			results[i] = r.fetch(ctx, reqs[i])
			if f.Progress != nil {
				mu.Lock()
				done++
				f.Progress(Progress{Done: done, Total: len(reqs), Result: &results[i]})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return results
}

// Fetch fetches one request; it is FetchAll for one.
func (f *Fetcher) Fetch(ctx context.Context, req Request) Result {
	return f.FetchAll(ctx, []Request{req})[0]
}

// runner is a Fetcher with its defaults applied and its semaphores.
type runner struct {
	client    *http.Client
	timeout   time.Duration
	maxBytes  int64
	retries   int
	backoff   func(int) time.Duration
	userAgent string
	offline   string
	perHost   int
	global    chan struct{}

	mu    sync.Mutex
	hosts map[string]chan struct{}
}

func (f *Fetcher) runner() *runner {
	r := &runner{
		client:    f.Client,
		timeout:   f.Timeout,
		maxBytes:  f.MaxBytes,
		retries:   max(f.Retries, 0),
		backoff:   f.Backoff,
		userAgent: f.UserAgent,
		offline:   f.Offline,
		perHost:   f.PerHost,
		hosts:     map[string]chan struct{}{},
	}
	n := f.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	r.global = make(chan struct{}, n)
	if r.client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = n
		r.client = &http.Client{Transport: tr}
	}
	if r.client.CheckRedirect == nil {
		c := *r.client
		c.CheckRedirect = RedirectPolicy(f.AllowRedirectHosts)
		r.client = &c
	}
	if r.timeout <= 0 {
		r.timeout = DefaultTimeout
	}
	if r.maxBytes <= 0 {
		r.maxBytes = DefaultMaxBytes
	}
	if r.backoff == nil {
		r.backoff = DefaultBackoff
	}
	if r.userAgent == "" {
		r.userAgent = UserAgent(DefaultVersion)
	}
	if r.perHost == 0 {
		r.perHost = DefaultPerHost
	}
	return r
}

// acquire takes a per-host slot, then a global one, so that requests
// queued behind a busy host do not hold global slots. It returns the
// release function.
func (r *runner) acquire(ctx context.Context, host string) (release func(), err error) {
	var hostSem chan struct{}
	if r.perHost > 0 {
		r.mu.Lock()
		hostSem = r.hosts[host]
		if hostSem == nil {
			hostSem = make(chan struct{}, r.perHost)
			r.hosts[host] = hostSem
		}
		r.mu.Unlock()
		select {
		case hostSem <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	select {
	case r.global <- struct{}{}:
	case <-ctx.Done():
		if hostSem != nil {
			<-hostSem
		}
		return nil, ctx.Err()
	}
	return func() {
		<-r.global
		if hostSem != nil {
			<-hostSem
		}
	}, nil
}

// fetch runs one request with its retries.
func (r *runner) fetch(ctx context.Context, req Request) (res Result) {
	res = Result{Key: req.Key, URL: req.URL, FetchedAt: time.Now()}
	defer func() { res.Duration = time.Since(res.FetchedAt) }()
	if r.offline != "" {
		r.readOffline(&res)
		return res
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		res.Err = fmt.Errorf("fetch: %s: %q is not an http(s) URL", req.Key, req.URL)
		return res
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			res.Err = fmt.Errorf("fetch: %s: %w", req.URL, err)
			return res
		}
		release, err := r.acquire(ctx, u.Host)
		if err != nil {
			res.Err = fmt.Errorf("fetch: %s: %w", req.URL, err)
			return res
		}
		res.Attempts++
		retry, wait := r.attempt(ctx, req, &res)
		release()
		if !retry || attempt >= r.retries || ctx.Err() != nil {
			return res
		}
		wait = max(wait, r.backoff(attempt+1))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			res.Err = fmt.Errorf("fetch: %s: %w (after %d attempts, last: %v)", req.URL, ctx.Err(), res.Attempts, res.Err)
			return res
		}
	}
}

// attempt makes one request and fills res. It reports whether the failure
// is worth retrying, and the least wait the server asked for.
func (r *runner) attempt(ctx context.Context, req Request, res *Result) (retry bool, wait time.Duration) {
	res.Status, res.Body, res.Err, res.NotModified = 0, nil, nil, false
	actx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodGet, req.URL, nil)
	if err != nil {
		res.Err = fmt.Errorf("fetch: %s: %w", req.URL, err)
		return false, 0
	}
	hreq.Header.Set("User-Agent", r.userAgent)
	hreq.Header.Set("Accept", "*/*")
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := r.client.Do(hreq)
	if err != nil {
		return r.failed(ctx, actx, req, res, err), 0
	}
	defer func() {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		resp.Body.Close()
	}()
	res.Status = resp.StatusCode
	res.ETag, res.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	switch {
	case resp.StatusCode == http.StatusNotModified && req.ETag == "" && req.LastModified == "":
		res.Err = fmt.Errorf("fetch: %s: %w", req.URL, ErrNoValidators)
		return false, 0
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = req.ETag
		}
		if res.LastModified == "" {
			res.LastModified = req.LastModified
		}
		return false, 0
	case resp.StatusCode >= 500:
		res.Err = &StatusError{URL: req.URL, Code: resp.StatusCode, Status: resp.Status}
		return true, retryAfter(resp.Header.Get("Retry-After"), time.Now())
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		res.Err = &StatusError{URL: req.URL, Code: resp.StatusCode, Status: resp.Status}
		return false, 0
	}
	if resp.ContentLength > r.maxBytes {
		res.Err = fmt.Errorf("fetch: %s: %w: response larger than %d bytes (Content-Length %d)", req.URL, ErrTooLarge, r.maxBytes, resp.ContentLength)
		return false, 0
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.maxBytes+1))
	if err != nil {
		return r.failed(ctx, actx, req, res, err), 0
	}
	if int64(len(body)) > r.maxBytes {
		res.Err = fmt.Errorf("fetch: %s: %w: response larger than %d bytes", req.URL, ErrTooLarge, r.maxBytes)
		return false, 0
	}
	res.Body = body
	return false, 0
}

// failed records a transport error in res and reports whether to retry:
// yes for timeouts and network errors, no when the caller canceled or the
// error cannot go away (bad certificate).
func (r *runner) failed(ctx, actx context.Context, req Request, res *Result, err error) bool {
	switch {
	case ctx.Err() != nil:
		res.Err = fmt.Errorf("fetch: %s: %w", req.URL, ctx.Err())
		return false
	case actx.Err() != nil:
		res.Err = fmt.Errorf("fetch: %s: timed out after %v: %w", req.URL, r.timeout, context.DeadlineExceeded)
		return true
	}
	res.Err = fmt.Errorf("fetch: %w", err)
	if errors.Is(err, ErrRedirect) {
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) {
		return false
	}
	return true
}

// retryAfter parses a Retry-After header (seconds or an HTTP date) into a
// wait, capped at MaxRetryAfter; 0 when absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.Atoi(v); err == nil {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), MaxRetryAfter)
}
