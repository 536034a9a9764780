package watch

import "time"

// SchemaVersion is the version of Event's and Snapshot's JSON forms.
const SchemaVersion = 1

// Event kinds.
const (
	Opened   = "opened"
	Updated  = "updated"
	Resolved = "resolved"
	Blind    = "blind"
)

// Incident is an open incident behind a report.
type Incident struct {
	Node  string `json:"node"`
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Finding is what the diagnosis says of one root and the reports it
// explains; events, situations and Analyze's groups carry one (embedded,
// so its fields stand in their JSON as their own).
type Finding struct {
	// Roots, Probability and Layer are the diagnosis: the root nodes,
	// their posterior probability among the hypotheses considered, and the
	// root's layer as seen from your services.
	Roots       []string `json:"roots"`
	Probability float64  `json:"probability"`
	Layer       string   `json:"layer"`
	// AffectedServices are your services the reports impair or put at
	// risk, sorted; Reporting the nodes whose feeds report the trouble,
	// sorted; Incidents their open incidents.
	AffectedServices []string   `json:"affected_services"`
	Reporting        []string   `json:"reporting"`
	Incidents        []Incident `json:"incidents"`
}

// Event is one alert: a situation opened, updated or resolved, or feeds
// that could no longer be read. Every event has every field; lists are
// empty, never null.
type Event struct {
	SchemaVersion int    `json:"schema_version"`
	Event         string `json:"event"`
	// Situation is the situation's ID; for a blind event, the open
	// situation the unreadable feeds concern, or "" when none.
	Situation string    `json:"situation"`
	At        time.Time `json:"at"`
	// Finding is the situation's, as of the event.
	Finding
	// Unknown are the nodes whose state is unknown because their feeds
	// could not be read (for a blind event: the feeds UnreadableFeeds);
	// UnknownServices your services that depend on them.
	Unknown         []string `json:"unknown"`
	UnreadableFeeds []string `json:"unreadable_feeds"`
	UnknownServices []string `json:"unknown_services"`
	// Changes says, for an updated event, what changed.
	Changes []string `json:"changes"`
}

// Situation is what one root explains, while it lasts.
type Situation struct {
	ID    string `json:"id"`
	State string `json:"state"` // "open" or "resolved"
	// Finding is as of the last update.
	Finding
	// Paths are chains from a root to each affected service and
	// reporting node ("a → b: a depends on b", so each chain starts at the
	// service and ends at the root): the affected part of the graph.
	Paths [][]string `json:"paths"`
	// Unknown are members whose feeds could not be read in the last cycle.
	Unknown    []string   `json:"unknown"`
	OpenedAt   time.Time  `json:"opened_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
}

// FeedState is one feed as of the last cycle.
type FeedState struct {
	Key   string   `json:"key"`
	URL   string   `json:"url"`
	Nodes []string `json:"nodes"`
	// Read says whether the feed could be read in the last cycle (a 304
	// answer reuses the last document read, and counts as read).
	Read        bool       `json:"read"`
	LastSuccess *time.Time `json:"last_success"`
	LastError   string     `json:"last_error"`
	// Errors counts the cycles in which the feed could not be read since
	// the watch's state in the store began (restarts keep counting).
	Errors int `json:"errors"`
}

// NodeState is one node's impairment as of the last cycle: Reported is
// what its own feed says (0 to 1), Impairment what the blast-radius
// propagation of every report gives it; Unknown says its feed could not
// be read.
type NodeState struct {
	Node       string  `json:"node"`
	Kind       string  `json:"kind"`
	Reported   float64 `json:"reported"`
	Impairment float64 `json:"impairment"`
	Unknown    bool    `json:"unknown"`
}

// Snapshot is the state a live page, /api/situations and /metrics show.
type Snapshot struct {
	SchemaVersion int       `json:"schema_version"`
	At            time.Time `json:"at"`
	Cycle         int       `json:"cycle"`
	// IntervalSeconds is the time between cycles.
	IntervalSeconds float64 `json:"interval_seconds"`
	// Open are the open situations, newest first; Resolved the recently
	// resolved ones, newest first.
	Open     []Situation `json:"open"`
	Resolved []Situation `json:"resolved"`
	// Pending are groups of trouble held back by the hysteresis (seen
	// again within the flap window of a resolved situation, not yet
	// confirmed): monitored and shown, not yet alerted.
	Pending []Situation `json:"pending"`
	// Events are the recent events, newest first.
	Events []Event     `json:"events"`
	Feeds  []FeedState `json:"feeds"`
	Nodes  []NodeState `json:"nodes"`
}
