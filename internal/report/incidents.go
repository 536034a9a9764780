package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/statusmap"
	"github.com/depgraph/depgraph/internal/store"
)

// Incident is one stored incident as it concerns one model node.
type Incident struct {
	// Node is the model node the incident concerns (through its status
	// block); Feed is the store's feed key.
	Node string `json:"node"`
	Feed string `json:"feed"`
	// ID, Title, Impact and URL are the feed's.
	ID     string `json:"id"`
	Title  string `json:"title"`
	Impact string `json:"impact"`
	URL    string `json:"url,omitempty"`
	// Start is when it started; End when it was resolved, null while open.
	Start time.Time  `json:"start"`
	End   *time.Time `json:"end"`
}

// Timeline is the incident history of the nodes your services use.
type Timeline struct {
	// From and To bound the window drawn.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Rows hold one row per node with incidents in the window, sorted by
	// node id (so a vendor's components and a cloud's regions sit
	// together).
	Rows []TimelineRow `json:"rows"`
	// Count is the number of incidents drawn.
	Count int `json:"count"`
}

// TimelineRow is one node's incidents, oldest first.
type TimelineRow struct {
	// Node and Kind name the node.
	Node string `json:"node"`
	Kind string `json:"kind"`
	// Incidents are its incidents in the window, oldest first.
	Incidents []Incident `json:"incidents"`
}

// Incidents reads from st the incidents (maintenance excluded) that
// concern the nodes your services use, mapped through their status blocks
// as depgraph incidents maps them, and open at some point in [from, to].
func Incidents(ctx context.Context, st *store.Store, m *model.Model, g *graph.Graph, from, to time.Time) ([]Incident, error) {
	used := func(id string) bool {
		i, ok := g.Lookup(id)
		return ok && g.Party(i) > 0
	}
	idx := m.Index()
	out := []Incident{}
	for _, f := range collect.Plan(m, used) {
		stored, err := st.Incidents(ctx, store.Query{Feeds: []string{f.Key}, Since: from, Until: to})
		if err != nil {
			return nil, fmt.Errorf("report: read incidents of %s: %w", f.Key, err)
		}
		for _, id := range f.Nodes {
			n := idx[id]
			if n == nil || n.Status == nil {
				continue
			}
			b := statusmap.Binding{Node: n, Status: n.Status}
			for k := range stored {
				in := &stored[k]
				if in.Impact == feed.ImpactMaintenance || !b.Concerns(&in.Incident) {
					continue
				}
				end := utcPtr(in.ResolvedAt)
				if until, ok := in.LiveUntil(); ok && end == nil {
					// A plain RSS/Atom item: live trouble only until then.
					end = &until
				}
				out = append(out, Incident{
					Node: id, Feed: in.Feed, ID: in.ID, Title: in.Title, Impact: string(in.Impact), URL: in.URL,
					Start: in.StartedAt.UTC(), End: end,
				})
			}
		}
	}
	slices.SortFunc(out, func(a, b Incident) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), a.Start.Compare(b.Start), cmp.Compare(a.Feed, b.Feed), cmp.Compare(a.ID, b.ID))
	})
	out = slices.CompactFunc(out, func(a, b Incident) bool { return a.Node == b.Node && a.Feed == b.Feed && a.ID == b.ID })
	return out, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// buildTimeline groups incidents by node over [from, to]; a zero to means
// now, a zero from 180 days before to.
func buildTimeline(g *graph.Graph, incidents []Incident, from, to, now time.Time) *Timeline {
	if to.IsZero() {
		to = now
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -180)
	}
	tl := &Timeline{From: from.UTC(), To: to.UTC(), Rows: []TimelineRow{}}
	rows := map[string]*TimelineRow{}
	for _, in := range incidents {
		if in.Start.After(to) || (in.End != nil && in.End.Before(from)) {
			continue
		}
		row := rows[in.Node]
		if row == nil {
			kind := ""
			if i, ok := g.Lookup(in.Node); ok {
				kind = string(g.ModelNode(i).Kind)
			}
			row = &TimelineRow{Node: in.Node, Kind: kind}
			rows[in.Node] = row
		}
		row.Incidents = append(row.Incidents, in)
		tl.Count++
	}
	for _, row := range rows {
		slices.SortFunc(row.Incidents, func(a, b Incident) int {
			return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Feed, b.Feed), cmp.Compare(a.ID, b.ID))
		})
		tl.Rows = append(tl.Rows, *row)
	}
	slices.SortFunc(tl.Rows, func(a, b TimelineRow) int { return cmp.Compare(a.Node, b.Node) })
	return tl
}
