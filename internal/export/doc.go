// Package export writes a loaded model in formats other tools read:
// CSV for spreadsheets (one row per dependency edge, or one row per failure
// domain), GraphML for yEd and Gephi, a Mermaid flowchart to paste into a
// postmortem, and a CycloneDX 1.6 BOM of services with their dependency
// graph for security teams' BOM tooling.
//
// Every exporter reads the graph (internal/graph) and its model nodes and
// writes byte-for-byte deterministic output: nodes in id order,
// dependencies in the order the model declares them. By default only the
// nodes one of your services (kind service) reaches are written, which
// keeps the included catalogs' unused regions out; Options.All writes every
// node, and a model without services is always written whole.
//
// An edge is one target of one depends_on entry: a failover group of three
// members gives three edges, each carrying the group (its members and min).
// Formats without failover semantics (CycloneDX) flatten groups into plain
// dependencies and keep the group in a property.
//
// Text that comes from a model (names, owners, tags) is escaped for each
// format: XML escaping for GraphML, Mermaid entity codes for Mermaid,
// JSON for CycloneDX, and a leading quote on CSV cells a spreadsheet would
// read as a formula (=, +, -, @).
package export
