package watchweb

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/depgraph/depgraph/internal/watch"
)

// scrape GETs /metrics as Prometheus does (text format) and parses it
// with the reference parser.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	res, b := get(t, h, "/metrics")
	if res.StatusCode != 200 {
		t.Fatalf("/metrics: %d\n%s", res.StatusCode, b)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type: got:%q want the text format", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, b)
	}
	return fams
}

// sample is one metric's value under one label value ("" for none).
type sample struct {
	name, label string
	value       float64
}

// samples lists the depgraph_ samples of fams, sorted, with the type of
// each family.
func samples(t *testing.T, fams map[string]*dto.MetricFamily) ([]sample, map[string]dto.MetricType) {
	var out []sample
	types := map[string]dto.MetricType{}
	for name, f := range fams {
		if !strings.HasPrefix(name, "depgraph_") {
			continue
		}
		types[name] = f.GetType()
		for _, m := range f.GetMetric() {
			var v float64
			switch f.GetType() {
			case dto.MetricType_GAUGE:
				v = m.GetGauge().GetValue()
			case dto.MetricType_COUNTER:
				v = m.GetCounter().GetValue()
			default:
				t.Errorf("%s: unexpected type %v", name, f.GetType())
			}
			label := ""
			for _, l := range m.GetLabel() {
				label += l.GetName() + "=" + l.GetValue()
			}
			out = append(out, sample{name, label, v})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].label < out[j].label
	})
	return out, types
}

func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

var metricsTests = []struct {
	name  string
	snaps []*watch.Snapshot // given to Update in turn; the last is scraped
	want  []sample
}{
	{
		name: "before the first cycle",
		want: []sample{
			{"depgraph_events_total", "event=blind", 0},
			{"depgraph_events_total", "event=opened", 0},
			{"depgraph_events_total", "event=resolved", 0},
			{"depgraph_events_total", "event=updated", 0},
			{"depgraph_watch_cycles_total", "", 0},
		},
	},
	{
		name:  "open",
		snaps: []*watch.Snapshot{openSnapshot()},
		want: []sample{
			{"depgraph_events_total", "event=blind", 0},
			{"depgraph_events_total", "event=opened", 1},
			{"depgraph_events_total", "event=resolved", 0},
			{"depgraph_events_total", "event=updated", 0},
			{"depgraph_feed_errors_total", "feed=auth0", 2},
			{"depgraph_feed_errors_total", "feed=datadog", 4},
			{"depgraph_feed_errors_total", "feed=stripe", 0},
			{"depgraph_feed_last_success_timestamp_seconds", "feed=auth0", unix(t0.Add(-time.Minute))},
			{"depgraph_feed_last_success_timestamp_seconds", "feed=stripe", unix(t0)},
			{"depgraph_feed_up", "feed=auth0", 1},
			{"depgraph_feed_up", "feed=datadog", 0},
			{"depgraph_feed_up", "feed=stripe", 1},
			{"depgraph_node_impairment", "node=auth0", 0.3},
			{"depgraph_node_impairment", "node=aws/us-east-1", 0.93},
			{"depgraph_node_impairment", "node=checkout", 0.7},
			{"depgraph_node_impairment", "node=datadog", 0},
			{"depgraph_node_impairment", "node=payments", 0.6},
			{"depgraph_node_impairment", "node=stripe", 0.6},
			{"depgraph_node_reported_impairment", "node=auth0", 0.3},
			{"depgraph_node_reported_impairment", "node=aws/us-east-1", 0},
			{"depgraph_node_reported_impairment", "node=checkout", 0},
			{"depgraph_node_reported_impairment", "node=datadog", 0},
			{"depgraph_node_reported_impairment", "node=payments", 0},
			{"depgraph_node_reported_impairment", "node=stripe", 0.6},
			{"depgraph_node_unknown", "node=auth0", 0},
			{"depgraph_node_unknown", "node=aws/us-east-1", 0},
			{"depgraph_node_unknown", "node=checkout", 0},
			{"depgraph_node_unknown", "node=datadog", 1},
			{"depgraph_node_unknown", "node=payments", 0},
			{"depgraph_node_unknown", "node=stripe", 0},
			{"depgraph_situations_open", "", 1},
			{"depgraph_situations_pending", "", 0},
			{"depgraph_watch_cycles_total", "", 1},
			{"depgraph_watch_interval_seconds", "", 30},
			{"depgraph_watch_last_cycle_timestamp_seconds", "", unix(t0)},
		},
	},
	{
		// The nodes and feeds gone from the snapshot are gone from the
		// metrics; the opened event, still in the recent events, is not
		// counted twice.
		name:  "resolved",
		snaps: []*watch.Snapshot{openSnapshot(), resolvedSnapshot()},
		want: []sample{
			{"depgraph_events_total", "event=blind", 0},
			{"depgraph_events_total", "event=opened", 1},
			{"depgraph_events_total", "event=resolved", 1},
			{"depgraph_events_total", "event=updated", 0},
			{"depgraph_feed_errors_total", "feed=stripe", 0},
			{"depgraph_feed_last_success_timestamp_seconds", "feed=stripe", unix(t0.Add(interval))},
			{"depgraph_feed_up", "feed=stripe", 1},
			{"depgraph_node_impairment", "node=aws/us-east-1", 0},
			{"depgraph_node_impairment", "node=checkout", 0},
			{"depgraph_node_impairment", "node=payments", 0},
			{"depgraph_node_impairment", "node=stripe", 0},
			{"depgraph_node_reported_impairment", "node=aws/us-east-1", 0},
			{"depgraph_node_reported_impairment", "node=checkout", 0},
			{"depgraph_node_reported_impairment", "node=payments", 0},
			{"depgraph_node_reported_impairment", "node=stripe", 0},
			{"depgraph_node_unknown", "node=aws/us-east-1", 0},
			{"depgraph_node_unknown", "node=checkout", 0},
			{"depgraph_node_unknown", "node=payments", 0},
			{"depgraph_node_unknown", "node=stripe", 0},
			{"depgraph_situations_open", "", 0},
			{"depgraph_situations_pending", "", 0},
			{"depgraph_watch_cycles_total", "", 2},
			{"depgraph_watch_interval_seconds", "", 30},
			{"depgraph_watch_last_cycle_timestamp_seconds", "", unix(t0.Add(interval))},
		},
	},
	{
		// A state restored from the store: its events were emitted
		// before the server started and are not counted; the next
		// cycle's are.
		name:  "restored",
		snaps: []*watch.Snapshot{restored(openSnapshot()), blindNext(restored(openSnapshot()))},
		want: []sample{
			{"depgraph_events_total", "event=blind", 1},
			{"depgraph_events_total", "event=opened", 0},
			{"depgraph_events_total", "event=resolved", 0},
			{"depgraph_events_total", "event=updated", 0},
		},
	},
	{
		// Two identical events in one cycle count twice; seen again
		// in the next snapshot, not again.
		name:  "identical events",
		snaps: []*watch.Snapshot{twice(openSnapshot()), twice(openSnapshot())},
		want: []sample{
			{"depgraph_events_total", "event=blind", 0},
			{"depgraph_events_total", "event=opened", 2},
			{"depgraph_events_total", "event=resolved", 0},
			{"depgraph_events_total", "event=updated", 0},
		},
	},
}

