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
	{"top not mapping", "- a\n", []string{"not a depgraph model"}},
	{"syntax", "depgraph: 1\nnodes: [\n", []string{"invalid YAML"}},
	// yaml.v3 alone says line 3 (tab), line 2 (indent) and line 4 (flow):
	// the error is one line low and has no column.
	{"syntax tab", "depgraph: 1\nnodes:\n  - id: a\n\tkind: service\n", []string{"4:1: invalid YAML: found character"}},
	{"syntax indent", "depgraph: 1\nnodes:\n  - id: a\n    kind: service\n   depends_on: [b]\n", []string{"5:4: invalid YAML"}},
	{"syntax flow", "depgraph: 1\nnodes:\n  - id: a\n    kind: service\n    depends_on: [b\n  - id: b\n", []string{"6:3: invalid YAML"}},
	{"invalid utf-8", "depgraph: 1\nnodes:\n  - {id: a\xff, kind: service}\n", []string{"3:11: invalid UTF-8 (byte 0xff)"}},
	{"nul byte", "depgraph: 1\nnodes: []\n  \x00\n", []string{"3:3: NUL byte"}},
	{"empty id", "depgraph: 1\nnodes:\n  - {id: \"\", kind: service}\n", []string{"3:10: empty id"}},
	{"javascript url", "depgraph: 1\nnodes:\n  - {id: a, kind: vendor, sources: [{url: 'javascript:alert(1)'}]}\n", []string{"3:43: source url \"javascript:alert(1)\" is not an http(s) address"}},
	{"data url", "depgraph: 1\nnodes:\n  - {id: a, kind: vendor, sources: ['data:text/html,<script>x</script>']}\n", []string{"is not an http(s) address"}},
	{"credentials are not quoted", "https://user:ghp_SECRET@github.com\n", []string{"not a depgraph model"}},
	{"wide alias bomb", wideAliasBomb(), []string{"refusing a possible alias bomb"}},
	{"unknown top key", "depgraph: 1\nnode: []\n", []string{"2:1: file: unknown key \"node\" (did you mean `nodes`?)"}},
	{"unknown node key", "depgraph: 1\nnodes:\n  - {id: a, kind: service, dependson: [b]}\n", []string{"3:28: node: unknown key \"dependson\" (did you mean `depends_on`?)"}},
	{"on instead of id", "depgraph: 1\nnodes:\n  - id: a\n    kind: service\n    depends_on: [{on: b}]\n", []string{"5:19: dependency: unknown key \"on\" (the key is `id`"}},
	{"unknown kind", "depgraph: 1\nnodes:\n  - {id: a, kind: servce}\n", []string{"3:19: unknown kind \"servce\" (did you mean `service`?)"}},
	{"no kind", "depgraph: 1\nnodes:\n  - {id: a}\n", []string{"3:5: node \"a\" has no kind"}},
	{"no id", "depgraph: 1\nnodes:\n  - {kind: service}\n", []string{"3:5: node without an `id`"}},
	{"bad id", "depgraph: 1\nnodes:\n  - {id: 'a b', kind: service}\n", []string{"3:10: invalid id \"a b\""}},
	{"duplicate id", "depgraph: 1\nnodes:\n  - {id: a, kind: service}\n  - {id: a, kind: vendor}\n", []string{"4:5: duplicate id \"a\" (also defined at"}},
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
	{"bad verified", "depgraph: 1\nnodes:\n  - {id: a, kind: vendor, sources: [{url: 'https://x', verified: maybe}]}\n", []string{"verified: expected true or false"}},
	{"missing catalog", "depgraph: 1\ninclude: [clod]\nnodes: []\n", []string{"2:11: unknown catalog \"clod\" (did you mean `cloud`?)"}},
	{"missing include file", "depgraph: 1\ninclude: [./nope.yaml]\nnodes: []\n", []string{"included file \"./nope.yaml\" not found"}},
	{"depends_on not a list", "depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: b}\n", []string{"depends_on: expected a list, found the string \"b\""}},
	{"many errors at once", "depgraph: 1\nnodes:\n  - {id: a, kind: servce, depends_on: [x, y]}\n", []string{"unknown kind", "unknown dependency \"x\"", "unknown dependency \"y\""}},
	{"alias bomb", aliasBomb(), []string{"refusing a possible alias bomb"}},
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

// wideAliasBomb builds a small file (about 60 KB) whose few thousand
// aliases each stand for one wide anchor: under a budget that counted
// alias lookups (10,000) it expanded to 45 million nodes.
func wideAliasBomb() string {
	var b strings.Builder
	b.WriteString("depgraph: 1\nnodes:\n  - id: a\n    kind: service\n    meta:\n      wide: &w [")
	for j := 0; j < 5000; j++ {
		b.WriteString("x,")
	}
	b.WriteString("x]\n      many: [")
	for j := 0; j < 9000; j++ {
		b.WriteString("*w,")
	}
	b.WriteString("*w]\n")
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

// TestLoadCredentialsNotQuoted checks that a file that is not a model is
// refused without any of its content in the message.
func TestLoadCredentialsNotQuoted(t *testing.T) {
	for _, content := range []string{
		"https://user:ghp_SECRET@github.com\n",
		"root:SECRET:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
		"TOKEN: SECRET\nOTHER_SECRET: x\n",
		"- SECRET\n",
	} {
		path := filepath.Join(t.TempDir(), "creds")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(Options{Paths: []string{path}})
		if err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%q: got:%v want an error that quotes nothing", content, err)
		}
	}
}

