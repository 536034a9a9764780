package domains

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// build loads a model from YAML nodes (the text after "nodes:").
func build(t testing.TB, nodes string) *graph.Graph { return testmodel.Graph(t, nodes) }

// domainsTests are small models with their failure domains worked out by
// hand. The shared-region case is the built-in example's story: a primary
// LLM and its failover in the same region (OpenAI on Azure South Central
// US, ../shared/facts/vendors.md).
var domainsTests = []struct {
	name      string
	nodes     string
	target    string
	hard      float64
	wantSets  [][]string
	wantSPOFs []string
	defeated  string // "owner: cause" of a defeated failover group, if any
	prob      float64
}{
	{
		name: "failover defeated by a shared region",
		nodes: `  - {id: azure/scus, kind: region, unavailability: 0.01}
  - {id: openai/api, kind: component, depends_on: [azure/scus], unavailability: 0.1}
  - {id: acme/aoai, kind: component, depends_on: [azure/scus], unavailability: 0.2}
  - {id: acme/bot, kind: service, depends_on: [{any_of: [openai/api, acme/aoai], min: 1}], unavailability: 0.5}
`,
		target:    "acme/bot",
		wantSets:  [][]string{{"azure/scus"}, {"acme/aoai", "openai/api"}},
		wantSPOFs: []string{"azure/scus"},
		defeated:  "acme/bot: azure/scus",
		// P = 1 − (1 − 0.01)(1 − 0.1·0.2): the target's own event is excluded.
		prob: 1 - 0.99*(1-0.02),
	},
	{
		name: "weighted dependencies are not failure domains",
		nodes: `  - {id: a, kind: vendor}
  - {id: b, kind: vendor}
  - {id: acme/s, kind: service, depends_on: [a, {id: b, impact: 0.9}]}
`,
		target:    "acme/s",
		wantSets:  [][]string{{"a"}},
		wantSPOFs: []string{"a"},
		prob:      -1,
	},
	{
		name: "hard threshold lowers the bar",
		nodes: `  - {id: a, kind: vendor}
  - {id: b, kind: vendor}
  - {id: acme/s, kind: service, depends_on: [a, {id: b, impact: 0.9}]}
`,
		target:    "acme/s",
		hard:      0.8,
		wantSets:  [][]string{{"a"}, {"b"}},
		wantSPOFs: []string{"a", "b"},
		prob:      -1,
	},
	{
		name: "two of three",
		nodes: `  - {id: z1, kind: zone}
  - {id: z2, kind: zone}
  - {id: z3, kind: zone}
  - {id: acme/db, kind: service, depends_on: [{any_of: [z1, z2, z3], min: 2}]}
`,
		target:   "acme/db",
		wantSets: [][]string{{"z1", "z2"}, {"z1", "z3"}, {"z2", "z3"}},
		prob:     -1,
	},
	{
		name: "hard cycle fails together",
		nodes: `  - {id: root, kind: provider}
  - {id: p, kind: vendor, depends_on: [root, q]}
  - {id: q, kind: vendor, depends_on: [p]}
  - {id: acme/s, kind: service, depends_on: [q]}
`,
		target:    "acme/s",
		wantSets:  [][]string{{"p"}, {"q"}, {"root"}},
		wantSPOFs: []string{"p", "q", "root"},
		prob:      -1,
	},
	{
		name: "cycle through a failover group",
		nodes: `  - {id: x, kind: vendor}
  - {id: y, kind: vendor}
  - {id: p, kind: vendor, depends_on: [{any_of: [x, q], min: 1}]}
  - {id: q, kind: vendor, depends_on: [y, p]}
  - {id: acme/s, kind: service, depends_on: [p]}
`,
		// p down ⇐ x and q down; q down ⇐ y or p down. Least fixed point:
		// p down iff x and y down (p cannot hold itself up or down).
		target:    "acme/s",
		wantSets:  [][]string{{"p"}, {"q", "x"}, {"x", "y"}},
		wantSPOFs: []string{"p"},
		prob:      -1,
	},
}

func TestDomains(t *testing.T) {
	for _, tt := range domainsTests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(t, tt.nodes)
			target, err := blast.Resolve(g, []string{tt.target})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Find(context.Background(), g, target, Options{HardThreshold: tt.hard})
			if err != nil {
				t.Fatal(err)
			}
			td := res.Targets[0]
			got := slices.Clone(td.CutSets)
			slices.SortFunc(got, func(a, b []string) int {
				if len(a) != len(b) {
					return len(a) - len(b)
				}
				return slices.Compare(a, b)
			})
			if diff := cmp.Diff(tt.wantSets, got); diff != "" {
				t.Errorf("cut sets (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSPOFs, td.SPOFs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("spofs (-want +got):\n%s", diff)
			}
			if tt.defeated != "" {
				var found []string
				for _, d := range td.Defeated {
					found = append(found, d.Owner+": "+d.Cause)
				}
				if !slices.Contains(found, tt.defeated) {
					t.Errorf("defeated groups: got:%v want:%s", found, tt.defeated)
				}
			}
			switch {
			case tt.prob < 0 && td.Probability != nil:
				t.Errorf("probability: got:%v want unknown", *td.Probability)
			case tt.prob >= 0 && (td.Probability == nil || math.Abs(*td.Probability-tt.prob) > 1e-12):
				t.Errorf("probability: got:%v want:%v", td.Probability, tt.prob)
			}
		})
	}
}

// TestUnquantified checks that dependencies of unknown share are never
// cut-set members and are listed as unquantified exposure instead.
func TestUnquantified(t *testing.T) {
	g := build(t, `  - {id: cloud, kind: provider}
  - {id: gpu, kind: provider, depends_on: [cloud]}
  - {id: oci, kind: provider}
  - {id: ai/api, kind: component, depends_on: [{id: gpu, impact: unknown}, {any_of: [oci, cloud], min: 1, impact: unknown}, auth]}
  - {id: auth, kind: vendor}
  - {id: acme/chat, kind: service, depends_on: [ai/api]}
`)
	tgt, _ := g.Lookup("acme/chat")
	res, err := Find(context.Background(), g, []int32{tgt}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	td := res.Targets[0]
	if diff := cmp.Diff([][]string{{"ai/api"}, {"auth"}}, td.CutSets); diff != "" {
		t.Errorf("cut sets (-want +got):\n%s", diff)
	}
	want := []blast.Exposure{
		{Dependent: "ai/api", Dependency: "gpu", Path: []string{"acme/chat", "ai/api"}, Upstream: []string{"cloud", "gpu"}},
		{Dependent: "ai/api", Dependency: "oci | cloud", Path: []string{"acme/chat", "ai/api"}, Upstream: []string{"cloud", "oci"}},
	}
	if diff := cmp.Diff(want, td.Unquantified); diff != "" {
		t.Errorf("unquantified (-want +got):\n%s", diff)
	}
}
