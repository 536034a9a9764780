// Package statusmap maps status feeds onto model nodes: which incidents of
// a feed concern which node, what state each node is in now, and which
// components of a feed stand for no node (so a user can complete the
// mapping).
//
// A node's status block names a feed (type and URL) and the feed's
// components and locations that stand for the node. An incident concerns
// the node when the feed is the node's (same format; same URL when both
// are known), the node lists no components or the incident names one of
// them, and the node lists no locations or the incident names one of them
// (an incident that names no location is taken as global). Names compare
// case-insensitively, with spaces trimmed.
package statusmap

import (
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/model"
)

// Binding is a node whose status block reads a given feed.
type Binding struct {
	Node   *model.Node
	Status *model.Status
}

// Bindings returns the nodes whose status block reads a document of this
// format from this URL (url "" matches any URL), sorted by id.
func Bindings(m *model.Model, format feed.Format, url string) []Binding {
	var out []Binding
	for _, n := range m.Nodes {
		st := n.Status
		if st == nil || st.Type != string(format) {
			continue
		}
		if url != "" && st.URL != "" && !sameURL(url, st.URL) {
			continue
		}
		out = append(out, Binding{Node: n, Status: st})
	}
	slices.SortFunc(out, func(a, b Binding) int { return strings.Compare(a.Node.ID, b.Node.ID) })
	return out
}

// Concerns reports whether an incident concerns the bound node.
func (b Binding) Concerns(in *feed.Incident) bool {
	if len(b.Status.Components) > 0 && !intersects(b.Status.Components, in.Components) {
		return false
	}
	if len(b.Status.Locations) > 0 && len(in.Locations) > 0 && !intersects(b.Status.Locations, in.Locations) {
		return false
	}
	return true
}

// Match is an incident that concerns a node.
type Match struct {
	NodeID   string
	Incident *feed.Incident
}

// Result is the mapping of one document onto a model.
type Result struct {
	// Matches pairs incidents with the nodes they concern, sorted by node
	// id, then incident start (newest first), then incident id.
	Matches []Match
	// Unmapped lists the component names the document mentions (in its
	// component list or its incidents) that no node's status block names,
	// sorted; empty when a bound node reads the whole feed.
	Unmapped []string
	// Impairment is each bound node's current impairment from the
	// document's component states (the worst of its components), for nodes
	// whose components the document lists.
	Impairment map[string]float64
}

// Map maps one document onto the model's nodes that read it. maintenance
// is the impairment given to components under maintenance when the node's
// status block does not say.
func Map(m *model.Model, doc *feed.Document, url string, maintenance float64) *Result {
	bs := Bindings(m, doc.Source.Format, url)
	res := &Result{Impairment: map[string]float64{}}
	named := map[string]bool{}
	wholeFeed := false
	for _, b := range bs {
		if len(b.Status.Components) == 0 {
			wholeFeed = true
		}
		for _, c := range b.Status.Components {
			named[norm(c)] = true
		}
		for i := range doc.Incidents {
			if b.Concerns(&doc.Incidents[i]) {
				res.Matches = append(res.Matches, Match{NodeID: b.Node.ID, Incident: &doc.Incidents[i]})
			}
		}
		mt := maintenance
		if b.Status.Maintenance != nil {
			mt = *b.Status.Maintenance
		}
		for _, c := range doc.Components {
			if slices.ContainsFunc(b.Status.Components, func(s string) bool { return norm(s) == norm(c.Name) }) {
				res.Impairment[b.Node.ID] = max(res.Impairment[b.Node.ID], c.Status.Impairment(mt))
			}
		}
	}
	if !wholeFeed {
		seen := map[string]bool{}
		add := func(name string) {
			if name != "" && !named[norm(name)] && !seen[name] {
				seen[name] = true
				res.Unmapped = append(res.Unmapped, name)
			}
		}
		for _, c := range doc.Components {
			if !c.IsGroup {
				add(c.Name)
			}
		}
		for _, in := range doc.Incidents {
			for _, c := range in.Components {
				add(c)
			}
		}
		slices.Sort(res.Unmapped)
	}
	slices.SortStableFunc(res.Matches, func(a, b Match) int {
		if a.NodeID != b.NodeID {
			return strings.Compare(a.NodeID, b.NodeID)
		}
		if !a.Incident.StartedAt.Equal(b.Incident.StartedAt) {
			return b.Incident.StartedAt.Compare(a.Incident.StartedAt)
		}
		return strings.Compare(a.Incident.ID, b.Incident.ID)
	})
	return res
}

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func intersects(want, have []string) bool {
	for _, w := range want {
		for _, h := range have {
			if norm(w) == norm(h) {
				return true
			}
		}
	}
	return false
}

// sameURL compares feed addresses loosely: scheme, a trailing slash and
// the Statuspage API path do not count, so a page's base address matches
// its /api/v2/… feeds.
func sameURL(a, b string) bool {
	return baseURL(a) == baseURL(b)
}

func baseURL(u string) string {
	u = strings.ToLower(u)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.Index(u, "/api/v2/"); i >= 0 {
		u = u[:i]
	}
	for _, suffix := range []string{"/history.rss", "/history.atom"} {
		u = strings.TrimSuffix(u, suffix)
	}
	return strings.TrimSuffix(u, "/")
}
