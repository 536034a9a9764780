package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/depgraph/depgraph/internal/model"
)

// catalogFS is a tiny catalog set for include tests.
var catalogFS = fstest.MapFS{
	"cloud.yaml": {Data: []byte(`depgraph: 1
catalog: {name: cloud}
nodes:
  - id: cloud
    kind: provider
    regions:
      - id: r1
        zones: [{id: z1}, {id: z2}]
`)},
	"llm.yaml": {Data: []byte(`depgraph: 1
catalog: {name: llm}
include: [cloud]
nodes:
  - id: llm
    kind: vendor
    depends_on: [cloud/r1]
    components: [{id: api}]
`)},
}

// loadErrorTests are bad models and the errors they must produce, each
// as "line:col: message" (the file name is checked separately).
var loadErrorTests = []struct {
	name string
	yaml string
	want []string
}{
	{"missing version", "nodes: []\n", []string{"1:1: missing schema version"}},
	{"wrong version", "depgraph: 2\nnodes: []\n", []string{"1:11: unsupported model version 2"}},
	{"top not mapping", "- a\n", []string{"1:1: expected a mapping at the top of the file"}},
	{"syntax", "depgraph: 1\nnodes: [\n", []string{"invalid YAML"}},
	{"unknown top key", "depgraph: 1\nnode: []\n", []string{"2:1: file: unknown key \"node\" (did you mean `nodes`?)"}},
	{"unknown node key", "depgraph: 1\nnodes:\n  - {id: a, kind: service, dependson: [b]}\n", []string{"3:28: node: unknown key \"dependson\" (did you mean `depends_on`?)"}},
	{"on instead of id", "depgraph: 1\nnodes:\n  - id: a\n    kind: service\n    depends_on: [{on: b}]\n", []string{"5:19: dependency: unknown key \"on\" (the key is `id`"}},
	{"unknown kind", "depgraph: 1\nnodes:\n  - {id: a, kind: servce}\n", []string{"3:19: unknown kind \"servce\" (did you mean `service`?)"}},
	{"no kind", "depgraph: 1\nnodes:\n  - {id: a}\n", []string{"3:5: node \"a\" has no kind"}},
	{"no id", "depgraph: 1\nnodes:\n  - {kind: service}\n", []string{"3:5: node without an `id`"}},
	{"bad id", "depgraph: 1\nnodes:\n  - {id: 'a b', kind: service}\n", []string{"3:10: invalid id \"a b\""}},
	{"duplicate id", "depgraph: 1\nnodes:\n  - {id: a, kind: service}\n  - {id: a, kind: vendor}\n", []string{"4:5: duplicate id \"a\" (first defined at"}},
	{"unknown dep with suggestion", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [stripe/apii]}\n  - {id: stripe/api, kind: component}\n", []string{"3:41: unknown dependency \"stripe/apii\" (did you mean `stripe/api`?)"}},
	{"unknown dep by suffix", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [us-east-1]}\n  - {id: aws/us-east-1, kind: region}\n", []string{"unknown dependency \"us-east-1\" (did you mean `aws/us-east-1`?)"}},
	{"dep defined by a catalog", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [llm/api]}\n", []string{"unknown dependency \"llm/api\" (catalog \"llm\" defines it: add `include: [llm]`)"}},
	{"self dependency", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [a]}\n", []string{"3:41: \"a\" depends on itself"}},
	{"impact word", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{id: b, impact: unknwon}]}\n  - {id: b, kind: vendor}\n", []string{"3:57: impact: expected a number from 0 to 1, found the string \"unknwon\""}},
	{"bad published date", "depgraph: 1\nnodes:\n  - {id: a, kind: vendor, sources: [{url: u, published: 2025-13-01}]}\n", []string{"3:57: published \"2025-13-01\" is not a date"}},
	{"bad verified", "depgraph: 1\nnodes:\n  - {id: a, kind: vendor, sources: [{url: u, verified: no}]}\n", []string{"3:56: verified: expected true or false"}},
	{"bad dependency sources", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{id: b, sources: x}]}\n  - {id: b, kind: vendor}\n", []string{"3:58: sources: expected a list"}},
	{"impact too big", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{id: b, impact: 1.5}]}\n  - {id: b, kind: vendor}\n", []string{"3:57: impact 1.5 is outside [0, 1]"}},
	{"impact wrong type", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{id: b, impact: high}]}\n  - {id: b, kind: vendor}\n", []string{"impact: expected a number from 0 to 1, found the string \"high\""}},
	{"min too big", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{any_of: [b, c], min: 3}]}\n  - {id: b, kind: vendor}\n  - {id: c, kind: vendor}\n", []string{"3:63: min 3 is outside 1..2"}},
	{"min without group", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{id: b, min: 1}]}\n  - {id: b, kind: vendor}\n", []string{"`min` without `any_of`"}},
	{"both id and any_of", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{id: b, any_of: [b]}]}\n  - {id: b, kind: vendor}\n", []string{"dependency has both `id` and `any_of`"}},
	{"duplicate member", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [{any_of: [b, b]}]}\n  - {id: b, kind: vendor}\n", []string{"\"b\" appears twice in the same failover group"}},
	{"unknown feed type", "depgraph: 1\nnodes:\n  - {id: a, kind: vendor, status: {type: statuspag, url: 'https://x'}}\n", []string{"unknown status feed type \"statuspag\" (did you mean `statuspage`?)"}},
	{"bad as_of", "depgraph: 1\nnodes:\n  - {id: a, kind: vendor, sources: [{url: 'https://x', as_of: 'last year'}]}\n", []string{"as_of \"last year\" is not a date"}},
	{"missing catalog", "depgraph: 1\ninclude: [clod]\nnodes: []\n", []string{"2:11: unknown catalog \"clod\" (did you mean `cloud`?)"}},
	{"missing include file", "depgraph: 1\ninclude: [./nope.yaml]\nnodes: []\n", []string{"included file \"./nope.yaml\" not found"}},
	{"depends_on not a list", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: b}\n", []string{"depends_on: expected a list, found the string \"b\""}},
	{"many errors at once", "depgraph: 1\nnodes:\n  - {id: a, kind: servce, depends_on: [x, y]}\n", []string{"unknown kind", "unknown dependency \"x\"", "unknown dependency \"y\""}},
	{"alias bomb", aliasBomb(), []string{"alias expansions"}},
}

