package blast

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/graph"
)

// Observation is what a postmortem author saw: the nodes that broke, the
// nodes that stayed healthy, and when.
type Observation struct {
	Impacted []int32
	Healthy  []int32
	From, To time.Time
}

// Evidence is a status-page incident on a node that overlaps the window.
type Evidence struct {
	Node       int32
	IncidentID string
	Title      string
	Impact     string
	StartedAt  time.Time
	ResolvedAt *time.Time
	URL        string
	// Text is the incident's title and update bodies, for the cues that
	// say whose fault the vendor thinks it is.
	Text string
}

// ExplainInput gathers what the ranking weighs.
type ExplainInput struct {
	Observation
	// Evidence lists the incidents overlapping the window.
	Evidence []Evidence
	// Watched lists the nodes whose status feed was read for the window
	// (a node in Watched without Evidence stayed silent).
	Watched []int32
	// StatusHosts maps a node to what its status page runs on.
	StatusHosts map[int32][]int32
}

// ExplainOptions tunes Explain.
type ExplainOptions struct {
	// Hypotheses is how many hypotheses to return; 0 means 10.
	Hypotheses int
	// Exact is how many leading candidates get an exact blast radius
	// (the rest are ranked by reachability); 0 means 40.
	Exact int
}

// ExplainResult is the ranked list of root-cause hypotheses.
type ExplainResult struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Window is the observation window.
	Window Window `json:"window"`
	// Impacted and Healthy echo the observation.
	Impacted []string `json:"impacted"`
	Healthy  []string `json:"healthy"`
	// Hypotheses are ranked best first.
	Hypotheses []Hypothesis `json:"hypotheses"`
}

// Window is a time window in RFC 3339 UTC.
type Window struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Hypothesis is one candidate cause: a node, or a small set of nodes
// failing at once.
type Hypothesis struct {
	// Nodes are the candidate cause(s).
	Nodes []string `json:"nodes"`
	// Layer is the (first) cause's layer as seen from your services.
	Layer string `json:"layer"`
	// Score ranks the hypotheses (higher is likelier); see the package
	// doc for how it is made.
	Score float64 `json:"score"`
	// Explains lists the impacted nodes the cause's blast radius reaches;
	// Unexplained the others; Contradicts the healthy nodes it would have
	// taken down.
	Explains    []string `json:"explains"`
	Unexplained []string `json:"unexplained"`
	Contradicts []string `json:"contradicts"`
	// Evidence lists the incidents on the cause(s) or on nodes between
	// them and the impacted nodes.
	Evidence []EvidenceItem `json:"evidence"`
	// Paths are the chains from the cause to each explained node.
	Paths [][]string `json:"paths"`
	// Reasons say, in words, what raised or lowered the score.
	Reasons []string `json:"reasons"`
}

