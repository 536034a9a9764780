// Package discover proposes fourth parties from status history: an
// incident that a vendor's feed reports and that names another provider,
// service or region ("related to Azure networking", "us-east-1") is
// evidence that the vendor depends on it. A proposal is an edge the model
// does not have yet — from the node the feed binds to, to the node named —
// with the incidents that name it as evidence; the user reviews it and
// keeps it as an overlay.
//
// Names are matched through internal/mention (node ids, names and
// aliases). Nothing is proposed for the vendor itself or its own nodes
// (same organisation), for nodes already upstream of it (graph
// reachability, or a part of such a node), for nodes downstream of it
// (that would be a cycle: its customers), for a span several candidate
// nodes claim, or for one ordinary word naming a part of another
// organisation ("Pages", "Access": see vague).
package discover
