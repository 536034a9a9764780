package review

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// SchemaVersion is the version of the JSON form of a Result.
const SchemaVersion = 1

// Mode says where a candidate goes.
type Mode string

// The placements a review supports.
const (
	// Failover makes the candidate a new member of a failover group.
	Failover Mode = "failover"
	// Dependency makes the candidate a new dependency of a node.
	Dependency Mode = "dependency"
)

// The verdicts, from best to worst.
const (
	VerdictRecommended   = "recommended"
	VerdictReservations  = "acceptable with reservations"
	VerdictNotRecommened = "not recommended"
)

// Placement says where the candidate goes.
type Placement struct {
	// Mode is Failover or Dependency.
	Mode Mode
	// Target is the node that gains the failover member or the
	// dependency.
	Target string
	// Primary picks, for Failover, the group holding this member or the
	// single dependency on it, when Target has several; "" lets the
	// review choose the only one.
	Primary string
	// Impact is a Dependency's impact; 0 means 1.
	Impact float64
}

// Result is what a review found. It is also the JSON form.
type Result struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Candidate is the candidate node; Source the file or catalog it came
	// from.
	Candidate string `json:"candidate"`
	Source    string `json:"source"`
	// Mode and Target say where it goes; Change describes the edit.
	Mode   Mode   `json:"mode"`
	Target string `json:"target"`
	Change string `json:"change"`
	// Primary is the failover group's first existing member (or the
	// dependency turned into a group); Alternatives all its existing
	// members. Empty for Dependency.
	Primary      string   `json:"primary,omitempty"`
	Alternatives []string `json:"alternatives,omitempty"`
	// Shared lists the failure domains of order 1 the candidate shares
	// with each existing member (Failover only).
	Shared []Shared `json:"shared"`
	// Services compares each of your services before and after, sorted
	// by id.
	Services []ServiceChange `json:"services"`
	// Concentration compares, for each provider and region, how many of
	// your services its failure alone takes down or degrades.
	Concentration []Concentration `json:"concentration"`
	// Verdict is one of the Verdict constants; Reasons back it, most
	// important first.
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons"`
}

// Shared is a failure domain the candidate shares with an existing member
// of the group: one node whose failure alone takes both down.
type Shared struct {
	// Member is the existing member; IsPrimary says it is the primary.
	Member    string `json:"member"`
	IsPrimary bool   `json:"is_primary"`
	// Nodes are the shared nodes, most specific kinds first (zone,
	// region, cloud service, provider, then the rest), then by id.
	Nodes []string `json:"nodes"`
	// Kinds are the Nodes' kinds, index for index.
	Kinds []string `json:"kinds"`
}

// ServiceChange is one service before and after.
type ServiceChange struct {
	Service string `json:"service"`
	// SPOFsBefore and SPOFsAfter are the single points of failure;
	// Gained and Lost their difference.
	SPOFsBefore []string `json:"spofs_before"`
	SPOFsAfter  []string `json:"spofs_after"`
	Gained      []string `json:"gained"`
	Lost        []string `json:"lost"`
	// ProbabilityBefore/After are the exact probabilities that the service
	// is down from upstream causes, null when a node in its cone has no
	// unavailability; DowntimeBefore/After are in hours per year.
	ProbabilityBefore *float64 `json:"probability_before"`
	ProbabilityAfter  *float64 `json:"probability_after"`
	DowntimeBefore    *float64 `json:"downtime_hours_per_year_before"`
	DowntimeAfter     *float64 `json:"downtime_hours_per_year_after"`
	// MissingAfter counts the nodes of its cone lacking an unavailability
	// after the change.
	MissingAfter int `json:"missing_probabilities_after"`
}

// Changed reports whether anything about the service moved.
func (s ServiceChange) Changed() bool {
	return len(s.Gained)+len(s.Lost) > 0 || !samePtr(s.ProbabilityBefore, s.ProbabilityAfter)
}

func samePtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) <= 1e-15
}

