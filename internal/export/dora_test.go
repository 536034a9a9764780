package export

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/importer"
	"github.com/depgraph/depgraph/internal/ingest"
)

// importDORA imports a register package folder (no catalogs to map onto)
// and returns the result and its model written to dir/name.
func importDORA(t *testing.T, pkg, dir, name string) (*importer.DORAResult, string) {
	t.Helper()
	in, err := importer.ReadDORA(pkg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.DORA(in, importer.Options{Org: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteYAML(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return res, p
}

type provider struct{ code, name, country string }

func providers(r *importer.DORAResult) []provider {
	var out []provider
	for _, p := range r.Providers {
		out = append(out, provider{p.Code, p.Name, p.Country})
	}
	slices.SortFunc(out, func(a, b provider) int { return cmpStr(a.code, b.code) })
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestDORARoundTrip imports the constructed register, exports B_05.01
// and B_05.02 from the model, and imports that again: the providers and
// the supply-chain edges (with ranks) are the same.
func TestDORARoundTrip(t *testing.T) {
	dir := t.TempDir()
	first, model1 := importDORA(t, "../importer/testdata/dora", dir, "first.yaml")
	if len(first.Chain) != 2 {
		t.Fatalf("fixture chain = %v, want hosting under core banking (rank 2) and aws under hosting (rank 3)", first.Chain)
	}
	res, err := ingest.Load(ingest.Options{Paths: []string{model1}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	reg := BuildDORA(g)
	if len(reg.Warnings) != 0 {
		t.Errorf("warnings: %v", reg.Warnings)
	}
	out := filepath.Join(dir, "package")
	if err := WriteDORADir(out, reg); err != nil {
		t.Fatal(err)
	}
	if err := WriteDORADir(out, reg); err == nil {
		t.Error("writing over an existing folder: no error")
	}
	for _, f := range []string{"META-INF/reportPackage.json", "reports/report.json", "reports/b_05.01.csv", "reports/b_05.02.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	second, _ := importDORA(t, out, dir, "second.yaml")
	if a, b := providers(first), providers(second); !slices.Equal(a, b) {
		t.Errorf("providers:\nfirst  %v\nsecond %v", a, b)
	}
	if !slices.Equal(first.Chain, second.Chain) {
		t.Errorf("chain:\nfirst  %v\nsecond %v", first.Chain, second.Chain)
	}
	// rank-1 rows keep the contracts of the register.
	want := []DORAChain{
		{Contract: "CA-001", Service: "S01", Provider: "TESTLEI0000000000004", CodeType: "LEI", Rank: 1, Recipient: "TESTLEI0000000000004", RecipientType: "LEI"},
		{Contract: "CA-001", Service: "S01", Provider: "TESTLEI0000000000005", CodeType: "LEI", Rank: 2, Recipient: "TESTLEI0000000000004", RecipientType: "LEI"},
		{Contract: "CA-001", Service: "S01", Provider: "TESTLEI0000000000001", CodeType: "LEI", Rank: 3, Recipient: "TESTLEI0000000000005", RecipientType: "LEI"},
		{Contract: "CA-002", Service: "S02", Provider: "TESTLEI0000000000002", CodeType: "LEI", Rank: 1, Recipient: "TESTLEI0000000000002", RecipientType: "LEI"},
		{Contract: "CA-003", Service: "S03", Provider: "TESTLEI0000000000003", CodeType: "LEI", Rank: 1, Recipient: "TESTLEI0000000000003", RecipientType: "LEI"},
	}
	if !slices.Equal(reg.Chain, want) {
		t.Errorf("B_05.02 rows:\ngot  %v\nwant %v", reg.Chain, want)
	}
}
