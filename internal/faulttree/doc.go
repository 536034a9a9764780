// Package faulttree is a fault-tree engine: it computes the minimal cut
// sets, their number and order distribution, the exact top-event
// probability and importance factors of a Boolean fault tree.
//
// A tree is built with a Builder (basic events and And/Or/AtLeast/Xor
// gates, complements as edge attributes), compiled once into a Model and
// analysed for one or many top events:
//
//	b := faulttree.NewBuilder()
//	x := b.Basic("x", 0.01)
//	y := b.Basic("y", 0.02)
//	top := b.Gate(faulttree.And, 0, x, y)
//	m, _ := faulttree.Compile(b, top)
//	res, _ := m.Analyze(ctx, top, faulttree.Options{MaxOrder: 3, Probability: true})
//
// The pipeline follows SCRAM's BDD algorithm:
//
//  1. Preprocessing of the propositional DAG: constant propagation,
//     normalisation and hash-consing in the Builder, coalescing of nested
//     And/Or gates, module creation from independent groups of gate
//     inputs, and module detection (Dutuit & Rauzy 1996, linear time).
//  2. A reduced ordered BDD (Bryant 1986, "Graph-based algorithms for
//     Boolean function manipulation", IEEE Trans. Computers C-35(8)) with
//     complement edges (Brace, Rudell & Bryant 1990, "Efficient
//     implementation of a BDD package", DAC), a static depth-first
//     variable order, and one proxy variable per module.
//  3. The minimal cut sets as a ZBDD (Minato 1993, "Zero-suppressed BDDs
//     for set manipulation in combinatorial problems", DAC), obtained from
//     the BDD by Rauzy's (1993) minimal-solutions recursion with the
//     "without" subsumption operator, truncated at the order limit.
//  4. Counting and order distribution by dynamic programming over the
//     ZBDD (never by enumeration), exact probability by Shannon
//     decomposition over the BDD, and Birnbaum importance from one
//     reverse pass (Dutuit & Rauzy 2001).
//
// When a tree's function outgrows every diagram the node limit allows
// (nus9601), Options.Expansion finds its minimal cut sets up to the order
// limit without the function: bottom-up over the gates on a ZBDD, each
// gate's family the minimal union, product or k-subset product of its
// inputs' families, sets above the order dropped as they form (Minato's
// family algebra with truncation; expand.go). Exact sets and counts, no
// probability; monotone trees only. Small is the same expansion for orders
// up to 3 on packed words, which failure domains use.
//
// Non-coherent gates (not, xor, nand, nor, iff, imply) are handled as
// SCRAM does by default: the probability is exact, and the cut sets are
// the minimal true points of the function, that is, prime implicants with
// their negative literals dropped.
//
// Complexities: building a BDD is worst-case exponential in the number of
// variables but linear in practice with a good order; the ZBDD conversion
// is O(BDD nodes × MaxOrder) recursion calls plus the cost of "without";
// counting is O(ZBDD nodes × MaxOrder²); the probability and the Birnbaum
// factors are O(BDD nodes).
package faulttree
