package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/diagnose"
	"github.com/depgraph/depgraph/internal/textsafe"
)

// ExplainText writes the ranked hypotheses for people: what evidence was
// read and bound, then the top ones with their probability, chains,
// evidence and the factors that moved them.
func ExplainText(w io.Writer, r *diagnose.Result, top int) error {
	ew := &errWriter{w: w}
	ew.printf("Impacted %s between %s and %s", strings.Join(r.Impacted, ", "), r.Window.From.Format(time.RFC3339), r.Window.To.Format(time.RFC3339))
	if len(r.Healthy) > 0 {
		ew.printf("; healthy %s", strings.Join(r.Healthy, ", "))
	}
	ew.printf(".\n")
	if s := FeedSummary(r); s != "" {
		ew.printf("Evidence: %s.\n", s)
	}
	for _, n := range r.Notes {
		ew.printf("Note: %s.\n", n)
	}
	if len(r.Hypotheses) == 0 {
		ew.printf("No candidate cause: nothing in the model is upstream of the impacted nodes.\n")
		return ew.err
	}
	ew.printf("Probabilities are normalised over the %d hypotheses considered (at most %d roots each).\n", r.Considered, r.MaxRoots)
	for i, h := range r.Hypotheses[:min(top, len(r.Hypotheses))] {
		ew.printf("\n%d. %s (%s), probability %s\n", i+1, strings.Join(h.Nodes, " + "), h.Layer, probPercent(h.Probability))
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

// FeedSummary says in one line what was read and what bound: "4 feeds, 3
// bound to 12 nodes; aws-history.json bound to nothing: no node has …";
// "" when no feed file was given.
func FeedSummary(r *diagnose.Result) string {
	if len(r.Feeds) == 0 {
		if r.Evidence.Incidents == 0 && r.Evidence.Watched == 0 {
			return ""
		}
		return fmt.Sprintf("%d %s in the window on %d %s; %d %s watched", r.Evidence.Incidents, plural(r.Evidence.Incidents, "incident", "incidents"),
			r.Evidence.Nodes, plural(r.Evidence.Nodes, "node", "nodes"), r.Evidence.Watched, plural(r.Evidence.Watched, "node", "nodes"))
	}
	bound, nodes := 0, map[string]bool{}
	var none []string
	for _, f := range r.Feeds {
		if len(f.Nodes) > 0 {
			bound++
			for _, n := range f.Nodes {
				nodes[n] = true
			}
		} else {
			none = append(none, fmt.Sprintf("%s bound to nothing: %s", f.Name, f.Reason))
		}
	}
	s := fmt.Sprintf("%d %s, %d bound to %d %s; %d %s in the window on %d %s", len(r.Feeds), plural(len(r.Feeds), "feed", "feeds"), bound, len(nodes), plural(len(nodes), "node", "nodes"),
		r.Evidence.Incidents, plural(r.Evidence.Incidents, "incident", "incidents"), r.Evidence.Nodes, plural(r.Evidence.Nodes, "node", "nodes"))
	for _, n := range none {
		s += "; " + n
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func probPercent(p float64) string {
	switch {
	case p >= 0.9995:
		return ">99.9%"
	case p < 0.0005:
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

// ExplainMarkdown writes a "Dependency chain" section to paste into a
// postmortem. Text from models and feeds is escaped for Markdown.
func ExplainMarkdown(w io.Writer, r *diagnose.Result, top int) error {
	ew := &errWriter{w: w}
	ew.printf("## Dependency chain\n\n")
	ew.printf("Window: %s to %s. Impacted: %s.", r.Window.From.Format(time.RFC3339), r.Window.To.Format(time.RFC3339), mdCodeList(r.Impacted))
	if len(r.Healthy) > 0 {
		ew.printf(" Healthy: %s.", mdCodeList(r.Healthy))
	}
	ew.printf("\n\n")
	if s := FeedSummary(r); s != "" {
		ew.printf("Evidence: %s.\n\n", mdEscape(s))
	}
	for _, n := range r.Notes {
		ew.printf("Note: %s.\n\n", mdEscape(n))
	}
	if len(r.Hypotheses) == 0 {
		ew.printf("No candidate cause was found in the model.\n")
		return ew.err
	}
	ew.printf("| Rank | Cause | Layer | Probability | Explains | Contradicts |\n|---|---|---|---|---|---|\n")
	for i, h := range r.Hypotheses[:min(top, len(r.Hypotheses))] {
		ew.printf("| %d | %s | %s | %s | %d of %d | %s |\n", i+1, mdCodeList(h.Nodes), mdEscape(h.Layer), probPercent(h.Probability), len(h.Explains), len(r.Impacted), mdCodeList(h.Contradicts))
	}
	ew.printf("\nProbabilities are normalised over the %d hypotheses considered.\n", r.Considered)
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
