package diagnose

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// build loads a model from YAML nodes (the text after "nodes:").
func build(t testing.TB, nodes string) *graph.Graph { return testmodel.Graph(t, nodes) }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

type evidenceSpec struct {
	node, title, impact, text, start string
}

type scenario struct {
	name      string
	nodes     string
	impacted  []string
	healthy   []string
	from, to  string
	evidence  []evidenceSpec
	watched   []string
	maxRoots  int
	wantFirst []string
	wantLayer string
	// notFirst must not be the first hypothesis.
	notFirst string
}

// Models for the cascades of ../shared/facts/cascades.md, with the aliases
// vendors' words use.
const (
	gcpCloudflare = `  - id: gcp
    kind: provider
    name: Google Cloud
    aliases: [GCP, Google Cloud Platform]
    services:
      - {id: service-control, name: Service Control}
      - {id: storage, name: Cloud Storage, depends_on: [gcp/service-control]}
      - {id: vertex-ai, name: Vertex AI, depends_on: [gcp/service-control]}
  - id: cloudflare
    kind: vendor
    name: Cloudflare
    components:
      - id: cdn
      - {id: workers-kv, name: Workers KV, depends_on: [gcp/storage]}
      - {id: access, name: Access, depends_on: [cloudflare/workers-kv]}
  - id: zebra
    kind: vendor
    components:
      - {id: sync, depends_on: [gcp/storage]}
  - {id: acme/sso, kind: service, depends_on: [cloudflare/access]}
  - {id: acme/assistant, kind: service, depends_on: [gcp/vertex-ai]}
  - {id: acme/web, kind: service, depends_on: [cloudflare/cdn]}
  - {id: acme/devices, kind: service, depends_on: [zebra/sync]}
`
	awsUSEast1 = `  - id: aws
    kind: provider
    name: AWS
    aliases: [Amazon Web Services]
    regions:
      - id: us-east-1
        aliases: [us-east-1, N. Virginia, IAD]
        services:
          - {id: dynamodb, name: Amazon DynamoDB, aliases: [DynamoDB]}
          - {id: ec2, name: Amazon EC2, aliases: [EC2], depends_on: [aws/us-east-1/dynamodb]}
      - id: eu-west-1
        services:
          - {id: ec2, name: Amazon EC2 eu-west-1}
  - id: flagco
    kind: vendor
    components:
      - {id: flags, depends_on: [aws/us-east-1/dynamodb]}
  - id: vercel
    kind: vendor
    name: Vercel
    components:
      - {id: iad1, depends_on: [aws/us-east-1/ec2]}
      - {id: control-plane, depends_on: [flagco/flags]}
  - id: heroku
    kind: vendor
    name: Heroku
    components:
      - {id: platform, depends_on: [aws/us-east-1/ec2, aws/us-east-1/dynamodb]}
  - {id: acme/web, kind: service, depends_on: [vercel/iad1]}
  - {id: acme/deploys, kind: service, depends_on: [vercel/control-plane]}
  - {id: acme/app, kind: service, depends_on: [heroku/platform]}
  - {id: acme/eu, kind: service, depends_on: [aws/eu-west-1/ec2]}
`
	fastly = `  - id: aws
    kind: provider
    regions:
      - id: us-east-1
        services: [{id: ec2}]
  - id: fastly
    kind: vendor
    name: Fastly
    components:
      - {id: cdn, depends_on: [aws/us-east-1/ec2]}
  - {id: acme/docs, kind: service, depends_on: [fastly/cdn]}
  - {id: acme/shop, kind: service, depends_on: [fastly/cdn, aws/us-east-1/ec2]}
  - {id: acme/api, kind: service, depends_on: [aws/us-east-1/ec2]}
`
)

