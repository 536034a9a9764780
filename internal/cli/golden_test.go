package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"github.com/depgraph/depgraph/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
)

// TestGolden runs blast and graph on every testdata/golden/<case>.yaml
// (its first line names the nodes to fail: "# blast: a b") and compares
// the text, JSON and DOT output with <case>.txt, .json and .dot. The JSON
// is round-tripped: rendering it again must give the same text.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("testdata/golden/*.yaml")
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, path := range cases {
		name := strings.TrimSuffix(path, ".yaml")
		t.Run(filepath.Base(name), func(t *testing.T) {
			failed := blastLine(t, path)
			for _, c := range []struct {
				ext string
				run func(*iostreams.IOStreams) error
			}{
				{".txt", func(ios *iostreams.IOStreams) error {
					return runBlast(context.Background(), &blastOptions{IO: ios, Model: modelFlags{Paths: []string{path}}, Nodes: failed, Format: render.FormatText})
				}},
				{".json", func(ios *iostreams.IOStreams) error {
					return runBlast(context.Background(), &blastOptions{IO: ios, Model: modelFlags{Paths: []string{path}}, Nodes: failed, Format: render.FormatJSON})
				}},
				{".dot", func(ios *iostreams.IOStreams) error {
					return runGraph(context.Background(), &graphOptions{IO: ios, Model: modelFlags{Paths: []string{path}}, Blast: failed, Focus: []string{failed[0]}, Format: render.FormatDOT})
				}},
			} {
				ios, _, out, _ := iostreams.Test()
				if err := c.run(ios); err != nil {
					t.Fatal(err)
				}
				golden.Compare(t, name+c.ext, out.Bytes())
			}
			// Round trip: JSON → Result → text equals the text golden.
			data, err := os.ReadFile(name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var res blast.Result
			if err := json.Unmarshal(data, &res); err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			if err := render.BlastText(&text, &res, render.BlastTextOptions{}); err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, name+".txt", text.Bytes())
		})
	}
}

func blastLine(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	rest, ok := strings.CutPrefix(sc.Text(), "# blast:")
	if !ok {
		t.Fatalf("%s: first line must be '# blast: NODE...'", path)
	}
	return strings.Fields(rest)
}
