package watch

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Hysteresis and change thresholds (the package doc explains them).
const (
	// FlapWindow is how long after a situation resolves trouble at the same
	// root or reporting nodes must be confirmed before a new one opens.
	FlapWindow = 30 * time.Minute
	// FlapConfirm is how many consecutive cycles such trouble must be seen.
	FlapConfirm = 2
	// ProbabilityStep is the change of a situation's probability that
	// counts as an update.
	ProbabilityStep = 0.1
	// KeepResolved is how many resolved situations the state keeps (for
	// the live page and the hysteresis); older ones are dropped once past
	// FlapWindow.
	KeepResolved = 20
)

// State is what the watch remembers between cycles (the store keeps it as
// JSON).
type State struct {
	// NextID numbers situations.
	NextID int `json:"next_id"`
	// Cycle counts the cycles run.
	Cycle int `json:"cycle"`
	// Situations are open and recently resolved situations, oldest first.
	Situations []Situation `json:"situations"`
	// Pending are groups held back by the hysteresis, with the cycles
	// they have been seen in a row.
	Pending []Pending `json:"pending"`
	// Feeds remembers, per feed key, whether it was read in the last
	// cycle it was planned in.
	Feeds map[string]FeedMemory `json:"feeds"`
}

// Pending is trouble held back by the hysteresis.
type Pending struct {
	Situation Situation `json:"situation"`
	// Of is the resolved situation it resembles.
	Of string `json:"of"`
	// Seen counts the consecutive cycles it was seen in.
	Seen int `json:"seen"`
}

// FeedMemory is one feed's history as far as the watch needs it.
type FeedMemory struct {
	Read        bool       `json:"read"`
	LastSuccess *time.Time `json:"last_success"`
	LastError   string     `json:"last_error"`
	Errors      int        `json:"errors"`
}

// Cycle is one cycle's findings, the input of Step.
type Cycle struct {
	At     time.Time
	Groups []Group
	// Feeds are the feeds planned this cycle: key, address, the nodes
	// they speak for, whether they were read and the first error when not.
	Feeds []CycleFeed
	// UnknownServices maps the nodes of unreadable feeds to your services
	// that depend on them; nil means none. Filled by the caller (it needs
	// the graph).
	UnknownServices func(nodes []string) []string
}

// CycleFeed is one feed as read in a cycle.
type CycleFeed struct {
	Key   string
	URL   string
	Nodes []string
	Read  bool
	Error string
}

