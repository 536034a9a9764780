package blast

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"testing/fstest"
	"time"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// Generated graphs, built once per size with a fixed seed.
var (
	benchSizes = []struct{ nodes, edges int }{{1000, 5000}, {10000, 50000}, {100000, 1000000}}
	// benchRegion is an ordinary region; benchHomeRegion hosts its
	// provider's IAM control plane, so failing it reaches most of the graph
	// (the worst case, as us-east-1 is for AWS).
	benchRegion     = "cloud1/region-07"
	benchHomeRegion = "cloud0/region-00"
)

func benchGraph(b testing.TB, nodes, edges int) *graph.Graph {
	return testmodel.Generated(b, nodes, edges, 1)
}

// BenchmarkBlastRegion fails one ordinary region of a generated model.
// It reports x-walk: the blast's time over a bare breadth-first walk of
// the same dependents edges in a CSR array (walkCSR), timed in the same
// run, so the ratio holds on a shared machine.
func BenchmarkBlastRegion(b *testing.B) { benchBlast(b, benchRegion, noPaths) }

// BenchmarkBlastHomeRegion fails the region the provider's control plane
// lives in: the blast reaches most of the model.
func BenchmarkBlastHomeRegion(b *testing.B) { benchBlast(b, benchHomeRegion, noPaths) }

// BenchmarkBlastRegionPaths is BenchmarkBlastRegion with the explaining
// paths counted in the blast's time, as Describe needs them: computed in
// the propagation's pass (PropagateSeedsPaths).
func BenchmarkBlastRegionPaths(b *testing.B) { benchBlast(b, benchRegion, pathsInPass) }

// BenchmarkBlastRegionExplainPaths is BenchmarkBlastRegionPaths with the
// paths computed afterwards, on demand (ExplainPaths), in a second pass.
func BenchmarkBlastRegionExplainPaths(b *testing.B) { benchBlast(b, benchRegion, pathsAfter) }

// How a blast benchmark gets the explaining paths.
const (
	noPaths     = iota
	pathsInPass // PropagateSeedsPaths
	pathsAfter  // Propagate, then ExplainPaths
)

func benchBlast(b *testing.B, region string, paths int) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d/edges=%d", s.nodes, s.edges), func(b *testing.B) {
			if testing.Short() && s.nodes > 10000 {
				b.Skip("large graph skipped under -short")
			}
			g := benchGraph(b, s.nodes, s.edges)
			if _, ok := g.Lookup(region); !ok {
				b.Skipf("the generated model has no %s at this size", region)
			}
			failed, err := Resolve(g, []string{region})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(g.Len()), "nodes")
			b.ReportMetric(float64(g.EdgeCount()), "edges")
			w := newWalkCSR(g)
			Propagate(g, failed) // the per-graph index is built once, outside the loop
			var affected, reached int
			var blastT, walkT time.Duration
			for b.Loop() {
				// Alternate the two in each iteration, so both see the
				// same machine load.
				t0 := time.Now()
				reached = w.walk(failed)
				t1 := time.Now()
				var p *Propagation
				switch paths {
				case pathsInPass:
					p = PropagateSeedsPaths(g, failedSeeds(failed))
				case pathsAfter:
					p = Propagate(g, failed)
					p.ExplainPaths()
				default:
					p = Propagate(g, failed)
				}
				t2 := time.Now()
				affected = len(p.Order)
				walkT += t1.Sub(t0)
				blastT += t2.Sub(t1)
			}
			b.ReportMetric(float64(affected), "affected")
			b.ReportMetric(float64(reached), "walked")
			b.ReportMetric(float64(walkT.Nanoseconds())/float64(b.N), "walk-ns/op")
			b.ReportMetric(float64(blastT.Nanoseconds())/float64(b.N), "blast-ns/op")
			b.ReportMetric(float64(blastT)/float64(walkT), "x-walk")
		})
	}
}

