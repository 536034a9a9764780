package blast

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

type evidenceSpec struct {
	node, title, text, start string
}

// explainTests are scenarios built from the real cascades in
// ../shared/facts/cascades.md: the expected first hypothesis and layer.
var explainTests = []struct {
	name      string
	nodes     string
	impacted  []string
	healthy   []string
	from, to  string
	evidence  []evidenceSpec
	watched   []string
	wantFirst []string
	wantLayer string
}{
	{
		// §1, 2025-06-12: Google Cloud's Service Control failed globally;
		// Cloudflare Workers KV (on Google Cloud) failed with it and took
		// Access down. Cloudflare's CDN was not affected.
		name: "google cloud under cloudflare (2025-06-12)",
		nodes: `  - id: gcp
    kind: provider
    services:
      - id: service-control
      - id: storage
        depends_on: [gcp/service-control]
      - id: vertex-ai
        depends_on: [gcp/service-control]
  - id: cloudflare
    kind: vendor
    components:
      - id: cdn
      - id: workers-kv
        depends_on: [gcp/storage]
      - id: access
        depends_on: [cloudflare/workers-kv]
  - {id: acme/sso, kind: service, depends_on: [cloudflare/access]}
  - {id: acme/assistant, kind: service, depends_on: [gcp/vertex-ai]}
  - {id: acme/web, kind: service, depends_on: [cloudflare/cdn]}
`,
		impacted: []string{"acme/sso", "acme/assistant"},
		healthy:  []string{"acme/web"},
		from:     "2025-06-12T17:45:00Z", to: "2025-06-12T21:00:00Z",
		evidence: []evidenceSpec{
			{"gcp", "Multiple GCP products are experiencing Service issues", "", "2025-06-12T17:49:00Z"},
			{"cloudflare/workers-kv", "Workers KV unavailable", "caused by an outage of a third-party service provider", "2025-06-12T17:52:00Z"},
		},
		// The root was Service Control itself, a layer below "Google Cloud".
		wantFirst: []string{"gcp/service-control"},
		wantLayer: "cloud-service",
	},
	{
		// §7, 2021-06-08: Fastly's own software bug, triggered by a
		// customer configuration; the cloud under Acme's API was fine.
		name: "the vendor, not the cloud (fastly 2021-06-08)",
		nodes: `  - {id: aws/us-east-1, kind: region}
  - id: fastly
    kind: vendor
    components: [{id: cdn}]
  - {id: acme/docs, kind: service, depends_on: [fastly/cdn]}
  - {id: acme/shop, kind: service, depends_on: [fastly/cdn, aws/us-east-1]}
  - {id: acme/api, kind: service, depends_on: [aws/us-east-1]}
`,
		impacted: []string{"acme/docs", "acme/shop"},
		healthy:  []string{"acme/api"},
		from:     "2021-06-08T09:45:00Z", to: "2021-06-08T11:00:00Z",
		evidence: []evidenceSpec{
			{"fastly/cdn", "Global CDN disruption", "A customer configuration triggered a bug in a software deploy; we deployed a fix.", "2021-06-08T09:47:00Z"},
		},
		watched:   []string{"aws/us-east-1"},
		wantFirst: []string{"fastly/cdn"},
		wantLayer: "third-party",
	},
	{
		// Two independent incidents overlapping: Slack and Stripe.
		name: "two roots at once",
		nodes: `  - {id: slack/app, kind: component}
  - {id: stripe/api, kind: component}
  - {id: acme/chatops, kind: service, depends_on: [slack/app]}
  - {id: acme/pay, kind: service, depends_on: [stripe/api]}
  - {id: acme/blog, kind: service}
`,
		impacted: []string{"acme/chatops", "acme/pay"},
		healthy:  []string{"acme/blog"},
		from:     "2024-01-10T10:00:00Z", to: "2024-01-10T12:00:00Z",
		evidence: []evidenceSpec{
			{"slack/app", "Messages failing to send", "", "2024-01-10T10:05:00Z"},
			{"stripe/api", "Elevated API errors", "", "2024-01-10T10:20:00Z"},
		},
		wantFirst: []string{"slack/app", "stripe/api"},
		wantLayer: "third-party",
	},
	{
		// 2025-06-10: Heroku's status site ran on the same infrastructure
		// and showed no incidents during the outage (vendors.md).
		name: "vendor status page stayed green (heroku 2025-06-10)",
		nodes: `  - {id: aws/us-east-1, kind: region}
  - id: heroku
    kind: vendor
    status: {type: rss, url: "https://status.heroku.com/feed", hosted_on: [heroku]}
    components:
      - id: common-runtime
        depends_on: [aws/us-east-1]
  - {id: acme/app, kind: service, depends_on: [heroku/common-runtime]}
  - {id: acme/admin, kind: service, depends_on: [heroku/common-runtime]}
  - {id: acme/worker, kind: service, depends_on: [aws/us-east-1]}
`,
		impacted: []string{"acme/app", "acme/admin"},
		healthy:  []string{"acme/worker"},
		from:     "2025-06-10T06:00:00Z", to: "2025-06-10T20:00:00Z",
		watched:   []string{"heroku", "aws/us-east-1"},
		wantFirst: []string{"heroku"},
		wantLayer: "third-party",
	},
}

