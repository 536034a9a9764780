package diagnose

import "time"

// SchemaVersion is the version of Result's JSON form. Version 2 added each
// hypothesis's probability and factors, and the result's considered,
// max_roots, evidence and feeds; every version-1 field kept its meaning,
// except score, now a log posterior (higher is still likelier).
const SchemaVersion = 2

// Result is the ranked list of root-cause hypotheses, ready to render.
type Result struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Window is the observation window.
	Window Window `json:"window"`
	// Impacted and Healthy echo the observation.
	Impacted []string `json:"impacted"`
	Healthy  []string `json:"healthy"`
	// Hypotheses are ranked best first.
	Hypotheses []Hypothesis `json:"hypotheses"`
	// Considered is how many hypotheses were scored; the probabilities are
	// normalised over them (the others, and causes outside the model, get
	// none).
	Considered int `json:"considered"`
	// Pruned counts the single causes not scored because their upper
	// bound fell Prune below the best score.
	Pruned int `json:"pruned"`
	// MaxRoots is the largest number of roots a hypothesis had.
	MaxRoots int `json:"max_roots"`
	// Evidence summarises the status evidence weighed.
	Evidence EvidenceSummary `json:"evidence"`
	// Feeds says, for each feed file read, what it bound to (filled by
	// the caller that read them; empty when none was given).
	Feeds []FeedUse `json:"feeds"`
	// Notes are remarks on the diagnosis as a whole, such as "no status
	// evidence at all".
	Notes []string `json:"notes"`
}

// Window is a time window in RFC 3339 UTC.
type Window struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// EvidenceSummary counts the evidence that went into the diagnosis.
type EvidenceSummary struct {
	// Incidents counts the incidents on the model's nodes that overlap the
	// window (after dropping an incident's less specific bindings).
	Incidents int `json:"incidents"`
	// Nodes counts the nodes they are on.
	Nodes int `json:"nodes"`
	// Watched counts the nodes whose status feed was read for the window.
	Watched int `json:"watched"`
	// Mentions counts the nodes named in the incidents' text outside the
	// speaker's own organisation.
	Mentions int `json:"mentions"`
}

// FeedUse is one feed file or stored feed and what it bound to.
type FeedUse struct {
	// Name is the file name or feed key.
	Name string `json:"name"`
	// Format is the format it parsed as.
	Format string `json:"format"`
	// Incidents counts its incidents; InWindow those overlapping the
	// window.
	Incidents int `json:"incidents"`
	InWindow  int `json:"in_window"`
	// Nodes are the nodes it bound to, sorted.
	Nodes []string `json:"nodes"`
	// By says how it bound: "type", "host" or "page name".
	By string `json:"by,omitempty"`
	// Reason says why it bound to nothing.
	Reason string `json:"reason,omitempty"`
}

// Hypothesis is one candidate cause: a node, or a small set of nodes
// failing at once.
type Hypothesis struct {
	// Nodes are the candidate cause(s), sorted.
	Nodes []string `json:"nodes"`
	// Layer is the first cause's layer as seen from your services.
	Layer string `json:"layer"`
	// Score is the hypothesis's log posterior up to a constant: the log
	// prior odds of its roots plus the log likelihood ratio of everything
	// observed against "nothing in the model failed".
	Score float64 `json:"score"`
	// Probability is the posterior probability, normalised over the
	// Considered hypotheses.
	Probability float64 `json:"probability"`
	// Explains lists the impacted nodes the hypothesis impairs at all;
	// Unexplained the others; Contradicts the healthy nodes it impairs by
	// half or more.
	Explains    []string `json:"explains"`
	Unexplained []string `json:"unexplained"`
	Contradicts []string `json:"contradicts"`
	// Evidence lists the incidents on the nodes it impairs.
	Evidence []EvidenceItem `json:"evidence"`
	// Paths are the chains from a cause to each explained node.
	Paths [][]string `json:"paths"`
	// Factors are the terms of Score, largest in size first.
	Factors []Factor `json:"factors"`
	// Reasons are the texts of the main factors.
	Reasons []string `json:"reasons"`
}

// Factor is one term of a hypothesis's score.
type Factor struct {
	// Kind is prior, impacted, healthy, incident, silence,
	// words, named or timing.
	Kind string `json:"kind"`
	// Node is the node the term is about, when one.
	Node string `json:"node,omitempty"`
	// Weight is the term in natural-log units: positive for, negative
	// against.
	Weight float64 `json:"weight"`
	// Text says it in words.
	Text string `json:"text"`
}

// EvidenceItem is one incident as reported.
type EvidenceItem struct {
	Node       string     `json:"node"`
	IncidentID string     `json:"incident_id"`
	Title      string     `json:"title"`
	StartedAt  time.Time  `json:"started_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	URL        string     `json:"url,omitempty"`
}
