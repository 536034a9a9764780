package catalog

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var listTests = []struct {
	dir     string
	want    []Entry
	wantErr string
}{
	{dir: "ok", want: []Entry{
		{Name: "alpha", Description: "a provider with a region and a zone", File: "alpha.yaml",
			Kinds: []string{"provider", "region", "zone"}, FeedTypes: []string{"gcp"}, Nodes: 3,
			OldestAsOf: "2024-05-06", NewestAsOf: "2026-03-04"},
		{Name: "beta", Description: "a vendor on alpha", File: "beta.yaml", Includes: []string{"alpha"},
			Kinds: []string{"component", "vendor"}, FeedTypes: []string{"incidentio", "statuspage"}, Nodes: 2,
			OldestAsOf: "2025-01-02", NewestAsOf: "2026-02-01"}, // read and published dates, a dependency's source, no unverified one
	}},
	{dir: "noheader", wantErr: "catalog: plain.yaml: no catalog: header"},
	{dir: "misnamed", wantErr: `catalog: gamma.yaml: catalog name "beta" differs from the file name "gamma"`},
}

func TestList(t *testing.T) {
	for _, tt := range listTests {
		t.Run(tt.dir, func(t *testing.T) {
			got, err := List(os.DirFS("testdata/list/" + tt.dir))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("got entries %v with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
		})
	}
}
