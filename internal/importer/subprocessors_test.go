package importer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/internal/golden"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// catalogNodes loads every built-in catalog, as `import subprocessors`
// maps onto them.
func catalogNodes(t testing.TB) []*model.Node { return testmodel.Catalogs(t).Nodes }

// subprocessorTests are the real lists in testdata/subprocessors (see its
// README) and what must come of them whatever the catalogs hold.
var subprocessorTests = []struct {
	file, vendor, source, asOf string
	rows                       int
	mapped                     map[string]string // entity → node it must map to
	purpose, locations         map[string]string // entity → text, joined with "|"
}{
	{"zed.md", "zed", "https://zed.dev/subprocessors", "2024-08-19", 11,
		map[string]string{"Cloudflare": "cloudflare", "Vercel": "vercel", "GitHub": "github", "Anthropic": "anthropic", "OpenAI": "openai"},
		map[string]string{"LiveKit": "Audio Conferencing"}, map[string]string{"Cloudflare": "Worldwide"}},
	{"controlshift.md", "controlshift", "", "", 6,
		map[string]string{"Amazon Web Services, Inc.": "aws", "Cloudflare, Inc.": "cloudflare", "SendGrid, Inc.": "sendgrid"},
		map[string]string{"Cloudflare, Inc.": "DDOS/Bot Protection and CDN"}, map[string]string{"Amazon Web Services, Inc.": "United States of America"}},
	{"decisionrules.md", "decisionrules", "", "", 3,
		map[string]string{"Amazon Web Services (AWS)": "aws"},
		map[string]string{"MongoDB Limited": "Database services and hosting"}, map[string]string{"MongoDB Limited": "Ireland"}},
	{"stakater.md", "stakater", "", "", 4, nil,
		map[string]string{"Stakater AB": "Stakater Processor"}, map[string]string{"Digital Realty + OpenMetal": "EU (Amsterdam)"}},
}

func TestSubprocessorsRealLists(t *testing.T) {
	known := catalogNodes(t)
	for _, tt := range subprocessorTests {
		t.Run(tt.file, func(t *testing.T) {
			in := readInputs(t, filepath.Join("testdata", "subprocessors", tt.file))[0]
			res, err := Subprocessors(in, SubprocessorOptions{Vendor: tt.vendor, Source: tt.source, AsOf: tt.asOf, Known: known})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != tt.rows {
				t.Errorf("rows: got:%d want:%d", len(res.Rows), tt.rows)
			}
			byName := map[string]SubprocessorRow{}
			for _, r := range res.Rows {
				byName[r.Name] = r
			}
			for name, want := range tt.mapped {
				r, ok := byName[name]
				if !ok || r.MappedTo == nil || *r.MappedTo != want {
					t.Errorf("%q: got:%+v want mapped to %s", name, r, want)
				}
			}
			for name, want := range tt.purpose {
				if got := byName[name].Purpose; got != want {
					t.Errorf("%q purpose: got:%q want:%q", name, got, want)
				}
			}
			for name, want := range tt.locations {
				if got := strings.Join(byName[name].Locations, "|"); got != want {
					t.Errorf("%q locations: got:%q want:%q", name, got, want)
				}
			}
			var buf bytes.Buffer
			if err := res.WriteYAML(&buf); err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, filepath.Join("testdata", "subprocessors", strings.TrimSuffix(tt.file, ".md")+".golden"), buf.Bytes())
			// The model loads with the catalogs and the vendor depends on
			// every sub-processor with an unknown share.
			path := filepath.Join(t.TempDir(), "m.yaml")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			loaded, err := ingest.Load(ingest.Options{Paths: []string{path}, Catalogs: catalogs.FS})
			if err != nil {
				t.Fatalf("the imported model does not load:\n%v\n%s", err, buf.String())
			}
			if _, err := graph.Build(loaded.Model); err != nil {
				t.Fatal(err)
			}
			v := loaded.Model.Index()[tt.vendor]
			for _, r := range res.Rows {
				if !slices.ContainsFunc(v.DependsOn, func(d model.Dependency) bool { return d.ID == r.Node && d.ImpactUnknown }) {
					t.Errorf("%s does not depend on %s with an unknown share", tt.vendor, r.Node)
				}
			}
		})
	}
}