// Concentration is one provider or region before and after.
type Concentration struct {
	Node string `json:"node"`
	Kind string `json:"kind"`
	// DownBefore/After count the services its failure alone takes down;
	// DegradedBefore/After those it degrades without taking them down.
	DownBefore     int `json:"down_before"`
	DegradedBefore int `json:"degraded_before"`
	DownAfter      int `json:"down_after"`
	DegradedAfter  int `json:"degraded_after"`
}

// Changed reports whether the counts moved.
func (c Concentration) Changed() bool {
	return c.DownBefore != c.DownAfter || c.DegradedBefore != c.DegradedAfter
}

// Apply returns a copy of m with the candidate placed, and a description
// of the edit and the group's existing members (Failover). m is not
// modified: only the target node is copied and edited.
func Apply(m *model.Model, candidate string, p Placement) (after *model.Model, change string, members []string, err error) {
	idx := m.Index()
	if _, ok := idx[candidate]; !ok {
		return nil, "", nil, fmt.Errorf("review: candidate %q is not in the model", candidate)
	}
	target, ok := idx[p.Target]
	if !ok {
		return nil, "", nil, &UnknownTargetError{ID: p.Target, Hint: unknownHint(p.Target, m)}
	}
	if p.Target == candidate {
		return nil, "", nil, &ChoiceError{Msg: "the candidate cannot be placed on itself"}
	}
	owner := *target
	owner.DependsOn = slices.Clone(target.DependsOn)
	switch p.Mode {
	case Dependency:
		impact := p.Impact
		if impact == 0 {
			impact = 1
		}
		for _, d := range owner.DependsOn {
			if !d.IsGroup() && d.ID == candidate {
				return nil, "", nil, &ChoiceError{Msg: fmt.Sprintf("%s already depends on %s", p.Target, candidate)}
			}
		}
		owner.DependsOn = append(owner.DependsOn, model.Dependency{ID: candidate, Impact: impact})
		change = fmt.Sprintf("%s gains the dependency %s", p.Target, candidate)
		if impact < 1 {
			change += fmt.Sprintf(" (impact %g)", impact)
		}
	case Failover:
		i, err := failoverEntry(m, target, p.Primary)
		if err != nil {
			return nil, "", nil, err
		}
		if i < 0 { // the target is itself the primary: edit the group that holds it
			holder, k := holderOf(m, p.Target)
			owner = *holder
			owner.DependsOn = slices.Clone(holder.DependsOn)
			i = k
		}
		d := owner.DependsOn[i]
		if slices.Contains(d.Targets(), candidate) {
			return nil, "", nil, &ChoiceError{Msg: fmt.Sprintf("%s is already in that failover group of %s", candidate, owner.ID)}
		}
		if d.IsGroup() {
			members = slices.Clone(d.AnyOf)
			nd := d
			nd.AnyOf = append(slices.Clone(d.AnyOf), candidate)
			nd.MemberPos = append(slices.Clone(d.MemberPos), model.Pos{})
			owner.DependsOn[i] = nd
			change = fmt.Sprintf("%s: any_of [%s] becomes any_of [%s]", owner.ID, strings.Join(members, ", "), strings.Join(nd.AnyOf, ", "))
		} else {
			members = []string{d.ID}
			owner.DependsOn[i] = model.Dependency{AnyOf: []string{d.ID, candidate}, Min: 1, Impact: d.Impact, ImpactUnknown: d.ImpactUnknown, Pos: d.Pos, MemberPos: []model.Pos{d.Pos, {}}}
			change = fmt.Sprintf("%s: the dependency %s becomes any_of [%s, %s]", owner.ID, d.ID, d.ID, candidate)
		}
		if d.Min > 1 {
			change += fmt.Sprintf(", min %d", d.Min)
		}
	default:
		return nil, "", nil, fmt.Errorf("review: unknown placement %q", p.Mode)
	}
	after = &model.Model{Files: m.Files, Catalogs: m.Catalogs, Nodes: slices.Clone(m.Nodes)}
	for k, n := range after.Nodes {
		if n.ID == owner.ID {
			after.Nodes[k] = &owner
		}
	}
	return after, change, members, nil
}

// UnknownTargetError is a placement target the model does not define.
type UnknownTargetError struct {
	ID   string
	Hint string
}

