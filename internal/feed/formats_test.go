package feed

import (
	"slices"
	"testing"

	"github.com/depgraph/depgraph/internal/model"
)

// TestFormatsMatchModel keeps the model's list of status types in step
// with the formats this package reads.
func TestFormatsMatchModel(t *testing.T) {
	var names []string
	for _, f := range Formats {
		names = append(names, string(f))
	}
	if !slices.Equal(names, model.FeedTypes) {
		t.Errorf("got:%v want:%v (update model.FeedTypes)", model.FeedTypes, names)
	}
}
