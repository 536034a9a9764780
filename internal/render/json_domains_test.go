package render

import (
	"bytes"
	"context"
	"testing"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
)

// TestDomainsJSONIsJSON checks that the streamed encoding is JSON's, byte
// for byte: no target, one target with characters HTML escaping would
// touch, and every service of a generated model.
func TestDomainsJSONIsJSON(t *testing.T) {
	g, err := graph.Build(gen.Generate(gen.Sized(300, 1200, 3)))
	if err != nil {
		t.Fatal(err)
	}
	generated, err := domains.Find(context.Background(), g, g.Services(), domains.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := 0.25
	for _, r := range []*domains.Result{
		{SchemaVersion: blast.SchemaVersion, MaxOrder: 3, HardThreshold: 1, Targets: []domains.Target{}},
		{SchemaVersion: blast.SchemaVersion, MaxOrder: 2, HardThreshold: 0.5, Targets: []domains.Target{{
			Target: "a<b>&c", CutSets: [][]string{{"x&y"}}, SPOFs: []string{"x&y"}, Probability: &p,
			Paths: map[string][]string{"x&y": {"a<b>&c", "x&y"}, "b": {"a<b>&c", "b"}}, Unquantified: []blast.Exposure{},
		}}},
		generated,
	} {
		var want, got bytes.Buffer
		if err := JSON(&want, r); err != nil {
			t.Fatal(err)
		}
		if err := DomainsJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Errorf("%d targets: DomainsJSON differs from JSON:\n%s\nwant:\n%s", len(r.Targets), got.String()[:min(got.Len(), 2000)], want.String()[:min(want.Len(), 2000)])
		}
	}
	if len(generated.Targets) < 2 {
		t.Errorf("the generated model has %d services; the test needs several", len(generated.Targets))
	}
}
