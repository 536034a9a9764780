package openpsa

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/faulttree"
)

// Common-cause failure groups (MEF chapter 7), expanded as SCRAM 0.16.2
// does with --ccf: each member basic event becomes an or over the group's
// common-cause events that include it, one event per combination of k
// members for every level k the model gives a probability, named "[A B]"
// after its members in the group's order. With Q the group's distribution
// and n its size, the probability of one event of level k is
//
//	beta-factor   k = 1: (1−β)·Q; k = n: β·Q (one factor, level n)
//	MGL           Q·ρ2·…·ρk·(1−ρ(k+1)) / C(n−1, k−1), factors of levels 2..m (ρ(m+1) = 0)
//	alpha-factor  Q·k·αk / (1·α1+…+m·αm) / C(n−1, k−1), factors of levels 1..m
//	phi-factor    φk·Q, factors of levels 1..m summing to 1
//
// A <factor> without a level takes the one after the previous factor's.

var ccfModels = map[string]int{"beta-factor": 0, "MGL": 2, "alpha-factor": 1, "phi-factor": 1}

func (r *reader) defineCCF(k *elem, path string, private bool) {
	name, _ := k.attr("name")
	model, _ := k.attr("model")
	if name == "" {
		r.errorf(k.pos, "<define-CCF-group> without a name")
		return
	}
	if _, ok := ccfModels[model]; !ok {
		r.errorf(k.pos, "CCF group %q: model %q is not beta-factor, MGL, alpha-factor or phi-factor", name, model)
		return
	}
	g := &ccfGroup{name: name, model: model, e: k, path: path, refs: map[string]faulttree.Ref{}}
	for _, c := range k.kids {
		if c.name != "members" {
			continue
		}
		for _, m := range c.kids {
			mn, _ := m.attr("name")
			if m.name != "basic-event" || mn == "" {
				r.errorf(m.pos, "CCF group %q: members are <basic-event name=…/>, got <%s>", name, m.name)
				continue
			}
			d := &def{kind: "basic-event", name: mn, pos: m.pos, path: path, ccf: g}
			if private {
				d.name = joinPath(path, mn)
			}
			if slices.ContainsFunc(g.members, func(o *def) bool { return o.name == d.name }) {
				r.errorf(m.pos, "CCF group %q: member %q given twice", name, mn)
				continue
			}
			g.members = append(g.members, d)
			r.add(d, private, joinPath(path, mn))
		}
	}
	r.ccfs = append(r.ccfs, g)
}

type ccfFactor struct {
	level int
	value float64
	pos   Pos
}

// expandCCF builds the group's common-cause events and its members' or
// gates, once.
func (r *reader) expandCCF(g *ccfGroup) {
	if g.done {
		return
	}
	g.done = true
	saved := r.scope
	r.scope = g.path
	defer func() { r.scope = saved }()
	for _, m := range g.members {
		g.refs[m.name] = faulttree.False
	}
	n := len(g.members)
	if n < 2 {
		r.errorf(g.e.pos, "CCF group %q needs at least 2 members, has %d", g.name, n)
		return
	}
	q, qok := math.NaN(), false
	var factors []ccfFactor
	next := ccfModels[g.model]
	if g.model == "beta-factor" {
		next = n
	}
	addFactor := func(f *elem) {
		lv := next
		if s, ok := f.attr("level"); ok {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 {
				r.errorf(f.pos, "CCF group %q: factor level %q is not a positive integer", g.name, s)
				return
			}
			lv = v
		}
		next = lv + 1
		if len(f.kids) != 1 {
			r.errorf(f.pos, "CCF group %q: a <factor> holds one expression", g.name)
			return
		}
		v, ok := r.eval(f.kids[0])
		if !ok {
			return
		}
		if v < 0 || v > 1 {
			r.errorf(f.pos, "CCF group %q: factor %v is outside [0, 1]", g.name, v)
			return
		}
		factors = append(factors, ccfFactor{lv, v, f.pos})
	}
	for _, c := range g.e.kids {
		switch c.name {
		case "distribution":
			if len(c.kids) != 1 {
				r.errorf(c.pos, "CCF group %q: <distribution> holds one expression", g.name)
				continue
			}
			if v, ok := r.eval(c.kids[0]); ok {
				if v < 0 || v > 1 {
					r.errorf(c.pos, "CCF group %q: distribution %v is outside [0, 1]", g.name, v)
				} else {
					q, qok = v, true
				}
			}
		case "factor":
			addFactor(c)
		case "factors":
			for _, f := range c.kids {
				if f.name == "factor" {
					addFactor(f)
				}
			}
		case "members", "label", "attributes":
		default:
			r.errorf(c.pos, "CCF group %q: unexpected <%s>", g.name, c.name)
		}
	}
	if !qok {
		if !slices.ContainsFunc(g.e.kids, func(c *elem) bool { return c.name == "distribution" }) {
			r.errorf(g.e.pos, "CCF group %q has no <distribution>", g.name)
		}
		return
	}
	slices.SortStableFunc(factors, func(a, b ccfFactor) int { return a.level - b.level })
	probs, ok := r.ccfProbabilities(g, n, q, factors)
	if !ok {
		return
	}
	// Members' or gates over the events that include them.
	args := make([][]faulttree.Ref, n)
	for k := 1; k <= n; k++ {
		p, ok := probs[k]
		if !ok {
			continue
		}
		combinations(n, k, func(c []int) {
			names := make([]string, len(c))
			for i, m := range c {
				names[i] = g.members[m].name
			}
			ev := r.b.Basic("["+strings.Join(names, " ")+"]", p)
			for _, m := range c {
				args[m] = append(args[m], ev)
			}
		})
	}
	for i, m := range g.members {
		ref := r.b.Gate(faulttree.Or, 0, args[i]...)
		g.refs[m.name] = ref
		r.refs[m.name] = ref
		r.state[m.name] = 2
	}
}

