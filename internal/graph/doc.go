// Package graph is depgraph's weighted dependency graph: an immutable,
// compact (CSR) graph built from a validated model.Model, with dense node
// IDs 0..n-1 assigned in id order so that every traversal is deterministic.
//
// Edges point from a dependent to its dependency, weighted by impact. The
// graph implements gonum's graph.Directed and graph.Weighted interfaces, so
// gonum's algorithms (topo.TarjanSCC, traverse, flow.Dominators) run on it
// directly, while the analyses in internal/blast use the faster
// slice-based accessors (Requirements, Members, Dependents) on hot paths.
//
// Beyond plain edges the graph keeps each node's Requirements: one per
// depends_on entry, either a single dependency or a failover group with its
// Min. Plain gonum edges flatten groups into one edge per member, with the
// largest impact when several entries point at the same node.
//
// Building is O(V log V + E); memory is about 12 bytes per edge for the
// adjacency plus the model's own nodes.
package graph
