package watch

import (
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/diagnose"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/live"
	"github.com/depgraph/depgraph/internal/mention"
)

// MinExplained is the least impairment a root must predict for a report
// to be grouped under it: a root that would cost a vendor less than a
// tenth does not explain that vendor's outage, and grouping it there would
// hide a second problem inside the first one's alert.
const MinExplained = 0.1

// Group is the reports one root explains, as Analyze finds them.
type Group struct {
	// Finding's Reporting are the nodes whose reports the roots explain.
	Finding
	// Paths are as in Situation.
	Paths [][]string
}

// AnalyzeOptions tunes Analyze.
type AnalyzeOptions struct {
	// Rates are incidents per year by node from the store's history, for
	// the diagnosis's priors (see diagnose.Input).
	Rates map[int32]float64
	// MinWindow is the shortest diagnosis window; 0 means one hour.
	MinWindow time.Duration
	// Mentions finds node names in incident text, Predictor gives the
	// forward model's impairments and StatusHosts the status pages'
	// hosts (diagnose.StatusHosts); nil builds each from the graph, once
	// per call: a watch passes its own, built once.
	Mentions    *mention.Index
	Predictor   *diagnose.Predictor
	StatusHosts map[int32][]int32
	// MaxWindow is the longest: the window runs from the earliest live
	// incident's start, but no further back than MaxWindow (an incident
	// left open for days, or a replay of old feeds at today's clock, would
	// otherwise stretch every prior to its cap); 0 means 24 hours.
	MaxWindow time.Duration
}

