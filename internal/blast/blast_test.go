package blast

import (
	"github.com/google/go-cmp/cmp"
	"math"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// build loads a model from YAML nodes (the text after "nodes:").
func build(t testing.TB, nodes string) *graph.Graph { return testmodel.Graph(t, nodes) }

// blastTests are small models with hand-computed impairments. The
// aws/us-east-1 → Vercel → feature-flag chain follows the 2025-10-20
// outage (../shared/facts/cascades.md §2).
var blastTests = []struct {
	name   string
	nodes  string
	failed []string
	want   map[string]float64 // affected id → impairment; others must be unaffected
	paths  map[string]string  // id → path joined by " > "
}{
	{
		name: "hard chain",
		nodes: `  - {id: aws/us-east-1, kind: region}
  - {id: flags/api, kind: component, depends_on: [aws/us-east-1]}
  - {id: vercel/control-plane, kind: component, depends_on: [flags/api]}
  - {id: acme/deploys, kind: service, depends_on: [vercel/control-plane]}
  - {id: acme/other, kind: service}
`,
		failed: []string{"aws/us-east-1"},
		want:   map[string]float64{"flags/api": 1, "vercel/control-plane": 1, "acme/deploys": 1},
		paths:  map[string]string{"acme/deploys": "aws/us-east-1 > flags/api > vercel/control-plane > acme/deploys"},
	},
	{
		name: "weighted losses combine as 1-prod(1-loss)",
		nodes: `  - {id: x, kind: vendor}
  - {id: y, kind: vendor, depends_on: [x]}
  - {id: acme/s, kind: service, depends_on: [{id: x, impact: 0.5}, {id: y, impact: 0.2}]}
`,
		failed: []string{"x"},
		want:   map[string]float64{"y": 1, "acme/s": 1 - 0.5*0.8},
		paths:  map[string]string{"acme/s": "x > acme/s"},
	},
	{
		name: "weights multiply along a chain",
		nodes: `  - {id: x, kind: vendor}
  - {id: y, kind: vendor, depends_on: [{id: x, impact: 0.5}]}
  - {id: acme/s, kind: service, depends_on: [{id: y, impact: 0.5}]}
`,
		failed: []string{"x"},
		want:   map[string]float64{"y": 0.5, "acme/s": 0.25},
	},
	{
		name: "failover survives one member",
		nodes: `  - {id: a, kind: vendor}
  - {id: b, kind: vendor}
  - {id: acme/s, kind: service, depends_on: [{any_of: [a, b], min: 1}]}
`,
		failed: []string{"a"},
		want:   map[string]float64{},
	},
	{
		name: "failover defeated by a shared region",
		nodes: `  - {id: azure/scus, kind: region}
  - {id: openai/api, kind: component, depends_on: [azure/scus]}
  - {id: acme/aoai, kind: component, depends_on: [azure/scus]}
  - {id: acme/bot, kind: service, depends_on: [{any_of: [openai/api, acme/aoai], min: 1}]}
`,
		failed: []string{"azure/scus"},
		want:   map[string]float64{"openai/api": 1, "acme/aoai": 1, "acme/bot": 1},
		paths:  map[string]string{"acme/bot": "azure/scus > acme/aoai > acme/bot"},
	},
	{
		name: "failover group takes the min-th healthiest member",
		nodes: `  - {id: a, kind: vendor}
  - {id: b, kind: vendor, depends_on: [{id: a, impact: 0.6}]}
  - {id: c, kind: vendor, depends_on: [{id: a, impact: 0.3}]}
  - {id: d, kind: vendor}
  - {id: acme/s, kind: service, depends_on: [{any_of: [b, c, d], min: 2, impact: 0.5}]}
`,
		failed: []string{"a"},
		// members 0.6, 0.3, 0: the 2nd healthiest is 0.3; cost 0.5*0.3.
		want: map[string]float64{"b": 0.6, "c": 0.3, "acme/s": 0.15},
	},
	{
		name: "hard cycle fails together",
		nodes: `  - {id: root, kind: provider}
  - {id: p, kind: vendor, depends_on: [root, q]}
  - {id: q, kind: vendor, depends_on: [p]}
  - {id: acme/s, kind: service, depends_on: [q]}
`,
		failed: []string{"root"},
		want:   map[string]float64{"p": 1, "q": 1, "acme/s": 1},
		paths:  map[string]string{"q": "root > p > q"},
	},
	{
		name: "weighted cycle converges to the least fixed point",
		nodes: `  - {id: root, kind: provider}
  - {id: p, kind: vendor, depends_on: [{id: root, impact: 0.5}, {id: q, impact: 0.5}]}
  - {id: q, kind: vendor, depends_on: [{id: p, impact: 0.5}]}
`,
		failed: []string{"root"},
		// p = 1-(1-0.5)(1-0.5q), q = 0.5p  =>  p = 0.5+0.25p·0.5... solved: p = 0.5/(1-0.125) = 4/7
		want: map[string]float64{"p": 4.0 / 7, "q": 2.0 / 7},
	},
	{
		name: "cycle not reached stays healthy",
		nodes: `  - {id: root, kind: provider}
  - {id: p, kind: vendor, depends_on: [q]}
  - {id: q, kind: vendor, depends_on: [p]}
  - {id: acme/s, kind: service, depends_on: [root]}
`,
		failed: []string{"root"},
		want:   map[string]float64{"acme/s": 1},
	},
	{
		name: "nested nodes are part of their parent",
		nodes: `  - id: aws
    kind: provider
    regions:
      - id: us-east-1
        zones: [{id: use1-az4}]
  - {id: acme/s, kind: service, depends_on: [aws/us-east-1/use1-az4]}
`,
		failed: []string{"aws/us-east-1"},
		want:   map[string]float64{"aws/us-east-1/use1-az4": 1, "acme/s": 1},
	},
	{
		name: "two failures at once",
		nodes: `  - {id: a, kind: vendor}
  - {id: b, kind: vendor}
  - {id: acme/s, kind: service, depends_on: [{any_of: [a, b], min: 1}]}
`,
		failed: []string{"a", "b"},
		want:   map[string]float64{"acme/s": 1},
	},
	{
		name: "zero impact explains nothing",
		nodes: `  - {id: a, kind: vendor}
  - {id: acme/s, kind: service, depends_on: [{id: a, impact: 0}]}
`,
		failed: []string{"a"},
		want:   map[string]float64{},
	},
}

func TestPropagate(t *testing.T) {
	for _, tt := range blastTests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(t, tt.nodes)
			for range 3 { // map-order sensitivity
				res, err := Run(g, tt.failed)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]float64{}
				for _, a := range res.Affected {
					got[a.ID] = a.Impairment
					if want, ok := tt.paths[a.ID]; ok {
						if p := strings.Join(a.Path, " > "); p != want {
							t.Errorf("path of %s: got:%s want:%s", a.ID, p, want)
						}
					}
					if a.Hops != len(a.Path)-1 {
						t.Errorf("%s: hops %d with path %v", a.ID, a.Hops, a.Path)
					}
					if a.Path[0] != tt.failed[0] && len(tt.failed) == 1 {
						t.Errorf("%s: path starts at %s", a.ID, a.Path[0])
					}
				}
				if len(got) != len(tt.want) {
					t.Errorf("affected: got:%v want:%v", got, tt.want)
				}
				for id, w := range tt.want {
					if math.Abs(got[id]-w) > 1e-6 {
						t.Errorf("%s: got:%v want:%v", id, got[id], w)
					}
				}
			}
		})
	}
}