func (e *UnknownTargetError) Error() string {
	s := fmt.Sprintf("review: unknown node %q", e.ID)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func unknownHint(id string, m *model.Model) string {
	ids := make([]string, len(m.Nodes))
	for i, n := range m.Nodes {
		ids[i] = n.ID
	}
	slices.Sort(ids)
	if c := suggest.Suffix(id, ids); c != "" {
		return "did you mean `" + c + "`?"
	}
	if c := suggest.Closest(id, ids); c != "" {
		return "did you mean `" + c + "`?"
	}
	return ""
}

// ChoiceError says the placement is ambiguous or impossible.
type ChoiceError struct{ Msg string }

func (e *ChoiceError) Error() string { return "review: " + e.Msg }

// failoverEntry picks the depends_on entry of target that the candidate
// backs up: the group holding primary or the single dependency on it;
// without primary, target's only failover group, or its only hard single
// dependency. It returns -1 when target owns no such entry but is itself a
// member of exactly one failover group (target is then the primary).
func failoverEntry(m *model.Model, target *model.Node, primary string) (int, error) {
	var groups, hard, choices []int
	for i, d := range target.DependsOn {
		switch {
		case d.PartOf:
		case d.IsGroup():
			groups = append(groups, i)
			if primary != "" && slices.Contains(d.AnyOf, primary) {
				return i, nil
			}
		default:
			if primary != "" && d.ID == primary {
				return i, nil
			}
			if d.Impact >= 1 {
				hard = append(hard, i)
			}
		}
	}
	if primary != "" {
		return 0, &ChoiceError{Msg: fmt.Sprintf("%s has no dependency on %s to back up", target.ID, primary)}
	}
	switch {
	case len(groups) == 1:
		return groups[0], nil
	case len(groups) == 0 && len(hard) == 1:
		return hard[0], nil
	case len(groups) == 0 && len(hard) == 0:
		if h, _ := holderOf(m, target.ID); h != nil {
			return -1, nil
		}
		return 0, &ChoiceError{Msg: fmt.Sprintf("%s has no failover group and no hard dependency to back up", target.ID)}
	}
	choices = append(groups, hard...)
	slices.Sort(choices)
	var names []string
	for _, i := range choices {
		names = append(names, strings.Join(target.DependsOn[i].Targets(), "|"))
	}
	return 0, &ChoiceError{Msg: fmt.Sprintf("%s has several dependencies the candidate could back up (%s): pick one with --primary", target.ID, strings.Join(names, ", "))}
}

// holderOf returns the only node holding a failover group with id as a
// member, and the entry's index; nil when none or several do.
func holderOf(m *model.Model, id string) (*model.Node, int) {
	var holder *model.Node
	at := -1
	for _, n := range m.Nodes {
		for i, d := range n.DependsOn {
			if d.IsGroup() && slices.Contains(d.AnyOf, id) {
				if holder != nil {
					return nil, -1
				}
				holder, at = n, i
			}
		}
	}
	return holder, at
}

// Review places the candidate (a node of m, see LoadCandidate) and
// compares before (the model without the placement; the candidate's own
// nodes, used by nothing yet, change no service) with after.
func Review(ctx context.Context, m *model.Model, candidate, source string, p Placement) (*Result, error) {
	after, change, members, err := Apply(m, candidate, p)
	if err != nil {
		return nil, err
	}
	gb, err := graph.Build(m)
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	ga, err := graph.Build(after)
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	r := &Result{SchemaVersion: SchemaVersion, Candidate: candidate, Source: source, Mode: p.Mode, Target: p.Target, Change: change, Shared: []Shared{}, Reasons: []string{}}
	if p.Mode == Failover {
		r.Alternatives = members
		switch {
		case slices.Contains(members, p.Primary):
			r.Primary = p.Primary
		case slices.Contains(members, p.Target): // the target is the primary itself
			r.Primary = p.Target
		default:
			r.Primary = members[0]
		}
		if r.Shared, err = shared(ctx, ga, candidate, members, r.Primary); err != nil {
			return nil, err
		}
	}
	if r.Services, err = services(ctx, gb, ga); err != nil {
		return nil, err
	}
	r.Concentration = concentration(gb, ga)
	r.Verdict, r.Reasons = verdict(r)
	return r, nil
}

// kindRank orders shared nodes most specific first.
func kindRank(k model.Kind) int {
	switch k {
	case model.KindZone:
		return 0
	case model.KindRegion:
		return 1
	case model.KindCloudService:
		return 2
	case model.KindProvider:
		return 3
	}
	return 4
}

// shared finds the order-1 failure domains the candidate shares with each
// member: nodes whose failure alone takes both down (a member or the
// candidate itself included).
func shared(ctx context.Context, g *graph.Graph, candidate string, members []string, primary string) ([]Shared, error) {
	ids := append([]string{candidate}, members...)
	targets, err := blast.Resolve(g, ids)
	if err != nil {
		return nil, err
	}
	res, err := domains.Find(ctx, g, targets, domains.Options{MaxOrder: 1})
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	spofs := map[string][]string{}
	for _, td := range res.Targets {
		spofs[td.Target] = append(slices.Clone(td.SPOFs), td.Target)
	}
	out := []Shared{}
	for _, mem := range members {
		var common []string
		for _, id := range spofs[mem] {
			if slices.Contains(spofs[candidate], id) {
				common = append(common, id)
			}
		}
		if len(common) == 0 {
			continue
		}
		slices.SortFunc(common, func(a, b string) int {
			ka, kb := kindOf(g, a), kindOf(g, b)
			return cmp.Or(cmp.Compare(kindRank(ka), kindRank(kb)), cmp.Compare(a, b))
		})
		s := Shared{Member: mem, IsPrimary: mem == primary, Nodes: common}
		for _, id := range common {
			s.Kinds = append(s.Kinds, string(kindOf(g, id)))
		}
		out = append(out, s)
	}
	return out, nil
}

func kindOf(g *graph.Graph, id string) model.Kind {
	u, _ := g.Lookup(id)
	return g.ModelNode(u).Kind
}

// services compares the services' single points of failure and
// probabilities.
func services(ctx context.Context, gb, ga *graph.Graph) ([]ServiceChange, error) {
	before, err := domains.Find(ctx, gb, gb.Services(), domains.Options{MaxOrder: 1})
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	after, err := domains.Find(ctx, ga, ga.Services(), domains.Options{MaxOrder: 1})
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	b := map[string]domains.Target{}
	for _, td := range before.Targets {
		b[td.Target] = td
	}
	out := []ServiceChange{}
	for _, a := range after.Targets {
		bt, ok := b[a.Target]
		if !ok { // a service the candidate brings: nothing to compare
			continue
		}
		sc := ServiceChange{Service: a.Target, SPOFsBefore: sorted(bt.SPOFs), SPOFsAfter: sorted(a.SPOFs),
			ProbabilityBefore: bt.Probability, ProbabilityAfter: a.Probability,
			DowntimeBefore: bt.DowntimeHoursPerYear, DowntimeAfter: a.DowntimeHoursPerYear, MissingAfter: a.Missing}
		sc.Gained, sc.Lost = diff(sc.SPOFsAfter, sc.SPOFsBefore), diff(sc.SPOFsBefore, sc.SPOFsAfter)
		out = append(out, sc)
	}
	slices.SortFunc(out, func(x, y ServiceChange) int { return cmp.Compare(x.Service, y.Service) })
	return out, nil
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	if c == nil {
		c = []string{}
	}
	slices.Sort(c)
	return c
}

// diff returns the elements of a (sorted) not in b.
func diff(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			out = append(out, x)
		}
	}
	return out
}

