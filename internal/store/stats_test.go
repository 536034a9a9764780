package store

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func si(impact feed.Impact, start, end float64, comps ...string) statIncident {
	inc := statIncident{impact: impact, start: h(start), components: comps}
	if end >= 0 {
		r := h(end)
		inc.resolved = &r
	}
	return inc
}

const open = -1 // si end for an unresolved incident

// The window of the computeStats tests is [0, 1000) hours.
var computeStatsTests = []struct {
	name string
	incs []statIncident
	want Stats // Feed, Component, From, To, WindowHours and MinorWeight are filled in
}{
	{"empty", nil, Stats{}},
	{
		"one major",
		[]statIncident{si(feed.ImpactMajor, 100, 110)},
		Stats{Incidents: 1, Major: 1, MajorHours: 10, MTTRHours: 10, MTTRSamples: 1, Unavailability: ptr(0.01)},
	},
	{
		"critical counts as major, overlap merged",
		[]statIncident{si(feed.ImpactMajor, 100, 110), si(feed.ImpactCritical, 105, 120)},
		Stats{Incidents: 2, Major: 2, MajorHours: 20, MTTRHours: 12.5, MTTRSamples: 2, Unavailability: ptr(0.02)},
	},
	{
		"minor weighted, under major not double counted",
		[]statIncident{si(feed.ImpactMajor, 100, 110), si(feed.ImpactMinor, 90, 130)},
		Stats{Incidents: 2, Major: 1, Minor: 1, MajorHours: 10, MinorHours: 30, MTTRHours: 25, MTTRSamples: 2, Unavailability: ptr((10 + 0.5*30) / 1000.0)},
	},
	{
		"maintenance excluded",
		[]statIncident{si(feed.ImpactMaintenance, 100, 500)},
		Stats{},
	},
	{
		"impact none counts as incident, no downtime",
		[]statIncident{si(feed.ImpactNone, 100, 102), si("", 200, 201)},
		Stats{Incidents: 2, Other: 2, MTTRHours: 1.5, MTTRSamples: 2},
	},
	{
		"open incident counts until window end",
		[]statIncident{si(feed.ImpactMajor, 900, open)},
		Stats{Incidents: 1, Major: 1, Open: 1, MajorHours: 100, Unavailability: ptr(0.1)},
	},
	{
		"started before window: downtime clipped, not counted as incident",
		[]statIncident{si(feed.ImpactMajor, -50, 20)},
		Stats{MajorHours: 20, Unavailability: ptr(0.02)},
	},
	{
		"resolved after window end is open at the end",
		[]statIncident{si(feed.ImpactMinor, 990, 1010)},
		Stats{Incidents: 1, Minor: 1, Open: 1, MinorHours: 10, MTTRHours: 20, MTTRSamples: 1, Unavailability: ptr(0.005)},
	},
	{
		"back-filled zero duration left out of MTTR",
		[]statIncident{si(feed.ImpactMajor, 100, 100), si(feed.ImpactMajor, 200, 204)},
		Stats{Incidents: 2, Major: 2, MajorHours: 4, MTTRHours: 4, MTTRSamples: 1, ZeroDuration: 1, Unavailability: ptr(0.004)},
	},
	{
		"started after window ignored",
		[]statIncident{si(feed.ImpactMajor, 1100, open)},
		Stats{},
	},
}

