package importer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/model"
)

func TestDORAFixture(t *testing.T) {
	in, err := ReadDORA("testdata/dora")
	if err != nil {
		t.Fatal(err)
	}
	known := []*model.Node{
		{ID: "aws", Kind: model.KindVendor, Name: "Amazon Web Services", Origin: "catalog:aws"},
		{ID: "stripe", Kind: model.KindVendor, Name: "Stripe", Origin: "catalog:stripe"},
	}
	res, err := DORA(in, Options{Org: "acme", Known: known})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range res.Providers {
		got[p.Code] = p.Node
	}
	want := map[string]string{
		"TESTLEI0000000000001": "aws", "TESTLEI0000000000002": "stripe", "TESTLEI0000000000003": "snowflake-inc",
		"TESTLEI0000000000004": "example-core-banking-gmbh", "TESTLEI0000000000005": "example-hosting-b.v",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("provider %s → %q, want %q", k, got[k], v)
		}
	}
	wantChain := []DORAEdge{{From: "example-core-banking-gmbh", To: "example-hosting-b.v", Rank: 2}, {From: "example-hosting-b.v", To: "aws", Rank: 3}}
	if len(res.Chain) != 2 || res.Chain[0] != wantChain[0] || res.Chain[1] != wantChain[1] {
		t.Errorf("chain = %v, want %v", res.Chain, wantChain)
	}
	if len(res.Functions) != 3 || res.Functions[0].ID != "acme/payments" || len(res.Functions[0].DependsOn) != 2 {
		t.Errorf("functions = %+v", res.Functions)
	}
	var buf bytes.Buffer
	if err := res.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"include: [aws, stripe]", "- extend: aws", "{id: aws, impact: unknown}", "code: TESTLEI0000000000004", "contract: CA-001"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("model lacks %q:\n%s", s, buf.String())
		}
	}
}

func TestDORAErrors(t *testing.T) {
	providers := "c0010,c0020,c0030,c0040,c0050\nP1,LEI,0,,One Ltd\nP2,LEI,0,,Two Ltd\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no providers", map[string]string{"b_06.01.csv": "c0010,c0020,c0030\nF1,,Pay\n"}, "no b_05.01.csv"},
		{"unknown recipient", map[string]string{"b_05.01.csv": providers, "b_05.02.csv": "c0010,c0020,c0030,c0040,c0050,c0060\nC1,S01,P2,LEI,2,P9\n"}, `b_05.02.csv:2: recipient "P9"`},
		{"bad rank", map[string]string{"b_05.01.csv": providers, "b_05.02.csv": "c0010,c0020,c0030,c0040,c0050,c0060\nC1,S01,P2,LEI,two,P1\n"}, `b_05.02.csv:2: rank "two"`},
		{"unknown function", map[string]string{"b_05.01.csv": providers, "b_02.02.csv": "c0010,c0020,c0030,c0040,c0050\nC1,E,P1,LEI,F7\n"}, `function "F7" is not in b_06.01`},
		{"bad csv", map[string]string{"b_05.01.csv": "c0010\n\"P1\n"}, "b_05.01.csv:2:"},
		{"duplicate", map[string]string{"b_05.01.csv": providers + "P1,LEI,0,,One again\n"}, `provider "P1" is listed twice`},
		{"not a template", map[string]string{"b_99.csv": "x\n"}, "not a register template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []Input
			for name, data := range tt.files {
				in = append(in, Input{Name: name, Data: []byte(data)})
			}
			_, err := DORA(in, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadDORALayouts(t *testing.T) {
	dir := t.TempDir()
	wrapped := filepath.Join(dir, "wrapped", "pkg", "reports")
	plain := filepath.Join(dir, "plain")
	for _, d := range []string{wrapped, plain} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "b_05.01.csv"), []byte("c0010\nP1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{filepath.Join(dir, "wrapped"), plain} {
		if in, err := ReadDORA(d); err != nil || len(in) != 1 {
			t.Errorf("%s: %d files, %v", d, len(in), err)
		}
	}
	if _, err := ReadDORA(dir); err == nil {
		t.Error("a folder without templates: no error")
	}
}

func FuzzDORA(f *testing.F) {
	for _, name := range []string{"b_05.01.csv", "b_05.02.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata/dora/reports", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), "c0010,c0020,c0030,c0040,c0050,c0060\nCA,S01,TESTLEI0000000000001,LEI,2,TESTLEI0000000000004\n")
	}
	known := []*model.Node{{ID: "aws", Kind: model.KindVendor, Name: "Amazon Web Services"}}
	f.Fuzz(func(t *testing.T, b0501, b0502 string) {
		in := []Input{{Name: "b_05.01.csv", Data: []byte(b0501)}, {Name: "b_05.02.csv", Data: []byte(b0502)}}
		res, err := DORA(in, Options{Known: known})
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := res.WriteYAML(&buf); err != nil {
			t.Fatalf("write: %v", err)
		}
	})
}
