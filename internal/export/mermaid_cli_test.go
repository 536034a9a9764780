package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
)

// TestMermaidRenders draws a cut-down diagram of a generated model with
// the real mermaid-cli in headless Chromium and checks Mermaid drew it,
// not its "Maximum text size in diagram exceeded" or "Too many edges"
// error picture (mermaid-cli exits 0 on both). It needs DEPGRAPH_MMDC, the
// path of an mmdc binary (npm install @mermaid-js/mermaid-cli with
// PUPPETEER_SKIP_DOWNLOAD=1), and Debian's chromium; CI does not install
// them, so it is run by hand.
func TestMermaidRenders(t *testing.T) {
	mmdc := os.Getenv("DEPGRAPH_MMDC")
	if mmdc == "" {
		t.Skip("set DEPGRAPH_MMDC to an mmdc binary (npm @mermaid-js/mermaid-cli) to render with Mermaid itself")
	}
	g, err := graph.Build(gen.Generate(gen.Sized(5000, 15000, 7)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	st, err := WriteMermaid(&buf, g, Options{All: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, out, cfg := filepath.Join(dir, "g.mmd"), filepath.Join(dir, "g.svg"), filepath.Join(dir, "puppeteer.json")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(`{"executablePath":"/usr/bin/chromium","args":["--no-sandbox","--disable-gpu"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(mmdc, "-p", cfg, "-i", in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("mmdc: %v\n%s", err, b)
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, bad := range []string{"Maximum text size in diagram exceeded", "Too many edges", "Syntax error"} {
		if strings.Contains(s, bad) {
			t.Fatalf("Mermaid drew its error %q", bad)
		}
	}
	// One path per edge (class flowchart-link), plus the stylesheet's rule.
	if n := strings.Count(s, "flowchart-link") - 1; n != st.Edges {
		t.Errorf("Mermaid drew %d edges, the diagram has %d", n, st.Edges)
	}
	if !strings.Contains(s, "Cut down to fit") {
		t.Error("the note is not drawn")
	}
	t.Logf("rendered %d of %d nodes, %d of %d edges, %d characters: %d bytes of SVG", st.Nodes, st.TotalNodes, st.Edges, st.TotalEdges, st.Chars, len(svg))
}
