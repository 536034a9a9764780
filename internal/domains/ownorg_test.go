package domains

import (
	"context"
	"slices"
	"testing"
)

// TestDomainsLeaveOutYourOwnOrganisation is issue 16 item 12: the
// organisation node (acme, the parent every acme/… node is nested in) was
// reported as a single point of failure of your own services. Another
// organisation's root stays one (vendor here).
func TestDomainsLeaveOutYourOwnOrganisation(t *testing.T) {
	g := build(t, `
  - id: acme
    kind: vendor
    components:
      - id: checkout
        kind: service
        depends_on: [acme/db, vendor/api]
      - id: db
  - id: vendor
    kind: vendor
    components:
      - id: api
`)
	for _, maxOrder := range []int{2, 5} { // enumeration and decision diagrams
		checkout, _ := g.Lookup("acme/checkout")
		res, err := Find(context.Background(), g, []int32{checkout}, Options{MaxOrder: maxOrder})
		if err != nil {
			t.Fatal(err)
		}
		td := res.Targets[0]
		if want := []string{"acme/db", "vendor", "vendor/api"}; !slices.Equal(td.SPOFs, want) {
			t.Errorf("max order %d: SPOFs got:%v want:%v", maxOrder, td.SPOFs, want)
		}
		if td.Count.String() != "3" || td.OrderDistribution[0].String() != "3" {
			t.Errorf("max order %d: count %s, order 1 %s: want 3 and 3", maxOrder, td.Count, td.OrderDistribution[0])
		}
		for _, s := range td.CutSets {
			if slices.Contains(s, "acme") {
				t.Errorf("max order %d: cut set %v holds the own organisation", maxOrder, s)
			}
		}
	}
}
