package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/diagnose"
	"github.com/depgraph/depgraph/internal/view"
)

func TestDOTEscapesAndIsDeterministic(t *testing.T) {
	v := &view.View{Name: `a "quoted" graph`, Nodes: []view.Node{
		{ID: `evil"} node`, Name: "line\nbreak <b>", Kind: "vendor", Cluster: "evil"},
		{ID: "acme/s", Kind: "service", Cluster: "acme", State: "degraded", Impairment: 0.25, SPOF: true},
	}, Edges: []view.Edge{{From: "acme/s", To: `evil"} node`, Impact: 0.3}}, Omitted: 2}
	var a, b bytes.Buffer
	if err := DOT(&a, v); err != nil {
		t.Fatal(err)
	}
	if err := DOT(&b, v); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("DOT output differs between runs")
	}
	out := a.String()
	for _, want := range []string{`digraph "a \"quoted\" graph" {`, `"evil\"} node" [`, `label="30%"`, `penwidth="3"`, `"2 nodes not shown"`, `\n25% lost`} {
		if !strings.Contains(out, want) {
			t.Errorf("DOT lacks %q:\n%s", want, out)
		}
	}
}

func TestBlastTextNothingAffected(t *testing.T) {
	var buf bytes.Buffer
	if err := BlastText(&buf, &blast.Result{Failed: []string{"x"}}, BlastTextOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "Failing x:\n  nothing else is affected.\n" {
		t.Errorf("got:%q", got)
	}
}

func TestExplainMarkdownEscapes(t *testing.T) {
	r := &diagnose.Result{Impacted: []string{"acme/s"}, Window: diagnose.Window{From: time.Unix(0, 0).UTC(), To: time.Unix(3600, 0).UTC()},
		Hypotheses: []diagnose.Hypothesis{{Nodes: []string{"v`x"}, Layer: "third-party", Score: 1, Probability: 1, Explains: []string{"acme/s"},
			Evidence: []diagnose.EvidenceItem{{Node: "v", Title: "<script>alert(1)</script> | *bold*"}}, Reasons: []string{"a_b"}}}}
	var buf bytes.Buffer
	if err := ExplainMarkdown(&buf, r, 5); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;") || !strings.Contains(out, `\| \*bold\*`) {
		t.Errorf("not escaped:\n%s", out)
	}
	if strings.Contains(out, "`v`x`") {
		t.Errorf("backtick in an id breaks the code span:\n%s", out)
	}
}

func TestFormatFromFile(t *testing.T) {
	for name, want := range map[string]Format{"a.svg": FormatSVG, "a.DOT": FormatDOT, "a.gv": FormatDOT, "a.json": FormatJSON, "a.txt": FormatText, "a": "", "a.pdf": ""} {
		if got := FormatFromFile(name); got != want {
			t.Errorf("%s: got:%q want:%q", name, got, want)
		}
	}
}
