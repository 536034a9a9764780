package catalogs

import "embed"

// FS holds every bundled catalog as NAME.yaml at its root. The ingest
// package resolves `include:` names against it after the --catalog
// directories.
//
//go:embed *.yaml
var FS embed.FS
