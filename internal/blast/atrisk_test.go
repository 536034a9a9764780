package blast

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// atRiskTests are small models with the states worked out by hand.
var atRiskTests = []struct {
	name   string
	nodes  string
	failed []string
	want   map[string]string // affected id → state; others must be unaffected
	paths  map[string]string // id → path joined by " > "
}{
	{
		name: "unknown share makes the dependent at risk, and everything downstream",
		nodes: `  - {id: gpu, kind: vendor}
  - {id: ai/api, kind: component, depends_on: [{id: gpu, impact: unknown}]}
  - {id: acme/chat, kind: service, depends_on: [ai/api]}
  - {id: acme/search, kind: service, depends_on: [{id: acme/chat, impact: 0.2}]}
  - {id: acme/other, kind: service, depends_on: [{id: acme/chat, impact: 0}]}
`,
		failed: []string{"gpu"},
		want:   map[string]string{"ai/api": StateAtRisk, "acme/chat": StateAtRisk, "acme/search": StateAtRisk},
		paths:  map[string]string{"acme/search": "gpu > ai/api > acme/chat > acme/search"},
	},
	{
		name: "a known share wins: down stays down, degraded stays degraded",
		nodes: `  - {id: x, kind: vendor}
  - {id: a, kind: component, depends_on: [x, {id: x, impact: unknown}]}
  - {id: b, kind: component, depends_on: [{id: x, impact: 0.5}, {id: x, impact: unknown}]}
`,
		failed: []string{"x"},
		want:   map[string]string{"a": StateDown, "b": StateDegraded},
	},
	{
		name: "an unknown share on a healthy node is no risk",
		nodes: `  - {id: x, kind: vendor}
  - {id: y, kind: vendor}
  - {id: a, kind: component, depends_on: [{id: y, impact: unknown}]}
`,
		failed: []string{"x"},
		want:   map[string]string{},
	},
	{
		name: "failover group of known share: one member at risk, another healthy, min 1: not at risk",
		nodes: `  - {id: x, kind: vendor}
  - {id: m1, kind: component, depends_on: [{id: x, impact: unknown}]}
  - {id: m2, kind: component}
  - {id: s, kind: service, depends_on: [{any_of: [m1, m2], min: 1}]}
`,
		failed: []string{"x"},
		want:   map[string]string{"m1": StateAtRisk},
	},
	{
		name: "failover group of known share: min 2 of 2 with one member at risk is at risk",
		nodes: `  - {id: x, kind: vendor}
  - {id: m1, kind: component, depends_on: [{id: x, impact: unknown}]}
  - {id: m2, kind: component}
  - {id: s, kind: service, depends_on: [{any_of: [m1, m2], min: 2}]}
`,
		failed: []string{"x"},
		want:   map[string]string{"m1": StateAtRisk, "s": StateAtRisk},
		paths:  map[string]string{"s": "x > m1 > s"},
	},
	{
		name: "failover group: one member down, the other at risk: the group is at risk",
		nodes: `  - {id: x, kind: vendor}
  - {id: m1, kind: component, depends_on: [x]}
  - {id: m2, kind: component, depends_on: [{id: x, impact: unknown}]}
  - {id: s, kind: service, depends_on: [{any_of: [m1, m2], min: 1}]}
`,
		failed: []string{"x"},
		want:   map[string]string{"m1": StateDown, "m2": StateAtRisk, "s": StateAtRisk},
		paths:  map[string]string{"s": "x > m2 > s"},
	},
	{
		name: "failover group of unknown share: impaired group means at risk",
		nodes: `  - {id: m1, kind: component}
  - {id: m2, kind: component}
  - {id: s, kind: service, depends_on: [{any_of: [m1, m2], min: 2, impact: unknown}]}
`,
		failed: []string{"m1"},
		want:   map[string]string{"s": StateAtRisk},
	},
	{
		name: "failover group of unknown share that survives is no risk",
		nodes: `  - {id: m1, kind: component}
  - {id: m2, kind: component}
  - {id: s, kind: service, depends_on: [{any_of: [m1, m2], min: 1, impact: unknown}]}
`,
		failed: []string{"m1"},
		want:   map[string]string{},
	},
	{
		name: "a cycle is settled",
		nodes: `  - {id: x, kind: vendor}
  - {id: a, kind: component, depends_on: [{id: x, impact: unknown}, b]}
  - {id: b, kind: component, depends_on: [a]}
  - {id: c, kind: component, depends_on: [b]}
`,
		failed: []string{"x"},
		want:   map[string]string{"a": StateAtRisk, "b": StateAtRisk, "c": StateAtRisk},
		paths:  map[string]string{"c": "x > a > b > c"},
	},
}