func TestRunUnknownNode(t *testing.T) {
	g := build(t, "  - {id: aws/us-east-1, kind: region}\n")
	_, err := Run(g, []string{"us-east-1"})
	ue, ok := err.(*UnknownNodeError)
	if !ok || ue.Suggestion != "aws/us-east-1" {
		t.Fatalf("got:%v want an UnknownNodeError suggesting aws/us-east-1", err)
	}
}

func TestLayers(t *testing.T) {
	g := build(t, `  - {id: aws/us-east-1, kind: region}
  - {id: flags/api, kind: component, depends_on: [aws/us-east-1]}
  - {id: vercel/cp, kind: component, depends_on: [flags/api]}
  - {id: acme/db, kind: component, depends_on: [vercel/cp]}
  - {id: acme/s, kind: service, depends_on: [acme/db]}
  - {id: lonely, kind: vendor}
`)
	want := map[string]string{"acme/s": "own", "acme/db": "own", "vercel/cp": "third-party", "flags/api": "fourth-party", "aws/us-east-1": "region", "lonely": "unused"}
	for id, w := range want {
		i, _ := g.Lookup(id)
		if got := g.Layer(i); got != w {
			t.Errorf("%s: got:%s want:%s", id, got, w)
		}
	}
	i, _ := g.Lookup("aws/us-east-1")
	if g.Party(i) != 5 {
		t.Errorf("party of the region: got:%d want:5", g.Party(i))
	}
}

func TestByNode(t *testing.T) {
	g := build(t, `  - {id: azure/scus, kind: region}
  - {id: openai/api, kind: component, depends_on: [azure/scus]}
  - {id: acme/aoai, kind: component, depends_on: [azure/scus]}
  - {id: acme/bot, kind: service, depends_on: [{any_of: [openai/api, acme/aoai], min: 1}]}
  - {id: acme/web, kind: service, depends_on: [{id: openai/api, impact: 0.2}]}
`)
	targets, _ := Resolve(g, []string{"acme/bot", "acme/web"})
	got := map[string]string{}
	for _, n := range ByNode(g, targets, 1) {
		got[n.Node] = strings.Join(n.TakesDown, ",") + " | " + strings.Join(n.Degrades, ",")
	}
	want := map[string]string{
		"azure/scus": "acme/bot | acme/web",
		"openai/api": " | acme/bot,acme/web",
		"acme/aoai":  " | acme/bot",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
