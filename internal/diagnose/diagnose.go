package diagnose

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/mention"
	"github.com/depgraph/depgraph/internal/model"
)

// Evidence is a status-page incident on a node that overlaps the window.
type Evidence struct {
	Node       int32
	IncidentID string
	Title      string
	// Impact is the feed's normalised impact: critical, major, minor,
	// none, unknown.
	Impact     string
	StartedAt  time.Time
	ResolvedAt *time.Time
	URL        string
	// Text is the incident's title and update bodies.
	Text string
}

// Input is what the diagnosis weighs. Node numbers are the graph's.
type Input struct {
	// Impacted and Healthy are the nodes seen broken and seen working.
	Impacted, Healthy []int32
	// From and To bound the window.
	From, To time.Time
	// Evidence lists the incidents overlapping the window.
	Evidence []Evidence
	// Watched lists the nodes whose status feed was read for the window.
	Watched []int32
	// StatusHosts maps a node to what its status page runs on; nil means
	// the model's own (status.hosted_on, see StatusHosts).
	StatusHosts map[int32][]int32
	// Rates are incidents per year from the incident store's history, by
	// node; they override the model's unavailability and the defaults.
	Rates map[int32]float64
}

// Options tunes Diagnose.
type Options struct {
	// MaxRoots is the most roots a hypothesis may have, 1 to 3; 0 means 2.
	MaxRoots int
	// Hypotheses is how many hypotheses to return; 0 means 10.
	Hypotheses int
	// Pool is how many of the best single causes are combined into pairs
	// and triples; 0 means 25.
	Pool int
	// Mentions finds node names in incident text; nil builds one from the
	// graph.
	Mentions *mention.Index
}

// page is a node whose status feed was read or carries incidents.
type page struct {
	node      int32   // sub index
	subjects  []int32 // what the page speaks for: the node and its nested nodes without a feed of their own
	self      []int32 // subjects and the nodes the page's node is nested in
	hosts     []int32
	incidents []Evidence
	watched   bool
	spoke     bool // an incident of its feed is bound to a more specific node
	severity  string
	start     time.Time
	class     int
	cue       string
	named     []int32
	namedText []string
}

type diag struct {
	g, sub   *graph.Graph
	net      *shareNet
	toSub    []int32
	fromSub  []int32
	parent   []int32 // sub index of each node's Parent, -1
	impacted []int32
	healthy  []int32
	pages    []*page
	window   time.Duration
	rates    map[int32]float64
	prior    map[int32]float64 // log prior odds, by sub index
	children map[int32][]int32 // nodes nested in a node, by graph index
	priorTxt map[int32]string
	// Indexes for the score: the pages each node is a subject or self of,
	// the pages naming someone, and a stamp to visit each page once.
	bySubject map[int32][]int32
	bySelf    map[int32][]int32
	naming    []int32
	scratch   *scratch
}

// scratch is one scorer's working memory: a stamp to visit each page once.
type scratch struct {
	stamp   []int32
	epoch   int32
	touched []int32
}

func (d *diag) newScratch() *scratch { return &scratch{stamp: make([]int32, len(d.pages))} }

type hypo struct {
	roots []int32 // sub indices, sorted
	score float64
	depth int
}

