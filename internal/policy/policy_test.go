package policy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/examples"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
)

var parseErrorTests = []struct {
	name string
	in   string
	want []string // error lines, "file:line:col: message (hint)"
}{
	{"empty", "", []string{"p.yaml: empty policy file (a policy starts with `policy: 1` and a `rules:` list)"}},
	{"not a mapping", "- a\n", []string{"p.yaml:1:1: expected a mapping at the top of the file, found a list (a policy starts with `policy: 1` and a `rules:` list)"}},
	{"missing version", "rules: []\n", []string{"p.yaml:1:1: missing policy version (add `policy: 1` at the top of the file)"}},
	{"bad version", "policy: 2\nrules: []\n", []string{"p.yaml:1:9: unsupported policy version 2 (this build reads `policy: 1`)"}},
	{"unknown top key", "policy: 1\nrule: []\n", []string{"p.yaml:2:1: policy: unknown key \"rule\" (did you mean `rules`?)"}},
	{"unknown rule", "policy: 1\nrules:\n  - no_spofs: {}\n", []string{"p.yaml:3:5: unknown rule \"no_spofs\" (did you mean `no_spof`?)"}},
	{"unknown param", "policy: 1\nrules:\n  - no_spof: {tag: [tier-1]}\n", []string{"p.yaml:3:15: no_spof: unknown key \"tag\" (did you mean `tags`?)"}},
	{"params on a bare rule", "policy: 1\nrules:\n  - failover_independent: {allow: [x]}\n", []string{"p.yaml:3:28: failover_independent: unknown key \"allow\" (known keys: tags)"}},
	{"two rules in one entry", "policy: 1\nrules:\n  - {no_spof: {}, failover_independent: {}}\n", []string{"p.yaml:3:5: rules: expected a mapping with one rule, found a mapping (write each rule as `- RULE: {parameters}`, e.g. `- max_source_age: {days: 365}`)"}},
	{"percent range", "policy: 1\nrules:\n  - max_concentration: {percent: 150}\n", []string{"p.yaml:3:34: max_concentration percent 150 is outside (0, 100] (a share of your services in percent: 50 means half)"}},
	{"missing percent", "policy: 1\nrules:\n  - max_concentration: {tags: [a]}\n", []string{"p.yaml:3:5: max_concentration: missing percent (e.g. `max_concentration: {tags: [tier-1], percent: 50}`)"}},
	{"bad kind", "policy: 1\nrules:\n  - max_concentration: {percent: 5, kinds: [regoin]}\n", []string{"p.yaml:3:45: max_concentration kinds: unknown kind \"regoin\" (did you mean `region`?)"}},
	{"days overflow", "policy: 1\nrules:\n  - max_source_age: {days: 106752}\n", []string{"p.yaml:3:28: max_source_age days 106752: use at most 100000"}},
	{"days type", "policy: 1\nrules:\n  - max_source_age: {days: a year}\n", []string{"p.yaml:3:28: max_source_age days: expected a whole number, found the string \"a year\""}},
	{"all at once", "policy: 1\nrules:\n  - max_source_age: {}\n  - nospof: {}\n", []string{
		"p.yaml:3:5: max_source_age: missing days (e.g. `max_source_age: {days: 365}`)",
		"p.yaml:4:5: unknown rule \"nospof\" (did you mean `no_spof`?)",
	}},
	{"invalid yaml", "policy: 1\nrules: [\n", []string{"p.yaml:2: invalid YAML: did not find expected node content"}},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte(tt.in))
			var el ingest.ErrorList
			if !errors.As(err, &el) || p != nil {
				t.Fatalf("got:%v, %v want an ErrorList and no policy", p, err)
			}
			var got []string
			for _, e := range el {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	p, err := Load("testdata/acme-policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range p.Rules {
		got = append(got, r.Type+"@"+r.Pos.String())
	}
	want := []string{"no_spof@testdata/acme-policy.yaml:4:5", "failover_independent@testdata/acme-policy.yaml:7:5",
		"max_concentration@testdata/acme-policy.yaml:8:5", "max_source_age@testdata/acme-policy.yaml:9:5"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if c := p.Rules[2]; c.Percent != 50 || len(c.Kinds) != 2 || c.Tags[0] != "tier-1" {
		t.Errorf("max_concentration: got:%+v", c)
	}
	if _, err := Load("testdata/nonexistent.yaml"); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("got:%v want no such file", err)
	}
}