// aliasBomb builds a "billion laughs" document.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("depgraph: 1\nnodes:\n  - id: a\n    kind: service\n    meta:\n      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "      a%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestLoadErrors(t *testing.T) {
	for _, tt := range loadErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Load(Options{Paths: []string{path}, Catalogs: catalogFS})
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if res != nil {
				t.Errorf("got a result with an error")
			}
			var el ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("got %T, want ErrorList", err)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("got:\n%s\nwant it to contain %q", msg, w)
				}
			}
			for _, e := range el {
				if !strings.HasPrefix(e.Pos.File, filepath.Dir(path)) {
					t.Errorf("error %q names file %q, want %q", e.Msg, e.Pos.File, path)
				}
			}
		})
	}
}

func TestLoadForms(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	src := `depgraph: 1
include: [llm]
nodes:
  - id: acme/bot
    kind: service
    aliases: [Acme Bot, the bot]
    tags: [tier-1]
    unavailability: 0.001
    meta: {runbook: https://example.com, nested: {a: [1, 2]}}
    depends_on:
      - llm/api
      - {id: cloud/r1/z1, impact: 0.3}
      - {any_of: [llm/api, cloud/r1/z2], min: 2, impact: 0.5}
      - {id: cloud/r1, impact: unknown}
      - id: cloud/r1/z2
        impact: 0.25
        sources:
          - {url: https://x.example/postmortem, published: 2026-05-02, read: 2026-11-30}
          - {url: https://x.example/list, verified: false}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Load(Options{Paths: []string{path}, Catalogs: catalogFS})
	if err != nil {
		t.Fatal(err)
	}
	idx := res.Model.Index()
	bot := idx["acme/bot"]
	want := []model.Dependency{
		{ID: "llm/api", Impact: 1},
		{ID: "cloud/r1/z1", Impact: 0.3},
		{AnyOf: []string{"llm/api", "cloud/r1/z2"}, Min: 2, Impact: 0.5},
		{ID: "cloud/r1", Impact: 0, ImpactUnknown: true},
		{ID: "cloud/r1/z2", Impact: 0.25},
	}
	if len(bot.DependsOn) != len(want) {
		t.Fatalf("got %d dependencies, want %d", len(bot.DependsOn), len(want))
	}
	for i, w := range want {
		got := bot.DependsOn[i]
		if got.ID != w.ID || got.Impact != w.Impact || got.ImpactUnknown != w.ImpactUnknown || got.Min != w.Min || strings.Join(got.AnyOf, ",") != strings.Join(w.AnyOf, ",") {
			t.Errorf("dependency %d: got:%+v want:%+v", i, got, w)
		}
	}
	srcs := bot.DependsOn[4].Sources
	wantSrcs := []model.Source{
		{URL: "https://x.example/postmortem", AsOf: "2026-05-02", Published: "2026-05-02", Read: "2026-11-30"},
		{URL: "https://x.example/list", Unverified: true},
	}
	if len(srcs) != len(wantSrcs) {
		t.Fatalf("dependency sources: got %d, want %d", len(srcs), len(wantSrcs))
	}
	for i, w := range wantSrcs {
		w.Pos = srcs[i].Pos
		if srcs[i] != w {
			t.Errorf("dependency source %d: got:%+v want:%+v", i, srcs[i], w)
		}
	}
	if b := bot.DependsOn[4].Basis(bot); len(b) != 2 {
		t.Errorf("Basis of a dependency with sources: got %d sources, want its own 2", len(b))
	}
	if got := strings.Join(bot.Aliases, "|"); got != "Acme Bot|the bot" {
		t.Errorf("aliases: got:%q want:%q", got, "Acme Bot|the bot")
	}
	if bot.Unavailability == nil || *bot.Unavailability != 0.001 {
		t.Errorf("unavailability: got:%v want:0.001", bot.Unavailability)
	}
	if bot.Pos.Line != 4 || bot.Pos.Col != 5 {
		t.Errorf("pos: got:%v want line 4 col 5", bot.Pos)
	}
	// Nesting: zones are part of the region, which is part of the provider.
	z := idx["cloud/r1/z1"]
	if z == nil || z.Kind != model.KindZone || z.Parent != "cloud/r1" || !z.DependsOn[0].PartOf {
		t.Errorf("nested zone: got:%+v", z)
	}
	if idx["llm/api"].Origin != "catalog:llm" {
		t.Errorf("origin: got:%q want:catalog:llm", idx["llm/api"].Origin)
	}
	if got := strings.Join(res.Model.Catalogs, ","); got != "cloud,llm" {
		t.Errorf("catalogs: got:%s want:cloud,llm", got)
	}
}

func TestLoadDirectoryAndIncludePath(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", "depgraph: 1\ninclude: [./shared/v.yml]\nnodes:\n  - {id: a, kind: service, depends_on: [v]}\n")
	if err := os.Mkdir(filepath.Join(dir, "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("shared/v.yml", "depgraph: 1\nnodes:\n  - {id: v, kind: vendor}\n")
	write("b.yml", "depgraph: 1\ninclude: [./shared/v.yml]\nnodes:\n  - {id: b, kind: service, depends_on: [v]}\n")
	write("notes.txt", "not a model")
	res, err := Load(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Model.Nodes) != 3 {
		t.Errorf("got %d nodes, want 3 (the shared file loaded once)", len(res.Model.Nodes))
	}
}

func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Load(Options{Paths: []string{path}})
	if err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("got:%v want a size-limit error", err)
	}
}

func TestLoadDeepNesting(t *testing.T) {
	var b strings.Builder
	b.WriteString("depgraph: 1\nnodes:\n  - id: n\n    kind: vendor\n")
	indent := "    "
	for i := 0; i < MaxDepth+2; i++ {
		b.WriteString(indent + "components:\n" + indent + "  - id: c\n")
		indent += "    "
	}
	path := filepath.Join(t.TempDir(), "deep.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Paths: []string{path}})
	if err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Fatalf("got:%v want a nesting error", err)
	}
}
