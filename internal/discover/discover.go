package discover

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/mention"
	"github.com/depgraph/depgraph/internal/model"
)

// Report is an incident as a vendor's feed reported it.
type Report struct {
	// Vendor is the id of the node the feed binds to.
	Vendor string
	// Incident is the incident.
	Incident *feed.Incident
}

// Evidence is one incident that names the proposed provider.
type Evidence struct {
	IncidentID string `json:"incident_id"`
	URL        string `json:"url"`
	// Quote is a short excerpt around the mention.
	Quote string `json:"quote"`
	// At is when the incident started; zero when unknown.
	At string `json:"-"`
}

// Proposal is a dependency the incidents suggest.
type Proposal struct {
	From     string     `json:"from"`
	To       string     `json:"to"`
	Evidence []Evidence `json:"evidence"`
}

// QuoteRadius is how many bytes of context a quote keeps on each side of
// the mention, at most.
const QuoteRadius = 80

// Propose finds, in the reports' incidents, the nodes (of the graph, or
// of extra, e.g. catalogs the model does not include) that the reporting
// vendor does not already reach, and proposes an edge to each. Proposals
// are sorted by from, then to; evidence by incident start, newest first.
func Propose(g *graph.Graph, extra []*model.Node, reports []Report) []Proposal {
	nodes := make([]*model.Node, 0, g.Len()+len(extra))
	for i := range int32(g.Len()) {
		nodes = append(nodes, g.ModelNode(i))
	}
	for _, n := range extra {
		if _, ok := g.Lookup(n.ID); !ok {
			nodes = append(nodes, n)
		}
	}
	ix := mention.New(nodes)
	up := map[string]map[string]bool{}   // vendor → upstream ids
	down := map[string]map[string]bool{} // vendor → downstream ids
	byKey := map[[2]string]*Proposal{}
	seen := map[[3]string]bool{}
	for _, r := range reports {
		v, ok := g.Lookup(r.Vendor)
		if !ok || r.Incident == nil {
			continue
		}
		if up[r.Vendor] == nil {
			up[r.Vendor] = reach(g, v, g.Dependencies)
			down[r.Vendor] = reach(g, v, g.Dependents)
		}
		text := incidentText(r.Incident)
		ms := ix.Match(text)
		for i := 0; i < len(ms); {
			j := i
			for j < len(ms) && ms[j].Start == ms[i].Start && ms[j].End == ms[i].End {
				j++
			}
			var cands []mention.Mention
			for _, m := range ms[i:j] {
				if !vague(m) && keep(r.Vendor, m.NodeID, up[r.Vendor], down[r.Vendor]) {
					cands = append(cands, m)
				}
			}
			i = j
			if len(cands) != 1 {
				continue // none, or ambiguous: several nodes claim the span
			}
			m := cands[0]
			k := [3]string{r.Vendor, m.NodeID, r.Incident.ID}
			if seen[k] {
				continue
			}
			seen[k] = true
			p := byKey[[2]string{r.Vendor, m.NodeID}]
			if p == nil {
				p = &Proposal{From: r.Vendor, To: m.NodeID}
				byKey[[2]string{r.Vendor, m.NodeID}] = p
			}
			ev := Evidence{IncidentID: r.Incident.ID, URL: r.Incident.URL, Quote: Quote(text, m.Start, m.End)}
			if !r.Incident.StartedAt.IsZero() {
				ev.At = r.Incident.StartedAt.UTC().Format("2006-01-02")
			}
			p.Evidence = append(p.Evidence, ev)
		}
	}
	out := make([]Proposal, 0, len(byKey))
	for _, p := range byKey {
		slices.SortFunc(p.Evidence, func(a, b Evidence) int {
			return cmp.Or(cmp.Compare(b.At, a.At), cmp.Compare(a.IncidentID, b.IncidentID))
		})
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Proposal) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
	return out
}

// vague reports whether a mention is one ordinary word naming a part of
// an organisation ("Pages", "Access", "Teams"): in another vendor's text
// such a word names the vendor's own feature far more often than the
// part. Codes ("IAD", "us-east-1"), organisations ("Azure") and names of
// several words still count.
func vague(m mention.Mention) bool {
	if m.Kind == mention.KindCode || !strings.Contains(m.NodeID, "/") {
		return false
	}
	for i, r := range m.Phrase { // a capitalised word: "Pages", not "eastus"
		if !unicode.IsLetter(r) || (i == 0) != unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// keep reports whether node x may be proposed upstream of vendor v.
func keep(v, x string, up, down map[string]bool) bool {
	if org(x) == org(v) || up[x] || down[x] {
		return false
	}
	for u := range up { // a part of x is upstream already: x is known
		if strings.HasPrefix(u, x+"/") {
			return false
		}
	}
	return true
}

func org(id string) string {
	if i := strings.IndexByte(id, '/'); i >= 0 {
		return id[:i]
	}
	return id
}

// reach returns the ids reachable from v through next, v excluded.
func reach(g *graph.Graph, v int32, next func(int32) []int32) map[string]bool {
	seen := map[int32]bool{v: true}
	out := map[string]bool{}
	stack := []int32{v}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range next(n) {
			if !seen[d] {
				seen[d] = true
				out[g.ModelNode(d).ID] = true
				stack = append(stack, d)
			}
		}
	}
	return out
}

// incidentText is what is searched: the title and every update's body.
func incidentText(in *feed.Incident) string {
	var b strings.Builder
	b.WriteString(in.Title)
	for _, u := range in.Updates {
		b.WriteString("\n")
		b.WriteString(u.Body)
	}
	return b.String()
}

// Quote returns the text around [start, end): at most QuoteRadius bytes
// each side, cut at rune boundaries, spaces collapsed, "…" where cut,
// control characters dropped and invalid UTF-8 replaced.
func Quote(text string, start, end int) string {
	lo, hi := max(0, start-QuoteRadius), min(len(text), end+QuoteRadius)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo++
	}
	for hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi--
	}
	q := strings.Join(strings.FieldsFunc(strings.ToValidUTF8(text[lo:hi], "\uFFFD"), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if lo > 0 {
		q = "…" + q
	}
	if hi < len(text) {
		q += "…"
	}
	return q
}