// writeFiles writes name → content under dir, making folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, s := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadIncludeOutsideTree(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"secret.yaml":         "depgraph: 1\nnodes:\n  - {id: s, kind: vendor}\n",
		"model/m.yaml":        "depgraph: 1\ninclude: [../secret.yaml]\nnodes:\n  - {id: a, kind: service, depends_on: [s]}\n",
		"model/abs.yaml":      "depgraph: 1\ninclude: [\"" + filepath.ToSlash(filepath.Join(root, "secret.yaml")) + "\"]\nnodes: []\n",
		"model/sub/ok.yaml":   "depgraph: 1\nnodes:\n  - {id: ok, kind: vendor}\n",
		"model/inside.yaml":   "depgraph: 1\ninclude: [sub/ok.yaml]\nnodes:\n  - {id: b, kind: service, depends_on: [ok]}\n",
		"model/linked/x.yaml": "depgraph: 1\ninclude: [../../secret.yaml]\nnodes: []\n",
	})
	for _, name := range []string{"m.yaml", "abs.yaml", "linked/x.yaml"} {
		_, err := Load(Options{Paths: []string{filepath.Join(root, "model", name)}})
		if err == nil || !strings.Contains(err.Error(), "outside the including file's directory") {
			t.Errorf("%s: got:%v want an outside-the-tree error", name, err)
		}
	}
	// A symbolic link inside the tree that points out of it is outside too.
	if err := os.Symlink(filepath.Join(root, "secret.yaml"), filepath.Join(root, "model", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, root, map[string]string{"model/vialink.yaml": "depgraph: 1\ninclude: [link.yaml]\nnodes: []\n"})
	if _, err := Load(Options{Paths: []string{filepath.Join(root, "model", "vialink.yaml")}}); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("include through a link: got:%v want an outside-the-tree error", err)
	}
	if _, err := Load(Options{Paths: []string{filepath.Join(root, "model", "inside.yaml")}}); err != nil {
		t.Errorf("include inside the tree: %v", err)
	}
	if _, err := Load(Options{Paths: []string{filepath.Join(root, "model", "m.yaml")}, AllowOutsideIncludes: true}); err != nil {
		t.Errorf("with AllowOutsideIncludes: %v", err)
	}
}

