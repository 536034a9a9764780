// Package blast holds depgraph's analyses of a dependency graph:
//
//   - Run and Propagate: the blast radius of an upstream outage — what else
//     fails, how much, and along which path (below);
//   - ByNode: for every node, the targets its failure alone takes down and
//     those it degrades (the single-node view of failure domains);
//   - Unquantified: the dependencies of unknown share upstream of a
//     target.
//
// The shared failure domains (minimal cut sets) live in package domains,
// the ranking of root causes of an observed incident in package diagnose,
// which uses PropagateSeeds as its forward model.
//
// # Semantics of the blast radius
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
// equations: only the nodes with an impaired dependency can change, and
// only they are evaluated, in one pass over the strongly connected
// components (Tarjan 1972) in dependencies-first order; inside a cycle the
// equations are iterated from 0 (Kleene iteration of a monotone map) until
// no value moves by more than 1e-12. Without cycles each node is evaluated
// once. The explaining paths are derived afterwards, on demand, or in the
// same pass when the caller asks for them (PropagateSeedsPaths): a node
// outside any cycle is explained in the loop that evaluates it, a cycle's
// members once their fixed point is reached.
//
// At risk is a third state, computed by a separate pass over the
// propagation (FindAtRisk): a node the numbers leave healthy that depends
// on the failure through a share nobody has published (`impact: unknown`,
// Impact 0 in the equations above). A healthy node is at risk when a
// single dependency of unknown share is impaired or at risk, or one of
// known share is at risk; a failover group when fewer than Min members are
// surely healthy (neither impaired nor at risk), or, being of unknown
// share, when it is impaired. Down and degraded nodes keep their state.
//
// Each affected node comes with the path that explains it: a shortest chain
// of contributing dependencies from a failed node (ties go to the
// dependency that costs the most, then to the lower id), its hop count and
// its layer as seen from your own services.
//
// Complexity: O(V' + E') for the V' nodes and E' edges downstream of the
// failure, plus the iterations inside cycles, plus O(V) for the result
// arrays and O(V/64) for the scan of the work bitmap.
//
// # Single-node view
//
// ByNode uses the hard-dependency semantics of package domains (a hard
// dependency is an OR, a failover group "any_of n, min k" fails when n−k+1
// members fail, weaker dependencies never make a node down) restricted to
// one failed node: a reachability computation with a counter per failover
// group.
package blast
