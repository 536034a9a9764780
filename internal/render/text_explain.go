package render

import (
	"io"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/textsafe"
)

// ExplainText writes the ranked hypotheses for people: the top ones with
// their chains, evidence and the reasons for their rank.
func ExplainText(w io.Writer, r *blast.ExplainResult, top int) error {
	ew := &errWriter{w: w}
	ew.printf("Impacted %s between %s and %s", strings.Join(r.Impacted, ", "), r.Window.From.Format(time.RFC3339), r.Window.To.Format(time.RFC3339))
	if len(r.Healthy) > 0 {
		ew.printf("; healthy %s", strings.Join(r.Healthy, ", "))
	}
	ew.printf(".\n")
	if len(r.Hypotheses) == 0 {
		ew.printf("No candidate cause: nothing in the model is upstream of the impacted nodes.\n")
		return ew.err
	}
	for i, h := range r.Hypotheses[:min(top, len(r.Hypotheses))] {
		ew.printf("\n%d. %s (%s), score %.2f\n", i+1, strings.Join(h.Nodes, " + "), h.Layer, h.Score)
		for _, p := range h.Paths {
			if len(p) > 1 {
				ew.printf("     %s\n", chain(p))
			}
		}
		if len(h.Unexplained) > 0 {
			ew.printf("   leaves unexplained: %s\n", strings.Join(h.Unexplained, ", "))
		}
		if len(h.Contradicts) > 0 {
			ew.printf("   but these stayed healthy: %s\n", strings.Join(h.Contradicts, ", "))
		}
		for _, ev := range h.Evidence {
			ew.printf("   evidence: %s %s %q (%s)\n", ev.StartedAt.Format(time.RFC3339), ev.Node, ev.Title, ev.IncidentID)
		}
		ew.printf("   why: %s\n", strings.Join(h.Reasons, "; "))
	}
	return ew.err
}

// ExplainMarkdown writes a "Dependency chain" section to paste into a
// postmortem. Text from models and feeds is escaped for Markdown.
func ExplainMarkdown(w io.Writer, r *blast.ExplainResult, top int) error {
	ew := &errWriter{w: w}
	ew.printf("## Dependency chain\n\n")
	ew.printf("Window: %s to %s. Impacted: %s.", r.Window.From.Format(time.RFC3339), r.Window.To.Format(time.RFC3339), mdCodeList(r.Impacted))
	if len(r.Healthy) > 0 {
		ew.printf(" Healthy: %s.", mdCodeList(r.Healthy))
	}
	ew.printf("\n\n")
	if len(r.Hypotheses) == 0 {
		ew.printf("No candidate cause was found in the model.\n")
		return ew.err
	}
	ew.printf("| Rank | Cause | Layer | Score | Explains | Contradicts |\n|---|---|---|---|---|---|\n")
	for i, h := range r.Hypotheses[:min(top, len(r.Hypotheses))] {
		ew.printf("| %d | %s | %s | %.2f | %d of %d | %s |\n", i+1, mdCodeList(h.Nodes), mdEscape(h.Layer), h.Score, len(h.Explains), len(r.Impacted), mdCodeList(h.Contradicts))
	}
	best := r.Hypotheses[0]
	ew.printf("\n### Most likely: %s\n\n", mdCodeList(best.Nodes))
	for _, p := range best.Paths {
		if len(p) > 1 {
			ew.printf("- %s\n", mdCodeChain(p))
		}
	}
	if len(best.Evidence) > 0 {
		ew.printf("\nEvidence:\n\n")
		for _, ev := range best.Evidence {
			ew.printf("- %s `%s`: %s\n", ev.StartedAt.Format(time.RFC3339), mdEscape(ev.Node), mdEscape(ev.Title))
		}
	}
	ew.printf("\nWhy: %s.\n", mdEscape(strings.Join(best.Reasons, "; ")))
	return ew.err
}

// mdEscape escapes Markdown and HTML metacharacters.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`, "\n", " ")
	return r.Replace(textsafe.Line(s))
}

func mdCodeList(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "`" + strings.ReplaceAll(id, "`", "'") + "`"
	}
	return strings.Join(parts, ", ")
}

// mdCodeChain formats a path from a cause to an impacted node like chain:
// impacted first, each arrow reading "depends on".
func mdCodeChain(path []string) string {
	parts := make([]string, len(path))
	for i, id := range path {
		parts[len(path)-1-i] = "`" + strings.ReplaceAll(id, "`", "'") + "`"
	}
	return strings.Join(parts, " → ")
}
