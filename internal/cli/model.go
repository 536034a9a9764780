package cli

import (
	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/examples"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
)

// modelFlags are the flags every model-reading command shares.
type modelFlags struct {
	Paths       []string
	CatalogDirs []string
	// AllowOutsideIncludes lets model files include files outside their
	// own directory tree.
	AllowOutsideIncludes bool
}

func (f *modelFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVarP(&f.Paths, "model", "m", nil, "model `file` or directory (repeatable; default: the built-in example)")
	cmd.Flags().StringArrayVar(&f.CatalogDirs, "catalog", nil, "extra catalog `dir`ectory searched before the built-in catalogs (repeatable)")
	cmd.Flags().BoolVar(&f.AllowOutsideIncludes, "allow-outside-includes", false, "let model files include files outside their own directory (only for models you trust)")
}

// load reads and validates the model the flags name.
func (f *modelFlags) load() (*ingest.Result, error) {
	return ingest.Load(ingest.Options{
		Paths:                f.Paths,
		CatalogDirs:          f.CatalogDirs,
		AllowOutsideIncludes: f.AllowOutsideIncludes,
		Catalogs:             catalogs.FS,
		Default:              &ingest.FSFile{FS: examples.FS, Name: examples.Default},
	})
}

// loadGraph reads the model and builds its graph.
func (f *modelFlags) loadGraph() (*ingest.Result, *graph.Graph, error) {
	res, err := f.load()
	if err != nil {
		return nil, nil, err
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		return nil, nil, err
	}
	return res, g, nil
}