// restored moves the snapshot's events an hour before the server starts.
func restored(s *watch.Snapshot) *watch.Snapshot {
	for i := range s.Events {
		s.Events[i].At = s.Events[i].At.Add(-time.Hour)
	}
	return s
}

// blindNext adds a blind event to the snapshot's next cycle.
func blindNext(s *watch.Snapshot) *watch.Snapshot {
	s.Cycle++
	s.At = s.At.Add(interval)
	s.Events = append([]watch.Event{{Event: watch.Blind, At: s.At, UnreadableFeeds: []string{"datadog"}}}, s.Events...)
	return s
}

func twice(s *watch.Snapshot) *watch.Snapshot {
	s.Events = append(s.Events, s.Events[0])
	return s
}

func TestMetrics(t *testing.T) {
	for _, tt := range metricsTests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(Options{Interval: interval, Now: (&clock{t: t0}).now})
			for _, s := range tt.snaps {
				srv.Update(s)
			}
			fams := scrape(t, srv.Handler())
			got, types := samples(t, fams)
			if tt.name == "restored" || tt.name == "identical events" {
				got = slices.DeleteFunc(got, func(s sample) bool { return s.name != "depgraph_events_total" })
			}
			if !equalSamples(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", fmtSamples(got), fmtSamples(tt.want))
			}
			for name, typ := range types {
				want := dto.MetricType_GAUGE
				if strings.HasSuffix(name, "_total") {
					want = dto.MetricType_COUNTER
				}
				if typ != want {
					t.Errorf("%s: type got:%v want:%v", name, typ, want)
				}
			}
			if fams["go_goroutines"] == nil {
				t.Error("no Go runtime metrics")
			}
		})
	}
}

func equalSamples(a, b []sample) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].name != b[i].name || a[i].label != b[i].label || diff(a[i].value, b[i].value) > 1e-6 {
			return false
		}
	}
	return true
}

func diff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

func fmtSamples(s []sample) string {
	var b strings.Builder
	for _, x := range s {
		fmt.Fprintf(&b, "  %s{%s} %g\n", x.name, x.label, x.value)
	}
	return b.String()
}

// TestMetricsHostileLabels checks that names with quotes, backslashes,
// newlines, invalid UTF-8 and repeats still give a scrape the reference
// parser reads, with every label value intact (invalid bytes as U+FFFD).
func TestMetricsHostileLabels(t *testing.T) {
	names := []string{`a"b`, `c\d`, "e\nf", "g\xffh", "<script>alert(1)</script>", "ok"}
	s := openSnapshot()
	s.Nodes = nil
	s.Feeds = nil
	for _, n := range names {
		s.Nodes = append(s.Nodes, watch.NodeState{Node: n, Impairment: 0.5})
		s.Feeds = append(s.Feeds, watch.FeedState{Key: n, Read: true})
	}
	s.Nodes = append(s.Nodes, watch.NodeState{Node: "ok", Impairment: 0.9}) // a repeat
	srv := New(Options{Interval: interval, NoRuntimeMetrics: true})
	srv.Update(s)
	fams := scrape(t, srv.Handler())
	f := fams["depgraph_node_impairment"]
	if f == nil {
		t.Fatal("no depgraph_node_impairment")
	}
	var got []string
	for _, m := range f.GetMetric() {
		got = append(got, m.GetLabel()[0].GetValue())
		if m.GetLabel()[0].GetValue() == "ok" && m.GetGauge().GetValue() != 0.5 {
			t.Errorf("the repeated node: got:%v want the first, 0.5", m.GetGauge().GetValue())
		}
	}
	want := []string{`a"b`, `c\d`, "e\nf", "g\uFFFDh", "<script>alert(1)</script>", "ok"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("labels got:%q want:%q", got, want)
	}
	if len(fams["depgraph_feed_up"].GetMetric()) != len(names) {
		t.Errorf("feeds: got:%d want:%d", len(fams["depgraph_feed_up"].GetMetric()), len(names))
	}
}
