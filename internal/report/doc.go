// Package report builds depgraph's pre-incident risk report: the document a
// risk lead reads and forwards. Build computes a plain, versioned Report
// from a model (and, when there is one, the incident history); WriteHTML,
// WriteMarkdown and WriteJSON render it. JSON is the canonical form and
// carries everything the other two show.
//
// # Contents
//
// In this order: a summary a manager reads in a minute (the services at
// risk, the worst shared failure domains, the single points of failure,
// expected downtime where probabilities exist); per service, its single
// points of failure, the failure domains that defeat its failover groups
// ("your primary and failover both depend on azure/southcentralus, via …"),
// its expected downtime and the nodes contributing most to it;
// concentration, the providers, regions and vendors most of your services
// sit on, with how many each takes down or degrades; stale facts, the
// sources older than a threshold; a picture of the relevant part of the
// graph; an incident timeline when the store has history; and when and
// from which model (a hash of the loaded files) the report was made.
//
// # Semantics
//
// Failure domains, single points of failure, defeated failover groups and
// probabilities come from domains.Find (minimal cut sets of the fault tree
// the model implies, exact, up to Options.MaxOrder), concentration from
// blast.ByNode. A node is "external" to you when its party is not 1: it
// belongs to another organisation than the services that reach it. A
// service is at risk when an external node can take it down alone.
//
// # Limits
//
// Lists are cut to the lengths in Options, so a report on a model of ten
// thousand nodes stays readable; every cut list comes with the full count.
// The picture draws at most Options.PictureNodes nodes, chosen services
// first, then the chains that defeat their failover groups, then the paths
// to their single points of failure, then the rest of their upstream by
// distance, and says how many nodes of each kind it left out.
//
// # Escaping
//
// Everything that came from a model or a feed (names, notes, URLs,
// incident titles) is text: html/template escapes it in HTML and inline
// SVG, and the Markdown writer escapes every character Markdown or HTML
// would interpret, so a name containing <script> shows as text.
package report
