package domains

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// Generated graphs, built once per size with a fixed seed (the sizes of
// package domains's benchmarks).
var (
	benchSizes = []struct{ nodes, edges int }{{1000, 5000}, {10000, 50000}}
)

func benchGraph(b testing.TB, nodes, edges int) *graph.Graph {
	return testmodel.Generated(b, nodes, edges, 1)
}

// BenchmarkDomains computes failure domains up to order 3 for every
// service of a generated model. live-MiB is the heap in use after a run
// with its result still held (graph and model included).
func BenchmarkDomains(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d/edges=%d", s.nodes, s.edges), func(b *testing.B) {
			g := benchGraph(b, s.nodes, s.edges)
			targets := g.Services()
			b.ReportMetric(float64(len(targets)), "services")
			b.ReportAllocs()
			var res *Result
			for b.Loop() {
				res = nil
				var err error
				if res, err = Find(context.Background(), g, targets, Options{MaxOrder: 3}); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "live-MiB")
			runtime.KeepAlive(res)
		})
	}
}

// BenchmarkDomainsOracle runs Domains and the implementation it replaced
// (oldDomains, domains_oracle_test.go) alternately on the same model and
// reports x-oracle, the time of Find over the oracle's in the same run.
func BenchmarkDomainsOracle(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d/edges=%d", s.nodes, s.edges), func(b *testing.B) {
			g := benchGraph(b, s.nodes, s.edges)
			targets := g.Services()
			var newT, oldT time.Duration
			for b.Loop() {
				t0 := time.Now()
				if _, err := Find(context.Background(), g, targets, Options{}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := oldDomains(context.Background(), g, targets, Options{}); err != nil {
					b.Fatal(err)
				}
				newT += t1.Sub(t0)
				oldT += time.Since(t1)
			}
			b.ReportMetric(float64(newT.Nanoseconds())/float64(b.N), "domains-ns/op")
			b.ReportMetric(float64(oldT.Nanoseconds())/float64(b.N), "oracle-ns/op")
			b.ReportMetric(float64(newT)/float64(oldT), "x-oracle")
		})
	}
}
