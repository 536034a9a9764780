package report

import (
	"context"
	"io"
	"sync"
	"testing"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

var (
	bigOnce  sync.Once
	bigModel *model.Model
	bigGraph *graph.Graph
)

// big returns the fixed-seed generated model of 10 000 nodes and 50 000
// edges, built once.
func big(b *testing.B) (*model.Model, *graph.Graph) {
	bigOnce.Do(func() {
		bigModel = gen.Generate(gen.Sized(10000, 50000, 1))
		g, err := graph.Build(bigModel)
		if err != nil {
			b.Fatal(err)
		}
		bigGraph = g
	})
	return bigModel, bigGraph
}

// BenchmarkReportHTML_10000 is the whole report of a 10 000-node model as
// HTML, the picture included (target: under 5 s).
func BenchmarkReportHTML_10000(b *testing.B) {
	m, g := big(b)
	for b.Loop() {
		r, err := Build(context.Background(), m, g, Options{Now: clock})
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteHTML(io.Discard, r, HTMLOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportBuild_10000 is the computation alone.
func BenchmarkReportBuild_10000(b *testing.B) {
	m, g := big(b)
	for b.Loop() {
		if _, err := Build(context.Background(), m, g, Options{Now: clock}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportMarkdown_10000 is the computation and the Markdown.
func BenchmarkReportMarkdown_10000(b *testing.B) {
	m, g := big(b)
	for b.Loop() {
		r, err := Build(context.Background(), m, g, Options{Now: clock})
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteMarkdown(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
