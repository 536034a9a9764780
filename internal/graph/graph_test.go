package graph

import (
	"slices"
	"testing"

	gonumgraph "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/topo"
	"gonum.org/v1/gonum/graph/traverse"

	"github.com/depgraph/depgraph/internal/model"
)

// testModel: a service with a failover group over two vendors that share
// a region, one weighted dependency, and a two-node cycle.
func testModel() *model.Model {
	dep := func(id string, impact float64) model.Dependency { return model.Dependency{ID: id, Impact: impact} }
	return &model.Model{Nodes: []*model.Node{
		{ID: "acme/bot", Kind: model.KindService, DependsOn: []model.Dependency{
			{AnyOf: []string{"openai/api", "acme/aoai"}, Min: 1, Impact: 1},
			dep("zendesk/api", 0.3),
			dep("openai/api", 0.5), // a second entry to the same node: the edge keeps the larger impact
		}},
		{ID: "acme/aoai", Kind: model.KindComponent, DependsOn: []model.Dependency{dep("azure/scus", 1)}},
		{ID: "openai/api", Kind: model.KindComponent, DependsOn: []model.Dependency{dep("azure/scus", 1)}},
		{ID: "azure/scus", Kind: model.KindRegion},
		{ID: "zendesk/api", Kind: model.KindComponent, DependsOn: []model.Dependency{dep("zendesk/db", 1)}},
		{ID: "zendesk/db", Kind: model.KindComponent, DependsOn: []model.Dependency{dep("zendesk/api", 1)}},
	}}
}

func TestBuild(t *testing.T) {
	g, err := Build(testModel())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.IDs(), []string{"acme/aoai", "acme/bot", "azure/scus", "openai/api", "zendesk/api", "zendesk/db"}; !slices.Equal(got, want) {
		t.Fatalf("ids: got:%v want:%v", got, want)
	}
	bot, _ := g.Lookup("acme/bot")
	openai, _ := g.Lookup("openai/api")
	scus, _ := g.Lookup("azure/scus")
	if got := g.String(g.Dependencies(bot)); got != "acme/aoai, openai/api, zendesk/api" {
		t.Errorf("dependencies: got:%s", got)
	}
	if got := g.String(g.Dependents(scus)); got != "acme/aoai, openai/api" {
		t.Errorf("dependents: got:%s", got)
	}
	if w, ok := g.Weight(int64(bot), int64(openai)); !ok || w != 1 {
		t.Errorf("weight bot→openai: got:%v,%v want:1,true", w, ok)
	}
	reqs := g.Requirements(bot)
	if len(reqs) != 3 || !reqs[0].Group || reqs[0].Min != 1 || g.String(g.Members(reqs[0])) != "openai/api, acme/aoai" {
		t.Errorf("requirements: got:%+v", reqs)
	}
	if got := g.Cycles(); len(got) != 1 || !slices.Equal(got[0], []string{"zendesk/api", "zendesk/db"}) {
		t.Errorf("cycles: got:%v", got)
	}
	// The order puts dependencies first.
	pos := map[int32]int{}
	for k, u := range g.Order() {
		pos[u] = k
	}
	for u := range int32(g.Len()) {
		for _, v := range g.Dependencies(u) {
			if g.Component(u) != g.Component(v) && pos[v] > pos[u] {
				t.Errorf("order: %s before its dependency %s", g.ModelNode(u).ID, g.ModelNode(v).ID)
			}
		}
	}
}

// TestGonumInterfaces runs gonum algorithms on the graph: it must behave as
// a graph.Directed.
func TestGonumInterfaces(t *testing.T) {
	g, err := Build(testModel())
	if err != nil {
		t.Fatal(err)
	}
	sccs := topo.TarjanSCC(g)
	big := 0
	for _, c := range sccs {
		if len(c) > 1 {
			big++
		}
	}
	if big != 1 {
		t.Errorf("gonum TarjanSCC: got %d cycles, want 1", big)
	}
	bot, _ := g.Lookup("acme/bot")
	var seen []string
	bf := traverse.BreadthFirst{}
	bf.Walk(g, g.Node(int64(bot)), func(n gonumgraph.Node, _ int) bool {
		seen = append(seen, n.(Node).Model.ID)
		return false
	})
	slices.Sort(seen)
	if want := []string{"acme/aoai", "acme/bot", "azure/scus", "openai/api", "zendesk/api", "zendesk/db"}; !slices.Equal(seen, want) {
		t.Errorf("gonum BreadthFirst: got:%v want:%v", seen, want)
	}
	if g.Edge(int64(bot), 99) != nil || g.Node(-1) != nil || g.HasEdgeBetween(0, 0) {
		t.Error("absent nodes and edges must be nil/false")
	}
}

func TestNeighbourhood(t *testing.T) {
	g, _ := Build(testModel())
	openai, _ := g.Lookup("openai/api")
	if got := g.String(g.Neighbourhood([]int32{openai}, 0)); got != "acme/bot, azure/scus, openai/api" {
		t.Errorf("got:%s", got)
	}
	scus, _ := g.Lookup("azure/scus")
	if got := g.String(g.Neighbourhood([]int32{scus}, 1)); got != "acme/aoai, azure/scus, openai/api" {
		t.Errorf("depth 1: got:%s", got)
	}
}

func TestBuildRejectsInvalid(t *testing.T) {
	for _, m := range []*model.Model{
		{Nodes: []*model.Node{{ID: "a"}, {ID: "a"}}},
		{Nodes: []*model.Node{{ID: "a", DependsOn: []model.Dependency{{ID: "a", Impact: 1}}}}},
		{Nodes: []*model.Node{{ID: "a", DependsOn: []model.Dependency{{ID: "b", Impact: 1}}}}},
	} {
		if _, err := Build(m); err == nil {
			t.Errorf("model %v: got no error", m.Nodes)
		}
	}
}

func TestLayerName(t *testing.T) {
	for party, want := range map[int]string{0: "unused", 1: "own", 3: "third-party", 4: "fourth-party", 5: "fifth-party", 13: "13th-party"} {
		if got := LayerName(party); got != want {
			t.Errorf("LayerName(%d): got:%s want:%s", party, got, want)
		}
	}
}