// walkCSR is the baseline of the blast benchmarks: the graph's dependents
// edges copied into one offsets array and one targets array, walked
// breadth-first with a reused queue and visited array. It does nothing but
// visit, so a propagation cannot be faster.
type walkCSR struct {
	off, to []int32
	seen    []bool
	queue   []int32
}

func newWalkCSR(g *graph.Graph) *walkCSR {
	w := &walkCSR{off: make([]int32, g.Len()+1), seen: make([]bool, g.Len())}
	for u := range int32(g.Len()) {
		w.to = append(w.to, g.Dependents(u)...)
		w.off[u+1] = int32(len(w.to))
	}
	return w
}

// walk visits everything downstream of the seeds and returns how many
// nodes it reached; it leaves its buffers clean.
func (w *walkCSR) walk(seeds []int32) int {
	q := w.queue[:0]
	for _, s := range seeds {
		if !w.seen[s] {
			w.seen[s] = true
			q = append(q, s)
		}
	}
	for k := 0; k < len(q); k++ {
		u := q[k]
		for _, d := range w.to[w.off[u]:w.off[u+1]] {
			if !w.seen[d] {
				w.seen[d] = true
				q = append(q, d)
			}
		}
	}
	for _, u := range q {
		w.seen[u] = false
	}
	w.queue = q
	return len(q)
}

// BenchmarkBuildGraph measures building the graph and its memory: the
// heap in use after building the 100k-node model is reported as heap-MiB.
func BenchmarkBuildGraph(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d/edges=%d", s.nodes, s.edges), func(b *testing.B) {
			if testing.Short() && s.nodes > 10000 {
				b.Skip("large graph skipped under -short")
			}
			m := gen.Generate(gen.Sized(s.nodes, s.edges, 1))
			var g *graph.Graph
			for b.Loop() {
				var err error
				if g, err = graph.Build(m); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
			runtime.KeepAlive(g)
			runtime.KeepAlive(m)
		})
	}
}

// BenchmarkLoadYAML measures reading and validating a generated model from
// YAML, then building its graph.
func BenchmarkLoadYAML(b *testing.B) {
	for _, s := range benchSizes[:2] {
		b.Run(fmt.Sprintf("nodes=%d/edges=%d", s.nodes, s.edges), func(b *testing.B) {
			var buf bytes.Buffer
			if err := gen.WriteYAML(&buf, gen.Generate(gen.Sized(s.nodes, s.edges, 1))); err != nil {
				b.Fatal(err)
			}
			fsys := fstest.MapFS{"m.yaml": {Data: buf.Bytes()}}
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				res, err := ingest.Load(ingest.Options{Default: &ingest.FSFile{FS: fsys, Name: "m.yaml"}})
				if err != nil {
					b.Fatal(err)
				}
				g, err := graph.Build(res.Model)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(g.Len()), "nodes")
				b.ReportMetric(float64(g.EdgeCount()), "edges")
			}
		})
	}
}

// BenchmarkByNode computes, for every node, the services it takes down and
// degrades.
func BenchmarkByNode(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d/edges=%d", s.nodes, s.edges), func(b *testing.B) {
			if testing.Short() && s.nodes > 10000 {
				b.Skip("large graph skipped under -short")
			}
			g := benchGraph(b, s.nodes, s.edges)
			var targets []int32
			for i := range int32(g.Len()) {
				if g.ModelNode(i).Kind == "service" {
					targets = append(targets, i)
				}
			}
			for b.Loop() {
				ByNode(g, targets, 1)
			}
		})
	}
}

// BenchmarkAtRisk measures the at-risk pass alone, after the propagation
// of BenchmarkBlastRegion (compare the two to see what it adds).
func BenchmarkAtRisk(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d/edges=%d", s.nodes, s.edges), func(b *testing.B) {
			if testing.Short() && s.nodes > 10000 {
				b.Skip("large graph skipped under -short")
			}
			g := benchGraph(b, s.nodes, s.edges)
			failed, err := Resolve(g, []string{benchRegion})
			if err != nil {
				b.Fatal(err)
			}
			p := Propagate(g, failed)
			for b.Loop() {
				FindAtRisk(g, p)
			}
		})
	}
}
