package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/store"
	"github.com/depgraph/depgraph/internal/view"
)

var clock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func load(t testing.TB, path string) (*model.Model, *graph.Graph) {
	t.Helper()
	res, err := ingest.Load(ingest.Options{Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	return res.Model, g
}

// evilIncidents are incidents whose titles try to inject markup.
func evilIncidents() []Incident {
	end := clock.Add(-30 * 24 * time.Hour)
	return []Incident{
		{Node: "llm", Feed: "statuspage https://status.llm.example", ID: "a", Title: "<script>alert('title')</script> API down", Impact: "major", Start: end.Add(-3 * time.Hour), End: &end},
		{Node: "llm", Feed: "statuspage https://status.llm.example", ID: "b", Title: "Elevated errors | *bold* _x_", Impact: "minor", Start: clock.Add(-2 * time.Hour)},
		{Node: "cloud/east", Feed: "rss x", ID: "c", Title: "Power loss & recovery", Impact: "critical", Start: end.Add(-2 * time.Hour), End: &end},
	}
}

func buildRisk(t testing.TB) *Report {
	t.Helper()
	m, g := load(t, "testdata/risk.yaml")
	r, err := Build(context.Background(), m, g, Options{Now: clock, ModelHash: "sha256:test", Incidents: evilIncidents(), TimelineFrom: clock.AddDate(0, -6, 0), TimelineTo: clock})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func ids(ss []Service) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// TestBuild checks the computed report on the small risk model.
func TestBuild(t *testing.T) {
	r := buildRisk(t)
	checks := []struct {
		name      string
		got, want any
	}{
		{"schema", r.SchemaVersion, 1},
		{"services worst first", ids(r.Services), []string{"me/bot", "me/checkout"}},
		{"at risk", r.Summary.AtRisk, []string{"me/bot", "me/checkout"}},
		{"defeated failover", r.Summary.DefeatedFailover, 1},
		{"defeat causes, region first", causeNodes(r.Services[0].Defeated[0].Causes), []string{"cloud/east", "cloud"}},
		{"defeat members", r.Services[0].Defeated[0].Members, []string{"llm/api", "me/failover-llm"}},
		{"defeat chain", r.Services[0].Defeated[0].Causes[0].Chains, [][]string{{"llm/api", "llm", "cloud/east"}, {"me/failover-llm", "cloud/east"}}},
		{"worst domain", r.Summary.WorstDomains[0].Nodes, []string{"cloud"}},
		{"worst domain services", r.Summary.WorstDomains[0].Services, []string{"me/bot", "me/checkout"}},
		{"spof count", r.Summary.SPOFCount, 5},
		{"downtime rows", len(r.Summary.Downtime), 2},
		{"downtime worst first", r.Summary.Downtime[0].Service, "me/checkout"},
		{"contributors", r.Services[1].Contributors[0].Node, "evil"},
		{"concentration top", r.Concentration.Nodes[0].Node, "cloud"},
		{"concentration share", r.Concentration.Nodes[0].Share, 1.0},
		{"stale count", r.Stale.Count, 1},
		{"stale fact", r.Stale.Facts[0].Node + " " + r.Stale.Facts[0].AsOf + " " + filepath.Base(r.Stale.Facts[0].Pos), "cloud 2020-01-01 risk.yaml:10"},
		{"picture draws all", len(r.Picture.View.Nodes), r.Picture.Upstream},
		{"picture domains", slices.Contains(r.Picture.Domain, "cloud/east"), true},
		{"timeline rows", len(r.Timeline.Rows), 2},
		{"timeline count", r.Timeline.Count, 3},
	}
	for _, c := range checks {
		gj, _ := json.Marshal(c.got)
		wj, _ := json.Marshal(c.want)
		if string(gj) != string(wj) {
			t.Errorf("%s: got:%s want:%s", c.name, gj, wj)
		}
	}
	var spof []string
	for _, n := range r.Picture.View.Nodes {
		if n.SPOF {
			spof = append(spof, n.ID)
		}
	}
	if want := []string{"cloud", "cloud/east", "cloud/west", "evil", "evil/pay"}; !slices.Equal(spof, want) {
		t.Errorf("picture SPOFs: got:%v want:%v", spof, want)
	}
}

// TestPictureCap: the picture never draws more than PictureNodes and says
// what it left out, keeping the services and the defeating chains first.
func TestPictureCap(t *testing.T) {
	m, g := load(t, "testdata/risk.yaml")
	for _, limit := range []int{1, 2, 6, 8, 100} {
		r, err := Build(context.Background(), m, g, Options{Now: clock, PictureNodes: limit})
		if err != nil {
			t.Fatal(err)
		}
		p := r.Picture
		drawn := len(p.View.Nodes)
		if drawn > limit {
			t.Errorf("limit %d: drew %d nodes", limit, drawn)
		}
		left := 0
		for _, k := range p.OmittedKinds {
			left += k.Count
		}
		if p.Omitted != p.Upstream-drawn || left != p.Omitted {
			t.Errorf("limit %d: omitted %d (by kind %d), upstream %d, drawn %d", limit, p.Omitted, left, p.Upstream, drawn)
		}
		// The worst service always, both once a third of the picture fits them.
		want := []string{r.Services[0].ID}
		if limit >= 6 {
			want = append(want, r.Services[1].ID)
		}
		for _, id := range want {
			if !slices.ContainsFunc(p.View.Nodes, func(n view.Node) bool { return n.ID == id }) {
				t.Errorf("limit %d: service %s not drawn", limit, id)
			}
		}
		for _, e := range p.View.Edges {
			if !slices.ContainsFunc(p.View.Nodes, func(n view.Node) bool { return n.ID == e.From }) || !slices.ContainsFunc(p.View.Nodes, func(n view.Node) bool { return n.ID == e.To }) {
				t.Errorf("limit %d: edge %s→%s to a node not drawn", limit, e.From, e.To)
			}
		}
	}
}

// TestEscaping: markup in a vendor name, an owner, a source note and an
// incident title shows as text in HTML and in Markdown.
func TestEscaping(t *testing.T) {
	r := buildRisk(t)
	var html, md bytes.Buffer
	if err := WriteHTML(&html, r, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		format, out string
		bad         []string
		good        []string
	}{
		{"html", html.String(),
			[]string{"<script", "<i>bot", "<b>note", "<2>"},
			[]string{"&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; API down", "team &lt;i&gt;bot&lt;/i&gt;", "old &lt;b&gt;note&lt;/b&gt;", "&lt;script&gt;alert("}},
		{"markdown", md.String(),
			[]string{"<script", "<i>", "<b>", "*bold*", "&gt; | with bar"},
			[]string{"&lt;script&gt;alert('title')&lt;/script&gt; API down", "team &lt;i&gt;bot&lt;/i&gt;", `Elevated errors \| \*bold\* \_x\_`, `old &lt;b&gt;note&lt;/b&gt; \| with bar`}},
	} {
		for _, b := range c.bad {
			if strings.Contains(c.out, b) {
				t.Errorf("%s: contains %q unescaped", c.format, b)
			}
		}
		for _, g := range c.good {
			if !strings.Contains(c.out, g) {
				t.Errorf("%s: lacks %q", c.format, g)
			}
		}
	}
	// The vendor's name reaches the picture through Graphviz, which must
	// escape it too.
	if !strings.Contains(html.String(), "&lt;script&gt;alert(&#39;vendor&#39;)") && !strings.Contains(html.String(), "&lt;script&gt;alert('vendor')") {
		t.Errorf("html: the vendor name is not in the picture as text")
	}
}

// TestHTMLSelfContained: no script, no external resource.
func TestHTMLSelfContained(t *testing.T) {
	r := buildRisk(t)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, bad := range []string{"<script", "<link", "<img", "@import", "url(", "src="} {
		if strings.Contains(s, bad) {
			t.Errorf("html contains %q", bad)
		}
	}
	for _, want := range []string{"<svg", "@media print", `class="node domain"`, `id="timeline"`} {
		if !strings.Contains(s, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

// TestJSONRoundTrip: the JSON decodes into a Report that encodes to the
// same bytes.
func TestJSONRoundTrip(t *testing.T) {
	r := buildRisk(t)
	var a, b bytes.Buffer
	if err := WriteJSON(&a, r); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(a.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&b, &back); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("JSON does not round-trip")
	}
}

// TestIncidentsFromStore maps stored incidents onto nodes through their
// status blocks, leaving maintenance out.
func TestIncidentsFromStore(t *testing.T) {
	m, g := load(t, "testdata/risk.yaml")
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	plan := collect.Plan(m, nil)
	if len(plan) != 1 {
		t.Fatalf("feeds: got:%d want:1", len(plan))
	}
	start := clock.Add(-48 * time.Hour)
	end := start.Add(2 * time.Hour)
	doc := &feed.Document{SchemaVersion: feed.SchemaVersion, Incidents: []feed.Incident{
		{ID: "i1", Title: "API <down>", Impact: feed.ImpactMajor, Status: "resolved", StartedAt: start, ResolvedAt: &end, UpdatedAt: end, Components: []string{"API"}},
		{ID: "i2", Title: "Planned", Impact: feed.ImpactMaintenance, Status: "completed", StartedAt: start, ResolvedAt: &end, UpdatedAt: end, Components: []string{"API"}},
		{ID: "i3", Title: "Dashboard slow", Impact: feed.ImpactMinor, Status: "resolved", StartedAt: start, ResolvedAt: &end, UpdatedAt: end, Components: []string{"Dashboard"}},
	}}
	if _, err := st.Record(context.Background(), plan[0].Key, doc, store.FetchRecord{URL: plan[0].URL, Format: plan[0].Format, FetchedAt: clock, Status: 200}); err != nil {
		t.Fatal(err)
	}
	got, err := Incidents(context.Background(), st, m, g, clock.AddDate(0, -1, 0), clock)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Node != "llm" || got[0].ID != "i1" || got[0].Title != "API <down>" || got[0].End == nil {
		t.Fatalf("got:%+v want one incident i1 on llm", got)
	}
}

// TestTimelineLayout: bars sit inside the plot, in time order.
func TestTimelineLayout(t *testing.T) {
	r := buildRisk(t)
	tl := layoutTimeline(r.Timeline)
	if len(tl.Rows) != 2 || len(tl.Ticks) < 5 {
		t.Fatalf("rows %d ticks %d", len(tl.Rows), len(tl.Ticks))
	}
	for _, row := range tl.Rows {
		for _, b := range row.Bars {
			var x, w float64
			if _, err := fmt.Sscan(b.X, &x); err != nil {
				t.Fatal(err)
			}
			if _, err := fmt.Sscan(b.W, &w); err != nil {
				t.Fatal(err)
			}
			if x < float64(tl.Left) || x+w > float64(tl.Left+tl.Plot)+3 {
				t.Errorf("%s: bar at %v+%v outside [%d, %d]", row.Full, x, w, tl.Left, tl.Left+tl.Plot)
			}
		}
	}
}

// TestUnquantified: a dependency of unknown share is kept out of the
// failure domains and shown apart, in JSON and in Markdown.
func TestUnquantified(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	body := `depgraph: 1
nodes:
  - {id: gpu, kind: provider, unavailability: 0.01}
  - {id: ai, kind: vendor, unavailability: 0.001, depends_on: [{id: gpu, impact: unknown}], sources: [{url: "https://ai.example/list", verified: false}]}
  - id: me/chat
    kind: service
    depends_on: [{id: ai, impact: 0.5, sources: [{url: "https://ai.example/pm", published: 2024-01-01}]}]
  - {id: me/web, kind: service}
`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	m, g := load(t, path)
	r, err := Build(context.Background(), m, g, Options{Now: clock, ModelHash: "sha256:test"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Summary.Unquantified, []string{"me/chat"}) {
		t.Errorf("Summary.Unquantified = %v, want [me/chat]", r.Summary.Unquantified)
	}
	var chat Service
	for _, s := range r.Services {
		if s.ID == "me/chat" {
			chat = s
		}
	}
	if len(chat.Unquantified) != 1 || chat.Unquantified[0].Dependency != "gpu" {
		t.Errorf("me/chat unquantified = %+v, want one on gpu", chat.Unquantified)
	}
	for _, sp := range chat.SPOFs {
		if sp.Node == "gpu" {
			t.Error("gpu, behind an unknown share, is listed as a single point of failure")
		}
	}
	if r.Stale.Unverified != 1 {
		t.Errorf("Stale.Unverified = %d, want 1", r.Stale.Unverified)
	}
	if r.Stale.Count != 1 || r.Stale.Facts[0].Node != "me/chat → ai" {
		t.Errorf("stale facts = %+v, want the dependency's own 2024 source", r.Stale.Facts)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Unquantified exposure: `me/chat`", "1 source behind the nodes your services use is unverified or undated", "#### Unquantified exposure (share unknown, not in the domains)", "- `me/chat` → `ai` → `gpu`, 1 node behind it"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, r, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), "Unquantified exposure (share unknown, not in the domains)") {
		t.Error("HTML lacks the unquantified exposure section")
	}
}
