// Package domains finds the shared failure domains of your services: the
// minimal sets of upstream nodes whose joint failure takes a service down,
// the minimal cut sets of the fault tree the model implies (FaultTree),
// with single points of failure, the failover groups one node defeats,
// exact probabilities and importance measures. INDaaS (Zhai et al., OSDI
// 2014) calls these sets risk groups.
//
// # Semantics
//
// Every node can fail by itself (a basic event whose probability is its
// unavailability) and fails when its dependencies say so: a hard
// dependency (impact at least the hard threshold, 1 by default) is an OR;
// a failover group "any_of n, min k" fails when n−k+1 members fail (an
// at-least gate); weaker dependencies and those of unknown share never
// make a node down and are left out (the latter are listed apart, see
// blast.Unquantified). Cycles get the least fixed point. A target's
// failure domains are the minimal cut sets of "the target is down"
// without its own basic event, bounded by a maximum order.
//
// # Method
//
// Orders up to 3 are enumerated bottom-up with truncation
// (faulttree.Small: MOCUS, Fussell & Vesely 1972, truncated); larger
// orders and probabilities use binary decision diagrams (Bryant 1986) and
// zero-suppressed ones for the cut sets (Rauzy 1993, Minato 1993).
// Importance: Fussell–Vesely and Birnbaum (Dutuit & Rauzy 2001).
//
// The targets of one Find call share their work: each node's gate is
// built once (the fault tree's builder hash-conses), each gate's family of
// small cut sets is computed once, the first time a target's cone reaches
// it, and reused by every target above it; each failover group's causes
// (the nodes that alone defeat it) and their chains are computed once and
// filtered by each target's single points of failure.
//
// Complexity: for the enumeration, about linear in the sizes of the
// families of all gates in the targets' cones (plus a sort per gate), as
// faulttree.Small says; per target, O(V) for its cone and the
// size of its result.
package domains
