// Package blast holds depgraph's analyses of a dependency graph:
//
//   - Run and Propagate: the blast radius of an upstream outage — what else
//     fails, how much, and along which path (below);
//   - Domains: shared failure domains, the minimal cut sets of the fault
//     tree the model implies (FaultTree), with single points of failure,
//     the failover groups one node defeats, exact probabilities and
//     importance measures;
//   - ByNode: for every node, the targets its failure alone takes down and
//     those it degrades.
//
// The ranking of root causes of an observed incident lives in package
// diagnose, which uses PropagateSeeds as its forward model.
//
// # Blast radius
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
// failure, plus the iterations inside cycles.
//
// # Failure domains
//
// Every node can fail by itself (a basic event whose probability is its
// unavailability) and fails when its dependencies say so: a hard
// dependency (impact at least the hard threshold, 1 by default) is an OR;
// a failover group "any_of n, min k" fails when n−k+1 members fail (an
// at-least gate); weaker dependencies never make a node down and are left
// out. Cycles get the least fixed point. A target's failure domains are the
// minimal cut sets of "the target is down" without its own basic event,
// bounded by a maximum order. Orders up to 3 are enumerated bottom-up with
// truncation (faulttree.Small: MOCUS, Fussell & Vesely 1972, truncated);
// larger orders and probabilities use binary decision diagrams (Bryant
// 1986) and zero-suppressed ones for the cut sets (Rauzy 1993, Minato
// 1993). Importance: Fussell–Vesely and Birnbaum (Dutuit & Rauzy 2001).
// The single-node view (ByNode) is a reachability computation with a
// counter per failover group. INDaaS (Zhai et al., OSDI 2014) calls these
// sets risk groups.
package blast
