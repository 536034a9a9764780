// Package catalog inspects depgraph catalogs: List summarises the catalog
// files of a folder (name, description, kinds, feed types, the span of their
// sources' dates) and Lint checks a loaded model against the rules every
// bundled catalog follows.
//
// Lint's rules: every node carries at least one source; every source has a
// url and an as_of date that is well formed and not in the future; every
// status block names a known feed type and an address. A source older than
// a year is a warning, as is a node without a confidence level. Dangling
// references, duplicate ids and unknown kinds are the loader's errors
// (package ingest) and are not repeated here.
package catalog
