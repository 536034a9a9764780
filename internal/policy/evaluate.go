package policy

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// SchemaVersion is the version of the JSON form of a Report.
const SchemaVersion = 1

// Options tunes Evaluate.
type Options struct {
	// Now is the date source ages are measured from; zero means
	// time.Now().
	Now time.Time
}

// Violation is one broken rule.
type Violation struct {
	// Rule is the rule type broken.
	Rule string `json:"rule"`
	// Message says what is wrong, naming the nodes.
	Message string `json:"message"`
	// Pos is where the violation comes from: the node (or the failover
	// group entry, or the source) in the model; the rule itself when no
	// single node is to blame.
	Pos model.Pos `json:"-"`
	// Where is Pos as file:line:col (for JSON).
	Where string `json:"where"`
	// RulePos is where the broken rule is declared in the policy.
	RulePos model.Pos `json:"-"`
	// RuleWhere is RulePos as file:line:col (for JSON).
	RuleWhere string `json:"rule_where"`
	// Nodes are the node ids involved, the one to blame first.
	Nodes []string `json:"nodes"`
}

// Report is the result of checking a model against a policy.
type Report struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Policy is the policy file; Rules the number of rules checked.
	Policy string `json:"policy"`
	Rules  int    `json:"rules"`
	// Violations are every broken rule, in rule order, then by position.
	Violations []Violation `json:"violations"`
}

// Evaluate checks the model behind g against p. References in the policy
// that the model does not know (a tag no service carries, an allowed id
// that is not a node) are input errors, returned as an ingest.ErrorList
// with the policy position and a "did you mean"; they make a rule
// vacuous, which a CI gate must not let pass silently.
func Evaluate(ctx context.Context, g *graph.Graph, p *Policy, opts Options) (*Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	e := &evaluator{g: g, opts: opts}
	if errs := e.check(p); len(errs) > 0 {
		return nil, sortErrors(errs)
	}
	rep := &Report{SchemaVersion: SchemaVersion, Policy: p.File, Rules: len(p.Rules), Violations: []Violation{}}
	for _, r := range p.Rules {
		var vs []Violation
		var err error
		switch r.Type {
		case RuleNoSPOF:
			vs, err = e.noSPOF(ctx, r)
		case RuleFailoverIndependent:
			vs, err = e.failoverIndependent(ctx, r)
		case RuleMaxConcentration:
			vs = e.maxConcentration(r)
		case RuleMaxSourceAge:
			vs = e.maxSourceAge(r)
		case RuleNoUnquantified:
			vs = e.noUnquantified(r)
		default:
			return nil, fmt.Errorf("policy: unknown rule %q", r.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("policy: rule %s at %s: %w", r.Type, r.Pos, err)
		}
		for i := range vs {
			vs[i].Rule, vs[i].RulePos = r.Type, r.Pos
			if vs[i].Pos.File == "" {
				vs[i].Pos = r.Pos
			}
			vs[i].Where, vs[i].RuleWhere = vs[i].Pos.String(), r.Pos.String()
		}
		slices.SortStableFunc(vs, func(a, b Violation) int {
			return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col), cmp.Compare(a.Message, b.Message))
		})
		rep.Violations = append(rep.Violations, vs...)
	}
	return rep, nil
}

type evaluator struct {
	g       *graph.Graph
	opts    Options
	domains map[int32]*domains.Target // by service, computed once
	impacts []blast.NodeImpact        // ByNode over every service
}

// check validates the policy's references against the model.
func (e *evaluator) check(p *Policy) ingest.ErrorList {
	var errs ingest.ErrorList
	tags := map[string]bool{}
	for _, i := range e.g.Services() {
		for _, t := range e.g.ModelNode(i).Tags {
			tags[t] = true
		}
	}
	known := make([]string, 0, len(tags))
	for t := range tags {
		known = append(known, t)
	}
	slices.Sort(known)
	for _, r := range p.Rules {
		for i, t := range r.Tags {
			if tags[t] {
				continue
			}
			hint := "no service (kind: service) carries it"
			if c := suggest.Closest(t, known); c != "" {
				hint = "did you mean `" + c + "`?"
			} else if len(known) > 0 {
				hint = "the services' tags are: " + strings.Join(known, ", ")
			}
			errs = append(errs, &ingest.Error{Pos: r.TagPos[i], Msg: fmt.Sprintf("%s: tag %q matches no service", r.Type, t), Hint: hint})
		}
		for i, id := range r.Allow {
			if strings.ContainsAny(id, "*?[") {
				if _, err := path.Match(id, ""); err != nil {
					errs = append(errs, &ingest.Error{Pos: r.AllowPos[i], Msg: fmt.Sprintf("%s: malformed pattern %q", r.Type, id)})
				}
				continue
			}
			if _, ok := e.g.Lookup(id); ok {
				continue
			}
			hint := ""
			ids := e.g.IDs()
			if c := suggest.Suffix(id, ids); c != "" {
				hint = "did you mean `" + c + "`?"
			} else if c := suggest.Closest(id, ids); c != "" {
				hint = "did you mean `" + c + "`?"
			}
			errs = append(errs, &ingest.Error{Pos: r.AllowPos[i], Msg: fmt.Sprintf("%s: allowed node %q is not in the model", r.Type, id), Hint: hint})
		}
	}
	return errs
}

