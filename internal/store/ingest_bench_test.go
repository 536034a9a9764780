package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/fetch"
	"github.com/depgraph/depgraph/internal/store"
)

// benchFeeds is the number of feeds BenchmarkIngest500 fetches and stores.
const benchFeeds = 500

// benchDelays are the fixed-seed response delays of the benchmark's feeds,
// uniform in [0, 50ms).
var benchDelays = func() []time.Duration {
	r := rand.New(rand.NewPCG(1, 1))
	d := make([]time.Duration, benchFeeds)
	for i := range d {
		d[i] = time.Duration(r.IntN(50_000)) * time.Microsecond
	}
	return d
}()

// benchDoc is the tiny synthetic document of feed i at round n: one
// incident that changes every round and gains one update.
func benchDoc(i, n int) *feed.Document {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
	return &feed.Document{
		SchemaVersion: feed.SchemaVersion,
		Source:        feed.Source{Format: feed.FormatStatuspage, Name: fmt.Sprint("feed-", i)},
		Incidents: []feed.Incident{{
			ID: fmt.Sprint("inc-", i), Title: "Elevated errors", Impact: feed.ImpactMinor, Status: "investigating",
			StartedAt: at.Add(-time.Duration(n) * time.Minute), UpdatedAt: at, Components: []string{"API"},
			Updates: []feed.Update{{At: at, Status: "investigating", Body: fmt.Sprint("round ", n)}},
		}},
		Components: []feed.Component{{ID: "api", Name: "API", Status: feed.StatusDegradedPerformance}},
	}
}

// BenchmarkIngest500 fetches 500 feeds from a loopback server whose
// responses take up to 50ms, and records each into a store as it arrives
// (fetch.Fetcher.Progress → store.Record). The target is a round bounded by
// the slowest feed (about 50ms), not the sum (about 12s). The local server
// stands for 500 distinct hosts, so the per-host bound is off.
func BenchmarkIngest500(b *testing.B) {
	var slowest, sum time.Duration
	for _, d := range benchDelays {
		slowest, sum = max(slowest, d), sum+d
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &i)
		select {
		case <-time.After(benchDelays[i]):
		case <-r.Context().Done():
		}
		fmt.Fprintf(w, `{"feed":%d}`, i)
	}))
	defer srv.Close()
	reqs := make([]fetch.Request, benchFeeds)
	for i := range reqs {
		reqs[i] = fetch.Request{Key: fmt.Sprint("feed-", i), URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)}
	}
	for _, cfg := range []struct {
		name   string
		conc   int
		record bool
	}{{"fetch_only/concurrency_500", 500, false}, {"concurrency_500", 500, true}, {"concurrency_64", 64, true}} {
		conc := cfg.conc
		b.Run(cfg.name, func(b *testing.B) {
			s, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			round := 0
			var recErr error
			f := &fetch.Fetcher{Concurrency: conc, PerHost: -1, Timeout: 5 * time.Second, Progress: func(p fetch.Progress) {
				r := p.Result
				if r.Err != nil {
					recErr = r.Err
					return
				}
				if !cfg.record {
					return
				}
				var i int
				fmt.Sscanf(r.Key, "feed-%d", &i)
				_, err := s.Record(ctx, r.Key, benchDoc(i, round), store.FetchRecord{
					URL: r.URL, FetchedAt: r.FetchedAt, Duration: r.Duration, Status: r.Status,
					Bytes: int64(len(r.Body)), ETag: r.ETag, LastModified: r.LastModified, Attempts: r.Attempts,
				})
				if err != nil {
					recErr = err
				}
			}}
			var total time.Duration
			for b.Loop() {
				round++
				start := time.Now()
				f.FetchAll(ctx, reqs)
				total += time.Since(start)
				if recErr != nil {
					b.Fatal(recErr)
				}
			}
			incs, err := s.Incidents(ctx, store.Query{})
			if err != nil {
				b.Fatal(err)
			}
			if cfg.record && (len(incs) != benchFeeds || len(incs[0].Updates) != round) {
				b.Fatalf("store holds %d incidents with %d updates, want %d with %d", len(incs), len(incs[0].Updates), benchFeeds, round)
			}
			perRound := total / time.Duration(round)
			b.ReportMetric(float64(slowest.Microseconds())/1000, "slowest-feed-ms")
			b.ReportMetric(float64(sum.Microseconds())/1000, "sum-of-feeds-ms")
			b.ReportMetric(perRound.Seconds()/slowest.Seconds(), "x-slowest")
		})
	}
}
