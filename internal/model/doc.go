// Package model holds depgraph's dependency model as plain data: the nodes a
// user declares in YAML (services, vendors, components, providers, regions,
// zones, cloud services), their dependencies and where each came from.
//
// The model is a contract shared by every analysis. Edges point from a
// dependent to its dependency. A Dependency is either a single dependency
// with an impact in [0, 1] (the share of the dependent lost when the
// dependency is fully down) or a failover group (any_of) that works while
// at least Min of its members work.
//
// Every value carries the position it was read from (Pos), so later
// analyses and policy checks can point at file:line:col.
//
// The package does no I/O; internal/ingest reads YAML into it.
package model
