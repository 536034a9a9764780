package gen

import (
	"bytes"
	"math"
	"testing"
	"testing/fstest"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
)

// TestSized checks that generated models come out near the size asked for,
// are valid (they load back from their YAML) and are deterministic.
func TestSized(t *testing.T) {
	for _, tt := range []struct{ nodes, edges int }{{1000, 5000}, {10000, 50000}} {
		m := Generate(Sized(tt.nodes, tt.edges, 1))
		g, err := graph.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		if r := float64(g.Len()) / float64(tt.nodes); math.Abs(r-1) > 0.15 {
			t.Errorf("asked %d nodes, got %d", tt.nodes, g.Len())
		}
		if r := float64(g.EdgeCount()) / float64(tt.edges); math.Abs(r-1) > 0.25 {
			t.Errorf("asked %d edges, got %d", tt.edges, g.EdgeCount())
		}
		var a, b bytes.Buffer
		if err := WriteYAML(&a, m); err != nil {
			t.Fatal(err)
		}
		if err := WriteYAML(&b, Generate(Sized(tt.nodes, tt.edges, 1))); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("same seed, different models")
		}
		fsys := fstest.MapFS{"m.yaml": {Data: a.Bytes()}}
		res, err := ingest.Load(ingest.Options{Default: &ingest.FSFile{FS: fsys, Name: "m.yaml"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Model.Nodes) != g.Len() {
			t.Errorf("YAML round trip: got %d nodes, want %d", len(res.Model.Nodes), g.Len())
		}
	}
}
