package discover

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// testGraph: acme/app → zed → zed/api → aws/us-east-1; aws has the
// region us-east-1; azure, cloudflare and cloudflare/pages are in the
// model but not upstream of zed; customer depends on zed.
func testGraph(t testing.TB) *graph.Graph {
	t.Helper()
	nodes := []*model.Node{
		{ID: "acme/app", Kind: model.KindService, DependsOn: []model.Dependency{{ID: "zed", Impact: 1}, {ID: "customer", Impact: 1}}},
		{ID: "customer", Kind: model.KindVendor, Name: "Customer Corp", DependsOn: []model.Dependency{{ID: "zed", Impact: 1}}},
		{ID: "zed", Kind: model.KindVendor, Name: "Zed", DependsOn: []model.Dependency{{ID: "zed/api", Impact: 1}}},
		{ID: "zed/api", Kind: model.KindComponent, Name: "Zed API", DependsOn: []model.Dependency{{ID: "aws/us-east-1", Impact: 1}}},
		{ID: "aws", Kind: model.KindProvider, Name: "Amazon Web Services", Aliases: []string{"AWS"}},
		{ID: "aws/us-east-1", Kind: model.KindRegion, Name: "US East (N. Virginia)", Aliases: []string{"us-east-1", "IAD"}},
		{ID: "azure", Kind: model.KindProvider, Name: "Microsoft Azure", Aliases: []string{"Azure"}},
		{ID: "azure/eastus", Kind: model.KindRegion, Name: "East US", Aliases: []string{"eastus"}},
		{ID: "cloudflare", Kind: model.KindProvider, Name: "Cloudflare"},
		{ID: "cloudflare/pages", Kind: model.KindComponent, Name: "Pages"},
		{ID: "twin-a", Kind: model.KindVendor, Name: "Twin"},
		{ID: "twin-b", Kind: model.KindVendor, Name: "Twin"},
	}
	g, err := graph.Build(&model.Model{Nodes: nodes})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestPropose(t *testing.T) {
	g := testGraph(t)
	extra := []*model.Node{{ID: "fastly", Kind: model.KindProvider, Name: "Fastly"}}
	tests := []struct {
		name, text string
		want       []string // "from>to"
	}{
		{"provider by alias", "Elevated errors: our provider Azure reports a networking issue.", []string{"zed>azure"}},
		{"region code", "Degradation in eastus.", []string{"zed>azure/eastus"}},
		{"catalog node outside the model", "An upstream CDN (Fastly) had an outage.", []string{"zed>fastly"}},
		{"vendor itself and own parts", "Zed API errors; Zed is investigating.", nil},
		{"already upstream", "AWS us-east-1 (IAD) is degraded.", nil},
		{"downstream customer", "Customer Corp reported errors.", nil},
		{"ambiguous name", "Twin is down.", nil},
		{"ordinary word naming another's part", "GitHub Pages builds and Pages deploys fail.", nil},
		{"two providers", "Cloudflare and Azure both degraded.", []string{"zed>azure", "zed>cloudflare"}},
		{"nothing", "All systems operational.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &feed.Incident{ID: "inc1", Title: "Incident", URL: "https://status.zed.dev/incidents/inc1", Updates: []feed.Update{{Body: tt.text}}}
			ps := Propose(g, extra, []Report{{Vendor: "zed", Incident: in}})
			var got []string
			for _, p := range ps {
				got = append(got, p.From+">"+p.To)
				if len(p.Evidence) != 1 || p.Evidence[0].IncidentID != "inc1" || p.Evidence[0].URL != in.URL {
					t.Errorf("evidence = %+v", p.Evidence)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("proposals = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProposeMergesEvidence(t *testing.T) {
	g := testGraph(t)
	a := &feed.Incident{ID: "a", Title: "Azure outage", Updates: []feed.Update{{Body: "Azure again"}}}
	b := &feed.Incident{ID: "b", Title: "Errors related to Azure"}
	ps := Propose(g, nil, []Report{{Vendor: "zed", Incident: a}, {Vendor: "zed", Incident: b}, {Vendor: "nobody", Incident: b}})
	if len(ps) != 1 || len(ps[0].Evidence) != 2 {
		t.Fatalf("proposals = %+v, want one with two incidents", ps)
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("x ", 100) + "Azure" + strings.Repeat(" y", 100)
	s := strings.Index(long, "Azure")
	q := Quote(long, s, s+5)
	if !strings.HasPrefix(q, "…") || !strings.HasSuffix(q, "…") || !strings.Contains(q, "Azure") || len(q) > 2*QuoteRadius+20 {
		t.Errorf("quote = %q", q)
	}
	if q := Quote("a\n\tAzure\x00 b", 3, 8); q != "a Azure b" {
		t.Errorf("quote = %q", q)
	}
}

// TestGitHubHistory reads a real GitHub status incident (2023-01-25,
// "Incident with Actions": "This looks related to Azure networking
// issue") and proposes Actions → Azure.
func TestGitHubHistory(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "feeds", "statuspage", "history", "github", "4hzj8r2jm0mn.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("real feed data not available: %v", err)
	}
	doc, err := feed.Parse(data, feed.FormatAuto, path)
	if err != nil {
		t.Fatal(err)
	}
	nodes := []*model.Node{
		{ID: "github", Kind: model.KindVendor, Name: "GitHub"},
		{ID: "github/actions", Kind: model.KindComponent, Name: "GitHub Actions", Aliases: []string{"Actions"}},
		{ID: "azure", Kind: model.KindProvider, Name: "Microsoft Azure", Aliases: []string{"Azure"}},
	}
	g, err := graph.Build(&model.Model{Nodes: nodes})
	if err != nil {
		t.Fatal(err)
	}
	var rs []Report
	for i := range doc.Incidents {
		rs = append(rs, Report{Vendor: "github/actions", Incident: &doc.Incidents[i]})
	}
	ps := Propose(g, nil, rs)
	if len(ps) != 1 || ps[0].To != "azure" || ps[0].Evidence[0].IncidentID != "4hzj8r2jm0mn" || !strings.Contains(ps[0].Evidence[0].Quote, "related to Azure networking") {
		t.Fatalf("proposals = %+v", ps)
	}
}

func FuzzPropose(f *testing.F) {
	f.Add("Azure outage", "related to Azure networking in us-east-1 (IAD)")
	f.Add("\xff\xfe", "Cloudflare\x00Pages…")
	g := testGraph(f)
	f.Fuzz(func(t *testing.T, title, body string) {
		in := &feed.Incident{ID: "x", Title: title, Updates: []feed.Update{{Body: body}}}
		for _, p := range Propose(g, nil, []Report{{Vendor: "zed", Incident: in}}) {
			if p.From != "zed" || p.To == "zed" || strings.HasPrefix(p.To, "zed/") || p.To == "aws/us-east-1" {
				t.Fatalf("bad proposal %+v", p)
			}
			for _, e := range p.Evidence {
				if !utf8.ValidString(e.Quote) {
					t.Fatalf("quote not UTF-8: %q", e.Quote)
				}
			}
		}
	})
}

// FuzzDiscoverFeed runs saved-feed bytes through the parser and the
// proposals, as discover --incidents does.
func FuzzDiscoverFeed(f *testing.F) {
	f.Add([]byte(`{"page":{"id":"z","name":"Zed","url":"https://status.zed.example"},"incident":{"id":"i","name":"Azure","status":"resolved","created_at":"2026-11-02T09:00:00Z","incident_updates":[{"status":"resolved","body":"related to Azure in eastus","created_at":"2026-11-02T09:00:00Z"}]}}`))
	f.Add([]byte(`<rss><channel><item><title>Cloudflare outage</title><description>IAD</description></item></channel></rss>`))
	g := testGraph(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := feed.Parse(data, feed.FormatAuto, "fuzz")
		if err != nil {
			return
		}
		var rs []Report
		for i := range doc.Incidents {
			rs = append(rs, Report{Vendor: "zed", Incident: &doc.Incidents[i]})
		}
		for _, p := range Propose(g, nil, rs) {
			if p.To == "zed" || p.To == "aws/us-east-1" || len(p.Evidence) == 0 {
				t.Fatalf("bad proposal %+v", p)
			}
		}
	})
}
