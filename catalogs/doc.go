// Package catalogs holds depgraph's bundled catalogs: reusable, sourced
// model files for cloud providers (regions, zones, services) and vendors
// (their components, status feeds and fourth-party dependencies).
//
// Each NAME.yaml is an ordinary model file with a `catalog:` header (see
// docs/model.md); models pull entries in with `include: [NAME]`. Every node
// carries the sources its facts come from, with the date they were read,
// and a confidence level; hosting nobody has verified is a node of kind
// unknown rather than a guess. README.md in this folder describes the
// conventions.
package catalogs
