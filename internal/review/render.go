package review

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the review for a terminal.
func WriteText(w io.Writer, r *Result) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "Review of %s (%s) as %s\n", r.Candidate, r.Source, placementPhrase(r))
	fmt.Fprintf(b, "  change: %s\n", r.Change)
	if r.Mode == Failover {
		b.WriteString("\nFailure domains shared with the existing alternatives\n")
		if len(r.Shared) == 0 {
			fmt.Fprintf(b, "  none: no single node takes down both %s and %s\n", r.Candidate, strings.Join(r.Alternatives, " or "))
		}
		for _, s := range r.Shared {
			fmt.Fprintf(b, "  %s\n", SharedReason(r.Candidate, s))
		}
	}
	b.WriteString("\nSingle points of failure per service\n")
	unchanged := 0
	for _, s := range r.Services {
		if !s.Changed() {
			unchanged++
			continue
		}
		fmt.Fprintf(b, "  %s: %d → %d", s.Service, len(s.SPOFsBefore), len(s.SPOFsAfter))
		if len(s.Gained) > 0 {
			fmt.Fprintf(b, "; gains %s", cutList(s.Gained, 8))
		}
		if len(s.Lost) > 0 {
			fmt.Fprintf(b, "; loses %s", cutList(s.Lost, 8))
		}
		b.WriteString("\n")
		if d := downtime(s); d != "" {
			fmt.Fprintf(b, "    expected downtime: %s\n", d)
		}
	}
	if unchanged > 0 {
		fmt.Fprintf(b, "  (%d other service%s unchanged)\n", unchanged, pluralS(unchanged))
	}
	b.WriteString("\nConcentration (services each provider or region takes down / degrades)\n")
	shown := 0
	for _, c := range r.Concentration {
		if !c.Changed() && shown >= 3 {
			continue
		}
		shown++
		mark := ""
		if c.Changed() {
			mark = "  (changed)"
		}
		fmt.Fprintf(b, "  %-8s %-28s %d/%d → %d/%d%s\n", c.Kind, c.Node, c.DownBefore, c.DegradedBefore, c.DownAfter, c.DegradedAfter, mark)
	}
	if len(r.Concentration) > shown {
		fmt.Fprintf(b, "  (%d more unchanged)\n", len(r.Concentration)-shown)
	}
	fmt.Fprintf(b, "\nVerdict: %s", r.Verdict)
	if len(r.Reasons) > 0 {
		fmt.Fprintf(b, ": %s", r.Reasons[0])
	}
	b.WriteString("\n")
	for _, reason := range r.Reasons[min(1, len(r.Reasons)):] {
		fmt.Fprintf(b, "  - %s\n", reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func placementPhrase(r *Result) string {
	if r.Mode == Failover {
		return "failover for " + r.Target
	}
	return "dependency of " + r.Target
}

// downtime formats a service's expected downtime before and after, "" when
// neither is known.
func downtime(s ServiceChange) string {
	if s.DowntimeBefore == nil && s.DowntimeAfter == nil {
		return ""
	}
	f := func(h *float64) string {
		if h == nil {
			return "unknown"
		}
		return Hours(*h) + "/year"
	}
	out := f(s.DowntimeBefore) + " → " + f(s.DowntimeAfter)
	if s.DowntimeAfter == nil && s.MissingAfter > 0 {
		out += fmt.Sprintf(" (%d node%s without an unavailability)", s.MissingAfter, pluralS(s.MissingAfter))
	}
	return out
}

// mdEscaper escapes Markdown punctuation and HTML in text from the model.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "#", `\#`, "|", `\|`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "\n", " ", "\r", " ",
)

// md escapes s for Markdown.
func md(s string) string { return mdEscaper.Replace(s) }

// WriteMarkdown writes the review for a procurement ticket. Everything
// from the model is escaped.
func WriteMarkdown(w io.Writer, r *Result) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "## Procurement review: %s as %s\n\n", md(r.Candidate), md(placementPhrase(r)))
	fmt.Fprintf(b, "**Verdict: %s.**", md(r.Verdict))
	if len(r.Reasons) > 0 {
		fmt.Fprintf(b, " %s", md(r.Reasons[0]))
	}
	b.WriteString("\n\n")
	for _, reason := range r.Reasons[min(1, len(r.Reasons)):] {
		fmt.Fprintf(b, "- %s\n", md(reason))
	}
	if len(r.Reasons) > 1 {
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "Candidate from %s. Change: %s.\n\n", md(r.Source), md(r.Change))
	if r.Mode == Failover {
		b.WriteString("### Failure domains shared with the existing alternatives\n\n")
		if len(r.Shared) == 0 {
			fmt.Fprintf(b, "None: no single node takes down both %s and %s.\n\n", md(r.Candidate), md(strings.Join(r.Alternatives, " or ")))
		} else {
			b.WriteString("| existing member | shared single points of failure |\n|---|---|\n")
			for _, s := range r.Shared {
				role := ""
				if s.IsPrimary {
					role = " (primary)"
				}
				parts := make([]string, len(s.Nodes))
				for i, n := range s.Nodes {
					parts[i] = md(n) + " (" + md(s.Kinds[i]) + ")"
				}
				fmt.Fprintf(b, "| %s%s | %s |\n", md(s.Member), role, strings.Join(parts, ", "))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("### Single points of failure per service\n\n| service | before | after | gained | lost | expected downtime |\n|---|---:|---:|---|---|---|\n")
	for _, s := range r.Services {
		d := downtime(s)
		if d == "" {
			d = "unknown"
		}
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s |\n", md(s.Service), len(s.SPOFsBefore), len(s.SPOFsAfter), mdList(s.Gained), mdList(s.Lost), md(d))
	}
	b.WriteString("\n### Concentration\n\nServices each provider or region takes down / degrades, before and after.\n\n| node | kind | before | after |\n|---|---|---:|---:|\n")
	for _, c := range r.Concentration {
		name := md(c.Node)
		if c.Changed() {
			name = "**" + name + "**"
		}
		fmt.Fprintf(b, "| %s | %s | %d / %d | %d / %d |\n", name, md(c.Kind), c.DownBefore, c.DegradedBefore, c.DownAfter, c.DegradedAfter)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdList(ids []string) string {
	if len(ids) == 0 {
		return "–"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = md(id)
	}
	return strings.Join(out, ", ")
}
