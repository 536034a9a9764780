package testmodel

import (
	"testing"
	"testing/fstest"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
)

// Graph loads a model from YAML nodes (the text after "nodes:") and
// builds its graph, failing the test on any error.
func Graph(t testing.TB, nodes string) *graph.Graph {
	t.Helper()
	fsys := fstest.MapFS{"m.yaml": {Data: []byte("depgraph: 1\nnodes:\n" + nodes)}}
	res, err := ingest.Load(ingest.Options{Default: &ingest.FSFile{FS: fsys, Name: "m.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