// Step advances the state by one cycle and returns the events it calls
// for, in order: resolutions and updates of open situations, openings,
// then blind events.
func (s *State) Step(c Cycle) []Event {
	s.Cycle++
	// Only the feeds planned this cycle are remembered: a feed the model
	// no longer names is forgotten.
	before := s.Feeds
	s.Feeds = make(map[string]FeedMemory, len(c.Feeds))
	unknown := map[string]bool{}
	var newlyBlind []CycleFeed
	for _, f := range c.Feeds {
		m, seen := before[f.Key]
		if f.Read {
			at := c.At
			m.Read, m.LastSuccess, m.LastError = true, &at, ""
		} else {
			if m.Read || !seen {
				newlyBlind = append(newlyBlind, f)
			}
			m.Read, m.LastError = false, f.Error
			m.Errors++
			for _, n := range f.Nodes {
				unknown[n] = true
			}
		}
		s.Feeds[f.Key] = m
	}

	var events []Event
	open := s.openIndexes()
	// Match groups to open situations: roots in common weigh most, then
	// reporting nodes in common; best pairs first.
	type pair struct{ g, s, score int }
	var pairs []pair
	for gi, g := range c.Groups {
		for _, si := range open {
			sit := &s.Situations[si]
			score := 1000*overlap(g.Roots, sit.Roots) + overlap(g.Reporting, sit.Reporting)
			if score > 0 {
				pairs = append(pairs, pair{gi, si, score})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return b.score - a.score })
	groupOf := map[int]int{} // situation index → group index
	taken := map[int]bool{}  // group index
	for _, p := range pairs {
		if _, done := groupOf[p.s]; done || taken[p.g] {
			continue
		}
		groupOf[p.s] = p.g
		taken[p.g] = true
	}

	// Open situations: updated, resolved, merged or kept while blind.
	for _, si := range open {
		sit := &s.Situations[si]
		gi, matched := groupOf[si]
		if !matched {
			if blind := intersect(sit.Reporting, unknown); len(blind) > 0 {
				// Unknown is never healthy: the situation stays open.
				sit.Unknown = blind
				continue
			}
			sit.State = "resolved"
			at := c.At
			sit.ResolvedAt = &at
			sit.UpdatedAt = c.At
			sit.Unknown = []string{}
			ev := sit.event(Resolved, c.At)
			if into := mergedInto(c.Groups, taken, sit); into != "" {
				ev.Changes = []string{into}
			}
			events = append(events, ev)
			continue
		}
		g := c.Groups[gi]
		next := *sit
		next.Roots, next.Probability, next.Layer = g.Roots, g.Probability, g.Layer
		// Reporting nodes whose feeds went blind stay members: their
		// state is unknown, not resolved.
		keep := intersect(sit.Reporting, unknown)
		next.Reporting = sortedSet(append(slices.Clone(g.Reporting), keep...))
		next.AffectedServices = sortedSet(slices.Clone(g.AffectedServices))
		next.Incidents = mergeIncidents(g.Incidents, sit.Incidents, keep)
		next.Paths = g.Paths
		next.Unknown = keep
		changes := diff(sit, &next)
		if len(changes) > 0 {
			next.UpdatedAt = c.At
			*sit = next
			ev := sit.event(Updated, c.At)
			ev.Changes = changes
			events = append(events, ev)
			continue
		}
		// No update: the probability stays the one last sent, so that a
		// drift by small steps is measured from it, not from the last
		// cycle.
		next.Probability = sit.Probability
		*sit = next
	}

	// Groups no open situation covers: opened, or held back when they
	// resemble a situation resolved within FlapWindow.
	var pending []Pending
	for gi, g := range c.Groups {
		if taken[gi] {
			continue
		}
		sit := Situation{State: "open", Finding: g.Finding, Paths: g.Paths, Unknown: []string{}, OpenedAt: c.At, UpdatedAt: c.At}
		sit.AffectedServices = sortedSet(slices.Clone(g.AffectedServices))
		if of := s.recentlyResolved(g, c.At); of != "" {
			seen := 1
			for _, p := range s.Pending {
				if p.Of == of {
					seen = p.Seen + 1
				}
			}
			if seen < FlapConfirm {
				pending = append(pending, Pending{Situation: sit, Of: of, Seen: seen})
				continue
			}
		}
		s.NextID++
		sit.ID = fmt.Sprintf("s%d", s.NextID)
		s.Situations = append(s.Situations, sit)
		events = append(events, sit.event(Opened, c.At))
	}
	s.Pending = pending

	// Blind events: one per open situation the newly unreadable feeds
	// concern, and one for the rest.
	if len(newlyBlind) > 0 {
		events = append(events, s.blindEvents(newlyBlind, c)...)
	}
	s.prune(c.At)
	return events
}

func (s *State) openIndexes() []int {
	var idx []int
	for i := range s.Situations {
		if s.Situations[i].State == "open" {
			idx = append(idx, i)
		}
	}
	return idx
}

// recentlyResolved returns the ID of a situation resolved within
// FlapWindow of at that shares a root or a reporting node with g.
func (s *State) recentlyResolved(g Group, at time.Time) string {
	for i := len(s.Situations) - 1; i >= 0; i-- {
		sit := &s.Situations[i]
		if sit.State != "resolved" || sit.ResolvedAt == nil || at.Sub(*sit.ResolvedAt) >= FlapWindow {
			continue
		}
		if overlap(g.Roots, sit.Roots) > 0 || overlap(g.Reporting, sit.Reporting) > 0 {
			return sit.ID
		}
	}
	return ""
}

func (s *State) blindEvents(feeds []CycleFeed, c Cycle) []Event {
	nodes := map[string][]string{} // node → feed keys
	for _, f := range feeds {
		for _, n := range f.Nodes {
			nodes[n] = append(nodes[n], f.Key)
		}
	}
	var events []Event
	used := map[string]bool{}
	emit := func(situation string, ns []string) {
		ev := Event{SchemaVersion: SchemaVersion, Event: Blind, Situation: situation, At: c.At}
		ev.fillEmpty()
		var keys []string
		for _, n := range ns {
			keys = append(keys, nodes[n]...)
		}
		ev.Unknown = sortedSet(slices.Clone(ns))
		ev.UnreadableFeeds = sortedSet(keys)
		if c.UnknownServices != nil {
			ev.UnknownServices = sortedSet(c.UnknownServices(ev.Unknown))
		}
		if situation != "" {
			for i := range s.Situations {
				if sit := &s.Situations[i]; sit.ID == situation {
					ev.Finding = sit.Finding
				}
			}
		}
		events = append(events, ev)
	}
	for _, si := range s.openIndexes() {
		sit := &s.Situations[si]
		var ns []string
		for _, n := range sit.Reporting {
			if _, ok := nodes[n]; ok {
				ns = append(ns, n)
				used[n] = true
			}
		}
		if len(ns) > 0 {
			emit(sit.ID, ns)
		}
	}
	var rest []string
	for n := range nodes {
		if !used[n] {
			rest = append(rest, n)
		}
	}
	if len(rest) > 0 {
		emit("", rest)
	}
	return events
}

// prune drops resolved situations beyond KeepResolved once they are past
// FlapWindow.
func (s *State) prune(at time.Time) {
	resolved := 0
	for i := len(s.Situations) - 1; i >= 0; i-- {
		sit := &s.Situations[i]
		if sit.State != "resolved" {
			continue
		}
		resolved++
		if resolved > KeepResolved && at.Sub(*sit.ResolvedAt) >= FlapWindow {
			s.Situations = slices.Delete(s.Situations, i, i+1)
		}
	}
}

// event makes the situation's event of the given kind.
func (sit *Situation) event(kind string, at time.Time) Event {
	ev := Event{SchemaVersion: SchemaVersion, Event: kind, Situation: sit.ID, At: at, Finding: sit.Finding, Unknown: sit.Unknown}
	ev.fillEmpty()
	return ev
}

// fillEmpty makes nil lists empty, so that every event has one shape.
func (e *Event) fillEmpty() {
	for _, l := range []*[]string{&e.Roots, &e.AffectedServices, &e.Reporting, &e.Unknown, &e.UnreadableFeeds, &e.UnknownServices, &e.Changes} {
		if *l == nil {
			*l = []string{}
		}
	}
	if e.Incidents == nil {
		e.Incidents = []Incident{}
	}
}

// diff lists what changed between a situation and its next form.
func diff(a, b *Situation) []string {
	var out []string
	if !slices.Equal(a.Roots, b.Roots) {
		out = append(out, fmt.Sprintf("root revised: %s → %s", strings.Join(a.Roots, ", "), strings.Join(b.Roots, ", ")))
	}
	out = appendChanges(out, a.Reporting, b.Reporting, "now reporting: ", "no longer reporting: ")
	out = appendChanges(out, a.AffectedServices, b.AffectedServices, "services now affected: ", "services no longer affected: ")
	if add := addedIncidents(a.Incidents, b.Incidents); len(add) > 0 {
		out = append(out, "new incidents: "+strings.Join(add, "; "))
	}
	// In units of 10⁻⁴ (probabilities are rounded to four decimals), so
	// that 0.4 → 0.5 is a move of 0.1 despite floating point.
	if d := math.Round(math.Abs(b.Probability-a.Probability) * 1e4); d >= math.Round(ProbabilityStep*1e4) {
		out = append(out, fmt.Sprintf("probability %.0f%% → %.0f%%", 100*a.Probability, 100*b.Probability))
	}
	// A change of Unknown alone is no update: the blind event says it.
	return out
}

// appendChanges appends to out what was added to before in after, and what
// was dropped, each after its label.
func appendChanges(out, before, after []string, addedLabel, droppedLabel string) []string {
	if add := added(before, after); len(add) > 0 {
		out = append(out, addedLabel+strings.Join(add, ", "))
	}
	if del := added(after, before); len(del) > 0 {
		out = append(out, droppedLabel+strings.Join(del, ", "))
	}
	return out
}

// mergedInto says which group a resolved situation's reports moved to,
// when another situation's group now explains them.
func mergedInto(groups []Group, taken map[int]bool, sit *Situation) string {
	for gi, g := range groups {
		if taken[gi] && overlap(g.Reporting, sit.Reporting) > 0 {
			return "merged: its reports are now explained by " + strings.Join(g.Roots, ", ")
		}
	}
	return ""
}

func mergeIncidents(now, before []Incident, keepNodes []string) []Incident {
	out := slices.Clone(now)
	for _, in := range before {
		if slices.Contains(keepNodes, in.Node) {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(a, b Incident) int {
		if c := strings.Compare(a.Node, b.Node); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out = slices.CompactFunc(out, func(a, b Incident) bool { return a.Node == b.Node && a.ID == b.ID })
	if out == nil {
		out = []Incident{}
	}
	return out
}

func addedIncidents(a, b []Incident) []string {
	var out []string
	for _, x := range b {
		if !slices.ContainsFunc(a, func(y Incident) bool { return x.Node == y.Node && x.ID == y.ID }) {
			out = append(out, x.Node+": "+x.Title)
		}
	}
	return out
}

func overlap(a, b []string) int {
	n := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return n
}

func intersect(a []string, set map[string]bool) []string {
	out := []string{}
	for _, x := range a {
		if set[x] {
			out = append(out, x)
		}
	}
	return out
}

// added returns the elements of b not in a.
func added(a, b []string) []string {
	var out []string
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, x)
		}
	}
	return out
}
