// Package smalloracle keeps the order-truncated enumeration of minimal
// cut sets that faulttree.Small replaced (depgraph commit ba4c240: one
// sorted slice of fixed-size sets per gate, products over all pairs), as
// the oracle that tests of faulttree and domains compare with and that
// BenchmarkDomainsOracle times. Only tests use it.
package smalloracle
