// Package render turns depgraph's result structs into output: aligned text
// for people, JSON for machines (the canonical, versioned form), DOT, and
// SVG through go-graphviz.
//
// Computation happens elsewhere; this package only formats. All styling of
// graph pictures lives here (failed nodes red, the blast radius filled,
// own services bold, failover edges dashed, organisations as clusters).
//
// go-graphviz is imported by this package alone, through the patched copy in
// third_party/go-graphviz: it compiles its WebAssembly module on the first
// drawing (not at start-up; without its disk cache when that is unusable),
// is not safe for concurrent use (renders are
// serialized behind a mutex) and is given no deadline (a cancelled render
// closes its module for good).
//
// Every renderer is deterministic: the same input gives the same bytes.
package render