// Diagnose ranks the hypotheses of at most MaxRoots root nodes failing
// together by their posterior probability given the observation and the
// status evidence (see the package doc for the model).
func Diagnose(g *graph.Graph, in Input, opts Options) *Result {
	if opts.MaxRoots <= 0 {
		opts.MaxRoots = 2
	}
	opts.MaxRoots = min(opts.MaxRoots, 3)
	if opts.Hypotheses <= 0 {
		opts.Hypotheses = 10
	}
	if opts.Pool <= 0 {
		opts.Pool = 25
	}
	if opts.Mentions == nil {
		opts.Mentions = mention.FromGraph(g)
	}
	if in.StatusHosts == nil {
		in.StatusHosts = StatusHosts(g)
	}
	res := &Result{SchemaVersion: SchemaVersion, Window: Window{From: in.From.UTC(), To: in.To.UTC()},
		Impacted: ids(g, in.Impacted), Healthy: ids(g, in.Healthy), Hypotheses: []Hypothesis{}, MaxRoots: opts.MaxRoots,
		Feeds: []FeedUse{}, Notes: []string{}}
	d, summary := newDiag(g, in, opts.Mentions)
	res.Evidence = summary
	if summary.Incidents == 0 && summary.Watched == 0 {
		res.Notes = append(res.Notes, "no status evidence: no feed was read for the window and no incident given; the ranking rests on the topology, the observation and the priors alone")
	}
	if len(in.Impacted) == 0 {
		return res
	}
	cands, depth := d.candidates()
	if len(cands) == 0 {
		return res
	}
	// Singles, best upper bound first; stop when the bound falls Prune
	// below the best exact score (Ferret's pruning).
	ub := d.upperBounds(cands)
	slices.SortStableFunc(cands, func(a, b int32) int { return cmp.Compare(ub[b], ub[a]) })
	var all []hypo
	best := math.Inf(-1)
	// The impairments of the Pool best singles so far, kept for combine.
	kept := map[int32][]float64{}
	// Batches of singles are scored in parallel; the next batch is cut by
	// the best score of those before it, so the result does not depend on
	// the number of workers' timing.
	workers := max(1, runtime.GOMAXPROCS(0))
	for start := 0; start < len(cands); {
		end := start
		for end < len(cands) && end-start < 4*workers && ub[cands[end]] >= best-Prune {
			end++
		}
		if end == start {
			break
		}
		batch := cands[start:end]
		scored := make([]hypo, len(batch))
		imps := make([][]float64, len(batch))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(workers, len(batch)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sc := d.newScratch()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(batch) {
						return
					}
					c := batch[i]
					p := blast.PropagateSeeds(d.net, []blast.Seed{{Node: c, Impairment: 1}})
					scored[i] = hypo{roots: []int32{c}, score: d.scoreWith(sc, []int32{c}, p, nil), depth: depth[c]}
					imps[i] = p.Impairment
				}
			}()
		}
		wg.Wait()
		start = end
		for i, h := range scored {
			c := h.roots[0]
			best = max(best, h.score)
			all = append(all, h)
			if opts.MaxRoots >= 2 {
				kept[c] = imps[i]
				if len(kept) > 2*opts.Pool { // drop the worst half
					scores := make([]float64, 0, len(kept))
					for _, a := range all {
						if _, ok := kept[a.roots[0]]; ok {
							scores = append(scores, a.score)
						}
					}
					slices.Sort(scores)
					cut := scores[len(scores)-opts.Pool]
					for _, a := range all {
						if _, ok := kept[a.roots[0]]; ok && a.score < cut {
							delete(kept, a.roots[0])
						}
					}
				}
			}
		}
	}
	res.Pruned = len(cands) - len(all)
	sortHypos(d, all)
	if opts.MaxRoots >= 2 && len(all) > 1 {
		all = append(all, d.combine(all, opts, depth, kept)...)
		sortHypos(d, all)
	}
	// Posterior over the hypotheses considered.
	best = all[0].score
	z := 0.0
	for _, h := range all {
		z += math.Exp(h.score - best)
	}
	res.Considered = len(all)
	for _, h := range all[:min(opts.Hypotheses, len(all))] {
		res.Hypotheses = append(res.Hypotheses, d.describe(h, math.Exp(h.score-best)/z))
	}
	return res
}

// combine scores pairs (and triples) of the best single causes: a
// bounded best-first search in the manner of Sherlock's Ferret, pruned by
// the single-cause scores. A pair is formed from two of the Pool best
// singles neither of which lies in the other's blast radius and each of
// which impairs an impacted node or a reporting page more than the other
// (a second root that explains nothing new only adds its prior cost); a
// triple extends one of the ten best pairs with another of the Pool that
// adds to both.
func (d *diag) combine(singles []hypo, opts Options, depth map[int32]int, kept map[int32][]float64) []hypo {
	pool := singles[:min(opts.Pool, len(singles))]
	radius := make([][]float64, len(pool))
	for i, h := range pool {
		if x, ok := kept[h.roots[0]]; ok {
			radius[i] = x
			continue
		}
		radius[i] = blast.PropagateSeeds(d.net, []blast.Seed{{Node: h.roots[0], Impairment: 1}}).Impairment
	}
	nested := func(i, j int) bool {
		return radius[i][pool[j].roots[0]] > 0 || radius[j][pool[i].roots[0]] > 0
	}
	// adds reports whether root j impairs an impacted node or a page's
	// subject more than root i does: a second root that explains nothing
	// the first leaves unexplained only adds its prior cost.
	adds := func(i, j int) bool {
		for _, o := range d.impacted {
			if radius[j][o] > radius[i][o]+blast.Epsilon {
				return true
			}
		}
		for _, pg := range d.pages {
			if len(pg.incidents) == 0 {
				continue
			}
			for _, sj := range pg.self {
				if sj == pool[j].roots[0] {
					return true
				}
			}
			for _, sj := range pg.subjects {
				if radius[j][sj] > radius[i][sj]+blast.Epsilon {
					return true
				}
			}
		}
		return false
	}
	eval := func(roots []int32) hypo {
		seeds := make([]blast.Seed, len(roots))
		dp := 0
		for k, r := range roots {
			seeds[k] = blast.Seed{Node: r, Impairment: 1}
			dp += depth[r]
		}
		p := blast.PropagateSeeds(d.net, seeds)
		slices.Sort(roots)
		return hypo{roots: roots, score: d.score(roots, p, nil), depth: dp}
	}
	type pair struct{ i, j int }
	var pairs []hypo
	var idx []pair
	for i := range pool {
		for j := i + 1; j < len(pool); j++ {
			if nested(i, j) || !adds(i, j) || !adds(j, i) {
				continue
			}
			pairs = append(pairs, eval([]int32{pool[i].roots[0], pool[j].roots[0]}))
			idx = append(idx, pair{i, j})
		}
	}
	if opts.MaxRoots < 3 || len(pairs) == 0 {
		return pairs
	}
	order := make([]int, len(pairs))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pairs[b].score, pairs[a].score) })
	seen := map[[3]int32]bool{}
	var triples []hypo
	for _, k := range order[:min(10, len(order))] {
		pi, pj := idx[k].i, idx[k].j
		for l := range pool {
			if l == pi || l == pj || nested(l, pi) || nested(l, pj) || !adds(pi, l) || !adds(pj, l) {
				continue
			}
			key := [3]int32{pool[pi].roots[0], pool[pj].roots[0], pool[l].roots[0]}
			slices.Sort(key[:])
			if seen[key] {
				continue
			}
			seen[key] = true
			triples = append(triples, eval(key[:]))
		}
	}
	return append(pairs, triples...)
}

