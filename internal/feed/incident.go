package feed

import "time"

// SchemaVersion is the version of the normalized document printed by
// `depgraph feed parse --json`. It changes only when a field changes meaning
// or disappears; added fields keep the version.
const SchemaVersion = 1

// Format names one status-feed format. The names are the contract shared
// with the model's `status.type` field.
type Format string

// The formats depgraph reads. Keep in sync with Formats.
const (
	FormatStatuspage Format = "statuspage" // Atlassian Statuspage API v2 JSON (summary, components, incidents, one incident, scheduled maintenances)
	FormatIncidentIO Format = "incidentio" // incident.io hosted pages (Statuspage-compatible API and its own widget API)
	FormatGCP        Format = "gcp"        // Google Cloud Service Health incidents.json
	FormatAWSRSS     Format = "aws-rss"    // AWS Health per service-region RSS
	FormatAWSEvents  Format = "aws-events" // AWS Health public events JSON (legacy data.json and current events), often UTF-16
	FormatAzureRSS   Format = "azure-rss"  // Azure status RSS
	FormatRSS        Format = "rss"        // generic RSS 2.0 (also Statuspage history.rss)
	FormatAtom       Format = "atom"       // generic Atom (also Statuspage history.atom, GCP feed.atom)
	FormatSlack      Format = "slack"      // Slack status API
	FormatUpptime    Format = "upptime"    // Upptime history/summary files
	FormatInstatus   Format = "instatus"   // Instatus public JSON
)

// Formats lists every format depgraph reads, in a stable order.
var Formats = []Format{
	FormatStatuspage, FormatIncidentIO, FormatGCP, FormatAWSRSS, FormatAWSEvents,
	FormatAzureRSS, FormatRSS, FormatAtom, FormatSlack, FormatUpptime, FormatInstatus,
}

// Impact is the normalized severity of an incident.
type Impact string

// The normalized impacts, from least to most severe; maintenance stands apart.
const (
	ImpactNone        Impact = "none"
	ImpactMinor       Impact = "minor"
	ImpactMajor       Impact = "major"
	ImpactCritical    Impact = "critical"
	ImpactMaintenance Impact = "maintenance"
	// ImpactUnknown is for feeds that do not state a severity (generic
	// RSS/Atom) or state one depgraph does not know; the raw value, if
	// any, is kept in Incident.Extra["impact_raw"].
	ImpactUnknown Impact = "unknown"
)

// ComponentStatus is the normalized state of a component.
type ComponentStatus string

// The normalized component states (Statuspage's vocabulary, which most
// formats map onto), plus unknown for feeds that say nothing.
const (
	StatusOperational         ComponentStatus = "operational"
	StatusDegradedPerformance ComponentStatus = "degraded_performance"
	StatusPartialOutage       ComponentStatus = "partial_outage"
	StatusMajorOutage         ComponentStatus = "major_outage"
	StatusUnderMaintenance    ComponentStatus = "under_maintenance"
	StatusUnknown             ComponentStatus = "unknown"
)

// Document is one parsed feed in normalized form: what `depgraph feed parse
// --json` prints and what the store keeps. All times are UTC.
type Document struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Source says where the document came from and in which format.
	Source Source `json:"source"`
	// Incidents are the incidents and maintenances the feed reports, sorted
	// by start time (newest first), then id.
	Incidents []Incident `json:"incidents"`
	// Components are the components the feed lists with their current
	// state; empty for formats without components.
	Components []Component `json:"components"`
	// Warnings list what Parse left out because the feed's data could not
	// be used (see Warning); empty when nothing was.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Source describes the feed a document was parsed from.
type Source struct {
	// Format is the format the parser used.
	Format Format `json:"format"`
	// Name names the feed: a file name, a URL or a model node's feed.
	Name string `json:"name,omitempty"`
	// Page is the status page's own name or id when the feed gives it.
	Page string `json:"page,omitempty"`
	// URL is the page's address when the feed gives it.
	URL string `json:"url,omitempty"`
	// UpdatedAt is the feed's own timestamp (page.updated_at, lastBuildDate,
	// <updated>), nil when it has none.
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	// Indicator is the page-wide status when the feed gives one (none,
	// minor, major, critical for Statuspage).
	Indicator string `json:"indicator,omitempty"`
	// Extra keeps page-level fields that have no place above.
	Extra map[string]any `json:"extra,omitempty"`
}

// Incident is one incident or maintenance, normalized.
type Incident struct {
	// ID is the feed's own id (Statuspage code, GCP id, RSS guid), or a
	// stable hash of link and title when the feed has none.
	ID string `json:"id"`
	// Title is the incident's name.
	Title string `json:"title"`
	// Impact is the normalized severity.
	Impact Impact `json:"impact"`
	// Status is the feed's own status word, lower case (investigating,
	// identified, monitoring, resolved, scheduled, in_progress, completed…).
	Status string `json:"status"`
	// StartedAt is when the incident started.
	StartedAt time.Time `json:"started_at"`
	// ResolvedAt is when it ended; nil while it is open.
	ResolvedAt *time.Time `json:"resolved_at"`
	// UpdatedAt is the time of the latest change.
	UpdatedAt time.Time `json:"updated_at"`
	// Components are the affected components' names as the feed gives them.
	Components []string `json:"components"`
	// Locations are the affected regions or zones as the feed gives them.
	Locations []string `json:"locations"`
	// URL links to the incident's page.
	URL string `json:"url,omitempty"`
	// Updates are the incident's updates, oldest first.
	Updates []Update `json:"updates"`
	// Extra keeps what the format has and this shape does not.
	Extra map[string]any `json:"extra,omitempty"`
}

// Update is one status update of an incident.
type Update struct {
	// At is when the update was posted.
	At time.Time `json:"at"`
	// Status is the incident's status after this update, lower case.
	Status string `json:"status"`
	// Body is the update's text, with HTML reduced to plain text.
	Body string `json:"body"`
}

// Component is one component a feed lists.
type Component struct {
	// ID is the feed's component id, or the name when it has none.
	ID string `json:"id"`
	// Name is the component's name.
	Name string `json:"name"`
	// Group is the name of the group it belongs to, empty when none.
	Group string `json:"group,omitempty"`
	// Status is its normalized state.
	Status ComponentStatus `json:"status"`
	// IsGroup is true for a row that groups other components (a
	// Statuspage group); its Status is the group's rolled-up state.
	IsGroup bool `json:"is_group,omitempty"`
	// Extra keeps what the format has and this shape does not (the raw
	// status word when it was not recognised, uptime figures…).
	Extra map[string]any `json:"extra,omitempty"`
}
