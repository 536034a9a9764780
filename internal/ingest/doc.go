// Package ingest reads depgraph models from YAML: the user's files, the
// catalogs they include (built into the binary or found in --catalog
// directories) and the built-in example.
//
// Reading never stops at the first problem. Every error is positioned as
// file:line:col and collected in an ErrorList, so `depgraph validate` can
// show them all at once. Errors that have a likely fix carry a hint: a
// "did you mean" for a mistyped id, key or kind, a missing include for an
// id that a bundled catalog defines.
//
// The loader walks yaml.v3's node tree itself rather than decoding into
// structs: that is what gives a position to every value and lets unknown
// keys be reported with the key's own position. Hostile input is bounded:
// files over MaxFileSize, aliases that expand to more than MaxAliasExpansion YAML nodes and
// nesting deeper than MaxDepth are refused with a message.
package ingest