// services returns the services a rule applies to, in id order.
func (e *evaluator) services(tags []string) []int32 {
	var out []int32
	for i := range int32(e.g.Len()) {
		n := e.g.ModelNode(i)
		if n.Kind != model.KindService {
			continue
		}
		if len(tags) == 0 || slices.ContainsFunc(n.Tags, func(t string) bool { return slices.Contains(tags, t) }) {
			out = append(out, i)
		}
	}
	return out
}

// describeServices names a rule's service selection.
func describeServices(tags []string) string {
	if len(tags) == 0 {
		return "services"
	}
	return strings.Join(tags, "/") + " services"
}

// targetDomains returns the order-1 failure domains of every service,
// computed on first use.
func (e *evaluator) targetDomains(ctx context.Context) (map[int32]*domains.Target, error) {
	if e.domains != nil {
		return e.domains, nil
	}
	all := e.services(nil)
	res, err := domains.Find(ctx, e.g, all, domains.Options{MaxOrder: 1})
	if err != nil {
		return nil, err
	}
	e.domains = make(map[int32]*domains.Target, len(all))
	for i := range res.Targets {
		u, _ := e.g.Lookup(res.Targets[i].Target)
		e.domains[u] = &res.Targets[i]
	}
	return e.domains, nil
}

// allowed reports whether id matches an allow entry.
func allowed(id string, allow []string) bool {
	for _, a := range allow {
		if a == id {
			return true
		}
		if ok, _ := path.Match(a, id); ok {
			return true
		}
	}
	return false
}

// listCap bounds the ids a message lists.
const listCap = 8

// list joins ids, cut after listCap with a count.
func list(ids []string) string {
	if len(ids) <= listCap {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:listCap], ", ") + fmt.Sprintf(" and %d more", len(ids)-listCap)
}

func (e *evaluator) noSPOF(ctx context.Context, r Rule) ([]Violation, error) {
	doms, err := e.targetDomains(ctx)
	if err != nil {
		return nil, err
	}
	var out []Violation
	for _, s := range e.services(r.Tags) {
		td := doms[s]
		var bad []string
		for _, id := range td.SPOFs {
			if !allowed(id, r.Allow) {
				bad = append(bad, id)
			}
		}
		if len(bad) == 0 {
			continue
		}
		slices.Sort(bad)
		n := e.g.ModelNode(s)
		word := "single points of failure"
		if len(bad) == 1 {
			word = "single point of failure"
		}
		msg := fmt.Sprintf("%s has %d %s outside the allowed list: %s", n.ID, len(bad), word, list(bad))
		if p := td.Paths[bad[0]]; len(p) > 1 {
			msg += fmt.Sprintf(" (%s: %s)", bad[0], strings.Join(p, " → "))
		}
		out = append(out, Violation{Message: msg, Pos: n.Pos, Nodes: append([]string{n.ID}, bad...)})
	}
	return out, nil
}

