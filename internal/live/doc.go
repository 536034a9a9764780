// Package live works out what status feeds say now: which nodes report
// trouble and how much (their own impairment), the open incidents behind
// it, and which feeds could not be read, whose nodes' state is therefore
// unknown, never healthy.
//
// A node's own impairment comes from the components its status block names
// (through statusmap: operational 0, degraded performance 0.25, partial
// outage 0.5, major outage 1, maintenance the caller's choice) and from its
// incidents live at the time judged (minor 0.25, major 0.5, critical 1),
// whichever is worse. A feed is read when at least one of its documents
// could be parsed into something other than an unknown indicator.
//
// Both `depgraph status` (once) and `depgraph watch` (every cycle) build
// their views on State.
package live