// ccfProbabilities returns the probability of one common-cause event of
// each level.
func (r *reader) ccfProbabilities(g *ccfGroup, n int, q float64, fs []ccfFactor) (map[int]float64, bool) {
	bad := func(format string, args ...any) (map[int]float64, bool) {
		r.errorf(g.e.pos, "CCF group %q (%s): "+format, append([]any{g.name, g.model}, args...)...)
		return nil, false
	}
	if len(fs) == 0 {
		return bad("no factors")
	}
	start := ccfModels[g.model]
	if g.model == "beta-factor" {
		if len(fs) != 1 || fs[0].level != n {
			return bad("needs exactly one factor, of level %d (the number of members)", n)
		}
		beta := fs[0].value
		return map[int]float64{1: (1 - beta) * q, n: beta * q}, true
	}
	for i, f := range fs {
		if f.level != start+i {
			return bad("factor levels must run from %d without gaps, got level %d", start, f.level)
		}
	}
	m := fs[len(fs)-1].level
	if m > n {
		return bad("factor level %d exceeds the %d members", m, n)
	}
	probs := map[int]float64{}
	switch g.model {
	case "MGL":
		// fs[i] is the factor of level i+2.
		prod := 1.0
		for k := 1; k <= m; k++ {
			if k >= 2 {
				prod *= fs[k-2].value
			}
			p := prod * q / binomial(n-1, k-1)
			if k < m {
				p *= 1 - fs[k-1].value
			}
			probs[k] = p
		}
	case "alpha-factor":
		sum := 0.0 // α_t = Σ k·α_k
		for _, f := range fs {
			sum += float64(f.level) * f.value
		}
		if sum == 0 {
			return bad("the factors sum to 0")
		}
		for k := 1; k <= m; k++ {
			probs[k] = float64(k) * fs[k-1].value / sum * q / binomial(n-1, k-1)
		}
	case "phi-factor":
		sum := 0.0
		for _, f := range fs {
			sum += f.value
		}
		if math.Abs(sum-1) > 1e-4 {
			return bad("the factors sum to %v, not 1", sum)
		}
		for k := 1; k <= m; k++ {
			probs[k] = fs[k-1].value * q
		}
	}
	return probs, true
}

// binomial returns n choose k as a float.
func binomial(n, k int) float64 {
	if k > n-k {
		k = n - k
	}
	v := 1.0
	for i := 1; i <= k; i++ {
		v = v * float64(n-k+i) / float64(i)
	}
	return v
}

// combinations calls f with every k-subset of 0..n-1 in lexicographic
// order; f must not keep the slice.
func combinations(n, k int, f func([]int)) {
	c := make([]int, k)
	var rec func(i, from int)
	rec = func(i, from int) {
		if i == k {
			f(c)
			return
		}
		for j := from; j <= n-(k-i); j++ {
			c[i] = j
			rec(i+1, j+1)
		}
	}
	rec(0, 0)
}
