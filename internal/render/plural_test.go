package render

import (
	"bytes"
	"github.com/depgraph/depgraph/internal/count"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/domains"
)

// TestTextSaysOneInTheSingular is issue 16 item 12: "1 failure domains".
func TestTextSaysOneInTheSingular(t *testing.T) {
	var buf bytes.Buffer
	dr := &domains.Result{MaxOrder: 1, Targets: []domains.Target{{
		Target: "me/app", Count: count.Int(1), CutSets: [][]string{{"cloud"}}, SPOFs: []string{"cloud"},
		Paths: map[string][]string{"cloud": {"me/app", "cloud"}}, Missing: 1,
	}}}
	if err := DomainsText(&buf, dr); err != nil {
		t.Fatal(err)
	}
	br := &blast.Result{Failed: []string{"cloud"}, Summary: blast.Summary{Down: 1}, Affected: []blast.Affected{
		{ID: "me/app", State: "down", Impairment: 1, Layer: "unused", Path: []string{"cloud", "me/app"}},
	}}
	if err := BlastText(&buf, br, BlastTextOptions{}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"me/app: 1 failure domain up to 1 node, 1 single point of failure\n",
		"probability unknown: 1 node in its cone has no unavailability",
		"1 node down and 0 degraded in all",
		"(1 more affected node is used by none of your services; --all lists it)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
