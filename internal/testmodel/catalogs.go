package testmodel

import (
	"testing"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/internal/catalog"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
)

// Catalogs loads every built-in catalog together, failing the test on any
// error: the nodes imports and feed bindings map onto.
func Catalogs(t testing.TB) *model.Model {
	t.Helper()
	es, err := catalog.List(catalogs.FS)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	res, err := ingest.Load(ingest.Options{Includes: names, Catalogs: catalogs.FS})
	if err != nil {
		t.Fatal(err)
	}
	return res.Model
}
