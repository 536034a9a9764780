package cli

import (
	"context"
	"testing"

	"github.com/depgraph/depgraph/internal/golden"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
)

// TestExampleStory pins the story the built-in example (examples/acme.yaml)
// tells in README's first sample: checkout fails over from Vercel to Heroku,
// and AWS us-east-1, two hops up, is under both. The edges it rests on come
// from the sourced catalogs, so a catalog change that breaks the story (or
// changes its numbers) shows here.
func TestExampleStory(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(*iostreams.IOStreams) error
	}{
		{"domains-checkout.txt", func(ios *iostreams.IOStreams) error {
			return runDomains(context.Background(), &domainsOptions{IO: ios, Targets: []string{"acme/checkout"}, MaxOrder: 3, MaxSets: 100, HardThreshold: 1})
		}},
		{"blast-us-east-1.txt", func(ios *iostreams.IOStreams) error {
			return runBlast(context.Background(), &blastOptions{IO: ios, Nodes: []string{"aws/us-east-1"}, Format: render.FormatText})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			if err := c.run(ios); err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, "testdata/story/"+c.name, out.Bytes())
		})
	}
}
