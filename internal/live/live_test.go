package live

import (
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
)

const liveModel = `depgraph: 1
nodes:
  - {id: a, kind: vendor, status: {type: statuspage, url: "http://127.0.0.1:9/a/api/v2/summary.json"}}
  - {id: b, kind: vendor, status: {type: statuspage, url: "http://127.0.0.1:9/b/api/v2/summary.json"}}
  - {id: c, kind: vendor, status: {type: statuspage, url: "http://127.0.0.1:9/c/api/v2/summary.json"}}
  - {id: acme/x, kind: service, depends_on: [a, b, c]}
`

func summary(incidents string) []byte {
	return []byte(`{"page":{"id":"p","name":"P","url":"http://127.0.0.1:9","updated_at":"2026-12-01T10:00:00Z"},
 "status":{"indicator":"none","description":"x"},"components":[],"incidents":[` + incidents + `],"scheduled_maintenances":[]}`)
}

const incident = `{"id":"i1","name":"API down","status":"investigating","impact":"critical","created_at":"2026-12-01T09:00:00Z",
 "updated_at":"2026-12-01T09:00:00Z","started_at":"2026-12-01T09:00:00Z","resolved_at":null,"shortlink":"https://stspg.io/i1",
 "components":[],"incident_updates":[{"id":"u","status":"investigating","body":"Our provider is down.","created_at":"2026-12-01T09:05:00Z"}]}`

func loadModel(t *testing.T) *model.Model {
	t.Helper()
	res, err := ingest.Load(ingest.Options{Default: &ingest.FSFile{FS: fstest.MapFS{"m.yaml": {Data: []byte(liveModel)}}, Name: "m.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Model
}

// TestCompute: every page served from one host (a replay server) binds
// only to the node its feed was planned for; an unreadable feed makes its
// node unknown; a live incident reports its impact.
func TestCompute(t *testing.T) {
	m := loadModel(t)
	feeds := collect.Plan(m, nil)
	docs := map[string][]byte{"a": summary(incident), "b": summary("")}
	var results []Reading
	for _, f := range feeds {
		r := Reading{Key: f.Key, URL: f.URL, Nodes: f.Nodes}
		node := f.Nodes[0]
		if b, ok := docs[node]; ok {
			doc, err := feed.Parse(b, f.Format, f.URL)
			if err != nil {
				t.Fatal(err)
			}
			r.Documents = []*feed.Document{doc}
		} else {
			r.Errors = []string{"HTTP 503"}
		}
		results = append(results, r)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	st := Compute(m, results, now, 0)
	if len(st.Reporting) != 1 || st.Reporting[0].Node != "a" || st.Reporting[0].Impairment != 1 {
		t.Fatalf("reporting %+v, want only a at 1", st.Reporting)
	}
	inc := st.Reporting[0].Incidents
	if len(inc) != 1 || inc[0].ID != "i1" || inc[0].Text != "API down\nOur provider is down." {
		t.Errorf("incidents %+v", inc)
	}
	if !slices.Equal(st.Watched, []string{"a", "b"}) || !slices.Equal(st.UnknownNodes, []string{"c"}) || st.FeedsRead() != 2 {
		t.Errorf("watched %v unknown %v read %d", st.Watched, st.UnknownNodes, st.FeedsRead())
	}
	// Once resolved at the time judged, the incident is no trouble.
	if st := Compute(m, results, now.Add(-2*time.Hour), 0); len(st.Reporting) != 0 {
		t.Errorf("before the incident started: reporting %+v", st.Reporting)
	}
}
