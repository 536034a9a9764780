package review

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/examples"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
)

func loadModel(t *testing.T) *model.Model {
	t.Helper()
	res, err := ingest.Load(ingest.Options{Paths: []string{filepath.Join("testdata", "model.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Model
}

var applyTests = []struct {
	name      string
	candidate string
	p         Placement
	change    string
	members   []string
	wantErr   string
}{
	{"join the group the target owns", "west-llm", Placement{Mode: Failover, Target: "bot"},
		"bot: any_of [llm, backup] becomes any_of [llm, backup, west-llm]", []string{"llm", "backup"}, ""},
	{"turn a single hard dependency into a group", "west-llm", Placement{Mode: Failover, Target: "shop"},
		"shop: the dependency db becomes any_of [db, west-llm]", []string{"db"}, ""},
	{"the target is the primary: its holder's group", "west-llm", Placement{Mode: Failover, Target: "solo"},
		"chat: any_of [solo, db] becomes any_of [solo, db, west-llm]", []string{"solo", "db"}, ""},
	{"a primary in several groups", "west-llm", Placement{Mode: Failover, Target: "west"},
		"", nil, "review: west has no failover group and no hard dependency to back up"},
	{"primary picks the group", "west-llm", Placement{Mode: Failover, Target: "bot", Primary: "backup"},
		"bot: any_of [llm, backup] becomes any_of [llm, backup, west-llm]", []string{"llm", "backup"}, ""},
	{"primary not a dependency", "west-llm", Placement{Mode: Failover, Target: "bot", Primary: "db"},
		"", nil, "review: bot has no dependency on db to back up"},
	{"already a member", "llm", Placement{Mode: Failover, Target: "bot"},
		"", nil, "review: llm is already in that failover group of bot"},
	{"new dependency", "west-llm", Placement{Mode: Dependency, Target: "shop"},
		"shop gains the dependency west-llm", nil, ""},
	{"weighted dependency", "west-llm", Placement{Mode: Dependency, Target: "shop", Impact: 0.2},
		"shop gains the dependency west-llm (impact 0.2)", nil, ""},
	{"existing dependency", "db", Placement{Mode: Dependency, Target: "shop"},
		"", nil, "review: shop already depends on db"},
	{"unknown target", "west-llm", Placement{Mode: Dependency, Target: "shopp"},
		"", nil, "review: unknown node \"shopp\" (did you mean `shop`?)"},
	{"self", "west-llm", Placement{Mode: Dependency, Target: "west-llm"},
		"", nil, "review: the candidate cannot be placed on itself"},
}

func TestApply(t *testing.T) {
	m := loadModel(t)
	for _, tt := range applyTests {
		t.Run(tt.name, func(t *testing.T) {
			snapshot := map[string][]model.Dependency{}
			for _, n := range m.Nodes {
				snapshot[n.ID] = slices.Clone(n.DependsOn)
			}
			after, change, members, err := Apply(m, tt.candidate, tt.p)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("got:%v want:%s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if change != tt.change || !cmp.Equal(members, tt.members) {
				t.Errorf("got:%q %v want:%q %v", change, members, tt.change, tt.members)
			}
			for _, n := range m.Nodes {
				if diff := cmp.Diff(snapshot[n.ID], n.DependsOn); diff != "" {
					t.Errorf("the model's node %s was modified (-before +after)\n%s", n.ID, diff)
				}
			}
			if len(after.Nodes) != len(m.Nodes) {
				t.Errorf("after has %d nodes, want %d", len(after.Nodes), len(m.Nodes))
			}
		})
	}
}

var reviewTests = []struct {
	name      string
	candidate string
	p         Placement
	verdict   string
	reasons   []string
	shared    int
}{
	// bot: P(east) + P(llm)·P(backup) = 0.001 + 0.999·0.0001 → 9.64 h/year;
	// with west-llm also needed down: × (0.001 + 0.999·0.01) → 6.36 min.
	{"failover in another region", "west-llm", Placement{Mode: Failover, Target: "bot"}, VerdictRecommended, []string{
		"removes 1 single point of failure from bot: east",
		"expected downtime of bot: 9.64 h → 6.36 min per year",
		"shares no single point of failure with llm or backup",
	}, 0},
	{"failover for a single dependency", "backup", Placement{Mode: Failover, Target: "shop", Primary: "db"}, VerdictRecommended, []string{
		"removes 2 single points of failure from shop: db, west",
		"expected downtime of shop: 17.5 h → 11.6 min per year",
		"shares no single point of failure with db",
	}, 0},
	{"same region as an alternative, not the primary", "west-llm", Placement{Mode: Failover, Target: "chat"}, VerdictReservations, []string{
		"candidate west-llm shares west with the existing alternative db: it does not protect against that region failing",
		// solo·(west + ¬west·db) = 0.01·0.001999 → 10.5 min; with west-llm
		// 0.01·(0.001 + 0.999·0.001·0.01) → 5.31 min.
		"expected downtime of chat: 10.5 min → 5.31 min per year",
	}, 1},
	{"failover sharing the primary's region", "west-llm", Placement{Mode: Failover, Target: "shop"}, VerdictNotRecommened, []string{
		"candidate west-llm shares west with the primary db: it does not protect against that region failing",
		"removes 1 single point of failure from shop: db",
		"expected downtime of shop: 17.5 h → 8.85 h per year",
	}, 1},
	{"new dependency", "west-llm", Placement{Mode: Dependency, Target: "bot"}, VerdictReservations, []string{
		"adds 2 single points of failure to bot: west, west-llm",
		"expected downtime of bot: 9.64 h → 106 h per year",
		"region west would take down 2 of your services instead of 1",
	}, 0},
}

func TestReview(t *testing.T) {
	m := loadModel(t)
	for _, tt := range reviewTests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Review(context.Background(), m, tt.candidate, "test", tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.verdict || len(r.Shared) != tt.shared {
				t.Errorf("got:%s, %d shared want:%s, %d shared; reasons %q", r.Verdict, len(r.Shared), tt.verdict, tt.shared, r.Reasons)
			}
			if tt.reasons != nil {
				if diff := cmp.Diff(tt.reasons, r.Reasons); diff != "" {
					t.Errorf("reasons (-want +got)\n%s", diff)
				}
			}
		})
	}
}

// exampleOptions load the built-in example as the CLI does.
var exampleOptions = ingest.Options{Catalogs: catalogs.FS, Default: &ingest.FSFile{FS: examples.FS, Name: examples.Default}}

// TestReviewExample reviews failover candidates for the built-in example:
// Anthropic beside the support bot's OpenAI API and Azure OpenAI failover
// (no shared single point of failure), and a host in AWS us-east-1 beside
// checkout's storefronts on Vercel iad1 and Heroku us (both in us-east-1).
var reviewExampleTests = []struct {
	name, spec, node string
	target, primary  string
	candidate        string
	verdict          string
	first            string // first reason
}{
	{"anthropic from its catalog", "anthropic", "", "acme/support-bot", "openai/api", "anthropic", VerdictReservations,
		"shares no single point of failure with openai/api or acme/llm-failover"},
	{"a catalog node id", "anthropic/api", "", "acme/support-bot", "openai/api", "anthropic/api", VerdictReservations,
		"shares no single point of failure with openai/api or acme/llm-failover"},
	{"a YAML candidate in the same region", filepath.Join("testdata", "same-region.yaml"), "", "acme/checkout", "acme/storefront", "newllm", VerdictNotRecommened,
		"candidate newllm shares aws/us-east-1 (and aws, vercel, vercel/iad1) with the primary acme/storefront: it does not protect against that region failing"},
	{"a YAML candidate, its component picked", filepath.Join("testdata", "same-region.yaml"), "newllm/api", "acme/checkout", "acme/storefront", "newllm/api", VerdictNotRecommened,
		"candidate newllm/api shares aws/us-east-1 (and aws, vercel, vercel/iad1) with the primary acme/storefront: it does not protect against that region failing"},
}

func TestReviewExample(t *testing.T) {
	res, err := ingest.Load(exampleOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range reviewExampleTests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadCandidate(exampleOptions, res.Model, tt.spec, tt.node)
			if err != nil {
				t.Fatal(err)
			}
			if c.Node != tt.candidate {
				t.Fatalf("candidate: got:%s want:%s", c.Node, tt.candidate)
			}
			r, err := Review(context.Background(), c.Model, c.Node, c.Source, Placement{Mode: Failover, Target: tt.target})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tt.verdict || len(r.Reasons) == 0 || r.Reasons[0] != tt.first {
				t.Errorf("got:%s %q want:%s %q", r.Verdict, r.Reasons, tt.verdict, tt.first)
			}
			if r.Primary != tt.primary {
				t.Errorf("primary: got:%s want:%s", r.Primary, tt.primary)
			}
		})
	}
}

