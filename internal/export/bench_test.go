package export

import (
	"context"
	"io"
	"testing"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
)

// benchGraph is a fixed-seed generated model of 10⁴ nodes and 5·10⁴ edges.
var benchGraph = func() func(b *testing.B) *graph.Graph {
	var g *graph.Graph
	return func(b *testing.B) *graph.Graph {
		if g == nil {
			var err error
			if g, err = graph.Build(gen.Generate(gen.Sized(10000, 50000, 1))); err != nil {
				b.Fatal(err)
			}
		}
		return g
	}
}()

func benchFormat(b *testing.B, f Format) {
	g := benchGraph(b)
	for b.Loop() {
		if err := Write(context.Background(), io.Discard, f, g, Options{All: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCSVEdges_10000(b *testing.B)  { benchFormat(b, FormatCSVEdges) }
func BenchmarkGraphML_10000(b *testing.B)   { benchFormat(b, FormatGraphML) }
func BenchmarkMermaid_10000(b *testing.B)   { benchFormat(b, FormatMermaid) }
func BenchmarkCycloneDX_10000(b *testing.B) { benchFormat(b, FormatCycloneDX) }
func BenchmarkCSVDomains_10000(b *testing.B) {
	benchFormat(b, FormatCSVDomains)
}
