package export

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
)

var (
	mermaidNodeRe = regexp.MustCompile(`(?m)^    (n\d+)[\[({]`)
	mermaidEdgeRe = regexp.MustCompile(`(?m)^  (n\d+) -\.?->(?:\|"[^"]*"\|)? (n\d+)$`)
)

// TestMermaidLimits draws generated models of growing size and checks
// every diagram stays under Mermaid's default limits, draws no edge to an
// undeclared node, and carries the note exactly when it was cut down.
func TestMermaidLimits(t *testing.T) {
	for _, size := range []struct{ nodes, edges int }{{60, 120}, {300, 900}, {1000, 3000}, {5000, 15000}} {
		for _, all := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d-all=%t", size.nodes, all), func(t *testing.T) {
				g, err := graph.Build(gen.Generate(gen.Sized(size.nodes, size.edges, 7)))
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				st, err := WriteMermaid(&buf, g, Options{All: all})
				if err != nil {
					t.Fatal(err)
				}
				out := buf.String()
				if n := utf16Len(out); n > MermaidMaxText || n != st.Chars {
					t.Errorf("%d characters (stats %d), limit %d", n, st.Chars, MermaidMaxText)
				}
				declared := map[string]bool{}
				for _, m := range mermaidNodeRe.FindAllStringSubmatch(out, -1) {
					declared[m[1]] = true
				}
				edges := mermaidEdgeRe.FindAllStringSubmatch(out, -1)
				if len(edges) > MermaidMaxEdges || len(edges) != st.Edges {
					t.Errorf("%d edges (stats %d), limit %d", len(edges), st.Edges, MermaidMaxEdges)
				}
				for _, e := range edges {
					if !declared[e[1]] || !declared[e[2]] {
						t.Fatalf("edge %s -> %s to an undeclared node", e[1], e[2])
					}
				}
				if len(declared) != st.Nodes {
					t.Errorf("%d nodes declared, stats say %d", len(declared), st.Nodes)
				}
				note := strings.Contains(out, "depgraph_note[")
				if note != st.Cut() {
					t.Errorf("note %t, cut %t", note, st.Cut())
				}
				if st.Cut() {
					if !strings.Contains(out, "--focus NODE --depth 2") || !strings.Contains(out, fmt.Sprintf("%d of %d nodes", st.Nodes, st.TotalNodes)) {
						t.Errorf("the note does not say what was left out and how to draw it:\n%s", out[:min(len(out), 600)])
					}
					// As much as fits: near the limits, not far below.
					if st.Edges < MermaidMaxEdges*8/10 && st.Chars < MermaidMaxText*8/10 {
						t.Errorf("cut too far: %d edges, %d characters", st.Edges, st.Chars)
					}
					// The services come first.
					for _, s := range g.Services()[:min(3, len(g.Services()))] {
						if !strings.Contains(out, `"`+mermaidEscape(g.ModelNode(s).ID)+`"`) && !strings.Contains(out, "<br/>"+mermaidEscape(g.ModelNode(s).ID)+`"`) {
							t.Errorf("service %s left out", g.ModelNode(s).ID)
						}
					}
				}
				t.Logf("%d of %d nodes, %d of %d edges, %d characters", st.Nodes, st.TotalNodes, st.Edges, st.TotalEdges, st.Chars)
			})
		}
	}
}

// TestMermaidTextLimit gives every node a long name, so the character
// limit binds before the edge limit.
func TestMermaidTextLimit(t *testing.T) {
	m := gen.Generate(gen.Sized(1000, 3000, 7))
	for _, n := range m.Nodes {
		n.Name = strings.Repeat("Ω long & <odd> name ", 12) + n.ID
	}
	g, err := graph.Build(m)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	st, err := WriteMermaid(&buf, g, Options{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Cut() || st.Chars > MermaidMaxText || st.Chars < MermaidMaxText*9/10 || st.Edges >= MermaidMaxEdges {
		t.Errorf("long names: %+v, want cut by the character limit, close to it", st)
	}
}

// TestMermaidFocus draws one neighbourhood.
func TestMermaidFocus(t *testing.T) {
	g, err := graph.Build(gen.Generate(gen.Sized(1000, 3000, 7)))
	if err != nil {
		t.Fatal(err)
	}
	s := g.Services()[0]
	var buf bytes.Buffer
	st, err := WriteMermaid(&buf, g, Options{Focus: []int32{s}, Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := len(g.Neighbourhood([]int32{s}, 1))
	if st.TotalNodes != want || st.Cut() {
		t.Errorf("focus: %+v, want %d nodes uncut", st, want)
	}
}