// concentration compares what each provider and region takes down or
// degrades among the services.
func concentration(gb, ga *graph.Graph) []Concentration {
	rows := map[string]*Concentration{}
	add := func(g *graph.Graph, after bool) {
		for _, ni := range blast.ByNode(g, g.Services(), 1) {
			if ni.Kind != string(model.KindProvider) && ni.Kind != string(model.KindRegion) {
				continue
			}
			c := rows[ni.Node]
			if c == nil {
				c = &Concentration{Node: ni.Node, Kind: ni.Kind}
				rows[ni.Node] = c
			}
			if after {
				c.DownAfter, c.DegradedAfter = len(ni.TakesDown), len(ni.Degrades)
			} else {
				c.DownBefore, c.DegradedBefore = len(ni.TakesDown), len(ni.Degrades)
			}
		}
	}
	add(gb, false)
	add(ga, true)
	out := []Concentration{}
	for _, c := range rows {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(x, y Concentration) int {
		return cmp.Or(cmp.Compare(y.DownAfter, x.DownAfter), cmp.Compare(y.DegradedAfter, x.DegradedAfter), cmp.Compare(x.Node, y.Node))
	})
	return out
}

// kindPhrase names what a shared node's failure is, for "it does not
// protect against that region failing".
func kindPhrase(id string, kind string) string {
	switch model.Kind(kind) {
	case model.KindZone:
		return "that zone failing"
	case model.KindRegion:
		return "that region failing"
	case model.KindProvider:
		return "that provider failing"
	case model.KindCloudService:
		return "that cloud service failing"
	}
	return id + " failing"
}

