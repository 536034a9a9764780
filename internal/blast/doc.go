// Package blast answers "if these nodes fail, what else fails, how much,
// and along which path": the blast radius of an upstream outage.
//
// # Semantics
//
// Edges point from a dependent to its dependency. Every node has an
// impairment in [0, 1]; the failed nodes have 1. A requirement (one
// depends_on entry) of impact w whose impairment is x costs its dependent
// w·x, and a node's losses combine as 1 − Π(1 − loss). A single dependency's
// impairment is its target's; a failover group's is that of its Min-th
// healthiest member (sort the members' impairments ascending and take the
// Min-th), so all members down gives 1 and Min healthy members give 0. A
// node is down at impairment 1 and degraded above 0.
//
// Cycles are allowed. The impairments are the least fixed point of these
// equations: only the nodes downstream of a failure can change, they are
// split into strongly connected components (Tarjan 1972), components are
// evaluated dependencies first, and inside a cycle the equations are
// iterated from 0 (Kleene iteration of a monotone map) until no value moves
// by more than 1e-12. Without cycles each node is evaluated once.
//
// Each affected node comes with the path that explains it: a shortest chain
// of contributing dependencies from a failed node (ties go to the
// dependency that costs the most, then to the lower id), its hop count and
// its layer as seen from your own services.
//
// Complexity: O(V' + E') for the V' nodes and E' edges downstream of the
// failure, plus the iterations inside cycles.
package blast