// Analyze groups what the feeds report by the root that explains it: the
// likeliest single root of all the reports, and those of them it explains
// (its failure would impair them by MinExplained or more); then the
// likeliest root of the reports left, until none is left. A report no root explains is a group of its own, rooted
// at itself.
func Analyze(g *graph.Graph, ls *live.State, opts AnalyzeOptions) []Group {
	if len(ls.Reporting) == 0 {
		return nil
	}
	minWindow := opts.MinWindow
	if minWindow <= 0 {
		minWindow = time.Hour
	}
	maxWindow := opts.MaxWindow
	if maxWindow <= 0 {
		maxWindow = 24 * time.Hour
	}
	hosts := opts.StatusHosts
	if hosts == nil {
		hosts = diagnose.StatusHosts(g)
	}
	in := diagnose.Input{To: ls.At, From: ls.At.Add(-minWindow), StatusHosts: hosts, Rates: opts.Rates}
	report := map[string]live.Report{}
	for _, r := range ls.Reporting {
		report[r.Node] = r
		for _, inc := range r.Incidents {
			i, ok := g.Lookup(inc.Node)
			if !ok {
				continue
			}
			if inc.StartedAt.Before(in.From) && !inc.StartedAt.IsZero() {
				in.From = inc.StartedAt
				if earliest := ls.At.Add(-maxWindow); in.From.Before(earliest) {
					in.From = earliest
				}
			}
			in.Evidence = append(in.Evidence, diagnose.Evidence{Node: i, IncidentID: inc.ID, Title: inc.Title, Impact: string(inc.Impact),
				StartedAt: inc.StartedAt, ResolvedAt: inc.ResolvedAt, URL: inc.URL, Text: inc.Text})
		}
	}
	for _, id := range ls.Watched {
		if i, ok := g.Lookup(id); ok {
			in.Watched = append(in.Watched, i)
		}
	}
	slices.SortFunc(in.Evidence, func(a, b diagnose.Evidence) int {
		if c := a.StartedAt.Compare(b.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(a.IncidentID, b.IncidentID)
	})

	remaining := make([]string, 0, len(ls.Reporting))
	for _, r := range ls.Reporting {
		if _, ok := g.Lookup(r.Node); ok {
			remaining = append(remaining, r.Node)
		}
	}
	pred := opts.Predictor
	if pred == nil {
		pred = diagnose.NewPredictor(g)
	}
	mentions := opts.Mentions
	if mentions == nil {
		mentions = mention.FromGraph(g)
	}
	var groups []Group
	for len(remaining) > 0 {
		in.Impacted = in.Impacted[:0]
		for _, id := range remaining {
			i, _ := g.Lookup(id)
			in.Impacted = append(in.Impacted, i)
		}
		out := diagnose.Diagnose(g, in, diagnose.Options{MaxRoots: 1, Hypotheses: 1, Mentions: mentions})
		gr := Group{Finding: Finding{Roots: []string{remaining[0]}, Layer: g.Layer(in.Impacted[0]), Reporting: []string{remaining[0]}}}
		if len(out.Hypotheses) > 0 {
			h := out.Hypotheses[0]
			var roots []int32
			for _, id := range h.Nodes {
				if i, ok := g.Lookup(id); ok {
					roots = append(roots, i)
				}
			}
			x := pred.Impairments(roots)
			var explained []string
			for _, id := range h.Explains {
				if i, _ := g.Lookup(id); slices.Contains(remaining, id) && x[i] >= MinExplained {
					explained = append(explained, id)
				}
			}
			if len(explained) > 0 {
				gr = Group{Finding: Finding{Roots: h.Nodes, Probability: round(h.Probability), Layer: h.Layer, Reporting: explained}}
				for _, p := range h.Paths { // root → report; only this group's reports
					if slices.Contains(explained, p[len(p)-1]) {
						gr.Paths = append(gr.Paths, reversed(p))
					}
				}
			}
		}
		slices.Sort(gr.Reporting)
		remaining = slices.DeleteFunc(remaining, func(id string) bool { return slices.Contains(gr.Reporting, id) })
		fillBlast(g, &gr, report)
		groups = append(groups, gr)
	}
	return groups
}

// fillBlast fills a group's affected services, incidents and paths from
// the propagation of its reports.
func fillBlast(g *graph.Graph, gr *Group, report map[string]live.Report) {
	var seeds []blast.Seed
	var ids []int32
	gr.Incidents = []Incident{}
	for _, id := range gr.Reporting {
		r := report[id]
		i, _ := g.Lookup(id)
		seeds = append(seeds, blast.Seed{Node: i, Impairment: r.Impairment})
		ids = append(ids, i)
		for _, inc := range r.Incidents {
			gr.Incidents = append(gr.Incidents, Incident{Node: inc.Node, ID: inc.ID, Title: inc.Title, URL: inc.URL})
		}
	}
	res := blast.Describe(g, ids, blast.PropagateSeedsPaths(g, seeds))
	sum := res.Summary
	gr.AffectedServices = sortedSet(append(append(slices.Clone(sum.ServicesDown), sum.ServicesDegraded...), sum.ServicesAtRisk...))
	for _, a := range res.Affected {
		if slices.Contains(gr.AffectedServices, a.ID) {
			gr.Paths = append(gr.Paths, reversed(a.Path))
		}
	}
	slices.SortFunc(gr.Paths, slices.Compare)
	gr.Paths = slices.CompactFunc(gr.Paths, slices.Equal)
	if gr.Paths == nil {
		gr.Paths = [][]string{}
	}
}

// UnknownServices returns your services that depend on the nodes ids
// (impaired or at risk if they were down), sorted.
func UnknownServices(g *graph.Graph, ids []string) []string {
	var seeds []blast.Seed
	var failed []int32
	for _, id := range ids {
		if i, ok := g.Lookup(id); ok {
			seeds = append(seeds, blast.Seed{Node: i, Impairment: 1})
			failed = append(failed, i)
		}
	}
	if len(seeds) == 0 {
		return []string{}
	}
	sum := blast.Describe(g, failed, blast.PropagateSeedsPaths(g, seeds)).Summary
	return sortedSet(append(append(slices.Clone(sum.ServicesDown), sum.ServicesDegraded...), sum.ServicesAtRisk...))
}

func reversed(p []string) []string {
	q := slices.Clone(p)
	slices.Reverse(q)
	return q
}

func sortedSet(s []string) []string {
	if s == nil {
		return []string{}
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// round keeps four decimals of a probability, so that the last digits of
// floating-point sums never count as a change.
func round(p float64) float64 {
	return float64(int64(p*1e4+0.5)) / 1e4
}