// EvidenceItem is Evidence as reported.
type EvidenceItem struct {
	Node       string     `json:"node"`
	IncidentID string     `json:"incident_id"`
	Title      string     `json:"title"`
	StartedAt  time.Time  `json:"started_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	URL        string     `json:"url,omitempty"`
}

// The weights of the score (documented in the package doc and in
// `depgraph explain --help`).
const (
	wCoverage      = 1.0  // × share of impacted nodes explained
	wContradiction = 0.6  // × share of healthy nodes it would take down
	wOwnIncident   = 0.35 // an incident on the cause itself in the window
	wVictimIncid   = 0.15 // incidents on nodes between cause and impacted
	wEarliest      = 0.1  // the cause's incident started first
	wDeeper        = 0.15 // a dependency of this node also reports trouble: the deeper one is preferred
	wOwnWords      = 0.2  // the vendor's own words blame itself / someone upstream
	wSilence       = 0.1  // its status page, able to speak, stayed silent
	wExtra         = 0.1  // × share of predicted failures nobody observed
	wPerExtraRoot  = 0.25 // parsimony: each cause beyond the first
)

// upstreamWords are cues that a vendor blames a provider; selfWords that it
// blames itself.
var (
	upstreamWords = []string{"upstream", "third-party", "third party", "cloud provider", "our provider", "service provider", "hosting provider", "infrastructure provider"}
	selfWords     = []string{"deploy", "configuration change", "config change", "rolled back", "rollback", "roll back", "bug", "our code", "a change we made", "release"}
)

// candidate holds one cause under consideration.
type candidate struct {
	nodes     []int32
	explains  []int32
	contra    []int32
	extra     int // predicted affected nodes nobody reported
	predicted int
	paths     [][]int32
	score     float64
	reasons   []string
	evidence  []Evidence
	distance  int // total hops from the impacted nodes (reachability phase)
	radius    *Propagation
}

// Explain ranks the candidate root causes of an observation.
//
// Candidates are the impacted nodes and everything upstream of them. Each
// is scored:
//
//	score = coverage − contradictions + status evidence − silence − extra − parsimony
//
// coverage is the share of impacted nodes its blast radius reaches (any
// impairment); contradictions the share of healthy nodes it would take
// down (penalised, not excluded: impact can be partial and observations
// wrong); status evidence adds for an incident on the candidate in the
// window, for incidents on the nodes between it and the impacted ones, and
// for the earliest start; when a dependency of the candidate also reports
// trouble and explains as much, the deeper layer is preferred and the
// candidate is taken as a victim, unless the candidate's incident started
// clearly earlier or its own words blame itself. Silence counts against a
// candidate only when its status feed was read and its page is not hosted
// on something the candidate itself takes down; a little is taken off for
// failures the candidate predicts that nobody observed. The best single
// causes are ranked by reachability first, the leading ones re-scored with
// their exact blast radius (Propagate). When the best single cause leaves
// impacted nodes unexplained, pairs are formed with the cause that best
// explains the rest, at a parsimony cost per extra root.
func Explain(g *graph.Graph, in ExplainInput, opts ExplainOptions) *ExplainResult {
	if opts.Hypotheses <= 0 {
		opts.Hypotheses = 10
	}
	if opts.Exact <= 0 {
		opts.Exact = 40
	}
	res := &ExplainResult{SchemaVersion: SchemaVersion, Window: Window{From: in.From.UTC(), To: in.To.UTC()},
		Impacted: names(g, in.Impacted), Healthy: names(g, in.Healthy), Hypotheses: []Hypothesis{}}
	if len(in.Impacted) == 0 {
		return res
	}
	e := newExplainer(g, in)
	// 1. Reachability: which impacted and healthy nodes each candidate can
	// reach, from one upward search per observed node.
	dist := map[int32]int{}
	reachImp := e.upward(in.Impacted, dist)
	reachHealthy := e.upward(in.Healthy, nil)
	var cands []*candidate
	for c, hits := range reachImp {
		// Unreached impacted nodes count as far away.
		far := (len(in.Impacted) - len(hits)) * g.Len()
		cd := &candidate{nodes: []int32{c}, explains: hits, contra: reachHealthy[c], distance: dist[c] + far}
		e.score(cd, false)
		cands = append(cands, cd)
	}
	// Reachability cannot tell a node from its ancestors: among equal
	// scores the candidate closest to the impacted nodes goes first.
	slices.SortStableFunc(cands, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.distance, b.distance), strings.Compare(g.ModelNode(a.nodes[0]).ID, g.ModelNode(b.nodes[0]).ID))
	})
	// 2. Exact blast radius for the leaders.
	exact := cands[:min(opts.Exact, len(cands))]
	for _, cd := range exact {
		e.exact(cd)
		e.score(cd, true)
	}
	sortCandidates(g, exact)
	// 3. Two roots: the best single plus the best explainer of the rest.
	ranked := slices.Clone(exact)
	if best := exact[0]; len(best.explains) < len(in.Impacted) {
		rest := e.without(in.Impacted, best.explains)
		var partner *candidate
		for _, cd := range exact[1:] {
			if len(e.intersect(cd.explains, rest)) == 0 {
				continue
			}
			if partner == nil || len(e.intersect(cd.explains, rest)) > len(e.intersect(partner.explains, rest)) {
				partner = cd
			}
		}
		if partner != nil {
			pair := e.combine(best, partner)
			e.score(pair, true)
			ranked = append(ranked, pair)
		}
	}
	sortCandidates(g, ranked)
	for _, cd := range ranked[:min(opts.Hypotheses, len(ranked))] {
		e.withPaths(cd)
		res.Hypotheses = append(res.Hypotheses, e.describe(cd))
	}
	return res
}

type explainer struct {
	g         *graph.Graph
	in        ExplainInput
	evidence  map[int32][]Evidence
	watched   map[int32]bool
	impacted  map[int32]bool
	healthy   map[int32]bool
	earliest  time.Time
	radiusMem map[int32]*Propagation
	// upstreamOfImpacted marks the nodes that reach an impacted node.
	upstreamOfImpacted map[int32]bool
}

func newExplainer(g *graph.Graph, in ExplainInput) *explainer {
	e := &explainer{g: g, in: in, evidence: map[int32][]Evidence{}, watched: map[int32]bool{}, impacted: map[int32]bool{}, healthy: map[int32]bool{}, radiusMem: map[int32]*Propagation{}}
	for _, ev := range in.Evidence {
		e.evidence[ev.Node] = append(e.evidence[ev.Node], ev)
		if e.earliest.IsZero() || ev.StartedAt.Before(e.earliest) {
			e.earliest = ev.StartedAt
		}
	}
	for _, w := range in.Watched {
		e.watched[w] = true
	}
	for _, i := range in.Impacted {
		e.impacted[i] = true
	}
	for _, h := range in.Healthy {
		e.healthy[h] = true
	}
	return e
}

// upward returns, for every node upstream of (or equal to) some of the
// given nodes, which of them it reaches (sorted), and adds to dist the hop
// distances from each of them (nil: not wanted).
func (e *explainer) upward(nodes []int32, dist map[int32]int) map[int32][]int32 {
	out := map[int32][]int32{}
	seen := make([]int32, e.g.Len())
	depth := make([]int32, e.g.Len())
	for k, n := range nodes {
		mark := int32(k + 1)
		queue := []int32{n}
		seen[n], depth[n] = mark, 0
		for q := 0; q < len(queue); q++ {
			u := queue[q]
			out[u] = append(out[u], n)
			if dist != nil {
				dist[u] += int(depth[u])
			}
			for _, v := range e.g.Dependencies(u) {
				if seen[v] != mark {
					seen[v], depth[v] = mark, depth[u]+1
					queue = append(queue, v)
				}
			}
		}
	}
	for _, v := range out {
		slices.Sort(v)
	}
	return out
}

// exact replaces a single candidate's reachability by its blast radius.
func (e *explainer) exact(cd *candidate) {
	seeds := make([]Seed, len(cd.nodes))
	for i, n := range cd.nodes {
		seeds[i] = Seed{Node: n, Impairment: 1}
	}
	p := propagate(e.g, seeds, false)
	cd.explains, cd.contra, cd.paths, cd.extra = nil, nil, nil, 0
	cd.predicted = 0
	for _, u := range p.Order {
		if slices.Contains(cd.nodes, u) {
			continue
		}
		x := p.Impairment[u]
		cd.predicted++
		switch {
		case e.impacted[u]:
			cd.explains = append(cd.explains, u)
		case e.healthy[u] && x >= 0.5:
			cd.contra = append(cd.contra, u)
		case !e.healthy[u]:
			cd.extra++
		}
	}
	for _, n := range cd.nodes {
		cd.predicted++
		switch {
		case e.impacted[n]:
			cd.explains = append(cd.explains, n)
		case !e.healthy[n]:
			cd.extra++ // the cause itself would be down, and nobody saw it
		}
	}
	slices.Sort(cd.explains)
	cd.explains = slices.Compact(cd.explains)
	slices.Sort(cd.contra)
	cd.radius = p
	e.radiusMem[cd.nodes[0]] = p
}

// withPaths fills a candidate's explaining paths (the exact phase skips
// them for speed).
func (e *explainer) withPaths(cd *candidate) {
	p := cd.radius
	if p == nil || p.net == nil { // a pair: propagate both roots together
		seeds := make([]Seed, len(cd.nodes))
		for i, n := range cd.nodes {
			seeds[i] = Seed{Node: n, Impairment: 1}
		}
		p = PropagateSeeds(e.g, seeds)
	}
	cd.paths = nil
	for _, u := range cd.explains {
		if path := p.Path(u); path != nil {
			cd.paths = append(cd.paths, path)
		}
	}
}

// betweenImpacted reports whether u is impacted or upstream of an impacted
// node, so an incident on it lies on a path from a cause to what broke.
func (e *explainer) betweenImpacted(u int32) bool {
	if e.upstreamOfImpacted == nil {
		e.upstreamOfImpacted = map[int32]bool{}
		for c := range e.upward(e.in.Impacted, nil) {
			e.upstreamOfImpacted[c] = true
		}
	}
	return e.upstreamOfImpacted[u]
}

// combine makes a two-root hypothesis.
func (e *explainer) combine(a, b *candidate) *candidate {
	cd := &candidate{nodes: append(slices.Clone(a.nodes), b.nodes...)}
	cd.explains = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(a.explains), b.explains...))))
	cd.contra = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(a.contra), b.contra...))))
	cd.extra, cd.predicted = a.extra+b.extra, a.predicted+b.predicted
	if a.radius != nil && b.radius != nil {
		cd.radius = &Propagation{Order: slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(a.radius.Order), b.radius.Order...))))}
	}
	return cd
}

// score computes a candidate's score and reasons.
func (e *explainer) score(cd *candidate, exact bool) {
	g := e.g
	nImp, nHealthy := len(e.in.Impacted), len(e.in.Healthy)
	var reasons []string
	cov := float64(len(cd.explains)) / float64(nImp)
	s := wCoverage * cov
	reasons = append(reasons, fmt.Sprintf("explains %d of %d impacted", len(cd.explains), nImp))
	if len(cd.contra) > 0 && nHealthy > 0 {
		s -= wContradiction * float64(len(cd.contra)) / float64(nHealthy)
		reasons = append(reasons, fmt.Sprintf("would have taken down %d node(s) seen healthy", len(cd.contra)))
	}
	if extra := len(cd.nodes) - 1; extra > 0 {
		s -= wPerExtraRoot * float64(extra)
		reasons = append(reasons, fmt.Sprintf("needs %d independent causes at once", len(cd.nodes)))
	}
	if exact && cd.predicted > 0 && cd.extra > 0 {
		s -= wExtra * float64(cd.extra) / float64(cd.predicted+1)
		reasons = append(reasons, fmt.Sprintf("predicts %d more failures nobody reported", cd.extra))
	}
	cd.evidence = nil
	var ownStart time.Time
	for _, c := range cd.nodes {
		evs := e.ownEvidence(c)
		cd.evidence = append(cd.evidence, evs...)
		if len(evs) > 0 {
			s += wOwnIncident / float64(len(cd.nodes))
			reasons = append(reasons, fmt.Sprintf("%s reported %q", g.ModelNode(c).ID, evs[0].Title))
			for _, ev := range evs {
				if ownStart.IsZero() || ev.StartedAt.Before(ownStart) {
					ownStart = ev.StartedAt
				}
			}
			if words(evs, selfWords) && !words(evs, upstreamWords) {
				s += wOwnWords
				reasons = append(reasons, "its own words blame itself")
			} else if words(evs, upstreamWords) {
				s -= wOwnWords
				reasons = append(reasons, "its own words blame a provider")
			}
		} else if e.isWatched(c) && !e.statusHostDown(c) {
			s -= wSilence
			reasons = append(reasons, fmt.Sprintf("%s's status page stayed silent", g.ModelNode(c).ID))
		} else if e.isWatched(c) {
			reasons = append(reasons, fmt.Sprintf("%s's status page runs on what it would take down: its silence proves nothing", g.ModelNode(c).ID))
		}
	}
	if !ownStart.IsZero() && !e.earliest.IsZero() && !ownStart.After(e.earliest.Add(time.Minute)) {
		s += wEarliest
		reasons = append(reasons, "its incident started first")
	}
	// Incidents on the nodes between the cause and the impacted ones.
	victims := 0
	if exact && cd.radius != nil {
		for _, u := range cd.radius.Order {
			if !slices.Contains(cd.nodes, u) && len(e.evidence[u]) > 0 && e.betweenImpacted(u) {
				victims++
				cd.evidence = append(cd.evidence, e.evidence[u]...)
			}
		}
		if victims > 0 {
			s += wVictimIncid * math.Min(1, float64(victims)/2)
			reasons = append(reasons, fmt.Sprintf("%d downstream node(s) on its paths reported trouble", victims))
		}
	}
	// The deeper layer: a dependency of the cause that also reports trouble
	// in the window makes the cause look like a victim, unless the cause's
	// incident started clearly first or it blames itself.
	if len(cd.nodes) == 1 && len(e.ownEvidence(cd.nodes[0])) > 0 {
		c := cd.nodes[0]
		owners := e.pageOwners(c)
		for _, d := range e.upstreamWithEvidence(c) {
			if slices.Contains(owners, d) {
				continue // the page speaking for c, not a deeper layer
			}
			dStart := earliestStart(e.evidence[d])
			if ownStart.Before(dStart.Add(-15*time.Minute)) || words(e.ownEvidence(c), selfWords) {
				continue
			}
			s -= wDeeper
			reasons = append(reasons, fmt.Sprintf("its dependency %s reported trouble too: the deeper layer is likelier", g.ModelNode(d).ID))
			break
		}
		if e.downstreamWithEvidence(c) {
			s += wDeeper
			reasons = append(reasons, "nodes that depend on it reported trouble too")
		}
	}
	cd.score = math.Round(s*1e4) / 1e4
	cd.reasons = reasons
}

// pageOwners returns c and the nodes it is nested in: a vendor's status
// page speaks for its components.
func (e *explainer) pageOwners(c int32) []int32 {
	out := []int32{c}
	for n := e.g.ModelNode(c); n.Parent != ""; {
		p, ok := e.g.Lookup(n.Parent)
		if !ok {
			break
		}
		out = append(out, p)
		n = e.g.ModelNode(p)
	}
	return out
}

// ownEvidence returns the incidents on c or on the nodes it is nested in.
func (e *explainer) ownEvidence(c int32) []Evidence {
	var out []Evidence
	for _, o := range e.pageOwners(c) {
		out = append(out, e.evidence[o]...)
	}
	return out
}

// isWatched reports whether a status page speaking for c was read.
func (e *explainer) isWatched(c int32) bool {
	for _, o := range e.pageOwners(c) {
		if e.watched[o] {
			return true
		}
	}
	return false
}

// upstreamWithEvidence lists the nodes the candidate depends on
// (transitively) that report incidents, sorted.
func (e *explainer) upstreamWithEvidence(c int32) []int32 {
	var out []int32
	seen := map[int32]bool{c: true}
	queue := []int32{c}
	for q := 0; q < len(queue); q++ {
		for _, v := range e.g.Dependencies(queue[q]) {
			if !seen[v] {
				seen[v] = true
				queue = append(queue, v)
				if len(e.evidence[v]) > 0 {
					out = append(out, v)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// downstreamWithEvidence reports whether a node depending on c (within its
// blast radius) reports an incident.
func (e *explainer) downstreamWithEvidence(c int32) bool {
	p := e.radiusMem[c]
	if p == nil {
		return false
	}
	for _, u := range p.Order {
		if u != c && len(e.evidence[u]) > 0 {
			return true
		}
	}
	return false
}

// statusHostDown reports whether c's status page runs on something c's
// own failure takes down (or on c itself).
func (e *explainer) statusHostDown(c int32) bool {
	var hosts []int32
	for _, o := range e.pageOwners(c) {
		hosts = append(hosts, e.in.StatusHosts[o]...)
	}
	if len(hosts) == 0 {
		return false
	}
	p := e.radiusMem[c]
	for _, h := range hosts {
		if h == c || (p != nil && p.Impairment[h] > 0.5) {
			return true
		}
	}
	return false
}

func earliestStart(evs []Evidence) time.Time {
	var t time.Time
	for _, ev := range evs {
		if t.IsZero() || ev.StartedAt.Before(t) {
			t = ev.StartedAt
		}
	}
	return t
}

func words(evs []Evidence, cues []string) bool {
	for _, ev := range evs {
		text := strings.ToLower(ev.Title + " " + ev.Text)
		for _, c := range cues {
			if strings.Contains(text, c) {
				return true
			}
		}
	}
	return false
}

func (e *explainer) without(all, some []int32) []int32 {
	var out []int32
	for _, a := range all {
		if !slices.Contains(some, a) {
			out = append(out, a)
		}
	}
	return out
}

func (e *explainer) intersect(a, b []int32) []int32 {
	var out []int32
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// sortCandidates orders by score, then fewer causes, fewer unobserved
// predictions, then id.
func sortCandidates(g *graph.Graph, cs []*candidate) {
	slices.SortStableFunc(cs, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(len(a.nodes), len(b.nodes)), cmp.Compare(a.extra, b.extra),
			strings.Compare(g.ModelNode(a.nodes[0]).ID, g.ModelNode(b.nodes[0]).ID))
	})
}

func (e *explainer) describe(cd *candidate) Hypothesis {
	g := e.g
	h := Hypothesis{Nodes: names(g, cd.nodes), Layer: g.Layer(cd.nodes[0]), Score: cd.score, Explains: names(g, cd.explains),
		Unexplained: names(g, e.without(e.in.Impacted, cd.explains)), Contradicts: names(g, cd.contra),
		Evidence: []EvidenceItem{}, Paths: [][]string{}, Reasons: cd.reasons}
	slices.Sort(h.Unexplained)
	seen := map[string]bool{}
	for _, ev := range cd.evidence {
		key := fmt.Sprint(ev.Node, ev.IncidentID)
		if seen[key] {
			continue
		}
		seen[key] = true
		h.Evidence = append(h.Evidence, EvidenceItem{Node: g.ModelNode(ev.Node).ID, IncidentID: ev.IncidentID, Title: ev.Title, StartedAt: ev.StartedAt.UTC(), ResolvedAt: ev.ResolvedAt, URL: ev.URL})
	}
	slices.SortFunc(h.Evidence, func(a, b EvidenceItem) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), strings.Compare(a.Node, b.Node), strings.Compare(a.IncidentID, b.IncidentID))
	})
	for _, p := range cd.paths {
		h.Paths = append(h.Paths, names(g, p))
	}
	slices.SortFunc(h.Paths, func(a, b []string) int { return slices.Compare(a, b) })
	return h
}

func names(g *graph.Graph, ids []int32) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = g.ModelNode(id).ID
	}
	return out
}
