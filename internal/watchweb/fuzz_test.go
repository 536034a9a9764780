package watchweb

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/depgraph/depgraph/internal/watch"
)

// textSnapshot puts s in every string of a snapshot, every list non-nil.
func textSnapshot(s string) *watch.Snapshot {
	l := []string{s}
	sit := watch.Situation{
		ID: s, State: "open", Finding: watch.Finding{Roots: l, Probability: 0.5, Layer: s,
			AffectedServices: l, Reporting: l, Incidents: []watch.Incident{{Node: s, ID: s, Title: s, URL: s}}},
		Unknown:  l,
		Paths:    [][]string{{s, s}},
		OpenedAt: t0, UpdatedAt: t0,
	}
	return &watch.Snapshot{
		SchemaVersion: watch.SchemaVersion, At: t0, Cycle: 1, IntervalSeconds: 30,
		Open: []watch.Situation{sit}, Resolved: []watch.Situation{}, Pending: []watch.Situation{sit},
		Events: []watch.Event{{SchemaVersion: 1, Event: s, Situation: s, At: t0, Finding: watch.Finding{Roots: l, Layer: s,
			AffectedServices: l, Reporting: l, Incidents: []watch.Incident{}}, Unknown: l,
			UnreadableFeeds: l, UnknownServices: l, Changes: l}},
		Feeds: []watch.FeedState{{Key: s, URL: s, Nodes: l, LastSuccess: tp(t0), LastError: s, Errors: 1}},
		Nodes: []watch.NodeState{{Node: s, Kind: s, Reported: 1, Impairment: 1, Unknown: true}},
	}
}

// FuzzText checks that any text, in every string of the snapshot and in
// the model name, gives: a page with only its own script, whose hash the
// CSP still allows; JSON with no raw < or > (safe even if sniffed as
// HTML) that decodes back to the snapshot (valid UTF-8 text unchanged);
// metrics the reference parser reads; and a healthy /healthz.
func FuzzText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	for _, s := range []string{"", "a\x00b", "g\xffh", "\u2028", `\`, `"`, "}", "-->", "<!--", "]]>", "aws/us-east-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		srv := New(Options{Interval: interval, Model: s, Now: (&clock{t: t0}).now, NoRuntimeMetrics: true})
		snap := textSnapshot(s)
		srv.Update(snap)
		h := srv.Handler()

		res, page := get(t, h, "/")
		if n := bytes.Count(page, []byte("<script")); n != 1 {
			t.Errorf("the page has %d <script, want 1", n)
		}
		if n := bytes.Count(page, []byte("</script")); n != 1 {
			t.Errorf("the page has %d </script, want 1", n)
		}
		if !bytes.Contains(page, []byte("<script>"+pageScript+"</script>")) || !strings.Contains(res.Header.Get("Content-Security-Policy"), cspHash(pageScript)) {
			t.Error("the page's script changed or its hash is not allowed")
		}

		_, b := get(t, h, "/api/situations")
		if bytes.ContainsAny(b, "<>") {
			t.Errorf("raw < or > in the JSON: %s", b)
		}
		var got watch.Snapshot
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("decode: %v\n%s", err, b)
		}
		if utf8.ValidString(s) {
			if d := cmp.Diff(snap, &got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		}

		res, m := get(t, h, "/metrics")
		if res.StatusCode != 200 {
			t.Fatalf("/metrics: %d", res.StatusCode)
		}
		p := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := p.TextToMetricFamilies(bytes.NewReader(m))
		if err != nil {
			t.Fatalf("parse /metrics: %v\n%s", err, m)
		}
		if f := fams["depgraph_node_unknown"]; f == nil || len(f.GetMetric()) != 1 || f.GetMetric()[0].GetGauge().GetValue() != 1 {
			t.Errorf("depgraph_node_unknown: %v", f)
		}

		if res, b := get(t, h, "/healthz"); res.StatusCode != 200 {
			t.Errorf("/healthz: %d %s", res.StatusCode, b)
		}
	})
}