func TestExplainScenarios(t *testing.T) {
	for _, tt := range explainTests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(t, tt.nodes)
			in := ExplainInput{Observation: Observation{From: at(tt.from), To: at(tt.to)}, StatusHosts: map[int32][]int32{}}
			var err error
			if in.Impacted, err = Resolve(g, tt.impacted); err != nil {
				t.Fatal(err)
			}
			if in.Healthy, err = Resolve(g, tt.healthy); err != nil {
				t.Fatal(err)
			}
			if in.Watched, err = Resolve(g, tt.watched); err != nil {
				t.Fatal(err)
			}
			for i := range int32(g.Len()) {
				if st := g.ModelNode(i).Status; st != nil {
					hosts, _ := Resolve(g, st.HostedOn)
					in.StatusHosts[i] = hosts
				}
			}
			for k, e := range tt.evidence {
				n, err := Resolve(g, []string{e.node})
				if err != nil {
					t.Fatal(err)
				}
				in.Evidence = append(in.Evidence, Evidence{Node: n[0], IncidentID: string(rune('a' + k)), Title: e.title, Text: e.text, StartedAt: at(e.start)})
			}
			res := Explain(g, in, ExplainOptions{})
			if len(res.Hypotheses) == 0 {
				t.Fatal("no hypothesis")
			}
			first := res.Hypotheses[0]
			got := slices.Sorted(slices.Values(first.Nodes))
			if !slices.Equal(got, tt.wantFirst) || first.Layer != tt.wantLayer {
				for i, h := range res.Hypotheses[:min(4, len(res.Hypotheses))] {
					t.Logf("%d. %v %s %.3f %v", i+1, h.Nodes, h.Layer, h.Score, h.Reasons)
				}
				t.Fatalf("first: got:%v (%s) want:%v (%s)", got, first.Layer, tt.wantFirst, tt.wantLayer)
			}
		})
	}
}

// TestExplainSingleFailureRanksItselfFirst is the property: fail one node,
// observe exactly its blast radius (and the node), report nothing else;
// the node itself must rank first. Fixed-seed generated models.
func TestExplainSingleFailureRanksItselfFirst(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		g, err := graph.Build(gen.Generate(gen.Sized(600, 2500, seed)))
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 99))
		tried := 0
		for tried < 25 {
			x := int32(rng.IntN(g.Len()))
			p := Propagate(g, []int32{x})
			if len(p.Order) < 2 {
				continue
			}
			tried++
			in := ExplainInput{Observation: Observation{From: at("2025-01-01T00:00:00Z"), To: at("2025-01-01T01:00:00Z"), Impacted: p.Order}}
			res := Explain(g, in, ExplainOptions{})
			if first := res.Hypotheses[0]; len(first.Nodes) != 1 || first.Nodes[0] != g.ModelNode(x).ID {
				t.Fatalf("seed %d: failed %s, first hypothesis %v (score %.3f; reasons %v)", seed, g.ModelNode(x).ID, first.Nodes, first.Score, first.Reasons)
			}
		}
	}
}