func (e *evaluator) failoverIndependent(ctx context.Context, r Rule) ([]Violation, error) {
	doms, err := e.targetDomains(ctx)
	if err != nil {
		return nil, err
	}
	type key struct{ owner, members string }
	groups := map[key]*domains.DefeatedGroup{}
	causes := map[key][]string{}
	for _, s := range e.services(r.Tags) {
		for i := range doms[s].Defeated {
			dg := &doms[s].Defeated[i]
			k := key{dg.Owner, strings.Join(dg.Members, "\x00")}
			if _, ok := groups[k]; !ok {
				groups[k] = dg
			}
			if !slices.Contains(causes[k], dg.Cause) {
				causes[k] = append(causes[k], dg.Cause)
			}
		}
	}
	var out []Violation
	for k, dg := range groups {
		cs := causes[k]
		slices.Sort(cs)
		owner, _ := e.g.Lookup(dg.Owner)
		on := e.g.ModelNode(owner)
		pos := on.Pos
		for _, d := range on.DependsOn {
			if d.IsGroup() && slices.Equal(sortedCopy(d.AnyOf), sortedCopy(dg.Members)) {
				pos = d.Pos
				break
			}
		}
		word := "failure domains"
		if len(cs) == 1 {
			word = "failure domain"
		}
		msg := fmt.Sprintf("failover group [%s] of %s shares the %s %s: one failure takes down %s",
			strings.Join(dg.Members, ", "), dg.Owner, word, list(cs), strings.Join(dg.Down, " and "))
		// Explain with the nearest cause: the one with the shortest chains.
		best := e.explain(doms, dg.Owner, k.members, cs, r.Tags)
		if best != "" {
			msg += " (" + best + ")"
		}
		nodes := append([]string{dg.Owner}, cs...)
		nodes = append(nodes, dg.Members...)
		out = append(out, Violation{Message: msg, Pos: pos, Nodes: nodes})
	}
	return out, nil
}

// explain formats the chains of the cause with the shortest chains (the
// nearest shared node, a region rather than its provider) for a defeated
// group.
func (e *evaluator) explain(doms map[int32]*domains.Target, owner, members string, causes []string, tags []string) string {
	var best *domains.DefeatedGroup
	score := func(dg *domains.DefeatedGroup) int {
		n := 0
		for _, c := range dg.Chains {
			n += len(c)
		}
		return n
	}
	for _, s := range e.services(tags) {
		for i := range doms[s].Defeated {
			dg := &doms[s].Defeated[i]
			if dg.Owner != owner || strings.Join(dg.Members, "\x00") != members {
				continue
			}
			if best == nil || score(dg) < score(best) || (score(dg) == score(best) && dg.Cause < best.Cause) {
				best = dg
			}
		}
	}
	if best == nil {
		return ""
	}
	parts := make([]string, len(best.Chains))
	for i, c := range best.Chains {
		parts[i] = strings.Join(c, " → ")
	}
	return strings.Join(parts, "; ")
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func (e *evaluator) maxConcentration(r Rule) []Violation {
	if e.impacts == nil {
		e.impacts = blast.ByNode(e.g, e.services(nil), 1)
	}
	sel := e.services(r.Tags)
	if len(sel) == 0 {
		return nil
	}
	in := map[string]bool{}
	for _, s := range sel {
		in[e.g.ModelNode(s).ID] = true
	}
	var out []Violation
	for _, ni := range e.impacts {
		if !slices.Contains(r.Kinds, model.Kind(ni.Kind)) {
			continue
		}
		var down, degraded []string
		for _, id := range ni.TakesDown {
			if in[id] {
				down = append(down, id)
			}
		}
		for _, id := range ni.Degrades {
			if in[id] {
				degraded = append(degraded, id)
			}
		}
		carried := len(down) + len(degraded)
		pct := 100 * float64(carried) / float64(len(sel))
		if pct <= r.Percent {
			continue
		}
		u, _ := e.g.Lookup(ni.Node)
		n := e.g.ModelNode(u)
		msg := fmt.Sprintf("%s %s carries %d of %d %s (%s%%, limit %s%%)", ni.Kind, ni.Node, carried, len(sel), describeServices(r.Tags), fmtPct(pct), fmtPct(r.Percent))
		var parts []string
		if len(down) > 0 {
			parts = append(parts, "takes down "+list(down))
		}
		if len(degraded) > 0 {
			parts = append(parts, "degrades "+list(degraded))
		}
		msg += ": " + strings.Join(parts, "; ")
		var risk []string
		for _, id := range ni.AtRisk {
			if in[id] {
				risk = append(risk, id)
			}
		}
		if len(risk) > 0 {
			msg += fmt.Sprintf(" (and puts at risk %s through shares nobody has published: not counted)", list(risk))
		}
		nodes := append([]string{ni.Node}, down...)
		nodes = append(nodes, degraded...)
		out = append(out, Violation{Message: msg, Pos: n.Pos, Nodes: nodes})
	}
	return out
}

// used returns the services with tags and every node they depend on,
// directly or not, in id order; every node when the model has no service.
func (e *evaluator) used(tags []string) []int32 {
	seen := make([]bool, e.g.Len())
	queue := e.services(tags)
	if len(queue) == 0 && len(e.services(nil)) == 0 {
		for i := range seen {
			seen[i] = true
		}
	}
	for _, s := range queue {
		seen[s] = true
	}
	for k := 0; k < len(queue); k++ {
		for _, v := range e.g.Dependencies(queue[k]) {
			if !seen[v] {
				seen[v] = true
				queue = append(queue, v)
			}
		}
	}
	var out []int32
	for i, ok := range seen {
		if ok {
			out = append(out, int32(i))
		}
	}
	return out
}

func fmtPct(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}

// maxSourceAge judges each fact by the sources it rests on: a node's own
// facts by its sources, each dependency by its own sources when it has
// some (model.Dependency.Basis), else by its node's; a fact is as old as
// the oldest dated source it rests on. Facts resting only on unverified or
// undated sources break the rule unless AllowUnverified.
func (e *evaluator) maxSourceAge(r Rule) []Violation {
	limit := time.Duration(r.Days) * 24 * time.Hour
	today := e.opts.Now.UTC().Truncate(24 * time.Hour)
	var out []Violation
	check := func(n *model.Node, fact string, srcs []model.Source, owner model.Pos) {
		var dated []model.Source
		for _, s := range srcs {
			if _, err := time.Parse(time.DateOnly, s.AsOf); err == nil && !s.Unverified {
				dated = append(dated, s)
			}
		}
		if len(dated) == 0 {
			if len(srcs) > 0 && !r.AllowUnverified {
				pos := srcs[0].Pos
				if pos.File == "" {
					pos = owner
				}
				out = append(out, Violation{Message: fmt.Sprintf("%s: rests only on unverified or undated sources (%s): its age is unknown", fact, srcs[0].URL), Pos: pos, Nodes: []string{n.ID}})
			}
			return
		}
		if !r.Each {
			oldest := slices.MinFunc(dated, func(a, b model.Source) int { return cmp.Compare(a.AsOf, b.AsOf) })
			dated = []model.Source{oldest}
		}
		for _, s := range dated {
			t, _ := time.Parse(time.DateOnly, s.AsOf)
			age := today.Sub(t)
			if age <= limit {
				continue
			}
			what := "oldest source"
			if r.Each {
				what = "source"
			}
			msg := fmt.Sprintf("%s: %s %s is %d days old (limit %d): %s", fact, what, s.AsOf, int(age.Hours()/24), r.Days, s.URL)
			pos := s.Pos
			if pos.File == "" {
				pos = owner
			}
			out = append(out, Violation{Message: msg, Pos: pos, Nodes: []string{n.ID}})
		}
	}
	for _, i := range e.used(r.Tags) {
		n := e.g.ModelNode(i)
		if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, n.Kind) {
			continue
		}
		check(n, n.ID, n.Sources, n.Pos)
		for _, d := range n.DependsOn {
			if len(d.Sources) > 0 { // the others rest on the node's sources, checked above
				check(n, n.ID+" → "+strings.Join(d.Targets(), " | "), d.Sources, d.Pos)
			}
		}
	}
	return out
}