// now is the fixed date source ages are measured from in tests.
var now = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

var evaluateTests = []struct {
	name   string
	policy string
	want   []string // "where rule: message"
}{
	{"clean", "- no_spof: {tags: [tier-1], allow: [cloud, cloud/*, llm, llm/api, backup, other]}", nil},
	{"spof", "- no_spof: {tags: [tier-1], allow: [cloud]}", []string{
		"model.yaml:27:5 no_spof: bot has 1 single point of failure outside the allowed list: cloud/east (cloud/east: bot → backup → cloud/east)",
		"model.yaml:32:5 no_spof: shop has 2 single points of failure outside the allowed list: cloud/west, other (cloud/west: shop → other → cloud/west)",
	}},
	{"spof tier-3 only: weighted dependencies are no SPOF", "- no_spof: {tags: [tier-3]}", nil},
	{"failover shares a region", "- failover_independent: {}", []string{
		"model.yaml:31:9 failover_independent: failover group [llm/api, backup] of bot shares the failure domains cloud, cloud/east: one failure takes down llm/api and backup (llm/api → llm → cloud/east; backup → cloud/east)",
	}},
	{"failover of other tags", "- failover_independent: {tags: [tier-3]}", nil},
	{"concentration", "- max_concentration: {percent: 50}", []string{
		"model.yaml:3:5 max_concentration: provider cloud carries 3 of 3 services (100%, limit 50%): takes down bot, shop; degrades wiki",
		"model.yaml:7:9 max_concentration: region cloud/west carries 2 of 3 services (66.7%, limit 50%): takes down shop; degrades wiki",
	}},
	{"concentration: an unknown share is not counted, only named", "- max_concentration: {percent: 30, kinds: [region]}", []string{
		"model.yaml:6:9 max_concentration: region cloud/east carries 1 of 3 services (33.3%, limit 30%): takes down bot (and puts at risk wiki through shares nobody has published: not counted)",
		"model.yaml:7:9 max_concentration: region cloud/west carries 2 of 3 services (66.7%, limit 30%): takes down shop; degrades wiki",
	}},
	{"concentration tier-1 vendors", "- max_concentration: {tags: [tier-1], percent: 50, kinds: [vendor]}", nil},
	{"concentration tier-1 at 40", "- max_concentration: {tags: [tier-1], percent: 40, kinds: [vendor]}", []string{
		"model.yaml:8:5 max_concentration: vendor llm carries 1 of 2 tier-1 services (50%, limit 40%): degrades bot",
		"model.yaml:14:5 max_concentration: vendor backup carries 1 of 2 tier-1 services (50%, limit 40%): degrades bot",
		"model.yaml:20:5 max_concentration: vendor other carries 1 of 2 tier-1 services (50%, limit 40%): takes down shop",
	}},
	{"source age, oldest per fact; unused nodes ignored", "- max_source_age: {days: 365}", []string{
		"model.yaml:13:19 max_source_age: llm/api: oldest source 2024-01-01 is 1004 days old (limit 365): https://llm.example/subprocessors",
		"model.yaml:18:9 max_source_age: backup: oldest source 2020-01-01 is 2465 days old (limit 365): https://backup.example/old",
		"model.yaml:23:15 max_source_age: other: rests only on unverified or undated sources (https://other.example/list): its age is unknown",
		"model.yaml:40:44 max_source_age: wiki → other: oldest source 2023-01-01 is 1369 days old (limit 365): https://other.example/share",
	}},
	{"source age, unverified allowed", "- max_source_age: {days: 365, allow_unverified: true}", []string{
		"model.yaml:13:19 max_source_age: llm/api: oldest source 2024-01-01 is 1004 days old (limit 365): https://llm.example/subprocessors",
		"model.yaml:18:9 max_source_age: backup: oldest source 2020-01-01 is 2465 days old (limit 365): https://backup.example/old",
		"model.yaml:40:44 max_source_age: wiki → other: oldest source 2023-01-01 is 1369 days old (limit 365): https://other.example/share",
	}},
	{"unquantified", "- no_unquantified: {}", []string{
		"model.yaml:36:5 no_unquantified: wiki depends on 1 dependency of a share nobody has published (impact: unknown), which no failure domain or concentration counts: wiki → llm (2 upstream nodes behind it)",
	}},
	{"unquantified allowed", "- no_unquantified: {allow: [llm]}", nil},
	{"unquantified tier-1", "- no_unquantified: {tags: [tier-1]}", nil},
	{"source age, each source", "- max_source_age: {days: 365, each: true}", []string{
		"model.yaml:13:19 max_source_age: llm/api: source 2024-01-01 is 1004 days old (limit 365): https://llm.example/subprocessors",
		"model.yaml:18:9 max_source_age: backup: source 2020-01-01 is 2465 days old (limit 365): https://backup.example/old",
		"model.yaml:23:15 max_source_age: other: rests only on unverified or undated sources (https://other.example/list): its age is unknown",
		"model.yaml:40:44 max_source_age: wiki → other: source 2023-01-01 is 1369 days old (limit 365): https://other.example/share",
	}},
}

