package importer

import (
	"bytes"
	"context"
	"errors"
	"github.com/depgraph/depgraph/internal/golden"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/internal/export"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
)

// realDir holds the real CycloneDX examples (see its SOURCES.md).
const realDir = "../../../shared/data/cyclonedx"

func readInputs(t *testing.T, paths ...string) []Input {
	t.Helper()
	in, err := ReadFiles(paths)
	if errors.Is(err, os.ErrNotExist) && strings.HasPrefix(paths[0], realDir) {
		t.Skipf("%s absent: the real CycloneDX examples live in ../shared/data/cyclonedx", paths[0])
	}
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// writeAndLoad writes res as YAML, checks it against the golden file and
// loads it with ingest.Load, which must succeed without warnings.
func writeAndLoad(t *testing.T, res *Result, goldenPath string) *model.Model {
	t.Helper()
	var buf bytes.Buffer
	if err := res.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if goldenPath != "" {
		golden.Compare(t, goldenPath, buf.Bytes())
	}
	path := filepath.Join(t.TempDir(), "imported.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, err := ingest.Load(ingest.Options{Paths: []string{path}})
	if err != nil {
		t.Fatalf("the imported model does not load:\n%v\n%s", err, buf.String())
	}
	for _, w := range loaded.Warnings {
		t.Errorf("loading the imported model: warning %v", w)
	}
	if _, err := graph.Build(loaded.Model); err != nil {
		t.Fatal(err)
	}
	// Deterministic: a second import writes the same bytes.
	return loaded.Model
}

// deps returns a model's edges as "from -> to" lines, sorted.
func deps(m *model.Model) []string {
	var out []string
	for _, n := range m.Nodes {
		for _, d := range n.DependsOn {
			for _, t := range d.Targets() {
				out = append(out, n.ID+" -> "+t)
			}
		}
	}
	slices.Sort(out)
	return out
}

func kinds(m *model.Model) map[string]model.Kind {
	out := map[string]model.Kind{}
	for _, n := range m.Nodes {
		out[n.ID] = n.Kind
	}
	return out
}

var importTests = []struct {
	name   string
	format string
	files  []string
	opts   Options
	golden string
	kinds  map[string]model.Kind
	deps   []string
}{
	{
		name: "backstage", format: "backstage", files: []string{"testdata/catalog-info.yaml"},
		opts: Options{Org: "acme"}, golden: "testdata/backstage.golden",
		kinds: map[string]model.Kind{
			"acme/artist-web": model.KindService, "acme/artist-lookup": model.KindService,
			"acme/artist-lookup-api": model.KindComponent, "acme/artists-db": model.KindCloudService,
			"stripe": model.KindVendor, "acme/shared-lib": model.KindComponent,
		},
		deps: []string{
			"acme/artist-lookup -> acme/artists-db",
			"acme/artist-lookup -> stripe",
			"acme/artist-lookup-api -> acme/artist-lookup",
			"acme/artist-web -> acme/artist-lookup",
			"acme/artist-web -> acme/artist-lookup-api",
			"acme/artist-web -> acme/artists-db",
		},
	},
	{
		name: "backstage-namespace-org", format: "backstage", files: []string{"testdata/catalog-info.yaml"},
		kinds: map[string]model.Kind{"default/artist-web": model.KindService, "stripe": model.KindVendor},
	},
	{
		name: "cyclonedx-small", format: "cyclonedx", files: []string{"testdata/small.cdx.json"},
		golden: "testdata/small.golden",
		kinds: map[string]model.Kind{
			"acme-inc/support-bot": model.KindService, "openai/llm-client": model.KindComponent,
			"openai/chat-completions-api": model.KindComponent, "acme-inc/bot-backend": model.KindComponent,
			"acme-inc/postgres": model.KindComponent, "acme-inc/svc-cache": model.KindComponent,
		},
		deps: []string{
			"acme-inc/bot-backend -> acme-inc/postgres",
			"acme-inc/bot-backend -> acme-inc/svc-cache",
			"acme-inc/support-bot -> acme-inc/bot-backend",
			"acme-inc/support-bot -> openai/llm-client",
			"openai/llm-client -> openai/chat-completions-api",
		},
	},
	{
		name: "cyclonedx-real-saasbom-1.6", format: "cyclonedx", files: []string{realDir + "/valid-saasbom-1.6.json"},
		golden: "testdata/real-saasbom-1.6.golden",
		kinds: map[string]model.Kind{
			"acme-inc/acme-saasbom-example": model.KindService, "acme-inc/stock-ticker-service": model.KindComponent,
			"s3": model.KindVendor, // across the trust boundary: a third party
		},
		deps: []string{
			"acme-inc/acme-saasbom-example -> acme-inc/stock-ticker-service",
			"acme-inc/microservice-1 -> acme-inc/postgres",
			"acme-inc/microservice-3 -> s3",
			"acme-inc/stock-ticker-service -> acme-inc/microservice-1",
			"acme-inc/stock-ticker-service -> acme-inc/microservice-2",
			"acme-inc/stock-ticker-service -> acme-inc/microservice-3",
		},
	},
	{
		name: "cyclonedx-real-saasbom-1.4", format: "cyclonedx", files: []string{realDir + "/saasbom-apigateway-microservices-datastores-1.4.json"},
		opts: Options{Org: "acme"},
		kinds: map[string]model.Kind{
			"acme/acme-cloud-example": model.KindService, "acme-inc/api-gateway": model.KindComponent,
			"s3": model.KindVendor, // across the trust boundary: a third party
		},
		deps: []string{
			"acme-inc/api-gateway -> acme-inc/microservice-1",
			"acme-inc/api-gateway -> acme-inc/microservice-2",
			"acme-inc/api-gateway -> acme-inc/microservice-3",
			"acme-inc/microservice-1 -> acme-inc/postgres",
			"acme-inc/microservice-3 -> s3",
			"acme/acme-cloud-example -> acme-inc/api-gateway",
		},
	},
	{
		name: "cyclonedx-real-service-1.6", format: "cyclonedx", files: []string{realDir + "/valid-service-1.6.json"},
		golden: "testdata/real-service-1.6.golden",
		kinds: map[string]model.Kind{
			"acme-inc/stock-java-client": model.KindComponent, "partner-org/stock-ticker-service": model.KindComponent,
		},
		deps: []string{"acme-inc/stock-java-client -> partner-org/stock-ticker-service"},
	},
}

// TestImport imports each case, compares the YAML with its golden file,
// loads it with ingest.Load and checks the kinds and edges.
func TestImport(t *testing.T) {
	for _, tt := range importTests {
		t.Run(tt.name, func(t *testing.T) {
			in := readInputs(t, tt.files...)
			run := Backstage
			if tt.format == "cyclonedx" {
				run = CycloneDX
			}
			res, err := run(in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			m := writeAndLoad(t, res, tt.golden)
			got := kinds(m)
			for id, k := range tt.kinds {
				if got[id] != k {
					t.Errorf("kind of %s: got:%q want:%q (nodes: %v)", id, got[id], k, got)
				}
			}
			if tt.deps != nil {
				if diff := cmp.Diff(tt.deps, deps(m)); diff != "" {
					t.Errorf("edges (-want +got):\n%s", diff)
				}
			}
			// The same input gives the same bytes.
			var a, b bytes.Buffer
			res.WriteYAML(&a)
			again, _ := run(readInputs(t, tt.files...), tt.opts)
			again.WriteYAML(&b)
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two imports of the same input differ")
			}
		})
	}
}

// TestBackstageWarnings checks that skipped Location entities are
// reported with their position.
func TestBackstageWarnings(t *testing.T) {
	res, err := Backstage(readInputs(t, "testdata/catalog-info.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.Error())
	}
	want := []string{"testdata/catalog-info.yaml:87:1: Location more: its targets are not followed (pass the files it lists to the import too)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

var errorTests = []struct {
	name   string
	format string
	input  string
	opts   Options
	want   []string // the error list, one line each
}{
	{
		name: "unknown refs, all listed", format: "backstage",
		input: `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: web}
spec:
  type: service
  dependsOn: [component:api-gatway, resource:db]
  consumesApis: [payments]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: api-gateway}
spec: {type: service}
`,
		want: []string{
			`in.yaml:6:15: unknown entity "component:api-gatway" (did you mean component:default/api-gateway?)`,
			`in.yaml:6:37: unknown entity "resource:db"`,
			`in.yaml:7:18: unknown entity "payments"`,
		},
	},
	{
		name: "system as a dependency", format: "backstage",
		input: "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: portal}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\nspec: {dependsOn: [system:portal]}\n",
		want:  []string{`in.yaml:8:20: "system:portal" is a System: systems group entities and are no dependency (name the components of the system instead)`},
	},
	{
		name: "not an entity, bad name, duplicate", format: "backstage",
		input: "apiVersion: v1\nkind: Pod\n---\n- a list\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: 'a b'}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\n",
		want: []string{
			`in.yaml:8:18: invalid entity name "a b" (Backstage names are letters, digits and [-_.])`,
			`in.yaml:14:1: entity component:default/x defined twice (first defined at in.yaml:10:1)`,
		},
	},
	{
		name: "yaml syntax", format: "backstage",
		input: "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x\n",
		want:  []string{`in.yaml:2: invalid YAML: did not find expected ',' or '}'`},
	},
	{
		name: "bad org", format: "backstage", opts: Options{Org: "a/b"},
		input: "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\n",
		want:  []string{`invalid organisation "a/b" (an organisation is one id segment: letters, digits, '.', '_' and '-')`},
	},
	{
		name: "cyclonedx unknown refs", format: "cyclonedx",
		input: `{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
 "services": [{"bom-ref": "api", "name": "API"}, {"bom-ref": "db", "name": "DB"}],
 "dependencies": [{"ref": "api", "dependsOn": ["dbb", "queue"]}]}`,
		want: []string{
			`in.yaml: dependencies[0].dependsOn[0]: unknown bom-ref "dbb" (did you mean db?)`,
			`in.yaml: dependencies[0].dependsOn[1]: unknown bom-ref "queue"`,
		},
	},
	{
		name: "cyclonedx not a bom", format: "cyclonedx",
		input: `{"bomFormat": "SPDX"}`,
		want:  []string{`in.yaml: not a CycloneDX BOM: bomFormat "SPDX" (a CycloneDX JSON BOM has ` + "`\"bomFormat\": \"CycloneDX\"`" + `)`},
	},
	{
		name: "cyclonedx bad json, duplicate ref", format: "cyclonedx",
		input: `{"bomFormat": "CycloneDX", "specVersion": "1.6", "services": [{"bom-ref": "a", "name": "A"}, {"bom-ref": "a", "name": "B"}, {"bom-ref": "c"}]}`,
		want: []string{
			`in.yaml: services[1]: bom-ref "a" already used at services[0]`,
			`in.yaml: services[2]: service without a name (required)`,
		},
	},
	{
		name: "cyclonedx syntax", format: "cyclonedx", input: `{"bomFormat": `,
		want: []string{`in.yaml: invalid CycloneDX JSON: unexpected EOF`},
	},
}

// TestErrors checks that problems are positioned and all reported at once.
func TestErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			run := Backstage
			if tt.format == "cyclonedx" {
				run = CycloneDX
			}
			res, err := run([]Input{{Name: "in.yaml", Data: []byte(tt.input)}}, tt.opts)
			var el ingest.ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("got:%v, %v want an ErrorList", res, err)
			}
			if res != nil {
				t.Error("a result with an error")
			}
			var got []string
			for _, e := range el {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlaceholders checks that Options.Placeholders turns unknown refs into
// nodes of kind unknown that load cleanly.
func TestPlaceholders(t *testing.T) {
	for _, tt := range []struct {
		format, input string
		want          []string
	}{
		{"backstage", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\nspec: {type: service, dependsOn: ['resource:db'], consumesApis: [pay]}\n",
			[]string{"acme/web -> acme/db-resource", "acme/web -> acme/pay-api"}},
		{"cyclonedx", `{"bomFormat": "CycloneDX", "specVersion": "1.6", "services": [{"bom-ref": "api", "name": "API"}], "dependencies": [{"ref": "api", "dependsOn": ["queue"]}]}`,
			[]string{"acme/api -> acme/queue"}},
	} {
		run := Backstage
		if tt.format == "cyclonedx" {
			run = CycloneDX
		}
		res, err := run([]Input{{Name: "in", Data: []byte(tt.input)}}, Options{Org: "acme", Placeholders: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != len(tt.want) {
			t.Errorf("%s: got %d warnings, want %d: %v", tt.format, len(res.Warnings), len(tt.want), res.Warnings)
		}
		m := writeAndLoad(t, res, "")
		if diff := cmp.Diff(tt.want, deps(m)); diff != "" {
			t.Errorf("%s: edges (-want +got):\n%s", tt.format, diff)
		}
		for _, n := range m.Nodes {
			if strings.Contains(n.ID, "db") || strings.Contains(n.ID, "pay") || strings.Contains(n.ID, "queue") {
				if n.Kind != model.KindUnknown {
					t.Errorf("%s: placeholder %s has kind %s", tt.format, n.ID, n.Kind)
				}
			}
		}
	}
}

// TestCycloneDXRoundTrip exports the exporter's fixture model as
// CycloneDX and imports it back: ids, kinds, owners, unavailabilities,
// impacts and failover groups survive.
func TestCycloneDXRoundTrip(t *testing.T) {
	loaded, err := ingest.Load(ingest.Options{Paths: []string{"../export/testdata/model.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(loaded.Model)
	if err != nil {
		t.Fatal(err)
	}
	var bom bytes.Buffer
	if err := export.Write(context.Background(), &bom, export.FormatCycloneDX, g, export.Options{All: true}); err != nil {
		t.Fatal(err)
	}
	res, err := CycloneDX([]Input{{Name: "bom.json", Data: bom.Bytes()}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	back := writeAndLoad(t, res, "")
	type summary struct {
		Kind  model.Kind
		Owner string
		U     float64
		Deps  []string
	}
	sum := func(m *model.Model) map[string]summary {
		out := map[string]summary{}
		for _, n := range m.Nodes {
			s := summary{Kind: n.Kind, Owner: n.Owner}
			if n.Unavailability != nil {
				s.U = *n.Unavailability
			}
			for _, d := range n.DependsOn {
				desc := strings.Join(d.Targets(), "|")
				if d.IsGroup() {
					desc = "min " + string(rune('0'+d.Min)) + " of " + desc
				}
				if d.Impact != 1 || d.ImpactUnknown {
					desc += " @" + d.ImpactText()
				}
				s.Deps = append(s.Deps, desc)
			}
			slices.Sort(s.Deps)
			out[n.ID] = s
		}
		return out
	}
	if diff := cmp.Diff(sum(loaded.Model), sum(back)); diff != "" {
		t.Errorf("round trip (-model +imported):\n%s", diff)
	}
}