func sortHypos(d *diag, hs []hypo) {
	slices.SortStableFunc(hs, func(a, b hypo) int {
		// Scores equal to 1e-9 are ties: fewer roots first, then the
		// deeper cause (further from what was seen), then by id.
		sa, sb := math.Round(a.score*1e9), math.Round(b.score*1e9)
		return cmp.Or(cmp.Compare(sb, sa), cmp.Compare(len(a.roots), len(b.roots)), cmp.Compare(b.depth, a.depth),
			strings.Compare(d.sub.ModelNode(a.roots[0]).ID, d.sub.ModelNode(b.roots[0]).ID))
	})
}

// candidates returns the possible roots: every node upstream of (or
// equal to) an impacted node, outside your own organisation unless
// nothing else is, with its hop distance from the nearest impacted node.
func (d *diag) candidates() ([]int32, map[int32]int) {
	dist := map[int32]int{}
	queue := slices.Clone(d.impacted)
	for _, i := range queue {
		dist[i] = 0
	}
	for q := 0; q < len(queue); q++ {
		u := queue[q]
		for _, v := range d.sub.Dependencies(u) {
			if _, ok := dist[v]; !ok {
				dist[v] = dist[u] + 1
				queue = append(queue, v)
			}
		}
	}
	var out, own []int32
	for _, u := range queue {
		if d.g.Party(d.fromSub[u]) == 1 {
			own = append(own, u)
		} else {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		out = own
	}
	slices.Sort(out)
	return out, dist
}

func newDiag(g *graph.Graph, in Input, ix *mention.Index) (*diag, EvidenceSummary) {
	var sum EvidenceSummary
	d := &diag{g: g, rates: in.Rates, prior: map[int32]float64{}, priorTxt: map[int32]string{}, window: max(in.To.Sub(in.From), 0),
		bySubject: map[int32][]int32{}, bySelf: map[int32][]int32{}}
	n := g.Len()
	children := make(map[int32][]int32)
	d.children = children
	parentG := make([]int32, n)
	for i := range int32(n) {
		parentG[i] = -1
		if p := g.ModelNode(i).Parent; p != "" {
			if j, ok := g.Lookup(p); ok {
				parentG[i] = j
				children[j] = append(children[j], i)
			}
		}
	}
	ancestors := func(i int32) []int32 {
		var out []int32
		for p := parentG[i]; p >= 0; p = parentG[p] {
			out = append(out, p)
		}
		return out
	}
	// Drop an incident's bindings to the nodes that its more specific
	// bindings are nested in: a vendor's page and its component both
	// match an incident naming the component.
	byIncident := map[string][]int32{}
	for _, ev := range in.Evidence {
		k := ev.IncidentID + "\x00" + ev.URL + "\x00" + ev.Title
		byIncident[k] = append(byIncident[k], ev.Node)
	}
	spoke := map[int32]bool{}
	evidence := map[int32][]Evidence{}
	for _, ev := range in.Evidence {
		k := ev.IncidentID + "\x00" + ev.URL + "\x00" + ev.Title
		general := false
		for _, other := range byIncident[k] {
			if other != ev.Node && slices.Contains(ancestors(other), ev.Node) {
				general = true
			}
		}
		if general {
			spoke[ev.Node] = true
			continue
		}
		evidence[ev.Node] = append(evidence[ev.Node], ev)
		sum.Incidents++
	}
	sum.Nodes = len(evidence)
	pageNodes := map[int32]bool{}
	for i := range evidence {
		pageNodes[i] = true
	}
	for _, w := range in.Watched {
		pageNodes[w] = true
	}
	sum.Watched = len(in.Watched)
	// Relevant nodes: what the score reads.
	relevant := map[int32]bool{}
	for _, i := range in.Impacted {
		relevant[i] = true
	}
	for _, i := range in.Healthy {
		relevant[i] = true
	}
	type rawPage struct {
		node                int32
		subjects, self, hst []int32
		named               []int32
		namedText           []string
		class               int
		cue                 string
	}
	var raws []rawPage
	namedAll := map[int32]bool{}
	for _, w := range slices.Sorted(maps.Keys(pageNodes)) {
		rp := rawPage{node: w}
		rp.subjects = []int32{w}
		for q := 0; q < len(rp.subjects); q++ {
			for _, c := range children[rp.subjects[q]] {
				if g.ModelNode(c).Status == nil {
					rp.subjects = append(rp.subjects, c)
				}
			}
		}
		rp.self = append(slices.Clone(rp.subjects), ancestors(w)...)
		for _, o := range append([]int32{w}, ancestors(w)...) {
			rp.hst = append(rp.hst, in.StatusHosts[o]...)
		}
		if evs := evidence[w]; len(evs) > 0 {
			rp.class, rp.cue, rp.named, rp.namedText = classify(g, w, evs, ix)
			for _, m := range rp.named {
				namedAll[m] = true
			}
		}
		for _, s := range slices.Concat(rp.self, rp.hst, rp.named) {
			relevant[s] = true
		}
		raws = append(raws, rp)
	}
	sum.Mentions = len(namedAll)
	// The part of the graph the score depends on: everything upstream of
	// a relevant node (a node's impairment depends only on what it depends
	// on, so propagating there is exact for the relevant nodes).
	keep := make([]bool, n)
	queue := slices.Sorted(maps.Keys(relevant))
	for _, i := range queue {
		keep[i] = true
	}
	for q := 0; q < len(queue); q++ {
		for _, v := range g.Dependencies(queue[q]) {
			if !keep[v] {
				keep[v] = true
				queue = append(queue, v)
			}
		}
	}
	d.sub = g
	if len(queue) < n/2 { // a small part: propagate there; else the whole graph costs the same
		sm := &model.Model{}
		for i := range int32(n) {
			if keep[i] {
				sm.Nodes = append(sm.Nodes, g.ModelNode(i))
			}
		}
		if sg, err := graph.Build(sm); err == nil {
			d.sub = sg
		}
	}
	d.toSub = make([]int32, n)
	d.fromSub = make([]int32, d.sub.Len())
	for i := range int32(n) {
		d.toSub[i] = -1
	}
	for j := range int32(d.sub.Len()) {
		i, _ := g.Lookup(d.sub.ModelNode(j).ID)
		d.fromSub[j], d.toSub[i] = i, j
	}
	d.parent = make([]int32, d.sub.Len())
	for j := range d.parent {
		d.parent[j] = -1
		if p := parentG[d.fromSub[j]]; p >= 0 {
			d.parent[j] = d.toSub[p]
		}
	}
	d.net = newShareNet(d.sub)
	mapAll := func(xs []int32) []int32 {
		out := make([]int32, 0, len(xs))
		for _, x := range xs {
			if s := d.toSub[x]; s >= 0 {
				out = append(out, s)
			}
		}
		return out
	}
	d.impacted, d.healthy = mapAll(in.Impacted), mapAll(in.Healthy)
	watched := map[int32]bool{}
	for _, w := range in.Watched {
		watched[w] = true
	}
	for _, rp := range raws {
		pg := &page{node: d.toSub[rp.node], subjects: mapAll(rp.subjects), self: mapAll(rp.self), hosts: mapAll(rp.hst),
			incidents: evidence[rp.node], watched: watched[rp.node], spoke: spoke[rp.node], class: rp.class, cue: rp.cue,
			named: mapAll(rp.named), namedText: rp.namedText, severity: "unknown"}
		rank := map[string]int{"unknown": 0, "none": 1, "minor": 2, "major": 3, "critical": 4}
		for k, ev := range pg.incidents {
			s := ev.Impact
			if _, ok := rank[s]; !ok || s == "" {
				s = "unknown"
			}
			if k == 0 || rank[s] > rank[pg.severity] {
				pg.severity = s
			}
			if pg.start.IsZero() || ev.StartedAt.Before(pg.start) {
				pg.start = ev.StartedAt
			}
		}
		k := int32(len(d.pages))
		d.pages = append(d.pages, pg)
		for _, sj := range pg.subjects {
			d.bySubject[sj] = append(d.bySubject[sj], k)
		}
		for _, sf := range pg.self {
			d.bySelf[sf] = append(d.bySelf[sf], k)
		}
		if len(pg.named) > 0 {
			d.naming = append(d.naming, k)
		}
	}
	d.scratch = d.newScratch()
	return d, sum
}

// upperBounds bounds each single cause's score from above without
// propagating: its prior, plus the largest gain of every impacted node and
// every page it can reach (each as if impaired 1 and, for the pages, with
// the likeliest words and every named node the root), plus the timing
// gain, minus the certain losses: the healthy nodes it takes down through hard dependencies alone (impairment 1
// for sure); every other term can only lower a score. O(R) per impacted
// node, page and healthy node for the R nodes upstream of it.
func (d *diag) upperBounds(cands []int32) map[int32]float64 {
	ub := make(map[int32]float64, len(cands))
	for _, c := range cands {
		ub[c] = d.logPrior(c) + math.Log(RootFirst/0.5)
	}
	seen := make([]int32, d.sub.Len())
	mark := int32(0)
	// impairers returns the nodes upstream of at least need members of a
	// failover group: the only single causes that can impair it.
	type groupKey struct{ u, k int32 }
	memo := map[groupKey][]int32{}
	gseen := make([]int32, d.sub.Len())
	gmark := int32(0)
	impairers := func(key groupKey, members []int32, need int) []int32 {
		if out, ok := memo[key]; ok {
			return out
		}
		count := map[int32]int{}
		for _, m := range members {
			gmark++
			gseen[m] = gmark
			queue := []int32{m}
			for q := 0; q < len(queue); q++ {
				count[queue[q]]++
				for _, v := range d.sub.Dependencies(queue[q]) {
					if gseen[v] != gmark {
						gseen[v] = gmark
						queue = append(queue, v)
					}
				}
			}
		}
		var out []int32
		for v, c := range count {
			if c >= need {
				out = append(out, v)
			}
		}
		slices.Sort(out)
		memo[key] = out
		return out
	}
	// reach adds gain to every candidate that can impair one of from:
	// upstream along requirements that pass impairment on, through a
	// failover group only from a node upstream of enough of its members.
	reach := func(from []int32, gain float64) {
		mark++
		queue := make([]int32, 0, len(from))
		visit := func(v int32) {
			if seen[v] != mark {
				seen[v] = mark
				queue = append(queue, v)
			}
		}
		for _, f := range from {
			visit(f)
		}
		for q := 0; q < len(queue); q++ {
			u := queue[q]
			if _, ok := ub[u]; ok {
				ub[u] += gain
			}
			for k, r := range d.net.Requirements(u) {
				if r.Impact <= 0 {
					continue
				}
				ms := d.sub.Members(r)
				need := 1
				if r.Group {
					need = len(ms) - int(r.Min) + 1
				}
				if need <= 1 {
					for _, v := range ms {
						visit(v)
					}
					continue
				}
				for _, v := range impairers(groupKey{u, int32(k)}, ms, need) {
					visit(v)
				}
			}
		}
	}
	a, b := FalsePositive, FalseNegative
	for _, o := range d.impacted {
		reach([]int32{o}, math.Log((1-b)/a))
	}
	// Certain losses, along hard single dependencies.
	reachHard := func(from int32, loss float64) {
		mark++
		seen[from] = mark
		queue := []int32{from}
		for q := 0; q < len(queue); q++ {
			u := queue[q]
			if _, ok := ub[u]; ok {
				ub[u] += loss
			}
			for _, r := range d.net.Requirements(u) {
				if r.Group || r.Unknown || r.Impact < 1 {
					continue
				}
				if v := d.sub.Members(r)[0]; seen[v] != mark {
					seen[v] = mark
					queue = append(queue, v)
				}
			}
		}
	}
	for _, h := range d.healthy {
		reachHard(h, math.Log(b/(1-a)))
	}
	for _, pg := range d.pages {
		gain := 0.0
		if len(pg.incidents) > 0 {
			p1, p0 := PostImpaired, PostUnrelated
			if sv, ok := severityGiven[pg.severity]; ok {
				p1, p0 = p1*sv[0], p0*sv[1]
			}
			gain += math.Log(p1 / p0)
			if pg.class != classNone {
				t := wordsGiven[pg.class]
				gain += max(0, math.Log(max(t[0], t[1])/t[2]))
			}
			gain += float64(len(pg.named)) * math.Log(namedRoot)
		}
		if gain <= 0 {
			continue
		}
		// A page's terms move for the causes upstream of its subjects and
		// for those its node is nested in (in self).
		reach(pg.self, gain)
	}
	return ub
}

// touch lists the pages whose terms a hypothesis can move: those whose
// subjects it impairs, those a root is the self of, and those naming
// someone. Any other page's terms equal the null's (0).
func (d *diag) touch(sc *scratch, roots []int32, order []int32) []int32 {
	sc.epoch++
	sc.touched = sc.touched[:0]
	mark := func(ks []int32) {
		for _, k := range ks {
			if sc.stamp[k] != sc.epoch {
				sc.stamp[k] = sc.epoch
				sc.touched = append(sc.touched, k)
			}
		}
	}
	if len(order) < len(d.pages) {
		for _, u := range order {
			mark(d.bySubject[u])
		}
	} else {
		for k := range d.pages {
			if sc.stamp[k] != sc.epoch {
				sc.stamp[k] = sc.epoch
				sc.touched = append(sc.touched, int32(k))
			}
		}
	}
	for _, r := range roots {
		mark(d.bySelf[r])
	}
	mark(d.naming)
	slices.Sort(sc.touched)
	return sc.touched
}

// classify sorts a speaker's words: it names nodes outside its own
// organisation that lie upstream of it, blames an unnamed provider, blames
// itself, or says nothing of the cause. Words that blame a change or a bug
// next to a named upstream node are that node's (a reposted postmortem),
// not the speaker's.
func classify(g *graph.Graph, w int32, evs []Evidence, ix *mention.Index) (int, string, []int32, []string) {
	var b strings.Builder
	for _, ev := range evs {
		b.WriteString(ev.Title)
		b.WriteString("\n")
		b.WriteString(ev.Text)
		b.WriteString("\n")
	}
	text := b.String()
	org := model.Org(g.ModelNode(w).ID)
	var named []int32
	var quotes []string
	var up map[int32]bool
	for _, m := range ix.Match(text) {
		j, ok := g.Lookup(m.NodeID)
		if !ok || model.Org(m.NodeID) == org || slices.Contains(named, j) {
			continue
		}
		if up == nil {
			up = upstream(g, w)
		}
		if !up[j] {
			continue
		}
		named = append(named, j)
		quotes = append(quotes, m.Quote)
		if len(named) == maxNamed {
			break
		}
	}
	if len(named) > 0 {
		return classNamed, "", named, quotes
	}
	lower := strings.ToLower(text)
	for _, c := range upstreamCues {
		if strings.Contains(lower, c) {
			return classUpstream, c, nil, nil
		}
	}
	for _, c := range selfCues {
		if strings.Contains(lower, c) {
			return classSelf, c, nil, nil
		}
	}
	return classNone, "", nil, nil
}

// upstream returns the nodes w depends on, transitively, and the nodes it
// is nested in together with theirs.
func upstream(g *graph.Graph, w int32) map[int32]bool {
	seen := map[int32]bool{w: true}
	queue := []int32{w}
	for q := 0; q < len(queue); q++ {
		for _, v := range g.Dependencies(queue[q]) {
			if !seen[v] {
				seen[v] = true
				queue = append(queue, v)
			}
		}
	}
	delete(seen, w)
	return seen
}

// knownRate returns a node's rate from history or unavailability, and
// whether it has one.
func (d *diag) knownRate(i int32) (float64, bool) {
	if r, ok := d.rates[i]; ok {
		return r, true
	}
	if u := d.g.ModelNode(i).Unavailability; u != nil {
		return RateFromUnavailability(*u), true
	}
	return 0, false
}

// leastFailingChild returns the node nested directly in i with the lowest
// known positive rate, and that rate; -1 when none has one.
func (d *diag) leastFailingChild(i int32) (int32, float64) {
	best, rate := int32(-1), math.Inf(1)
	for _, c := range d.children[i] {
		if r, ok := d.knownRate(c); ok && r > 0 && r < rate {
			best, rate = c, r
		}
	}
	return best, rate
}

// logPrior returns a node's log prior odds of failing in the window.
func (d *diag) logPrior(s int32) float64 {
	if v, ok := d.prior[s]; ok {
		return v
	}
	i := d.fromSub[s]
	n := d.g.ModelNode(i)
	var rate float64
	var how string
	if r, ok := d.rates[i]; ok {
		rate, how = r, fmt.Sprintf("history: %.3g incidents a year", r)
	} else if n.Unavailability != nil {
		rate, how = RateFromUnavailability(*n.Unavailability), fmt.Sprintf("model unavailability %.3g", *n.Unavailability)
	} else {
		rate = DefaultRate[n.Kind]
		if rate == 0 {
			rate = DefaultRate[model.KindUnknown]
		}
		how = fmt.Sprintf("default for a %s: %.3g incidents a year", n.Kind, rate)
		// A whole fails no more often than a part it takes down: a
		// provider's default is capped by the known rate of the least
		// failing region nested in it.
		if c, cr := d.leastFailingChild(i); c >= 0 && cr < rate {
			rate = cr
			how += fmt.Sprintf(", capped at %s's %.3g (a whole fails no more often than a part it takes down)", d.g.ModelNode(c).ID, cr)
		}
	}
	p := max(WindowProbability(rate, d.window), 1e-9)
	v := math.Log(p / (1 - p))
	d.prior[s], d.priorTxt[s] = v, fmt.Sprintf("prior %.2g of failing in the window (%s)", p, how)
	return v
}

// score returns a hypothesis's log posterior up to a constant, and
// appends its factors to f when f is not nil.
func (d *diag) score(roots []int32, p *blast.Propagation, f *[]Factor) float64 {
	return d.scoreWith(d.scratch, roots, p, f)
}

// scoreWith is score with the given working memory; scorers running at
// once need their own (the priors of the roots must be cached already).
func (d *diag) scoreWith(sc *scratch, roots []int32, p *blast.Propagation, f *[]Factor) float64 {
	g := d.sub
	x := p.Impairment
	total := 0.0
	add := func(kind string, node int32, w float64, text string) {
		total += w
		if f != nil && (w != 0 || kind == "silence") {
			id := ""
			if node >= 0 {
				id = g.ModelNode(node).ID
			}
			*f = append(*f, Factor{Kind: kind, Node: id, Weight: w, Text: text})
		}
	}
	for _, r := range roots {
		add("prior", r, d.logPrior(r), fmt.Sprintf("%s: %s", g.ModelNode(r).ID, d.priorTxt[r]))
	}
	// Observations.
	const a, b = FalsePositive, FalseNegative
	var expl []string
	wi := 0.0
	for _, o := range d.impacted {
		if x[o] > blast.Epsilon {
			wi += math.Log((a + (1-a-b)*x[o]) / a)
			expl = append(expl, g.ModelNode(o).ID)
		}
	}
	if len(expl) > 0 {
		add("impacted", -1, wi, fmt.Sprintf("explains %d of %d impacted (%s)", len(expl), len(d.impacted), short(expl)))
	}
	for _, h := range d.healthy {
		if x[h] > blast.Epsilon {
			add("healthy", h, math.Log((1-a-(1-a-b)*x[h])/(1-a)), fmt.Sprintf("would impair %s by %.0f%%, seen healthy", g.ModelNode(h).ID, 100*x[h]))
		}
	}
	// Status evidence.
	var victimStart time.Time
	rootStarts := map[int32]time.Time{}
	for _, k := range d.touch(sc, roots, p.Order) {
		pg := d.pages[k]
		isRoot := false
		for _, r := range roots {
			if slices.Contains(pg.self, r) {
				isRoot = true
				if len(pg.incidents) > 0 {
					if t, ok := rootStarts[r]; !ok || pg.start.Before(t) {
						rootStarts[r] = pg.start
					}
				}
			}
		}
		y := 1.0
		if !isRoot {
			y = 0
			for _, s := range pg.subjects {
				y = max(y, x[s])
			}
		}
		id := g.ModelNode(pg.node).ID
		if len(pg.incidents) > 0 {
			p1, p0 := PostImpaired, PostUnrelated
			if sv, ok := severityGiven[pg.severity]; ok {
				p1, p0 = p1*sv[0], p0*sv[1]
			}
			w := math.Log((y*p1 + (1-y)*p0) / p0)
			what := "which it predicts"
			switch {
			case isRoot:
				what = "on the cause itself"
			case y <= blast.Epsilon:
				what = "which it does not explain"
			case y < 1-blast.Epsilon:
				what = fmt.Sprintf("which it predicts %.0f%% impaired", 100*y)
			}
			add("incident", pg.node, w, fmt.Sprintf("%s reported %q (%s), %s", id, pg.incidents[0].Title, pg.severity, what))
			// Words.
			c := pg.class
			t := wordsGiven[c]
			pc := y*t[1] + (1-y)*t[2]
			if isRoot {
				pc = t[0]
			}
			if c != classNone {
				w := math.Log(pc / t[2])
				switch c {
				case classSelf:
					add("words", pg.node, w, fmt.Sprintf("%s's words blame itself (%q)", id, pg.cue))
				case classUpstream:
					add("words", pg.node, w, fmt.Sprintf("%s's words blame an upstream provider (%q)", id, pg.cue))
				case classNamed:
					add("words", pg.node, w, fmt.Sprintf("%s's words name a provider upstream of it", id))
				}
			}
			for k, m := range pg.named {
				odds := 1.0
				how := "not impaired by it"
				switch {
				case slices.Contains(roots, m):
					odds, how = namedRoot, "the cause itself"
				case d.covers(m, roots):
					odds, how = namedCovers, "a cause is part of it"
				case x[m] > 0.5:
					odds, how = namedImpaired, "impaired by it"
				}
				add("named", m, math.Log(odds), fmt.Sprintf("%s names %s (%q): %s", id, g.ModelNode(m).ID, pg.namedText[k], how))
			}
			if !isRoot && y > 0.5 && (victimStart.IsZero() || pg.start.Before(victimStart)) {
				victimStart = pg.start
			}
			continue
		}
		if !pg.watched || pg.spoke {
			continue
		}
		if y <= blast.Epsilon {
			continue // silence of an unaffected page: what the null predicts too
		}
		down := ""
		for _, h := range pg.hosts {
			if slices.Contains(roots, h) || x[h] > HostDown {
				down = g.ModelNode(h).ID
			}
		}
		if down != "" {
			add("silence", pg.node, 0, fmt.Sprintf("%s's status page stayed silent, but it runs on %s, which this takes down: its silence proves nothing", id, down))
			continue
		}
		w := math.Log((y*(1-PostImpaired) + (1-y)*(1-PostUnrelated)) / (1 - PostUnrelated))
		add("silence", pg.node, w, fmt.Sprintf("%s's status page stayed silent", id))
	}
	if !victimStart.IsZero() {
		for _, r := range roots {
			t, ok := rootStarts[r]
			if !ok {
				continue
			}
			if !t.After(victimStart.Add(FirstSlack)) {
				add("timing", r, math.Log(RootFirst/0.5), fmt.Sprintf("%s's incident started first (%s, victims from %s)", g.ModelNode(r).ID, t.UTC().Format("15:04Z"), victimStart.UTC().Format("15:04Z")))
			} else {
				add("timing", r, math.Log((1-RootFirst)/0.5), fmt.Sprintf("%s's incident started after its victims' (%s, victims from %s)", g.ModelNode(r).ID, t.UTC().Format("15:04Z"), victimStart.UTC().Format("15:04Z")))
			}
		}
	}
	return total
}

// covers reports whether some root is nested in m.
func (d *diag) covers(m int32, roots []int32) bool {
	for _, r := range roots {
		for p := d.parent[r]; p >= 0; p = d.parent[p] {
			if p == m {
				return true
			}
		}
	}
	return false
}

// describe turns a hypothesis into its reported form.
func (d *diag) describe(h hypo, prob float64) Hypothesis {
	g := d.sub
	seeds := make([]blast.Seed, len(h.roots))
	for k, r := range h.roots {
		seeds[k] = blast.Seed{Node: r, Impairment: 1}
	}
	p := blast.PropagateSeeds(d.net, seeds) // paths on demand
	var factors []Factor
	score := d.score(h.roots, p, &factors)
	out := Hypothesis{Nodes: ids(g, h.roots), Layer: d.g.Layer(d.fromSub[h.roots[0]]), Score: math.Round(score*1e4) / 1e4,
		Probability: math.Round(prob*1e6) / 1e6, Explains: []string{}, Unexplained: []string{}, Contradicts: []string{},
		Evidence: []EvidenceItem{}, Paths: [][]string{}, Factors: factors, Reasons: []string{}}
	for _, o := range d.impacted {
		if p.Impairment[o] > blast.Epsilon {
			out.Explains = append(out.Explains, g.ModelNode(o).ID)
			if path := p.Path(o); len(path) > 0 {
				out.Paths = append(out.Paths, pathIDs(g, path))
			}
		} else {
			out.Unexplained = append(out.Unexplained, g.ModelNode(o).ID)
		}
	}
	for _, hl := range d.healthy {
		if p.Impairment[hl] >= 0.5 {
			out.Contradicts = append(out.Contradicts, g.ModelNode(hl).ID)
		}
	}
	seen := map[string]bool{}
	for _, pg := range d.pages {
		y := 0.0
		for _, s := range pg.self {
			if slices.Contains(h.roots, s) {
				y = 1
			}
		}
		for _, s := range pg.subjects {
			y = max(y, p.Impairment[s])
		}
		if y <= blast.Epsilon {
			continue
		}
		for _, ev := range pg.incidents {
			key := fmt.Sprint(ev.Node, "\x00", ev.IncidentID)
			if seen[key] {
				continue
			}
			seen[key] = true
			out.Evidence = append(out.Evidence, EvidenceItem{Node: d.g.ModelNode(ev.Node).ID, IncidentID: ev.IncidentID, Title: ev.Title, StartedAt: ev.StartedAt.UTC(), ResolvedAt: ev.ResolvedAt, URL: ev.URL})
		}
	}
	slices.Sort(out.Explains)
	slices.Sort(out.Unexplained)
	slices.Sort(out.Contradicts)
	slices.SortFunc(out.Paths, func(a, b []string) int { return slices.Compare(a, b) })
	slices.SortFunc(out.Evidence, func(a, b EvidenceItem) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), strings.Compare(a.Node, b.Node), strings.Compare(a.IncidentID, b.IncidentID))
	})
	slices.SortStableFunc(out.Factors, func(a, b Factor) int { return cmp.Compare(math.Abs(b.Weight), math.Abs(a.Weight)) })
	for k := range out.Factors {
		out.Factors[k].Weight = math.Round(out.Factors[k].Weight*1e4) / 1e4
	}
	for _, f := range out.Factors[:min(6, len(out.Factors))] {
		out.Reasons = append(out.Reasons, fmt.Sprintf("%s (%+.1f)", f.Text, f.Weight))
	}
	return out
}