// TestSubprocessorsKnownVendor: a vendor that a catalog defines is
// extended, not defined again, and its own dependencies are not repeated.
func TestSubprocessorsKnownVendor(t *testing.T) {
	in := Input{Name: "list.csv", Data: []byte("Sub-processor,Purpose,Country\nAmazon Web Services Inc.,Hosting,United States\nZendesk Inc,Support,United States\n")}
	res, err := Subprocessors(in, SubprocessorOptions{Vendor: "openai", Source: "https://example.com/list", AsOf: "2026-01-02", Known: catalogNodes(t)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "- extend: openai\n") {
		t.Fatalf("want an overlay of openai, got:\n%s", buf.String())
	}
	path := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Load(ingest.Options{Paths: []string{path}, Catalogs: catalogs.FS}); err != nil {
		t.Fatalf("the overlay does not load:\n%v\n%s", err, buf.String())
	}
}

// Constructed inputs (not real lists) for the table formats and errors.
var subprocessorFormatTests = []struct {
	name, file, data string
	want             []string // Name|Purpose|Locations per row
	err              string
}{
	{"csv with BOM and quotes", "l.csv", "\ufeffName,Function,Location\n\"Stripe, Inc.\",Payments,\"United States, Ireland\"\n", []string{"Stripe, Inc.|Payments|United States,Ireland"}, ""},
	{"tsv", "l.tsv", "Entity\tService\tRegion\nTwilio\tSMS\tUS; EU\n", []string{"Twilio|SMS|US,EU"}, ""},
	{"tsv by content", "list.txt", "Vendor\tPurpose\nOkta\tSSO\n", []string{"Okta|SSO|"}, ""},
	{"html page", "p.html", "<html><body><p>x</p><table><tr><th>Company</th><th>Processing purpose</th><th>Entity country</th></tr><tr><td><a href='x'>Slack Technologies, LLC</a></td><td><ul><li>Chat</li><li>Alerts</li></ul></td><td>US</td></tr></table></body></html>", []string{"Slack Technologies, LLC|Chat; Alerts|US"}, ""},
	{"markdown escaped pipe", "l.md", "| Sub-processor | Purpose |\n|---|---|\n| A \\| B | x |\n", []string{"A | B|x|"}, ""},
	{"duplicate rows kept once", "l.csv", "Name,Purpose\nAWS,Hosting\naws,Backups\n", []string{"AWS|Hosting|"}, ""},
	{"no entity column", "l.csv", "Purpose,Location\nHosting,US\n", nil, "no sub-processor table found"},
	{"no rows", "l.csv", "Name,Purpose\n", nil, "has no rows"},
	{"not text", "l.csv", "Name\n\xff\xfe\n", nil, "not UTF-8"},
}

func TestSubprocessorFormats(t *testing.T) {
	for _, tt := range subprocessorFormatTests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Subprocessors(Input{Name: tt.file, Data: []byte(tt.data)}, SubprocessorOptions{Vendor: "v"})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got:%v want an error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Rows {
				got = append(got, r.Name+"|"+r.Purpose+"|"+strings.Join(r.Locations, ","))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:%q want:%q", got, tt.want)
			}
		})
	}
}

var columnKindTests = []struct{ header, want string }{
	{"Sub-Processor", "entity"}, {"Subprocessor", "entity"}, {"Entity Name", "entity"}, {"Third Party Entity", "entity"},
	{"Supplier", "entity"}, {"Company", "entity"}, {"Entity Country", "location"}, {"Corporate Location", "location"},
	{"Geographic Location", "location"}, {"Purpose/Services", "purpose"}, {"Processing Purpose", "purpose"},
	{"Function", "purpose"}, {"Service Purpose", "purpose"}, {"Legal basis", ""}, {"Website & Contact Details", ""},
}