func TestAtRisk(t *testing.T) {
	for _, tt := range atRiskTests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(t, tt.nodes)
			res, err := Run(g, tt.failed)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			atRisk := 0
			for _, a := range res.Affected {
				got[a.ID] = a.State
				if tt.paths[a.ID] != "" {
					if p := strings.Join(a.Path, " > "); p != tt.paths[a.ID] {
						t.Errorf("path of %s = %s, want %s", a.ID, p, tt.paths[a.ID])
					}
				}
				if len(a.Path) != a.Hops+1 {
					t.Errorf("%s: %d hops but a path of %d", a.ID, a.Hops, len(a.Path))
				}
				if a.State == StateAtRisk {
					atRisk++
					if a.Impairment != 0 {
						t.Errorf("%s at risk with impairment %g", a.ID, a.Impairment)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
			if res.Summary.AtRisk != atRisk {
				t.Errorf("Summary.AtRisk = %d, want %d", res.Summary.AtRisk, atRisk)
			}
		})
	}
}

func TestAtRiskServices(t *testing.T) {
	g := build(t, `  - {id: gpu, kind: vendor}
  - {id: acme/b, kind: service, depends_on: [{id: gpu, impact: unknown}]}
  - {id: acme/a, kind: service, depends_on: [{id: gpu, impact: unknown}]}
  - {id: acme/c, kind: service, depends_on: [gpu]}
`)
	res, err := Run(g, []string{"gpu"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"acme/a", "acme/b"}, res.Summary.ServicesAtRisk); diff != "" {
		t.Errorf("ServicesAtRisk (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"acme/c"}, res.Summary.ServicesDown); diff != "" {
		t.Errorf("ServicesDown (-want +got):\n%s", diff)
	}
}

// TestUnquantifiedKnownShare: a node reached through a known share too is
// not unquantified.
func TestUnquantifiedKnownShare(t *testing.T) {
	g := build(t, `  - {id: gpu, kind: provider}
  - {id: ai/api, kind: component, depends_on: [{id: gpu, impact: unknown}, {id: gpu, impact: 0.5}]}
`)
	tgt, _ := g.Lookup("ai/api")
	if got := Unquantified(g, tgt); len(got) != 1 || len(got[0].Upstream) != 0 {
		t.Errorf("Unquantified = %+v, want one exposure with no upstream of its own", got)
	}
}

// TestByNodeShares: ByNode degrades only through known shares above 0 and
// lists what lies behind an unknown share apart.
func TestByNodeShares(t *testing.T) {
	g := build(t, `  - {id: x, kind: vendor}
  - {id: acme/a, kind: service, depends_on: [{id: x, impact: 0.5}]}
  - {id: acme/b, kind: service, depends_on: [{id: x, impact: unknown}]}
  - {id: acme/c, kind: service, depends_on: [{id: x, impact: 0}]}
  - {id: acme/d, kind: service, depends_on: [x]}
  - {id: acme/e, kind: service, depends_on: [{id: acme/b, impact: 0.5}]}
`)
	var targets []int32
	for _, id := range []string{"acme/a", "acme/b", "acme/c", "acme/d", "acme/e"} {
		i, _ := g.Lookup(id)
		targets = append(targets, i)
	}
	for _, ni := range ByNode(g, targets, 1) {
		if ni.Node != "x" {
			continue
		}
		got := [][]string{ni.TakesDown, ni.Degrades, ni.AtRisk}
		want := [][]string{{"acme/d"}, {"acme/a"}, {"acme/b", "acme/e"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("x: takes down, degrades, at risk (-want +got):\n%s", diff)
		}
		return
	}
	t.Error("x reaches no target")
}