func TestLoadLinksLoadOnce(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"v.yaml": "depgraph: 1\nnodes:\n  - {id: v, kind: vendor}\n",
		"m.yaml": "depgraph: 1\ninclude: [v.yaml, alias.yaml, loop/loop/loop/loop/v.yaml]\nnodes:\n  - {id: a, kind: service, depends_on: [v]}\n",
	})
	if err := os.Symlink("v.yaml", filepath.Join(root, "alias.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}
	res, err := Load(Options{Paths: []string{filepath.Join(root, "m.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Model.Nodes) != 2 {
		t.Errorf("got %d nodes from %v, want 2 (v.yaml loaded once)", len(res.Model.Nodes), res.Model.Files)
	}
	// A directory that links to itself is read once too.
	res, err = Load(Options{Paths: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Model.Nodes) != 2 {
		t.Errorf("directory: got %d nodes from %v, want 2", len(res.Model.Nodes), res.Model.Files)
	}
}

func TestLoadSkipsFIFOs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.yaml": "depgraph: 1\nnodes:\n  - {id: a, kind: service}\n"})
	fifo := filepath.Join(dir, "b.yaml")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	res, err := Load(Options{Paths: []string{dir}, CatalogDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Model.Nodes) != 1 {
		t.Errorf("got %d nodes, want 1", len(res.Model.Nodes))
	}
	if _, err := Load(Options{Paths: []string{fifo}}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("-m FIFO: got:%v want a not-a-regular-file error", err)
	}
	writeFiles(t, dir, map[string]string{"c/m.yaml": "depgraph: 1\ninclude: [b]\nnodes: []\n"})
	if _, err := Load(Options{Paths: []string{filepath.Join(dir, "c", "m.yaml")}, CatalogDirs: []string{dir}}); err == nil || !strings.Contains(err.Error(), "unknown catalog") {
		t.Errorf("catalog FIFO: got:%v want unknown catalog", err)
	}
}

func TestLoadMissingCatalogDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	writeFiles(t, filepath.Dir(path), map[string]string{"m.yaml": "depgraph: 1\nnodes: []\n"})
	_, err := Load(Options{Paths: []string{path}, CatalogDirs: []string{filepath.Join(t.TempDir(), "nope")}})
	if err == nil || !strings.Contains(err.Error(), "catalog directory not found") {
		t.Fatalf("got:%v want a catalog-directory error", err)
	}
}

func TestLoadBuiltInPositions(t *testing.T) {
	fsys := fstest.MapFS{"example.yaml": {Data: []byte("depgraph: 1\nnodes:\n  - {id: a, kind: service, depends_on: [nope]}\n")}}
	_, err := Load(Options{Default: &FSFile{FS: fsys, Name: "example.yaml"}})
	if err == nil || !strings.Contains(err.Error(), "built-in example.yaml:3:") {
		t.Fatalf("got:%v want the position marked built-in", err)
	}
}

// overlayTests are `extend:` entries over the llm catalog (llm/api has
// no status; llm has a dependency on cloud/r1) and what they must give.
var overlayTests = []struct {
	name    string
	nodes   string
	want    []string // errors; none when the model must load
	changes []string // with no errors: what the overlays changed
}{
	{"adds", "  - extend: llm/api\n    depends_on: [cloud/r1/z1]\n    tags: [tier-1]\n    unavailability: 0.01\n", nil,
		[]string{"depends_on +cloud/r1/z1", "tags +tier-1", "unavailability 0.01"}},
	{"replaces with a reason", "  - extend: llm\n    replace: [depends_on]\n    reason: we use their EU instance\n    depends_on: [{id: cloud/r1/z2, impact: unknown}]\n", nil,
		[]string{"depends_on replaced +cloud/r1/z2"}},
	{"unknown target", "  - extend: llm/apii\n    tags: [x]\n", []string{"4:5: extend: unknown node \"llm/apii\" (did you mean `llm/api`?)"}, nil},
	{"replace without a reason", "  - extend: llm\n    replace: [depends_on]\n    depends_on: [cloud/r1/z2]\n", []string{"4:5: an overlay that replaces depends_on needs a `reason:`"}, nil},
	{"reason without replace", "  - extend: llm\n    reason: x\n    tags: [a]\n", []string{"5:13: reason given but nothing replaced"}, nil},
	{"replace a field not given", "  - extend: llm\n    replace: [status]\n    reason: x\n", []string{"replace: \"status\" is not given in this overlay"}, nil},
	{"replace an unknown field", "  - extend: llm\n    replace: [kind]\n    reason: x\n", []string{"replace: \"kind\" is not a field an overlay can replace"}, nil},
	{"dependency already there", "  - extend: llm\n    depends_on: [cloud/r1]\n", []string{"5:18: extend llm: the node depends on \"cloud/r1\" already"}, nil},
	{"two overlays set one value", "  - extend: llm/api\n    unavailability: 0.1\n  - extend: llm/api\n    unavailability: 0.2\n",
		[]string{"7:5: extend llm/api: the node has unavailability set already (the overlay at"}, nil},
	{"unknown dependency added", "  - extend: llm/api\n    depends_on: [cloud/r9]\n", []string{"5:18: unknown dependency \"cloud/r9\""}, nil},
	{"unknown key", "  - extend: llm/api\n    kind: vendor\n", []string{"5:5: extend: unknown key \"kind\""}, nil},
}

func TestLoadOverlays(t *testing.T) {
	for _, tt := range overlayTests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.yaml")
			src := "depgraph: 1\ninclude: [llm]\nnodes:\n" + tt.nodes // overlays start on line 4
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Load(Options{Paths: []string{path}, Catalogs: catalogFS})
			if len(tt.want) > 0 {
				if err == nil {
					t.Fatalf("got no error, want %q", tt.want)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("got:\n%v\nwant it to contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range res.Model.Overlays {
				got = append(got, o.Changes...)
			}
			if strings.Join(got, "\n") != strings.Join(tt.changes, "\n") {
				t.Errorf("changes: got:%q want:%q", got, tt.changes)
			}
		})
	}
}

// TestLoadOverlayApplies checks the overlaid node itself.
func TestLoadOverlayApplies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	src := "depgraph: 1\ninclude: [llm]\nnodes:\n  - extend: llm/api\n    replace: [depends_on]\n    reason: r\n    depends_on: [cloud/r1/z1]\n    aliases: [LLM API]\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Load(Options{Paths: []string{path}, Catalogs: catalogFS})
	if err != nil {
		t.Fatal(err)
	}
	api := res.Model.Index()["llm/api"]
	var deps []string
	for _, d := range api.DependsOn {
		deps = append(deps, fmt.Sprintf("%s:%v", d.ID, d.PartOf))
	}
	// The implicit dependency on the parent stays; the others are replaced.
	if got := strings.Join(deps, ","); got != "llm:true,cloud/r1/z1:false" {
		t.Errorf("depends_on: got:%s want:llm:true,cloud/r1/z1:false", got)
	}
	if got := strings.Join(api.Aliases, ","); got != "LLM API" {
		t.Errorf("aliases: got:%s", got)
	}
}