func TestColumnKind(t *testing.T) {
	for _, tt := range columnKindTests {
		if got := columnKind(tt.header); got != tt.want {
			t.Errorf("%q: got:%q want:%q", tt.header, got, tt.want)
		}
	}
}

func TestNameIndex(t *testing.T) {
	nodes := []*model.Node{
		{ID: "aws", Name: "Amazon Web Services", Aliases: []string{"AWS", "Amazon Web Services, Inc."}},
		{ID: "aws/us-east-1", Parent: "aws", Name: "US East (N. Virginia)", Aliases: []string{"us-east-1"}},
		{ID: "a1", Name: "Acme"}, {ID: "a2", Name: "ACME Corp."},
	}
	x := newNameIndex(nodes)
	for name, want := range map[string]string{
		"Amazon Web Services, Inc.": "aws", "amazon web services inc": "aws", "Amazon Web Services (AWS)": "aws",
		"AWS": "aws", "us-east-1": "aws/us-east-1", "US East (N. Virginia)": "", "Acme": "", "Nobody": "",
	} {
		if got, _ := x.match(name); got != want {
			t.Errorf("%q: got:%q want:%q", name, got, want)
		}
	}
	if _, why := x.match("Acme Inc"); !strings.Contains(why, "a1, a2") {
		t.Errorf("ambiguous name: got reason %q", why)
	}
}

func TestSubprocessorsJSON(t *testing.T) {
	res, err := Subprocessors(Input{Name: "l.csv", Data: []byte("Name,Location\nAWS,US\nNobody Ltd,\n")}, SubprocessorOptions{Vendor: "v", Known: []*model.Node{{ID: "aws", Name: "AWS"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res.Report())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schema_version":1,"vendor":"v","rows":[{"name":"AWS","mapped_to":"aws","purpose":"","locations":["US"]},{"name":"Nobody Ltd","mapped_to":null,"purpose":"","locations":[]}]}`
	if string(b) != want {
		t.Errorf("got:%s\nwant:%s", b, want)
	}
}

func FuzzSubprocessors(f *testing.F) {
	files, _ := filepath.Glob("testdata/subprocessors/*.md")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(filepath.Base(p), data)
		}
	}
	for _, tt := range subprocessorFormatTests {
		f.Add(tt.file, []byte(tt.data))
	}
	known := []*model.Node{{ID: "aws", Name: "Amazon Web Services", Aliases: []string{"AWS"}}}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		res, err := Subprocessors(Input{Name: name, Data: data}, SubprocessorOptions{Vendor: "v", Known: known})
		if err != nil {
			if res != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		var buf bytes.Buffer
		if err := res.WriteYAML(&buf); err != nil {
			t.Fatal(err)
		}
		// What it writes must load (the mapped node is defined here).
		path := filepath.Join(t.TempDir(), "m.yaml")
		out := strings.Replace(buf.String(), "nodes:\n", "nodes:\n  - {id: aws, kind: provider}\n", 1)
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ingest.Load(ingest.Options{Paths: []string{path}}); err != nil {
			t.Fatalf("written model does not load: %v\n%s", err, out)
		}
	})
}

func TestReadFilesRefusesDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	if _, err := ReadFiles([]string{"/dev/zero"}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("got:%v want a not-a-regular-file error", err)
	}
}