// noUnquantified reports, per selected service, the dependencies of
// unknown share upstream of it (blast.Unquantified) that Allow does not
// name (by dependent or by dependency).
func (e *evaluator) noUnquantified(r Rule) []Violation {
	var out []Violation
	for _, s := range e.services(r.Tags) {
		var bad []string
		nodes := []string{e.g.ModelNode(s).ID}
		for _, x := range blast.Unquantified(e.g, s) {
			ok := allowed(x.Dependent, r.Allow)
			for _, m := range strings.Split(x.Dependency, " | ") {
				ok = ok || allowed(m, r.Allow)
			}
			if ok {
				continue
			}
			item := x.Dependent + " → " + x.Dependency
			if len(x.Upstream) > 0 {
				item += fmt.Sprintf(" (%d upstream nodes behind it)", len(x.Upstream))
			}
			bad = append(bad, item)
			nodes = append(nodes, x.Dependent)
		}
		if len(bad) == 0 {
			continue
		}
		n := e.g.ModelNode(s)
		out = append(out, Violation{Message: fmt.Sprintf("%s depends on %s of a share nobody has published (impact: unknown), which no failure domain or concentration counts: %s", n.ID, countOf(len(bad), "dependency", "dependencies"), strings.Join(bad, "; ")), Pos: n.Pos, Nodes: nodes})
	}
	return out
}

// countOf writes "1 dependency" or "n dependencies".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