func ids(g *graph.Graph, xs []int32) []string {
	out := make([]string, len(xs))
	for k, x := range xs {
		out[k] = g.ModelNode(x).ID
	}
	slices.Sort(out)
	return out
}

func pathIDs(g *graph.Graph, xs []int32) []string {
	out := make([]string, len(xs))
	for k, x := range xs {
		out[k] = g.ModelNode(x).ID
	}
	return out
}

func short(xs []string) string {
	if len(xs) <= 4 {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:3], ", "), len(xs)-3)
}

// shareNet is the graph as the forward model sees it: a dependency of
// unknown share passes on UnknownShare of its target's impairment.
type shareNet struct {
	*graph.Graph
	reqs  map[int32][]graph.Requirement
	index blast.IndexCache
}

// BlastIndexCache keeps the propagation index for the network's lifetime
// (one diagnosis), instead of one per propagation.
func (s *shareNet) BlastIndexCache() *blast.IndexCache { return &s.index }

func newShareNet(g *graph.Graph) *shareNet {
	s := &shareNet{Graph: g, reqs: map[int32][]graph.Requirement{}}
	for i := range int32(g.Len()) {
		rs := g.Requirements(i)
		if !slices.ContainsFunc(rs, func(r graph.Requirement) bool { return r.Unknown }) {
			continue
		}
		rs = slices.Clone(rs) // copies keep their members
		for k := range rs {
			if rs[k].Unknown {
				rs[k].Impact = UnknownShare
			}
		}
		s.reqs[i] = rs
	}
	return s
}