func loadModel(t *testing.T) *graph.Graph {
	t.Helper()
	res, err := ingest.Load(ingest.Options{Paths: []string{filepath.Join("testdata", "model.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestEvaluate(t *testing.T) {
	g := loadModel(t)
	for _, tt := range evaluateTests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte("policy: 1\nrules:\n  "+tt.policy+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			for range 3 { // map order must not show
				rep, err := Evaluate(context.Background(), g, p, Options{Now: now})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, v := range rep.Violations {
					got = append(got, strings.TrimPrefix(v.Where, "testdata/")+" "+v.Rule+": "+v.Message)
					if v.RuleWhere != "p.yaml:3:5" {
						t.Errorf("rule position: got:%s want:p.yaml:3:5", v.RuleWhere)
					}
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Fatalf("(-want +got)\n%s\ngot:\n%s", diff, strings.Join(got, "\n"))
				}
			}
		})
	}
}

var referenceErrorTests = []struct {
	name, policy string
	want         []string
}{
	{"unknown tag", "- no_spof: {tags: [tier1]}", []string{"p.yaml:3:22: no_spof: tag \"tier1\" matches no service (did you mean `tier-1`?)"}},
	{"unknown allowed node", "- no_spof: {allow: [cloud/eats, bakup]}", []string{
		"p.yaml:3:23: no_spof: allowed node \"cloud/eats\" is not in the model (did you mean `cloud/east`?)",
		"p.yaml:3:35: no_spof: allowed node \"bakup\" is not in the model (did you mean `backup`?)",
	}},
	{"bad pattern", "- no_spof: {allow: ['cloud/[']}", []string{"p.yaml:3:23: no_spof: malformed pattern \"cloud/[\""}},
}

func TestEvaluateReferenceErrors(t *testing.T) {
	g := loadModel(t)
	for _, tt := range referenceErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte("policy: 1\nrules:\n  "+tt.policy+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Evaluate(context.Background(), g, p, Options{Now: now})
			var el ingest.ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("got:%v want an ErrorList", err)
			}
			var got []string
			for _, e := range el {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestEvaluateExample checks the fixture policy against the built-in
// example: checkout's storefront and its fallback (Vercel iad1, Heroku us)
// share AWS us-east-1, and Stripe's unverified hosting is a single point of
// failure the allow list does not cover.
func TestEvaluateExample(t *testing.T) {
	res, err := ingest.Load(ingest.Options{Catalogs: catalogs.FS, Default: &ingest.FSFile{FS: examples.FS, Name: examples.Default}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(filepath.Join("testdata", "acme-policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), g, p, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	var failover string
	for _, v := range rep.Violations {
		count[v.Rule]++
		if v.Rule == RuleFailoverIndependent {
			failover = v.Where + " " + v.Message
		}
	}
	if count[RuleNoSPOF] != 1 || count[RuleFailoverIndependent] != 1 || count[RuleMaxConcentration] == 0 || count[RuleMaxSourceAge] == 0 {
		t.Errorf("violations per rule: got:%v", count)
	}
	if !strings.HasPrefix(failover, "acme.yaml:60:9 failover group [acme/storefront, acme/storefront-fallback] of acme/checkout shares the failure domains aws, aws/us-east-1") {
		t.Errorf("failover violation: got:%q", failover)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*policy*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range parseErrorTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("f.yaml", data)
		if (p == nil) == (err == nil) {
			t.Fatalf("got:%v, %v want exactly one of a policy and an error", p, err)
		}
	})
}
