package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/store"
)

// TestDiscoverStore reads incidents from the store (as depgraph ingest
// records them) rather than from saved files. The incident is
// constructed.
func TestDiscoverStore(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "acme.yaml")
	if err := os.WriteFile(modelPath, []byte(`depgraph: 1
nodes:
  - id: acme/app
    kind: service
    depends_on: [zed]
  - id: zed
    kind: vendor
    name: Zed
    status: {type: statuspage, url: https://status.zed.example}
  - id: fastly
    kind: provider
    name: Fastly
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Load(ingest.Options{Paths: []string{modelPath}})
	if err != nil {
		t.Fatal(err)
	}
	plan := collect.Plan(res.Model, nil)
	if len(plan) != 1 {
		t.Fatalf("plan = %+v", plan)
	}
	db := filepath.Join(dir, "depgraph.db")
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	doc := &feed.Document{Source: feed.Source{Format: feed.FormatStatuspage, URL: "https://status.zed.example"},
		Incidents: []feed.Incident{{ID: "s1", Title: "CDN errors", Impact: feed.Impact("minor"), Status: "resolved",
			StartedAt: time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC),
			Updates:   []feed.Update{{Status: "resolved", At: time.Date(2025, 6, 1, 11, 0, 0, 0, time.UTC), Body: "Our CDN provider Fastly fixed a configuration error."}}}}}
	if _, err := st.Record(context.Background(), plan[0].Key, doc, store.FetchRecord{URL: "https://status.zed.example"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	ios, _, out, _ := iostreams.Test()
	opts := &discoverOptions{IO: ios, Model: modelFlags{Paths: []string{modelPath}}, DB: db, JSON: true}
	if err := runDiscover(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got struct {
		SchemaVersion int `json:"schema_version"`
		Proposals     []struct {
			From, To string
			Evidence []struct {
				IncidentID string `json:"incident_id"`
				Quote      string `json:"quote"`
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out.String())
	}
	if got.SchemaVersion != 1 || len(got.Proposals) != 1 || got.Proposals[0].From != "zed" || got.Proposals[0].To != "fastly" ||
		got.Proposals[0].Evidence[0].IncidentID != "s1" {
		t.Errorf("got %s", out)
	}
}
