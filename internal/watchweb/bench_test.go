package watchweb

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/depgraph/depgraph/internal/watch"
)

// bigSnapshot has n nodes and feeds, n/100 open situations of 10 paths
// each, and 100 recent events.
func bigSnapshot(n int) *watch.Snapshot {
	s := openSnapshot()
	s.Nodes, s.Feeds, s.Open, s.Events = nil, nil, nil, nil
	for i := range n {
		id := fmt.Sprintf("node-%05d", i)
		s.Nodes = append(s.Nodes, watch.NodeState{Node: id, Kind: "vendor", Reported: float64(i%3) / 2, Impairment: float64(i%5) / 4, Unknown: i%50 == 0})
		s.Feeds = append(s.Feeds, watch.FeedState{Key: id, URL: "https://status.example.com/" + id, Nodes: []string{id}, Read: i%50 != 0, LastSuccess: tp(t0), Errors: i % 7})
	}
	base := openSnapshot().Open[0]
	for i := range max(1, n/100) {
		sit := base
		sit.ID = fmt.Sprintf("s-%d", i)
		sit.Paths = nil
		for j := range 10 {
			sit.Paths = append(sit.Paths, []string{fmt.Sprintf("svc-%d", j), fmt.Sprintf("node-%05d", (i*10+j)%n), "aws/us-east-1"})
		}
		s.Open = append(s.Open, sit)
	}
	ev := openSnapshot().Events[0]
	for i := range 100 {
		e := ev
		e.Situation = fmt.Sprintf("s-%d", i)
		s.Events = append(s.Events, e)
	}
	return s
}

var benchSnap = bigSnapshot(10000)

// BenchmarkMarshal_10000 is the baseline: encoding the snapshot to JSON
// once, the least any server showing it must do.
func BenchmarkMarshal_10000(b *testing.B) {
	for b.Loop() {
		if _, err := json.Marshal(benchSnap); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdate_10000 is one cycle's Update: the private copy (encode
// and decode) and the event bookkeeping of the metrics.
func BenchmarkUpdate_10000(b *testing.B) {
	srv := New(Options{Interval: interval, NoRuntimeMetrics: true})
	for b.Loop() {
		srv.Update(benchSnap)
	}
}

// BenchmarkSituations_10000 serves /api/situations once.
func BenchmarkSituations_10000(b *testing.B) {
	srv := New(Options{Interval: interval, NoRuntimeMetrics: true})
	srv.Update(benchSnap)
	h := srv.Handler()
	for b.Loop() {
		if res, _ := get(b, h, "/api/situations"); res.StatusCode != 200 {
			b.Fatal(res.StatusCode)
		}
	}
}

// BenchmarkMetrics_10000 serves one /metrics scrape.
func BenchmarkMetrics_10000(b *testing.B) {
	srv := New(Options{Interval: interval, NoRuntimeMetrics: true})
	srv.Update(benchSnap)
	h := srv.Handler()
	for b.Loop() {
		if res, _ := get(b, h, "/metrics"); res.StatusCode != 200 {
			b.Fatal(res.StatusCode)
		}
	}
}
