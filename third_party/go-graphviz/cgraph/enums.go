package cgraph

import "github.com/goccy/go-graphviz/internal/wasm"

// bindEnums copies the enum values read from the WebAssembly module.
// depgraph patch: upstream set these in var declarations, which ran after the
// module was loaded by a package init; the module now loads on first use.
func bindEnums() {
	GRAPH = ObjectTag(wasm.GRAPH)
	NODE = ObjectTag(wasm.NODE)
	OUTEDGE = ObjectTag(wasm.OUT_EDGE)
	INEDGE = ObjectTag(wasm.IN_EDGE)
	EDGE = ObjectTag(wasm.EDGE)
}
