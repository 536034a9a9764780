// Package testmodel builds small models from YAML for tests: the graph
// of a `nodes:` list, loaded and checked as ingest loads any model.
package testmodel