func TestComputeStats(t *testing.T) {
	from, to := h(0), h(1000)
	years := 1000 / hoursPerYear
	for _, tt := range computeStatsTests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			want.Feed, want.Component, want.From, want.To, want.WindowHours, want.MinorWeight = "f", "c", from, to, 1000, 0.5
			want.IncidentsPerYear = float64(want.Incidents) / years
			want.MajorHoursPerYear = want.MajorHours / years
			want.MinorHoursPerYear = want.MinorHours / years
			if want.Unavailability == nil {
				want.Unavailability = ptr(0.0)
			}
			got := computeStats("f", "c", tt.incs, from, to, 0.5)
			if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestStoreStats(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	doc := &feed.Document{
		Source: feed.Source{Format: feed.FormatStatuspage},
		Incidents: []feed.Incident{
			{ID: "a", Impact: feed.ImpactMajor, StartedAt: h(10), ResolvedAt: ptr(h(20)), UpdatedAt: h(20), Components: []string{"API"}},
			{ID: "b", Impact: feed.ImpactMinor, StartedAt: h(15), ResolvedAt: ptr(h(40)), UpdatedAt: h(40), Components: []string{"API", "Web"}},
			{ID: "m", Impact: feed.ImpactMaintenance, StartedAt: h(0), ResolvedAt: ptr(h(100)), UpdatedAt: h(100), Components: []string{"DB"}},
		},
		Components: []feed.Component{{ID: "1", Name: "API"}, {ID: "2", Name: "Web"}, {ID: "3", Name: "Idle"}},
	}
	if _, err := s.Record(ctx, "vendor", doc, FetchRecord{}); err != nil {
		t.Fatal(err)
	}
	w := 1.0
	got, err := s.Stats(ctx, StatsQuery{ByComponent: true, From: h(0), To: h(100), MinorWeight: &w})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Component         string
		Incidents         int
		MajorHours, Minor float64
		Unavailability    float64
	}
	var rows []row
	for _, g := range got {
		rows = append(rows, row{g.Component, g.Incidents, g.MajorHours, g.MinorHours, *g.Unavailability})
	}
	want := []row{
		{"", 2, 10, 20, 0.30},    // feed: major 10–20, minor 15–40 minus major = 20–40
		{"API", 2, 10, 20, 0.30}, // same incidents
		{"Idle", 0, 0, 0, 0},     // listed, never affected
		{"Web", 1, 0, 25, 0.25},  // only the minor one
	}
	if diff := cmp.Diff(want, rows, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// Default window: the observed span, from the earliest stored record
	// (the maintenance at hour 0) to the last fetch, cut at now.
	s.now = func() time.Time { return h(110) }
	got, err = s.Stats(ctx, StatsQuery{Components: []string{"Web"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].From.Equal(h(0)) || !got[0].To.Equal(h(110)) || got[1].Component != "Web" {
		t.Errorf("default window / component filter: %+v", got)
	}
	if got, err := s.Stats(ctx, StatsQuery{Feeds: []string{"nope"}}); err != nil || len(got) != 1 || got[0].Unavailability != nil || got[0].Reason != ReasonNeverIngested {
		t.Errorf("a feed never ingested: got %+v, %v; want unknown unavailability, reason %q", got, err, ReasonNeverIngested)
	}
	bad := 2.0
	if _, err := s.Stats(ctx, StatsQuery{MinorWeight: &bad}); err == nil {
		t.Error("minor weight 2 accepted")
	}
	if _, err := s.Stats(ctx, StatsQuery{From: h(5), To: h(1)}); err == nil {
		t.Error("inverted window accepted")
	}
}

func ptr[T any](v T) *T { return &v }

// TestStatsAnyOfAndOpenIncidents: a node standing for a component renamed
// over time gets one row over both names, and an open incident counts only
// until the last fetch that saw it open.
func TestStatsAnyOfAndOpenIncidents(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	doc := &feed.Document{
		Source: feed.Source{Format: feed.FormatStatuspage},
		Incidents: []feed.Incident{
			{ID: "old", Impact: feed.ImpactMajor, StartedAt: h(10), ResolvedAt: ptr(h(20)), UpdatedAt: h(20), Components: []string{"GitHub Packages"}},
			{ID: "new", Impact: feed.ImpactMajor, StartedAt: h(30), UpdatedAt: h(31), Components: []string{"Packages"}},
			{ID: "other", Impact: feed.ImpactMajor, StartedAt: h(50), ResolvedAt: ptr(h(60)), UpdatedAt: h(60), Components: []string{"Pages"}},
		},
	}
	// Seen at hour 40: the open incident is known open until then.
	if _, err := s.Record(ctx, "gh", doc, FetchRecord{FetchedAt: h(40)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Stats(ctx, StatsQuery{AnyOf: []string{"GitHub Packages", "Packages"}, From: h(0), To: h(100)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d rows, want 1", len(got))
	}
	if g := got[0]; g.Incidents != 2 || g.Open != 1 || math.Abs(g.MajorHours-20) > 1e-9 || g.Component != "GitHub Packages, Packages" {
		t.Errorf("got:%+v want 2 incidents, 1 open, 20 major hours (10–20 and 30–40)", g)
	}
}

// TestStatsNoDataIsNoData: a feed never read, a node never ingested and
// years without data are unknown, never healthy (issue 16 item 5).
func TestStatsNoDataIsNoData(t *testing.T) {
	ctx := context.Background()
	s := openTest(t) // now is 2025-03-01
	// A feed whose every fetch failed.
	if _, err := s.Record(ctx, "broken", nil, FetchRecord{URL: "u", Error: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	// Saved history that ends in 2024-01 (hours from t0 = 2024-01-01),
	// ingested offline: the fetch time is the snapshot's.
	hist := &feed.Document{Source: feed.Source{Format: feed.FormatStatuspage}, Incidents: []feed.Incident{
		{ID: "a", Impact: feed.ImpactMajor, StartedAt: h(0), ResolvedAt: ptr(h(10)), UpdatedAt: h(10)},
		{ID: "b", Impact: feed.ImpactMajor, StartedAt: h(90), ResolvedAt: ptr(h(100)), UpdatedAt: h(100)},
	}}
	if _, err := s.Record(ctx, "hist", hist, FetchRecord{URL: "u", FetchedAt: h(50)}); err != nil {
		t.Fatal(err)
	}
	// A plain RSS item never resolved, live for a day.
	plain := &feed.Document{Source: feed.Source{Format: feed.FormatRSS}, Incidents: []feed.Incident{
		{ID: "p", Impact: feed.ImpactMajor, StartedAt: h(0), UpdatedAt: h(0), Extra: map[string]any{"live_until": h(24).Format(time.RFC3339)}},
	}}
	if _, err := s.Record(ctx, "plain", plain, FetchRecord{URL: "u", FetchedAt: h(100)}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		q          StatsQuery
		wantU      *float64
		wantReason string
		wantTo     time.Time
	}{
		{"never read", StatsQuery{Feeds: []string{"broken"}}, nil, ReasonNeverRead, time.Time{}},
		{"never ingested", StatsQuery{Feeds: []string{"nobody"}}, nil, ReasonNeverIngested, time.Time{}},
		{"history measured over its own span, not to today", StatsQuery{Feeds: []string{"hist"}}, ptr(0.2), "", h(100)},
		{"a window past the data is cut to it", StatsQuery{Feeds: []string{"hist"}, From: h(0), To: h(10000)}, ptr(0.2), "", h(100)},
		{"a window with no data", StatsQuery{Feeds: []string{"hist"}, From: h(200), To: h(300)}, nil, ReasonNoWindow, h(200)},
		{"plain item counts until live_until", StatsQuery{Feeds: []string{"plain"}}, ptr(0.24), "", h(100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Stats(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d rows", len(got))
			}
			g := got[0]
			if (g.Unavailability == nil) != (tt.wantU == nil) || (g.Unavailability != nil && math.Abs(*g.Unavailability-*tt.wantU) > 1e-9) {
				t.Errorf("unavailability = %v, want %v", deref(g.Unavailability), deref(tt.wantU))
			}
			if g.Reason != tt.wantReason {
				t.Errorf("reason = %q, want %q", g.Reason, tt.wantReason)
			}
			if !tt.wantTo.IsZero() && !g.To.Equal(tt.wantTo) {
				t.Errorf("window ends %v, want %v", g.To, tt.wantTo)
			}
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