// TestBackstageRealFolder imports a folder of real Backstage files as a
// user points the import at one: a scaffolder Template and an OpenAPI
// file beside the entities are skipped with a warning, subcomponentOf
// and a System's domain are kept.
func TestBackstageRealFolder(t *testing.T) {
	paths, err := filepath.Glob("testdata/backstage-real/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatal("no fixtures", err)
	}
	res, err := Backstage(readInputs(t, paths...), Options{Org: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	var warns []string
	for _, w := range res.Warnings {
		warns = append(warns, w.Error())
	}
	for _, want := range []string{"notifications-demo-template.yaml:1:1: Template \"notifications-demo\" (scaffolder.backstage.io/v1beta3) is a scaffolder template", "petstore-webhook.oas.yaml:1:1: not a Backstage entity (no apiVersion): skipped"} {
		if !slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, want) }) {
			t.Errorf("warnings %q lack %q", warns, want)
		}
	}
	byID := map[string]*model.Node{}
	for _, n := range res.Nodes {
		byID[n.ID] = n
	}
	whole := byID["acme/wayback-archive"]
	if whole == nil || !slices.ContainsFunc(whole.DependsOn, func(d model.Dependency) bool { return d.ID == "acme/wayback-archive-ingestion" }) {
		t.Errorf("the component does not depend on its subcomponent: %+v", whole)
	}
	if got := byID["acme/wayback-archive-ingestion"].Meta["subcomponent_of"]; got != "acme/wayback-archive" {
		t.Errorf("subcomponent_of: got:%v", got)
	}
	if got := byID["acme/podcast-api"].Meta["domain"]; got != "playback" {
		t.Errorf("domain: got:%v want:playback", got)
	}
}

// TestBackstageVendorResource: a Resource of type saas is a third party,
// never a node of your organisation; one a catalog knows maps to it.
func TestBackstageVendorResource(t *testing.T) {
	in := Input{Name: "c.yaml", Data: []byte("apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: stripe-payments, title: Stripe}\nspec: {type: saas}\n---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: acme-crm}\nspec: {type: saas}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: shop}\nspec: {type: service, dependsOn: [resource:stripe-payments, resource:acme-crm]}\n")}
	res, err := Backstage([]Input{in}, Options{Org: "acme", Known: catalogNodes(t)})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, n := range res.Nodes {
		ids[n.ID] = true
	}
	if !ids["acme-crm"] || ids["acme/acme-crm"] || ids["acme/stripe-payments"] {
		t.Errorf("vendor resources stayed in the organisation: %v", ids)
	}
	if ids["stripe"] || !slices.Contains(res.Includes, "stripe") {
		t.Errorf("Stripe should map to the stripe catalog: nodes %v, includes %v", ids, res.Includes)
	}
	var buf bytes.Buffer
	if err := res.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Load(ingest.Options{Paths: []string{path}, Catalogs: catalogs.FS}); err != nil {
		t.Fatalf("does not load: %v\n%s", err, buf.String())
	}
}

// TestCycloneDXTrustBoundary: a service nested under a SaaS across a
// trust boundary stays a third party.
func TestCycloneDXTrustBoundary(t *testing.T) {
	bom := `{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {"component": {"bom-ref": "app", "name": "shop", "type": "application"}},
"services": [{"bom-ref": "saas", "name": "Billing SaaS", "provider": {"name": "Acme Inc"}, "trustZone": "acme",
  "services": [{"bom-ref": "s3", "name": "Amazon S3", "x-trust-boundary": true}, {"bom-ref": "q", "name": "Queue", "trustZone": "acme"}]}],
"dependencies": [{"ref": "app", "dependsOn": ["saas"]}, {"ref": "saas", "dependsOn": ["s3", "q"]}]}`
	res, err := CycloneDX([]Input{{Name: "b.json", Data: []byte(bom)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]model.Kind{}
	for _, n := range res.Nodes {
		kinds[n.ID] = n.Kind
	}
	if kinds["amazon-s3"] != model.KindVendor || kinds["acme-inc/amazon-s3"] != "" {
		t.Errorf("S3 across the trust boundary: got %v", kinds)
	}
	if kinds["acme-inc/queue"] == "" {
		t.Errorf("the queue inside the trust zone should stay acme-inc's: %v", kinds)
	}
}

func TestCycloneDXXMLRefused(t *testing.T) {
	_, err := CycloneDX([]Input{{Name: "b.xml", Data: []byte("<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>")}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "CycloneDX XML is not read; use the JSON form") {
		t.Fatalf("got:%v", err)
	}
}