// Requirements returns node i's requirements with unknown shares filled.
func (s *shareNet) Requirements(i int32) []graph.Requirement {
	if rs, ok := s.reqs[i]; ok {
		return rs
	}
	return s.Graph.Requirements(i)
}

// StatusHosts maps every node whose status page runs on other nodes of
// the model (status.hosted_on) to those nodes.
func StatusHosts(g *graph.Graph) map[int32][]int32 {
	hosts := map[int32][]int32{}
	for i := range int32(g.Len()) {
		if st := g.ModelNode(i).Status; st != nil {
			for _, h := range st.HostedOn {
				if j, ok := g.Lookup(h); ok {
					hosts[i] = append(hosts[i], j)
				}
			}
		}
	}
	return hosts
}

// Predictor gives the forward model's predicted impairments: every root
// at impairment 1, propagated with unknown shares passing on UnknownShare,
// as the diagnosis scores hypotheses. Its propagation index is built once.
type Predictor struct{ net *shareNet }

// NewPredictor returns the predictor of g.
func NewPredictor(g *graph.Graph) *Predictor { return &Predictor{net: newShareNet(g)} }

// Impairments returns the predicted impairment of every node, by graph
// index, when the roots fail.
func (p *Predictor) Impairments(roots []int32) []float64 {
	seeds := make([]blast.Seed, len(roots))
	for i, r := range roots {
		seeds[i] = blast.Seed{Node: r, Impairment: 1}
	}
	return blast.PropagateSeeds(p.net, seeds).Impairment
}
