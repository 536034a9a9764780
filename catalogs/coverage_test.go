package catalogs_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/statusmap"
)

// sharedData is ../shared/data beside the repository, seen from catalogs/.
var sharedData = filepath.Join("..", "..", "shared", "data")

// TestProviderRegions checks that each provider catalog holds at least the
// regions its sources list, nested under the provider, so that dropping a
// region or un-nesting it (which loses the implicit edge to the provider)
// fails here.
func TestProviderRegions(t *testing.T) {
	res, _ := loadAll(t)
	regions := map[string]int{}
	for _, n := range res.Model.Nodes {
		if n.Kind != model.KindRegion {
			continue
		}
		org, _, _ := strings.Cut(n.ID, "/")
		if n.Parent != org {
			continue
		}
		regions[org]++
	}
	for _, tt := range []struct {
		provider string
		min      int
	}{
		{"hetzner", 6},
		{"digitalocean", 13},
		{"ovhcloud", 3},
		{"alibaba-cloud", 26},
		{"ibm-cloud", 12},
		{"oci", 40},
		{"coreweave", 35},
	} {
		if got := regions[tt.provider]; got < tt.min {
			t.Errorf("%s: %d regions nested under the provider, want at least %d", tt.provider, got, tt.min)
		}
	}
}

// TestDigitalOceanRealComponents maps DigitalOcean's real components.json
// (captured 2021-12-03) onto the catalog: every datacenter component of the
// page's Regions group binds its region node and no other, and the global
// control-plane components bind the control-plane nodes.
func TestDigitalOceanRealComponents(t *testing.T) {
	file := filepath.Join(sharedData, "feeds", "statuspage", "components", "digitalocean-components.json")
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		t.Skipf("real payloads absent (%s): run with ../shared/data beside the repository", file)
	}
	if err != nil {
		t.Fatal(err)
	}
	doc, err := feed.Parse(data, feed.FormatStatuspage, file)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := loadAll(t)
	const url = "https://status.digitalocean.com/api/v2/components.json"

	var regionComponents []string
	for _, c := range doc.Components {
		if c.Group == "Regions" && !c.IsGroup && c.Name != "Global" {
			regionComponents = append(regionComponents, c.Name)
		}
	}
	if len(regionComponents) != 13 {
		t.Fatalf("sample has %d region components, want 13: %v", len(regionComponents), regionComponents)
	}

	got := statusmap.Map(res.Model, doc, url, 0)
	for _, name := range regionComponents {
		id := "digitalocean/" + strings.ToLower(name)
		if _, ok := got.Impairment[id]; !ok {
			t.Errorf("region component %s binds no node %s", name, id)
		}
		if slices.Contains(got.Unmapped, name) {
			t.Errorf("region component %s reported unmapped", name)
		}
	}
	for _, id := range []string{"digitalocean/api", "digitalocean/control-panel", "digitalocean/event-processing", "digitalocean/droplets"} {
		if _, ok := got.Impairment[id]; !ok {
			t.Errorf("%s binds no component of the page", id)
		}
	}
	if !slices.Contains(got.Unmapped, "Global") {
		t.Errorf("the page's Global component stands for no node and must be reported unmapped; unmapped: %v", got.Unmapped)
	}

	// One datacenter down impairs its region only, not another region
	// nor the global services.
	down := *doc
	down.Components = slices.Clone(doc.Components)
	for i := range down.Components {
		if down.Components[i].Name == "NYC3" {
			down.Components[i].Status = feed.StatusMajorOutage
		}
	}
	got = statusmap.Map(res.Model, &down, url, 0)
	for id, want := range map[string]float64{
		"digitalocean/nyc3":     1,
		"digitalocean/nyc1":     0,
		"digitalocean/ams3":     0,
		"digitalocean/droplets": 0,
		"digitalocean/api":      0,
	} {
		if g := got.Impairment[id]; g != want {
			t.Errorf("NYC3 down: %s impairment %v, want %v", id, g, want)
		}
	}
}
