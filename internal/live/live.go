package live

import (
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/statusmap"
)

// Incident is an incident live at the time judged, on the node it
// concerns.
type Incident struct {
	Node      string
	ID        string
	Title     string
	URL       string
	Impact    feed.Impact
	StartedAt time.Time
	// Text is the title and the bodies of the incident's updates, for the
	// diagnosis's reading of the vendor's words.
	Text       string
	ResolvedAt *time.Time
}

// Report is one node whose feed reports trouble.
type Report struct {
	Node string
	// Impairment is the node's own impairment, in (0, 1].
	Impairment float64
	// Incidents are its live incidents, sorted by start, then id.
	Incidents []Incident
}

// FeedRead is what became of one feed.
type FeedRead struct {
	Key   string
	URL   string
	Nodes []string
	// Read says whether the feed could be read.
	Read bool
	// Errors lists why requests failed; Warnings what the parser left out;
	// Unmapped the components no node stands for.
	Errors   []string
	Warnings []string
	Unmapped []string
}

// State is what the feeds say at At.
type State struct {
	At time.Time
	// Feeds are the feeds, sorted by key.
	Feeds []FeedRead
	// Reporting are the nodes reporting trouble, sorted by id.
	Reporting []Report
	// Watched are the nodes whose feeds were read, sorted.
	Watched []string
	// Unknown lists the feeds that could not be read, sorted, and
	// UnknownNodes the nodes that read them, sorted and without repeats:
	// their state is unknown.
	Unknown      []string
	UnknownNodes []string
}

// FeedsRead counts the feeds read.
func (s *State) FeedsRead() int {
	n := 0
	for _, f := range s.Feeds {
		if f.Read {
			n++
		}
	}
	return n
}

// Reading is what one status feed gave: the documents parsed from it and
// the requests that failed. The caller fetches (collect.Run does); this
// package only judges what came.
type Reading struct {
	// Key and URL name the feed; Nodes are the nodes it was planned for,
	// the only ones it speaks for.
	Key, URL string
	Nodes    []string
	// Documents are the parsed documents, one per successful request.
	Documents []*feed.Document
	// Errors lists what went wrong, one per failed request.
	Errors []string
}

// Compute judges the feeds' readings at now. maintenance is the
// impairment of a component under maintenance.
func Compute(m *model.Model, readings []Reading, now time.Time, maintenance float64) *State {
	st := &State{At: now, Feeds: []FeedRead{}, Reporting: []Report{}, Watched: []string{}, Unknown: []string{}, UnknownNodes: []string{}}
	own := map[string]float64{}
	incidents := map[string][]Incident{}
	idx := m.Index()
	for _, r := range readings {
		// A planned feed speaks for the nodes it was fetched for.
		bs := statusmap.NodeBindings(idx, r.Nodes)
		fr := FeedRead{Key: r.Key, URL: r.URL, Nodes: r.Nodes, Errors: r.Errors}
		for _, doc := range r.Documents {
			if doc.Source.Indicator != feed.IndicatorUnknown {
				fr.Read = true
			}
			for _, w := range doc.Warnings {
				fr.Warnings = append(fr.Warnings, w.String())
			}
			mapped := statusmap.MapBindings(doc, bs, maintenance)
			for id, x := range mapped.Impairment {
				own[id] = max(own[id], x)
			}
			for _, mt := range mapped.Matches {
				in := mt.Incident
				if !in.LiveAt(now) {
					continue
				}
				own[mt.NodeID] = max(own[mt.NodeID], in.Impact.Impairment(maintenance))
				incidents[mt.NodeID] = append(incidents[mt.NodeID], Incident{Node: mt.NodeID, ID: in.ID, Title: in.Title, URL: in.URL,
					Impact: in.Impact, StartedAt: in.StartedAt, Text: in.Text(), ResolvedAt: in.ResolvedAt})
			}
			fr.Unmapped = append(fr.Unmapped, mapped.Unmapped...)
		}
		fr.Unmapped = sortedSet(fr.Unmapped)
		if fr.Read {
			st.Watched = append(st.Watched, r.Nodes...)
		} else {
			st.Unknown = append(st.Unknown, r.Key)
			st.UnknownNodes = append(st.UnknownNodes, r.Nodes...)
		}
		st.Feeds = append(st.Feeds, fr)
	}
	slices.SortFunc(st.Feeds, func(a, b FeedRead) int { return strings.Compare(a.Key, b.Key) })
	slices.Sort(st.Unknown)
	st.UnknownNodes = sortedSet(st.UnknownNodes)
	st.Watched = sortedSet(st.Watched)
	for id, x := range own {
		if x <= Epsilon {
			continue
		}
		incs := incidents[id]
		slices.SortFunc(incs, func(a, b Incident) int {
			if c := a.StartedAt.Compare(b.StartedAt); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		incs = slices.CompactFunc(incs, func(a, b Incident) bool { return a.ID == b.ID })
		st.Reporting = append(st.Reporting, Report{Node: id, Impairment: x, Incidents: incs})
	}
	slices.SortFunc(st.Reporting, func(a, b Report) int { return strings.Compare(a.Node, b.Node) })
	return st
}

// Epsilon is the impairment at or below which a node counts as reporting
// no trouble (blast.Epsilon's value; repeated so this package does not
// depend on the analysis).
const Epsilon = 1e-9

func sortedSet(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
