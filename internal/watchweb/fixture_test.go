package watchweb

import (
	"time"

	"github.com/depgraph/depgraph/internal/watch"
)

// t0 is the first cycle's time in the fixtures.
var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

const interval = 30 * time.Second

// clock is a settable clock for Options.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func tp(t time.Time) *time.Time { return &t }

// openSnapshot is cycle 1 of an AWS us-east-1 outage seen through two
// vendors (the 2021-12-07 pattern): checkout and payments are impaired,
// stripe and auth0 report, one feed cannot be read.
func openSnapshot() *watch.Snapshot {
	inc := []watch.Incident{
		{Node: "stripe", ID: "inc-1", Title: "Elevated API errors", URL: "https://status.stripe.com/incidents/inc-1"},
		{Node: "auth0", ID: "a-7", Title: "Login latency", URL: "https://status.auth0.com/incidents/a-7"},
	}
	sit := watch.Situation{
		ID:    "s-aws-use1",
		State: "open",
		Finding: watch.Finding{
			Roots:            []string{"aws/us-east-1"},
			Probability:      0.93,
			Layer:            "fourth party",
			AffectedServices: []string{"checkout", "payments"},
			Reporting:        []string{"auth0", "stripe"},
			Incidents:        inc,
		},
		Paths: [][]string{
			{"checkout", "stripe", "aws/us-east-1"},
			{"payments", "stripe", "aws/us-east-1"},
			{"checkout", "auth0", "aws/us-east-1"},
		},
		Unknown:   []string{},
		OpenedAt:  t0,
		UpdatedAt: t0,
	}
	return &watch.Snapshot{
		SchemaVersion:   watch.SchemaVersion,
		At:              t0,
		Cycle:           1,
		IntervalSeconds: interval.Seconds(),
		Open:            []watch.Situation{sit},
		Resolved:        []watch.Situation{},
		Pending:         []watch.Situation{},
		Events: []watch.Event{{
			SchemaVersion: watch.SchemaVersion, Event: watch.Opened, Situation: sit.ID, At: t0,
			Finding: sit.Finding,
			Unknown: []string{}, UnreadableFeeds: []string{}, UnknownServices: []string{}, Changes: []string{},
		}},
		Feeds: []watch.FeedState{
			{Key: "stripe", URL: "https://status.stripe.com/api/v2/summary.json", Nodes: []string{"stripe"}, Read: true, LastSuccess: tp(t0), Errors: 0},
			{Key: "auth0", URL: "https://status.auth0.com/feed", Nodes: []string{"auth0"}, Read: true, LastSuccess: tp(t0.Add(-time.Minute)), Errors: 2},
			{Key: "datadog", URL: "https://status.datadoghq.com/feed", Nodes: []string{"datadog"}, Read: false, LastError: "HTTP 503", Errors: 4},
		},
		Nodes: []watch.NodeState{
			{Node: "aws/us-east-1", Kind: "region", Reported: 0, Impairment: 0.93},
			{Node: "stripe", Kind: "vendor", Reported: 0.6, Impairment: 0.6},
			{Node: "auth0", Kind: "vendor", Reported: 0.3, Impairment: 0.3},
			{Node: "checkout", Kind: "service", Impairment: 0.7},
			{Node: "payments", Kind: "service", Impairment: 0.6},
			{Node: "datadog", Kind: "vendor", Unknown: true},
		},
	}
}

// resolvedSnapshot is cycle 2: the outage is over, every feed was read,
// and auth0 and datadog are gone from the model.
func resolvedSnapshot() *watch.Snapshot {
	s := openSnapshot()
	t1 := t0.Add(interval)
	sit := s.Open[0]
	sit.State = "resolved"
	sit.ResolvedAt = tp(t1)
	sit.UpdatedAt = t1
	s.At, s.Cycle = t1, 2
	s.Open = []watch.Situation{}
	s.Resolved = []watch.Situation{sit}
	s.Events = append([]watch.Event{{
		SchemaVersion: watch.SchemaVersion, Event: watch.Resolved, Situation: sit.ID, At: t1,
		Finding: watch.Finding{Roots: sit.Roots, Probability: sit.Probability, Layer: sit.Layer,
			AffectedServices: sit.AffectedServices, Reporting: sit.Reporting, Incidents: []watch.Incident{}},
		Unknown: []string{}, UnreadableFeeds: []string{}, UnknownServices: []string{}, Changes: []string{},
	}}, s.Events...)
	s.Feeds = []watch.FeedState{
		{Key: "stripe", URL: "https://status.stripe.com/api/v2/summary.json", Nodes: []string{"stripe"}, Read: true, LastSuccess: tp(t1), Errors: 0},
	}
	s.Nodes = []watch.NodeState{
		{Node: "aws/us-east-1", Kind: "region"},
		{Node: "stripe", Kind: "vendor"},
		{Node: "checkout", Kind: "service"},
		{Node: "payments", Kind: "service"},
	}
	return s
}
