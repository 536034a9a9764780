// Package watch turns what status feeds say, cycle after cycle, into
// situations: one per upstream root, opened, updated and resolved, never one
// alert per vendor.
//
// Each cycle's live.State says which nodes' feeds report trouble (and the
// open incidents behind it), which feeds could not be read and the nodes
// they speak for. Analyze groups the reports by the root that explains
// them (the diagnosis of internal/diagnose, restricted to one root at a time,
// greedily: the likeliest root and the reports it explains, then the next
// root for the reports left). Step matches those groups to the situations
// already open and returns the events the change calls for:
//
//   - opened: a group no open situation covers;
//   - updated: a situation's roots, reporting nodes, affected services or
//     incidents changed, or its probability moved by ProbabilityStep or
//     more from that of its last event (members going blind are told by
//     the blind event instead);
//   - resolved: every node of an open situation has a feed that was read this
//     cycle and reports no trouble; a resolution is never suppressed nor
//     delayed;
//   - blind: a feed that was readable (or never read) could not be read; its
//     nodes' state is unknown. A situation with unknown members stays open:
//     unknown is never healthy.
//
// Hysteresis: a situation that resolved less than FlapWindow ago is not
// opened again at once when the same root (or one of its reporting nodes)
// reports trouble again: the trouble must be seen in FlapConfirm
// consecutive cycles first. Only the creation of an alert is held back,
// never monitoring (the pending trouble is in the snapshot) and never a
// resolution. So a feed that flaps every cycle gives at most one opened and
// one resolved per FlapWindow, not one pair per cycle.
//
// The package computes; it does not fetch, store or format. The CLI's watch
// command runs the cycles, keeps State in the store and delivers Events.
package watch