var scenarios = []scenario{
	{
		// §1, 2025-06-12: Google Cloud's Service Control failed globally;
		// Workers KV (on Google Cloud) failed with it and took Access
		// down; Cloudflare's CDN was not affected.
		name: "§1 google cloud under cloudflare, rich", nodes: gcpCloudflare,
		impacted: []string{"acme/sso", "acme/assistant"}, healthy: []string{"acme/web"},
		from: "2025-06-12T17:45:00Z", to: "2025-06-12T21:00:00Z",
		evidence: []evidenceSpec{
			{"gcp", "Multiple GCP products are experiencing Service issues", "major", "", "2025-06-12T17:49:00Z"},
			{"cloudflare/workers-kv", "Workers KV unavailable", "critical", "Workers KV is failing because a third-party service provider is down.", "2025-06-12T17:52:00Z"},
		},
		wantFirst: []string{"gcp/service-control"}, wantLayer: "cloud-service",
	},
	{
		// §1 sparse: one impacted vendor, Cloudflare's own words only,
		// which name no provider.
		name: "§1 sparse: cloudflare blames a third-party provider", nodes: gcpCloudflare,
		impacted: []string{"cloudflare/access"},
		from:     "2025-06-12T17:45:00Z", to: "2025-06-12T21:00:00Z",
		evidence: []evidenceSpec{
			{"cloudflare/workers-kv", "Workers KV unavailable", "critical", "Workers KV is failing because a third-party service provider is down.", "2025-06-12T17:52:00Z"},
		},
		wantFirst: []string{"gcp/service-control"}, wantLayer: "cloud-service", notFirst: "cloudflare/workers-kv",
	},
	{
		// §1: Zebra posted Google's incident report as the cause of its
		// own degradation; the report's "configuration change" is
		// Google's, not Zebra's.
		name: "§1 sparse: zebra reposts google's PIR", nodes: gcpCloudflare,
		impacted: []string{"zebra/sync"},
		from:     "2025-06-12T17:45:00Z", to: "2025-06-12T21:00:00Z",
		evidence: []evidenceSpec{
			{"zebra/sync", "Service degradation", "major", "Google Cloud incident report: on 2025-06-12 a policy change with blank fields was written; Service Control binaries crashed in every region. A configuration change without a feature flag caused the outage.", "2025-06-12T18:05:00Z"},
		},
		wantFirst: []string{"gcp/service-control"}, wantLayer: "cloud-service", notFirst: "zebra/sync",
	},
	{
		// §2, 2025-10-20: DynamoDB's regional endpoint DNS in us-east-1;
		// Vercel lost iad1 and, through a feature-flag provider, its
		// control plane; Heroku blamed its upstream cloud provider.
		name: "§2 aws us-east-1 dynamodb, rich", nodes: awsUSEast1,
		impacted: []string{"acme/web", "acme/deploys", "acme/app"}, healthy: []string{"acme/eu"},
		from: "2025-10-20T06:30:00Z", to: "2025-10-20T22:00:00Z",
		evidence: []evidenceSpec{
			{"aws/us-east-1/dynamodb", "Increased Error Rates", "unknown", "We are investigating increased error rates for DynamoDB requests in the US-EAST-1 Region.", "2025-10-20T07:11:00Z"},
			{"heroku/platform", "Upstream cloud provider database outage", "major", "Phase 1: upstream cloud provider database outage", "2025-10-20T07:06:00Z"},
			{"vercel/iad1", "Elevated errors in iad1", "major", "A third-party feature-flag provider failed as a cascade of the same AWS outage in us-east-1.", "2025-10-20T07:05:00Z"},
		},
		wantFirst: []string{"aws/us-east-1/dynamodb"}, wantLayer: "cloud-service",
	},
	{
		name: "§2 sparse: heroku blames its upstream cloud provider", nodes: awsUSEast1,
		impacted: []string{"heroku/platform"},
		from:     "2025-10-20T06:30:00Z", to: "2025-10-20T22:00:00Z",
		evidence: []evidenceSpec{
			{"heroku/platform", "Upstream cloud provider database outage", "major", "Phase 1: upstream cloud provider database outage", "2025-10-20T07:06:00Z"},
		},
		wantFirst: []string{"aws/us-east-1/dynamodb"}, wantLayer: "cloud-service", notFirst: "heroku/platform",
	},
	{
		name: "§2 sparse: vercel names AWS and us-east-1", nodes: awsUSEast1,
		impacted: []string{"vercel/control-plane"},
		from:     "2025-10-20T06:30:00Z", to: "2025-10-20T22:00:00Z",
		evidence: []evidenceSpec{
			{"vercel/control-plane", "Dashboard, API and builds unavailable", "major", "A third-party feature-flag provider failed as a cascade of the AWS outage in us-east-1 (N. Virginia).", "2025-10-20T07:40:00Z"},
		},
		wantFirst: []string{"aws/us-east-1/dynamodb"}, wantLayer: "cloud-service", notFirst: "flagco/flags",
	},
	{
		// §7, 2021-06-08: Fastly's own software bug; the cloud under it
		// was fine.
		name: "§7 the vendor, not the cloud (fastly), rich", nodes: fastly,
		impacted: []string{"acme/docs", "acme/shop"}, healthy: []string{"acme/api"},
		from: "2021-06-08T09:45:00Z", to: "2021-06-08T11:00:00Z",
		evidence: []evidenceSpec{
			{"fastly/cdn", "Global CDN disruption", "critical", "A customer configuration triggered a bug in a software deploy; we deployed a fix.", "2021-06-08T09:47:00Z"},
		},
		watched:   []string{"aws/us-east-1/ec2"},
		wantFirst: []string{"fastly/cdn"}, wantLayer: "third-party",
	},
	{
		name: "§7 sparse: fastly blames its own deploy", nodes: fastly,
		impacted: []string{"fastly/cdn"},
		from:     "2021-06-08T09:45:00Z", to: "2021-06-08T11:00:00Z",
		evidence: []evidenceSpec{
			{"fastly/cdn", "Global CDN disruption", "critical", "A customer configuration triggered a bug in a software deploy; we deployed a fix.", "2021-06-08T09:47:00Z"},
		},
		wantFirst: []string{"fastly/cdn"}, wantLayer: "third-party",
	},
	{
		// Negative control: the vendor's own deploy broke it while its
		// cloud had a minor, unrelated incident a little later.
		name: "negative control: vendor failed during a minor cloud incident", nodes: fastly,
		impacted: []string{"acme/docs"},
		from:     "2021-06-08T09:45:00Z", to: "2021-06-08T11:00:00Z",
		evidence: []evidenceSpec{
			{"fastly/cdn", "Elevated 503 errors", "major", "A software deploy introduced a bug; we rolled back.", "2021-06-08T09:47:00Z"},
			{"aws/us-east-1/ec2", "Increased API latency", "minor", "We are investigating increased latency for some EC2 API calls.", "2021-06-08T10:05:00Z"},
		},
		wantFirst: []string{"fastly/cdn"}, wantLayer: "third-party", notFirst: "aws/us-east-1/ec2",
	},
	{
		name: "negative control, sparse", nodes: fastly,
		impacted: []string{"fastly/cdn"},
		from:     "2021-06-08T09:45:00Z", to: "2021-06-08T11:00:00Z",
		evidence: []evidenceSpec{
			{"fastly/cdn", "Elevated 503 errors", "major", "A software deploy introduced a bug; we rolled back.", "2021-06-08T09:47:00Z"},
			{"aws/us-east-1/ec2", "Increased API latency", "minor", "We are investigating increased latency for some EC2 API calls.", "2021-06-08T10:05:00Z"},
		},
		wantFirst: []string{"fastly/cdn"}, wantLayer: "third-party",
	},
	{
		// Two independent incidents overlapping, one symptom each.
		name: "two roots at once", nodes: `  - {id: slack/app, kind: component}
  - {id: stripe/api, kind: component}
  - {id: acme/chatops, kind: service, depends_on: [slack/app]}
  - {id: acme/pay, kind: service, depends_on: [stripe/api]}
  - {id: acme/blog, kind: service}
`,
		impacted: []string{"acme/chatops", "acme/pay"}, healthy: []string{"acme/blog"},
		from: "2024-01-10T10:00:00Z", to: "2024-01-10T12:00:00Z",
		evidence: []evidenceSpec{
			{"slack/app", "Messages failing to send", "major", "", "2024-01-10T10:05:00Z"},
			{"stripe/api", "Elevated API errors", "major", "", "2024-01-10T10:20:00Z"},
		},
		wantFirst: []string{"slack/app", "stripe/api"}, wantLayer: "third-party",
	},
	{
		name: "two roots at once, sparse", nodes: `  - {id: slack/app, kind: component}
  - {id: stripe/api, kind: component}
`,
		impacted: []string{"slack/app", "stripe/api"},
		from:     "2024-01-10T10:00:00Z", to: "2024-01-10T12:00:00Z",
		evidence: []evidenceSpec{
			{"slack/app", "Messages failing to send", "major", "", "2024-01-10T10:05:00Z"},
			{"stripe/api", "Elevated API errors", "major", "", "2024-01-10T10:20:00Z"},
		},
		wantFirst: []string{"slack/app", "stripe/api"}, wantLayer: "unused",
	},
	{
		// 2025-06-10: Heroku's status site ran on the same
		// infrastructure and showed no incidents during the outage.
		name: "vendor status page stayed green (heroku 2025-06-10)", nodes: `  - {id: aws/us-east-1, kind: region}
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
		impacted: []string{"acme/app", "acme/admin"}, healthy: []string{"acme/worker"},
		from: "2025-06-10T06:00:00Z", to: "2025-06-10T20:00:00Z",
		watched:   []string{"heroku", "aws/us-east-1"},
		wantFirst: []string{"heroku"}, wantLayer: "third-party",
	},
	{
		// §9, 2016-10-21: Dyn Managed DNS under DDoS; a service with a
		// secondary DNS provider stayed up.
		name: "§9 dyn managed dns, rich", nodes: `  - id: dyn
    kind: vendor
    name: Dyn
    aliases: [Dyn Managed DNS]
    components: [{id: dns, name: Managed DNS}]
  - id: route53
    kind: vendor
    components: [{id: dns}]
  - id: github
    kind: vendor
    components: [{id: web, depends_on: [dyn/dns]}]
  - {id: acme/site, kind: service, depends_on: [dyn/dns]}
  - {id: acme/code, kind: service, depends_on: [github/web]}
  - id: acme/api
    kind: service
    depends_on: [{any_of: [dyn/dns, route53/dns]}]
`,
		impacted: []string{"acme/site", "acme/code"}, healthy: []string{"acme/api"},
		from: "2016-10-21T11:00:00Z", to: "2016-10-21T18:00:00Z",
		evidence: []evidenceSpec{
			{"dyn/dns", "DDoS attack against Dyn Managed DNS", "major", "", "2016-10-21T11:10:00Z"},
			{"github/web", "Some users cannot reach GitHub", "major", "Our upstream DNS provider is under attack.", "2016-10-21T11:25:00Z"},
		},
		wantFirst: []string{"dyn/dns"}, wantLayer: "third-party",
	},
	{
		name: "§9 sparse: github names Dyn", nodes: `  - id: dyn
    kind: vendor
    name: Dyn
    components: [{id: dns, name: Managed DNS}]
  - id: github
    kind: vendor
    components: [{id: web, depends_on: [dyn/dns]}]
`,
		impacted: []string{"github/web"},
		from:     "2016-10-21T11:00:00Z", to: "2016-10-21T18:00:00Z",
		evidence: []evidenceSpec{
			{"github/web", "Some users cannot reach GitHub", "major", "Our DNS provider Dyn is under a DDoS attack.", "2016-10-21T11:25:00Z"},
		},
		wantFirst: []string{"dyn/dns"}, wantLayer: "unused",
	},
	{
		// An unknown-share placeholder must not explain everything: the
		// vendor whose hard dependency is impacted wins over the cloud
		// reached only through an edge of unknown share.
		name: "unknown share does not explain everything", nodes: `  - {id: cloud/region, kind: region}
  - id: vendor
    kind: vendor
    components:
      - id: api
        depends_on: [{id: cloud/region, impact: unknown}]
  - {id: acme/a, kind: service, depends_on: [vendor/api]}
  - {id: acme/b, kind: service, depends_on: [vendor/api]}
  - {id: acme/c, kind: service, depends_on: [cloud/region]}
`,
		impacted: []string{"acme/a", "acme/b"}, healthy: []string{"acme/c"},
		from: "2025-01-01T00:00:00Z", to: "2025-01-01T02:00:00Z",
		wantFirst: []string{"vendor/api"}, wantLayer: "third-party",
	},
}

func (sc scenario) input(t testing.TB, g *graph.Graph) Input {
	t.Helper()
	in := Input{From: at(sc.from), To: at(sc.to), StatusHosts: map[int32][]int32{}}
	var err error
	if in.Impacted, err = blast.Resolve(g, sc.impacted); err != nil {
		t.Fatal(err)
	}
	if in.Healthy, err = blast.Resolve(g, sc.healthy); err != nil {
		t.Fatal(err)
	}
	if in.Watched, err = blast.Resolve(g, sc.watched); err != nil {
		t.Fatal(err)
	}
	for i := range int32(g.Len()) {
		if st := g.ModelNode(i).Status; st != nil {
			hosts, _ := blast.Resolve(g, st.HostedOn)
			in.StatusHosts[i] = hosts
		}
	}
	for k, e := range sc.evidence {
		n, err := blast.Resolve(g, []string{e.node})
		if err != nil {
			t.Fatal(err)
		}
		in.Evidence = append(in.Evidence, Evidence{Node: n[0], IncidentID: string(rune('a' + k)), Title: e.title, Impact: e.impact, Text: e.text, StartedAt: at(e.start)})
		if !slices.Contains(in.Watched, n[0]) {
			in.Watched = append(in.Watched, n[0])
		}
	}
	return in
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			g := build(t, sc.nodes)
			res := Diagnose(g, sc.input(t, g), Options{MaxRoots: sc.maxRoots})
			if len(res.Hypotheses) == 0 {
				t.Fatal("no hypothesis")
			}
			first := res.Hypotheses[0]
			logTop := func() {
				for i, h := range res.Hypotheses[:min(4, len(res.Hypotheses))] {
					t.Logf("%d. %v %s p=%.3f score=%.2f %s", i+1, h.Nodes, h.Layer, h.Probability, h.Score, strings.Join(h.Reasons, "; "))
				}
			}
			if !slices.Equal(first.Nodes, sc.wantFirst) || first.Layer != sc.wantLayer {
				logTop()
				t.Fatalf("first: got:%v (%s) want:%v (%s)", first.Nodes, first.Layer, sc.wantFirst, sc.wantLayer)
			}
			if sc.notFirst != "" && slices.Contains(first.Nodes, sc.notFirst) {
				t.Fatalf("%s ranked first", sc.notFirst)
			}
			sum := 0.0
			for _, h := range res.Hypotheses {
				sum += h.Probability
				for _, n := range h.Nodes {
					if i, _ := g.Lookup(n); g.Party(i) == 1 && len(res.Hypotheses) > 1 {
						logTop()
						t.Fatalf("own node %s is a hypothesis", n)
					}
				}
			}
			if sum > 1+1e-4 || first.Probability <= 0 {
				t.Fatalf("probabilities: first %.3f, sum %.3f", first.Probability, sum)
			}
			if testing.Verbose() {
				logTop()
			}
		})
	}
}