// SharedReason is the plain sentence for one shared failure domain.
func SharedReason(candidate string, s Shared) string {
	role := "the existing alternative"
	if s.IsPrimary {
		role = "the primary"
	}
	also := ""
	if len(s.Nodes) > 1 {
		also = fmt.Sprintf(" (and %s)", cutList(s.Nodes[1:], 5))
	}
	return fmt.Sprintf("candidate %s shares %s%s with %s %s: it does not protect against %s",
		candidate, s.Nodes[0], also, role, s.Member, kindPhrase(s.Nodes[0], s.Kinds[0]))
}

// verdict weighs the findings.
func verdict(r *Result) (string, []string) {
	var bad, caution, good []string
	for _, s := range r.Shared {
		if s.IsPrimary {
			bad = append(bad, SharedReason(r.Candidate, s))
		} else {
			caution = append(caution, SharedReason(r.Candidate, s))
		}
	}
	for _, s := range r.Services {
		if len(s.Gained) > 0 {
			msg := fmt.Sprintf("adds %d single point%s of failure to %s: %s", len(s.Gained), pluralS(len(s.Gained)), s.Service, cutList(s.Gained, 6))
			if r.Mode == Failover {
				bad = append(bad, msg)
			} else {
				caution = append(caution, msg)
			}
		}
		if len(s.Lost) > 0 {
			good = append(good, fmt.Sprintf("removes %d single point%s of failure from %s: %s", len(s.Lost), pluralS(len(s.Lost)), s.Service, cutList(s.Lost, 6)))
		}
		if s.DowntimeBefore != nil && s.DowntimeAfter != nil && !samePtr(s.ProbabilityBefore, s.ProbabilityAfter) {
			msg := fmt.Sprintf("expected downtime of %s: %s → %s per year", s.Service, Hours(*s.DowntimeBefore), Hours(*s.DowntimeAfter))
			if *s.DowntimeAfter > *s.DowntimeBefore {
				caution = append(caution, msg)
			} else {
				good = append(good, msg)
			}
		}
	}
	for _, c := range r.Concentration {
		if c.DownAfter > c.DownBefore {
			caution = append(caution, fmt.Sprintf("%s %s would take down %d of your services instead of %d", c.Kind, c.Node, c.DownAfter, c.DownBefore))
		}
	}
	if r.Mode == Failover && len(r.Shared) == 0 {
		good = append(good, fmt.Sprintf("shares no single point of failure with %s", strings.Join(r.Alternatives, " or ")))
	}
	removed := slices.ContainsFunc(r.Services, func(s ServiceChange) bool { return len(s.Lost) > 0 })
	reasons := append(append(bad, caution...), good...)
	switch {
	case len(bad) > 0:
		return VerdictNotRecommened, reasons
	case len(caution) > 0:
		return VerdictReservations, reasons
	case r.Mode == Failover && !removed:
		return VerdictReservations, append(reasons, "removes no single point of failure from your services")
	}
	return VerdictRecommended, reasons
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Hours formats a duration in hours per year for people: minutes below an
// hour.
func Hours(h float64) string {
	switch {
	case h == 0:
		return "0 h"
	case h < 1:
		return fmt.Sprintf("%.3g min", h*60)
	}
	return fmt.Sprintf("%.3g h", h)
}
