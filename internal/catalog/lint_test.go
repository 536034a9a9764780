package catalog

import (
	"path/filepath"
	"strings"
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
		"dates.yaml:13:9: error: source https://vend.example/undated of vend has no as_of date: give the date it states (published) or the day it was read (read), or mark it verified: false",
	}},
	{file: "shares.yaml", want: []string{
		"shares.yaml:15:9: error: dependency ai → gpu has impact 0.25 but no source for its share: add sources: [{url: ..., as_of: ...}] to the entry, or write impact: unknown",
	}},
	{file: "published.yaml", want: []string{
		"published.yaml:10:9: error: source https://ai.example/postmortem of ai: as_of 2026-09-28 is after the date the source states (published 2025-09-17): its facts date from 2025-09-17",
		"published.yaml:12:9: warning: source https://ai.example/memory of ai is unverified (verified: false): nobody has read it for this fact",
		"published.yaml:13:9: error: source https://ai.example/both of ai is marked verified: false but has as_of 2026-01-01: an unverified source has no date",
		"published.yaml:14:9: error: source https://ai.example/early of ai: read 2026-02-01 before it was published (2026-03-01)",
	}},
	// 2026-09-28 on five hosts is a placeholder; 2026-10-01 is a declared
	// read date; 2026-10-02 is on four hosts only.
	{file: "placeholder.yaml", want: []string{
		"placeholder.yaml:10:9: error: as_of 2026-09-28 is a shared placeholder: 5 sources here and 5 in all, of 5 different hosts, carry it, and none states it (published) or was read that day (read); give each source the date it states, or the day it was read, or mark it verified: false",
	}},
	// heroku is in KnownStatusPages, vend cites its own status page; quiet
	// has none, watched has its block, gone says status_page: none, and
	// cites-others cites another vendor's page.
	{file: "status.yaml", want: []string{
		"status.yaml:6:5: error: vendor heroku has a public status page (https://status.heroku.com) but no node with a status block: add status: {type: ..., url: ...}",
		"status.yaml:12:5: error: vendor vend has a public status page (https://status.vend.example/incidents/1) but no node with a status block: add status: {type: ..., url: ...}",
		"status.yaml:35:5: warning: vendor bespoke has a status page (https://status.bespoke.example) that no feed type reads (meta status_feed: none): its incidents reach no node",
	}},
	{file: "aliases.yaml", want: []string{
		`aliases.yaml:14:9: error: alias "iad" of aws/us-east-1 is claimed by more than one node (alias of aws/us-east-1, alias of other): imports and the diagnosis could not tell them apart`,
		`aliases.yaml:19:5: error: alias "amazon web services" of other is claimed by more than one node (name of aws, alias of other): imports and the diagnosis could not tell them apart`,
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
				t.Errorf("Lint (-want +got):\n%s\ngot:\n%s", diff, strings.Join(got, "\n"))
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
			Sources: []model.Source{{URL: "u", Unverified: true}}},
		want: []Finding{{Pos: model.Pos{File: "f", Line: 1}, Severity: SeverityWarning, Message: "source u of v is unverified (verified: false): nobody has read it for this fact"}},
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
			wantErrs := 0
			for _, f := range tt.want {
				if f.Severity == SeverityError {
					wantErrs++
				}
			}
			if e := Errors(got); e != wantErrs {
				t.Errorf("Errors = %d, want %d", e, wantErrs)
			}
		})
	}
}
