package cli

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
)

// readmeBlocks returns README.md's fenced code blocks, each as its lines.
func readmeBlocks(t *testing.T) [][]string {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]string
	var cur []string
	in := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "```") {
			if in {
				blocks = append(blocks, cur)
				cur = nil
			}
			in = !in
			continue
		}
		if in {
			cur = append(cur, l)
		}
	}
	return blocks
}

// TestREADMEOutputIsCurrent is issue 16 item 14: README's first output
// sample was out of date. A code block that opens with "$ depgraph …" shows
// that command's whole output on the built-in example, and the quickstart's
// output block is its golden file.
func TestREADMEOutputIsCurrent(t *testing.T) {
	golden, err := os.ReadFile("testdata/golden/quickstart.txt")
	if err != nil {
		t.Fatal(err)
	}
	demos, quickstart := 0, false
	for _, b := range readmeBlocks(t) {
		text := strings.Join(b, "\n") + "\n"
		if text == string(golden) {
			quickstart = true
		}
		if len(b) == 0 || !strings.HasPrefix(b[0], "$ depgraph ") {
			continue
		}
		demos++
		ios, _, out, errOut := iostreams.Test()
		if code := Main(context.Background(), strings.Fields(strings.TrimPrefix(b[0], "$ depgraph ")), ios); code != ExitOK {
			t.Fatalf("%s: exit %d: %s", b[0], code, errOut)
		}
		if want := strings.Join(b[1:], "\n") + "\n"; out.String() != want {
			t.Errorf("README shows for %q:\n%s\nthe command prints:\n%s", b[0], want, out)
		}
	}
	if demos == 0 {
		t.Error("README has no \"$ depgraph\" demo block")
	}
	if !quickstart {
		t.Error("README's quickstart output is not testdata/golden/quickstart.txt")
	}
}
