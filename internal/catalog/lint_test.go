package catalog

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/google/go-cmp/cmp"
)

// lintNow is the fixed reference date of the lint tests.
var lintNow = time.Date(2026, 11, 27, 15, 4, 5, 0, time.UTC)

// lintFileTests load a fixture catalog through the real loader and lint it.
var lintFileTests = []struct {
	file string
	want []string
}{
	{file: "clean.yaml", want: nil},
	{file: "nosource.yaml", want: []string{
		"nosource.yaml:11:9: error: node vend/api has no source: add sources: [{url: ..., as_of: YYYY-MM-DD, note: ...}]",
	}},
	{file: "dates.yaml", want: []string{
		"dates.yaml:6:5: warning: node vend has no confidence (high, medium, low or unknown)",
		"dates.yaml:9:9: error: source https://vend.example/future of vend: as_of 2026-11-28 is in the future",
		"dates.yaml:12:9: warning: source https://vend.example/stale of vend: as_of 2025-11-26 is more than a year old: re-check it",
		"dates.yaml:13:9: error: source https://vend.example/undated of vend has no as_of date",
	}},
}

func TestLintFiles(t *testing.T) {
	for _, tt := range lintFileTests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "lint", tt.file)
			res, err := ingest.Load(ingest.Options{Paths: []string{path}})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			var got []string
			for _, f := range Lint(res.Model, lintNow) {
				f.Pos.File = filepath.Base(f.Pos.File)
				got = append(got, f.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lint (-want +got):\n%s", diff)
			}
		})
	}
}

// lintModelTests cover what the loader already refuses (unknown feed
// types, malformed dates), for models built by other means.
var lintModelTests = []struct {
	name string
	node model.Node
	want []Finding
}{
	{
		name: "unverified source without a date",
		node: model.Node{ID: "v", Confidence: "low", Pos: model.Pos{File: "f", Line: 1},
			Sources: []model.Source{{URL: "u", Verified: new(bool)}}},
	},
	{
		name: "unknown feed type",
		node: model.Node{ID: "v", Confidence: "low", Pos: model.Pos{File: "f", Line: 1},
			Sources: []model.Source{{URL: "u", AsOf: "2026-01-01"}},
			Status:  &model.Status{Type: "statuspag", URL: "https://s", Pos: model.Pos{File: "f", Line: 3}}},
		want: []Finding{{Pos: model.Pos{File: "f", Line: 3}, Severity: SeverityError,
			Message: `status of v: unknown feed type "statuspag" (known: statuspage, incidentio, gcp, aws-rss, aws-events, azure-rss, rss, atom, slack, upptime, instatus)`}},
	},
	{
		name: "status without url",
		node: model.Node{ID: "v", Confidence: "low", Pos: model.Pos{File: "f", Line: 1},
			Sources: []model.Source{{URL: "u", AsOf: "2026-01-01"}},
			Status:  &model.Status{Type: "rss"}},
		want: []Finding{{Pos: model.Pos{File: "f", Line: 1}, Severity: SeverityError, Message: "status of v has no url"}},
	},
	{
		name: "malformed date and missing url",
		node: model.Node{ID: "v", Confidence: "low", Pos: model.Pos{File: "f", Line: 1},
			Sources: []model.Source{{AsOf: "2026-1-1", Pos: model.Pos{File: "f", Line: 2}}}},
		want: []Finding{
			{Pos: model.Pos{File: "f", Line: 2}, Severity: SeverityError, Message: `source  of v: as_of "2026-1-1" is not a YYYY-MM-DD date`},
			{Pos: model.Pos{File: "f", Line: 2}, Severity: SeverityError, Message: "source of v has no url"},
		},
	},
	{
		name: "clean",
		node: model.Node{ID: "v", Confidence: "unknown", Sources: []model.Source{{URL: "u", AsOf: "2026-11-27"}},
			Status: &model.Status{Type: "aws-rss", URL: "https://s"}},
	},
}

func TestLintModel(t *testing.T) {
	for _, tt := range lintModelTests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.node
			got := Lint(&model.Model{Nodes: []*model.Node{&n}}, lintNow)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lint (-want +got):\n%s", diff)
			}
			if e := Errors(got); e != len(tt.want) {
				t.Errorf("Errors = %d, want %d", e, len(tt.want))
			}
		})
	}
}
