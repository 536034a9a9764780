package watch

import (
	"slices"
	"strings"
	"time"
)

// Snapshot returns what the live page shows after the last cycle: events
// are the recent events, newest first; feeds and nodes as of the cycle.
func (s *State) Snapshot(at time.Time, interval time.Duration, events []Event, feeds []FeedState, nodes []NodeState) *Snapshot {
	snap := &Snapshot{SchemaVersion: SchemaVersion, At: at, Cycle: s.Cycle, IntervalSeconds: interval.Seconds(),
		Open: []Situation{}, Resolved: []Situation{}, Pending: []Situation{}, Events: events, Feeds: feeds, Nodes: nodes}
	for i := len(s.Situations) - 1; i >= 0; i-- {
		sit := s.Situations[i]
		if sit.State == "open" {
			snap.Open = append(snap.Open, sit)
		} else {
			snap.Resolved = append(snap.Resolved, sit)
		}
	}
	for _, p := range s.Pending {
		snap.Pending = append(snap.Pending, p.Situation)
	}
	if snap.Events == nil {
		snap.Events = []Event{}
	}
	if snap.Feeds == nil {
		snap.Feeds = []FeedState{}
	}
	if snap.Nodes == nil {
		snap.Nodes = []NodeState{}
	}
	slices.SortStableFunc(snap.Resolved, func(a, b Situation) int { return b.ResolvedAt.Compare(*a.ResolvedAt) })
	return snap
}

// FeedStates returns the feeds of a cycle with what the state remembers
// of them, sorted by key.
func (s *State) FeedStates(feeds []CycleFeed) []FeedState {
	out := make([]FeedState, 0, len(feeds))
	for _, f := range feeds {
		m := s.Feeds[f.Key]
		nodes := f.Nodes
		if nodes == nil {
			nodes = []string{}
		}
		out = append(out, FeedState{Key: f.Key, URL: f.URL, Nodes: nodes, Read: f.Read, LastSuccess: m.LastSuccess, LastError: m.LastError, Errors: m.Errors})
	}
	slices.SortFunc(out, func(a, b FeedState) int { return strings.Compare(a.Key, b.Key) })
	return out
}