var loadCandidateErrorTests = []struct {
	name, spec, node, want string
}{
	{"unknown catalog", "anthropc", "", "command line: unknown catalog \"anthropc\" (did you mean `anthropic`?)"},
	{"missing file", "testdata/none.yaml", "", "testdata/none.yaml: no such file or directory"},
	{"unknown node", "anthropic", "anthropic/apii", "command line: review: candidate node \"anthropic/apii\" is not defined by anthropic (did you mean `anthropic/api`?)"},
}

func TestLoadCandidateErrors(t *testing.T) {
	res, err := ingest.Load(exampleOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range loadCandidateErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCandidate(exampleOptions, res.Model, tt.spec, tt.node)
			var el ingest.ErrorList
			if !errors.As(err, &el) || err.Error() != tt.want {
				t.Errorf("got:%v want ErrorList %q", err, tt.want)
			}
		})
	}
}

func TestMarkdownEscapes(t *testing.T) {
	m := loadModel(t)
	r, err := Review(context.Background(), m, "west-llm", "<script>alert(1)</script>|x_y", Placement{Mode: Failover, Target: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script>") || !strings.Contains(out, `&lt;script&gt;alert(1)&lt;/script&gt;\|x\_y`) {
		t.Errorf("model text not escaped:\n%s", out)
	}
	b.Reset()
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Verdict: ") {
		t.Errorf("text output has no verdict:\n%s", b.String())
	}
}

// TestCandidateOrganisationRoot is issue 16 item 14: `review --candidate
// sendgrid` failed ("sendgrid defines 2 top-level nodes") because the
// catalog writes sendgrid/hosting beside sendgrid rather than inside it.
// The organisation's root node is the candidate; two organisations still
// need --node.
func TestCandidateOrganisationRoot(t *testing.T) {
	res, err := ingest.Load(exampleOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{"sendgrid", "stripe"} {
		c, err := LoadCandidate(exampleOptions, res.Model, spec, "")
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if c.Node != spec {
			t.Errorf("%s: candidate got:%s want:%s", spec, c.Node, spec)
		}
	}
	for _, tt := range []struct {
		ids  []string
		want string
	}{
		{[]string{"sendgrid", "sendgrid/hosting"}, "sendgrid"},
		{[]string{"a/x", "a/y"}, ""},
		{[]string{"a", "b"}, ""},
		{[]string{"a"}, ""},
	} {
		if got := orgRoot(tt.ids); got != tt.want {
			t.Errorf("orgRoot(%v): got:%q want:%q", tt.ids, got, tt.want)
		}
	}
}
