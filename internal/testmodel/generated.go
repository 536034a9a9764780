package testmodel

import (
	"fmt"
	"sync"
	"testing"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
)

// generated caches the graphs Generated built, by size and seed.
var generated sync.Map // "nodes edges seed" → *graph.Graph

// Generated returns the graph of the generated model of that size and
// seed (internal/gen), built once per test binary: benchmarks and tests
// of several packages share the same fixed-seed models. Callers must not
// change it.
func Generated(tb testing.TB, nodes, edges int, seed uint64) *graph.Graph {
	tb.Helper()
	key := fmt.Sprint(nodes, edges, seed)
	if g, ok := generated.Load(key); ok {
		return g.(*graph.Graph)
	}
	g, err := graph.Build(gen.Generate(gen.Sized(nodes, edges, seed)))
	if err != nil {
		tb.Fatal(err)
	}
	g2, _ := generated.LoadOrStore(key, g)
	return g2.(*graph.Graph)
}
