// Package review is the procurement review: what adding a candidate vendor
// to the model would change, before anyone signs.
//
// A candidate is a node (from a YAML file in the model format, or from a
// catalog by name) placed either as a new member of a failover group
// (Failover: the group NODE owns gets the candidate as a further member;
// when NODE has a single hard dependency X instead, X becomes
// any_of [X, candidate]) or as a new dependency of NODE (Dependency).
//
// The review builds the "after" model by cloning the model and editing the
// one node that changes, then compares the two graphs: single points of
// failure per service gained and lost (order-1 failure domains under the
// hard-dependency semantics of domains.Find), the failure domains a
// failover candidate shares with the group's existing members (order-1
// sets common to both: a shared region means the failover does not protect
// against that region failing), concentration (how many of your services
// each provider and region takes down or degrades, blast.ByNode) before
// and after, and the expected downtime of each service where every node in
// its cone has an unavailability. It ends with a one-line verdict and its
// reasons.
//
// The computation returns a plain Result; WriteText and WriteMarkdown
// present it (everything from the model is escaped in Markdown), and the
// Result itself is the JSON form.
package review
