// Package statusmap maps status feeds onto model nodes: which nodes a feed
// binds to, which incidents of a feed concern which node, what state each
// node is in now, and which components of a feed stand for no node (so a
// user can complete the mapping).
//
// A feed binds to a node's status block by what the feed is, not by one
// exact address:
//
//   - formats only one publisher uses (AWS Health: aws-rss and aws-events;
//     Azure: azure-rss; Google Cloud: gcp; Slack: slack) bind to every node
//     whose status type is of the same publisher, wherever the file came
//     from (a saved per-service AWS RSS names only the dashboard in its
//     channel link, a saved data.json names nothing);
//   - page formats (statuspage, incidentio in both its shapes, rss, atom,
//     instatus, upptime) bind to the nodes whose status address has the
//     same host as the feed's page or fetch address ("www." and the scheme
//     aside), whatever their status type (incident.io serves a
//     Statuspage-compatible API; a Statuspage history.rss is RSS);
//   - a page feed that names no address binds to the nodes whose name,
//     alias or organisation is the page's name;
//   - a status block that gives a type and no address binds to every feed
//     of that type.
//
// An incident concerns a bound node when the node lists no components or
// the incident names one of them, and the node lists no locations or the
// incident names one of them (an incident that names no location is taken
// as global); an AWS service-region code thus picks its node out of the
// whole AWS history. Names compare case-insensitively, with spaces
// trimmed. A per-service AWS RSS covers (speaks for) only the nodes its
// incidents concern; every other feed covers every node it binds to.
package statusmap

import (
	"fmt"
	"maps"
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
// format from this address (url "" matches by type alone), sorted by id.
func Bindings(m *model.Model, format feed.Format, url string) []Binding {
	return Bind(m, &feed.Document{Source: feed.Source{Format: format, URL: url}}, "").Bindings
}

// BindResult says which nodes a document binds to and how.
type BindResult struct {
	// Bindings are the bound nodes, sorted by id.
	Bindings []Binding
	// By is how they bound: "type", "host" or "page name"; "" when none.
	By string
	// Reason says why nothing bound; "" when something did.
	Reason string
}

// Bind binds a document to the model's nodes (see the package doc). url
// is the address the document was fetched from, "" when unknown; the
// document's own page address is used too.
func Bind(m *model.Model, doc *feed.Document, url string) BindResult {
	var res BindResult
	fam := Family(doc.Source.Format)
	hosts := map[string]bool{}
	for _, u := range []string{url, doc.Source.URL} {
		if h := Host(u); h != "" {
			hosts[h] = true
		}
	}
	page := norm(doc.Source.Page)
	for _, n := range m.Nodes {
		st := n.Status
		if st == nil {
			continue
		}
		by := ""
		switch {
		case singlePublisher[fam] && Family(feed.Format(st.Type)) == fam:
			by = "type"
		case hosts[Host(st.URL)] && Host(st.URL) != "":
			by = "host"
		case st.URL == "" && st.Type == string(doc.Source.Format):
			by = "type"
		case len(hosts) == 0 && page != "" && Family(feed.Format(st.Type)) == fam && namedAs(n, page):
			by = "page name"
		}
		if by == "" {
			continue
		}
		if res.By == "" || res.By == "type" {
			res.By = by
		}
		res.Bindings = append(res.Bindings, Binding{Node: n, Status: st})
	}
	slices.SortFunc(res.Bindings, func(a, b Binding) int { return strings.Compare(a.Node.ID, b.Node.ID) })
	if len(res.Bindings) > 0 {
		return res
	}
	switch {
	case singlePublisher[fam]:
		res.Reason = fmt.Sprintf("no node has a status block of type %s", strings.Join(familyTypes[fam], " or "))
	case len(hosts) > 0:
		res.Reason = fmt.Sprintf("no node's status address is at %s", strings.Join(slices.Sorted(maps.Keys(hosts)), " or "))
	case page != "":
		res.Reason = fmt.Sprintf("the feed gives no page address, and no node with a %s status block is named %q", fam, doc.Source.Page)
	default:
		res.Reason = "the feed gives neither a page address nor a page name"
	}
	return res
}

// Covers reports whether a document speaks for a bound node: its silence
// about the node means something. A per-service AWS RSS speaks only for
// the nodes its incidents concern.
func (b Binding) Covers(doc *feed.Document) bool {
	if doc.Source.Format != feed.FormatAWSRSS {
		return true
	}
	for i := range doc.Incidents {
		if len(b.Status.Components) > 0 && b.Concerns(&doc.Incidents[i]) {
			return true
		}
	}
	return false
}

// Family names the publisher family of a format: "aws", "azure", "gcp",
// "slack", or "page" for the formats any status page may serve.
func Family(f feed.Format) string {
	switch f {
	case feed.FormatAWSRSS, feed.FormatAWSEvents:
		return "aws"
	case feed.FormatAzureRSS:
		return "azure"
	case feed.FormatGCP:
		return "gcp"
	case feed.FormatSlack:
		return "slack"
	}
	return "page"
}

var singlePublisher = map[string]bool{"aws": true, "azure": true, "gcp": true, "slack": true}

var familyTypes = map[string][]string{
	"aws": {"aws-rss", "aws-events"}, "azure": {"azure-rss"}, "gcp": {"gcp"}, "slack": {"slack"},
}

// Host returns an address's host, lower case, without "www." or a port;
// "" when it has none.
func Host(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else if strings.HasPrefix(u, "/") {
		return ""
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	if i := strings.LastIndexByte(u, ':'); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimPrefix(u, "www.")
	if !strings.Contains(u, ".") {
		return ""
	}
	return u
}

// namedAs reports whether a node's name, an alias or its organisation is
// the (normalised) page name, or the page name ends in " status".
func namedAs(n *model.Node, page string) bool {
	page = strings.TrimSuffix(strings.TrimSuffix(page, " status"), " status page")
	if norm(n.Name) == page || norm(model.Org(n.ID)) == page {
		return true
	}
	return slices.ContainsFunc(n.Aliases, func(a string) bool { return norm(a) == page })
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
	return MapBindings(doc, Bind(m, doc, url).Bindings, maintenance)
}

// NodeBindings binds the nodes ids, by their status blocks: for a document
// fetched for exactly those nodes (a planned feed), where binding by type
// or host would be wider than what was asked for (every page served from
// one host, as a replay server or a proxy does). idx is the model's
// Index; ids without a node or a status block are left out.
func NodeBindings(idx map[string]*model.Node, ids []string) []Binding {
	var bs []Binding
	for _, id := range ids {
		if n := idx[id]; n != nil && n.Status != nil {
			bs = append(bs, Binding{Node: n, Status: n.Status})
		}
	}
	slices.SortFunc(bs, func(a, b Binding) int { return strings.Compare(a.Node.ID, b.Node.ID) })
	return bs
}

// MapBindings maps one document onto the bound nodes bs (see Map).
func MapBindings(doc *feed.Document, bs []Binding, maintenance float64) *Result {
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
