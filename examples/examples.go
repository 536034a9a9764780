// Package examples embeds the built-in example model, used when a command
// is given no -m, so `depgraph blast aws/us-east-1` works on a fresh
// checkout.
package examples

import "embed"

// FS holds the example models.
//
//go:embed *.yaml
var FS embed.FS

// Default is the file used when no model is given.
const Default = "acme.yaml"
