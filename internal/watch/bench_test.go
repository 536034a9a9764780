package watch

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/diagnose"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/live"
	"github.com/depgraph/depgraph/internal/mention"
	"github.com/depgraph/depgraph/internal/testmodel"
)

// BenchmarkCycle measures one watch cycle's analysis and step on a
// generated model: a region fails and posts, the vendors and components
// in its blast radius (up to reports of them) post incidents, two vendors
// outside it report too. It reports the groups found (-v logs them).
func BenchmarkCycle(b *testing.B) {
	for _, s := range []struct{ nodes, edges, reports int }{{10000, 50000, 30}, {100000, 1000000, 50}} {
		b.Run(fmt.Sprintf("nodes=%d/reports=%d", s.nodes, s.reports), func(b *testing.B) {
			if testing.Short() && s.nodes > 10000 {
				b.Skip("large graph skipped under -short")
			}
			g := testmodel.Generated(b, s.nodes, s.edges, 1)
			at := time.Date(2021, 12, 7, 18, 0, 0, 0, time.UTC)
			ls := &live.State{At: at}
			region, ok := g.Lookup("cloud1/region-07")
			if !ok {
				b.Fatal("no cloud1/region-07")
			}
			p := blast.Propagate(g, []int32{region})
			rng := rand.New(rand.NewPCG(1, 1))
			add := func(i int32) {
				id := g.ModelNode(i).ID
				ls.Reporting = append(ls.Reporting, live.Report{Node: id, Impairment: 0.5, Incidents: []live.Incident{{Node: id, ID: id + "-1",
					Title: "Elevated errors", Impact: feed.ImpactMajor, StartedAt: at.Add(-time.Duration(rng.IntN(60)) * time.Minute), Text: "Elevated errors"}}})
				ls.Watched = append(ls.Watched, id)
			}
			add(region)
			for _, u := range p.Order {
				if k := g.ModelNode(u).Kind; (k == "vendor" || k == "component") && len(ls.Reporting) < s.reports {
					add(u)
				}
			}
			for len(ls.Reporting) < s.reports+2 {
				if i := int32(rng.IntN(g.Len())); p.Impairment[i] == 0 && g.ModelNode(i).Kind == "vendor" {
					add(i)
				}
			}
			// The diagnosis's indexes of the graph, as a watch builds them
			// once.
			opts := AnalyzeOptions{Mentions: mention.FromGraph(g), Predictor: diagnose.NewPredictor(g), StatusHosts: diagnose.StatusHosts(g)}
			var groups []Group
			for b.Loop() {
				groups = Analyze(g, ls, opts)
				var st State
				st.Step(Cycle{At: at, Groups: groups})
			}
			b.ReportMetric(float64(len(groups)), "groups")
			if testing.Verbose() {
				for _, gr := range groups {
					b.Logf("group %v (%s, p=%.3f): %d reports", gr.Roots, gr.Layer, gr.Probability, len(gr.Reporting))
				}
			}
		})
	}
}
