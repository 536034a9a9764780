package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"github.com/depgraph/depgraph/internal/golden"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
)

// load reads a fixture model and builds its graph.
func load(t testing.TB, path string) *graph.Graph {
	t.Helper()
	res, err := ingest.Load(ingest.Options{Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// export runs one format and returns its bytes.
func export(t testing.TB, g *graph.Graph, f Format, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, f, g, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var goldenTests = []struct {
	name   string
	format Format
	opts   Options
}{
	{"edges.csv", FormatCSVEdges, Options{}},
	{"edges-all.csv", FormatCSVEdges, Options{All: true}},
	{"domains.csv", FormatCSVDomains, Options{}},
	{"graph.graphml", FormatGraphML, Options{}},
	{"chart.mmd", FormatMermaid, Options{}},
	{"bom.cdx.json", FormatCycloneDX, Options{}},
}

// TestGolden compares every format with testdata/<name>.golden and checks
// that five runs give the same bytes (no map order leaks).
func TestGolden(t *testing.T) {
	g := load(t, "testdata/model.yaml")
	for _, tt := range goldenTests {
		t.Run(tt.name, func(t *testing.T) {
			got := export(t, g, tt.format, tt.opts)
			golden.Compare(t, filepath.Join("testdata", tt.name+".golden"), got)
			for range 4 {
				if again := export(t, load(t, "testdata/model.yaml"), tt.format, tt.opts); !bytes.Equal(again, got) {
					t.Fatal("output differs between runs")
				}
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xlsx"); err == nil || !strings.Contains(err.Error(), "csv-edges") {
		t.Errorf("ParseFormat(xlsx): got:%v want an error listing the formats", err)
	}
	if err := Write(context.Background(), io.Discard, "xlsx", load(t, "testdata/model.yaml"), Options{}); err == nil {
		t.Error("Write with an unknown format: no error")
	}
}

// TestSelected checks that the default leaves out nodes no service
// reaches and that All and a model without services keep them.
func TestSelected(t *testing.T) {
	g := load(t, "testdata/model.yaml")
	ids := func(g *graph.Graph, sel []int32) []string {
		var out []string
		for _, i := range sel {
			out = append(out, g.ModelNode(i).ID)
		}
		return out
	}
	def := ids(g, Selected(g, Options{}))
	if slices.Contains(def, "unused") || !slices.Contains(def, "cloud/r3") {
		t.Errorf("default selection: got:%v", def)
	}
	if all := Selected(g, Options{All: true}); len(all) != g.Len() {
		t.Errorf("All: got %d nodes, want %d", len(all), g.Len())
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "noservice.yaml")
	os.WriteFile(path, []byte("depgraph: 1\nnodes:\n  - {id: a, kind: vendor, depends_on: [b]}\n  - {id: b, kind: provider}\n"), 0o644)
	ng := load(t, path)
	if got := ids(ng, Selected(ng, Options{})); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("model without services: got:%v want:[a b]", got)
	}
}

// TestCSV checks the shape of both CSVs: a header, rows of the same width,
// one edge row per dependency target, and formula cells defused.
func TestCSV(t *testing.T) {
	g := load(t, "testdata/model.yaml")
	for _, tt := range []struct {
		format Format
		header []string
		rows   int
	}{
		// shop/web: db, 2 group members, mail/api; shop/batch: 3 members;
		// nested: shop/db→shop, shop/db→cloud/r1, shop/db→cloud/r3
		// (unknown share), llm→cloud/r2, llm/api→llm, cloud/r1..3→cloud,
		// cloud/r2/llm→cloud/r2, mail/api→mail.
		{FormatCSVEdges, EdgesHeader, 4 + 3 + 3 + 1 + 1 + 3 + 1 + 1},
		{FormatCSVDomains, DomainsHeader, -1},
	} {
		t.Run(string(tt.format), func(t *testing.T) {
			records, err := csv.NewReader(bytes.NewReader(export(t, g, tt.format, Options{}))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.header, records[0]); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if tt.rows >= 0 && len(records)-1 != tt.rows {
				t.Errorf("got %d rows, want %d", len(records)-1, tt.rows)
			}
			for _, r := range records[1:] {
				for _, c := range r {
					if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
						t.Errorf("cell %q would run as a spreadsheet formula", c)
					}
				}
			}
		})
	}
}

// TestDomainsCSV checks the failure domains of the fixture: cloud/r2 takes
// down both members of shop/web's LLM failover group, and shop/batch
// (2 of 3 regions) has the provider as its only single point of failure
// and three pairs of regions.
func TestDomainsCSV(t *testing.T) {
	g := load(t, "testdata/model.yaml")
	records, err := csv.NewReader(bytes.NewReader(export(t, g, FormatCSVDomains, Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var batch []string
	var r2 []string
	for _, r := range records[1:] {
		if r[0] == "shop/batch" {
			if r[1] == "1" && r[2] != "cloud" {
				t.Errorf("shop/batch: unexpected single point of failure: %v", r)
			}
			if r[1] == "2" && !strings.HasPrefix(r[2], "cloud/r") {
				continue
			}
			batch = append(batch, r[2])
		}
		if r[0] == "shop/web" && r[2] == "cloud/r2" {
			r2 = r
		}
	}
	for _, pair := range []string{"cloud/r1;cloud/r2", "cloud/r1;cloud/r3", "cloud/r2;cloud/r3"} {
		if !slices.Contains(batch, pair) {
			t.Errorf("shop/batch: missing failure domain %s in %v", pair, batch)
		}
	}
	if r2 == nil {
		t.Fatal("shop/web: cloud/r2 is not a single point of failure")
	}
	if want := []string{"shop/web", "1", "cloud/r2", "0.001"}; !slices.Equal(r2[:4], want) {
		t.Errorf("cloud/r2 row: got:%v want:%v…", r2, want)
	}
	if r2[5] != "shop/web" {
		t.Errorf("cloud/r2 defeats the failover of: got:%q want:%q", r2[5], "shop/web")
	}
}

// graphML is the subset of GraphML the check reads.
type graphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string        `xml:"id,attr"`
			Data []graphMLData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string        `xml:"id,attr"`
			Source string        `xml:"source,attr"`
			Target string        `xml:"target,attr"`
			Data   []graphMLData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// TestGraphMLWellFormed decodes the GraphML with encoding/xml (every
// token, then into a struct) and checks that ids are unique, edges point
// at declared nodes, data uses declared keys and names come back intact.
func TestGraphMLWellFormed(t *testing.T) {
	g := load(t, "testdata/model.yaml")
	for _, all := range []bool{false, true} {
		data := export(t, g, FormatGraphML, Options{All: all})
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("not well-formed: %v", err)
			}
		}
		var doc graphML
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Graph.EdgeDefault != "directed" {
			t.Errorf("edgedefault %q", doc.Graph.EdgeDefault)
		}
		keys := map[string]string{}
		for _, k := range doc.Keys {
			keys[k.ID] = k.For
		}
		nodes := map[string]bool{}
		labels := map[string]string{}
		for _, n := range doc.Graph.Nodes {
			if nodes[n.ID] {
				t.Errorf("duplicate node id %s", n.ID)
			}
			nodes[n.ID] = true
			var label, name string
			for _, d := range n.Data {
				if keys[d.Key] != "node" {
					t.Errorf("node %s: undeclared key %q", n.ID, d.Key)
				}
				switch d.Key {
				case "label":
					label = d.Value
				case "name":
					name = d.Value
				}
			}
			labels[label] = name
		}
		if want := len(Selected(g, Options{All: all})); len(nodes) != want {
			t.Errorf("all=%v: %d nodes, want %d", all, len(nodes), want)
		}
		if got := labels["shop"]; got != `Shop & Co "<script>alert(1)</script>"` {
			t.Errorf("name of shop did not survive the round trip: %q", got)
		}
		for _, e := range doc.Graph.Edges {
			if !nodes[e.Source] || !nodes[e.Target] {
				t.Errorf("edge %s: %s → %s points outside the graph", e.ID, e.Source, e.Target)
			}
			for _, d := range e.Data {
				if keys[d.Key] != "edge" {
					t.Errorf("edge %s: undeclared key %q", e.ID, d.Key)
				}
			}
		}
		if bytes.Contains(data, []byte("<script>")) {
			t.Error("raw <script> in GraphML")
		}
	}
}

// TestMermaid checks the chart's syntax invariants: the header, safe node
// ids, balanced subgraphs, quoted labels with no raw quote or markup
// inside, dashed failover edges and labelled weighted edges.
func TestMermaid(t *testing.T) {
	g := load(t, "testdata/model.yaml")
	out := string(export(t, g, FormatMermaid, Options{All: true}))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "%%") || lines[1] != "flowchart LR" {
		t.Fatalf("header: %q", lines[:2])
	}
	nodeLine := regexp.MustCompile(`^    n\d+(\(\["[^"]*"\]\)|\{\{"[^"]*"\}\}|\["[^"]*"\])$`)
	edgeLine := regexp.MustCompile(`^  n\d+ (-->|-\.->)(\|"[^"|]*"\|)? n\d+$`)
	subgraph := regexp.MustCompile(`^  subgraph o\d+\["[^"]*"\]$`)
	depth := 0
	var dashed, labelled int
	for _, l := range lines[2:] {
		switch {
		case subgraph.MatchString(l):
			depth++
		case l == "  end":
			depth--
		case nodeLine.MatchString(l):
			if depth != 1 {
				t.Errorf("node outside a subgraph: %q", l)
			}
		case edgeLine.MatchString(l):
			if strings.Contains(l, "-.->") {
				dashed++
			}
			if strings.Contains(l, `|"`) {
				labelled++
			}
		default:
			t.Errorf("unexpected line %q", l)
		}
		if strings.Contains(l, "<script") || strings.Contains(l, "<br/><") {
			t.Errorf("markup from the model in %q", l)
		}
	}
	if depth != 0 {
		t.Errorf("unbalanced subgraphs: depth %d", depth)
	}
	if dashed != 5 {
		t.Errorf("dashed edges: got:%d want:5 (2 + 3 failover members)", dashed)
	}
	if labelled != 5 {
		t.Errorf("labelled edges: got:%d want:5 (impact 0.3, one of unknown share and three 2-of-3 members)", labelled)
	}
}

func TestMermaidText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{`a "b"`, "a #34;b#34;"},
		{"<script>", "#60;script#62;"},
		{"50% | #1 & `x`", "50#37; #124; #35;1 #38; #96;x#96;"},
		{"two\nlines", "two lines"},
	} {
		if got := mermaidEscape(tt.in); got != tt.want {
			t.Errorf("mermaidEscape(%q): got:%q want:%q", tt.in, got, tt.want)
		}
	}
}

// cdxDoc is the shape check's view of a CycloneDX BOM.
type cdxDoc struct {
	BOMFormat    string `json:"bomFormat"`
	SpecVersion  string `json:"specVersion"`
	SerialNumber string `json:"serialNumber"`
	Version      *int   `json:"version"`
	Services     []cdxDocService
	Dependencies []struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	} `json:"dependencies"`
}

type cdxDocService struct {
	BOMRef   string          `json:"bom-ref"`
	Name     string          `json:"name"`
	Services []cdxDocService `json:"services"`
}

// serialPattern is serialNumber's pattern in bom-1.6.schema.json.
var serialPattern = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkCycloneDX checks the fields and invariants the 1.6 schema and
// specification require of a services BOM; spec is the version expected.
func checkCycloneDX(t *testing.T, data []byte, spec string, refsMustResolve bool) cdxDoc {
	t.Helper()
	var doc cdxDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.BOMFormat != "CycloneDX" || doc.SpecVersion != spec || doc.Version == nil || *doc.Version < 1 {
		t.Errorf("header: bomFormat %q specVersion %q version %v", doc.BOMFormat, doc.SpecVersion, doc.Version)
	}
	if !serialPattern.MatchString(doc.SerialNumber) {
		t.Errorf("serialNumber %q does not match the schema's pattern", doc.SerialNumber)
	}
	if len(doc.Services) == 0 {
		t.Error("no services")
	}
	refs := map[string]bool{}
	var walk func([]cdxDocService)
	walk = func(ss []cdxDocService) {
		for _, s := range ss {
			if s.Name == "" {
				t.Errorf("service %q without a name (required)", s.BOMRef)
			}
			if refs[s.BOMRef] {
				t.Errorf("duplicate bom-ref %q", s.BOMRef)
			}
			refs[s.BOMRef] = true
			walk(s.Services)
		}
	}
	walk(doc.Services)
	if refsMustResolve {
		seen := map[string]bool{}
		for _, d := range doc.Dependencies {
			if !refs[d.Ref] {
				t.Errorf("dependency ref %q is no service", d.Ref)
			}
			if seen[d.Ref] {
				t.Errorf("ref %q listed twice in dependencies", d.Ref)
			}
			seen[d.Ref] = true
			for _, x := range d.DependsOn {
				if !refs[x] {
					t.Errorf("%s dependsOn unknown %q", d.Ref, x)
				}
			}
		}
		for r := range refs {
			if !seen[r] {
				t.Errorf("service %q missing from dependencies (must be listed, even with none)", r)
			}
		}
	}
	return doc
}

// TestCycloneDXShape checks the export against the schema's required
// fields and the graph's invariants, and checks the same shape check on
// the real CycloneDX examples so that the check itself is not too narrow.
func TestCycloneDXShape(t *testing.T) {
	g := load(t, "testdata/model.yaml")
	data := export(t, g, FormatCycloneDX, Options{})
	doc := checkCycloneDX(t, data, "1.6", true)
	if len(doc.Services) != len(Selected(g, Options{})) {
		t.Errorf("got %d services, want %d", len(doc.Services), len(Selected(g, Options{})))
	}
	// The serial number follows the content.
	other := export(t, g, FormatCycloneDX, Options{All: true})
	if checkCycloneDX(t, other, "1.6", true).SerialNumber == doc.SerialNumber {
		t.Error("different BOMs share a serial number")
	}

	dir := "../../../shared/data/cyclonedx"
	for _, tt := range []struct{ file, spec string }{
		{"valid-saasbom-1.6.json", "1.6"},
		{"valid-service-1.6.json", "1.6"},
		{"saasbom-apigateway-microservices-datastores-1.4.json", "1.4"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			real, err := os.ReadFile(filepath.Join(dir, tt.file))
			if errors.Is(err, os.ErrNotExist) {
				t.Skipf("%s absent: the real CycloneDX examples live in ../shared/data/cyclonedx", tt.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			checkCycloneDX(t, real, tt.spec, false)
		})
	}
}

func TestUUIDv5(t *testing.T) {
	// RFC 9562 appendix A.4: name "www.example.com" in the DNS name space.
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got, want := uuidV5(dns, []byte("www.example.com")), "2ed6657d-e927-568b-95e1-2665a8aea6a2"; got != want {
		t.Errorf("got:%s want:%s", got, want)
	}
}
