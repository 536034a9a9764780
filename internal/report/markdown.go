package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/textsafe"
)

// WriteJSON writes r as indented JSON: the canonical, versioned form.
func WriteJSON(w io.Writer, r *Report) error {
	return render.JSON(w, r)
}

// WriteMarkdown writes r as GitHub-flavoured Markdown (tables, no raw
// HTML). Ids are code spans; free text from the model or a feed is
// escaped so that it shows as text.
func WriteMarkdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	g := r.Generated
	p("# Dependency risk report\n\n")
	p("Generated %s from model `%s` (%s, %s, %s); failure domains up to %s.\n\n",
		g.At.UTC().Format("2006-01-02 15:04 UTC"), g.ModelHash, plural(g.Nodes, "node", "nodes"), plural(g.Edges, "edge", "edges"), plural(len(g.Files), "file", "files"), plural(g.MaxOrder, "node", "nodes"))

	s := r.Summary
	p("## Summary\n\n")
	p("| | |\n|---|---|\n")
	p("| Services an outside node can take down alone | **%d of %d** |\n", len(s.AtRisk), s.Services)
	p("| Failover groups one outage defeats | **%d** |\n", s.DefeatedFailover)
	p("| Outside single points of failure | **%d** |\n", s.SPOFCount)
	p("| Sources older than %d days | **%d** |\n\n", g.StaleDays, s.StaleFacts)
	if len(s.AtRisk) > 0 {
		p("At risk: %s.\n\n", codes(s.AtRisk))
	} else {
		p("No outside node can take any of your services down alone.\n\n")
	}
	if len(s.Unquantified) > 0 {
		p("Unquantified exposure: %s depend upstream on a share nobody has published (`impact: unknown`); the failure domains and downtime below leave it out.\n\n", codes(s.Unquantified))
	}
	p("### Worst shared failure domains\n\n")
	if len(s.WorstDomains) == 0 {
		p("None found up to %s.\n\n", plural(g.MaxOrder, "node", "nodes"))
	} else {
		p("| Failure domain | Kind | Services down | Which |\n|---|---|--:|---|\n")
		for _, d := range s.WorstDomains {
			p("| %s%s | %s | %d | %s |\n", strings.Join(codeList(d.Nodes), " + "), defeatsMark(d.DefeatsFailover), strings.Join(d.Kinds, ", "), len(d.Services), firstCodes(d.Services, 6))
		}
		p("\n")
	}
	p("### Single points of failure\n\n")
	if len(s.SPOFs) == 0 {
		p("None.\n\n")
	} else {
		p("| Node | Kind | Services down | Which |\n|---|---|--:|---|\n")
		for _, d := range s.SPOFs {
			p("| `%s`%s | %s | %d | %s |\n", d.Nodes[0], defeatsMark(d.DefeatsFailover), d.Kinds[0], len(d.Services), firstCodes(d.Services, 6))
		}
		if s.SPOFCount > len(s.SPOFs) {
			p("\n%d in all; the %d taking down the most services are shown.\n", s.SPOFCount, len(s.SPOFs))
		}
		p("\n")
	}
	p("### Expected downtime\n\n")
	if len(s.Downtime) == 0 {
		p("No service has a probability: give the nodes upstream of a service an `unavailability` to get expected downtime.\n\n")
	} else {
		p("| Service | Unavailability | Downtime per year |\n|---|--:|--:|\n")
		for _, d := range s.Downtime {
			p("| `%s` | %.3g | %s |\n", d.Service, d.Probability, hours(d.HoursPerYear))
		}
		p("\n")
	}

	p("## Services\n")
	for _, sv := range r.Services {
		risk := "no outside single point of failure"
		if sv.AtRisk {
			risk = "**at risk**"
		}
		p("\n### %s (`%s`): %s\n\n", md(sv.Name), sv.ID, risk)
		var meta []string
		if sv.Owner != "" {
			meta = append(meta, "owner "+md(sv.Owner))
		}
		if len(sv.Tags) > 0 {
			tags := make([]string, len(sv.Tags))
			for i, t := range sv.Tags {
				tags[i] = md(t)
			}
			meta = append(meta, "tags "+strings.Join(tags, ", "))
		}
		more := ""
		if sv.Truncated {
			more = " (larger ones may exist)"
		}
		meta = append(meta, fmt.Sprintf("%s up to %s%s, %s (%d outside)", english.CountString(sv.DomainCount.String(), "failure domain", "failure domains"), plural(g.MaxOrder, "node", "nodes"), more,
			plural(sv.SPOFCount, "single point of failure", "single points of failure"), sv.ExternalSPOFs))
		p("%s.\n", strings.Join(meta, "; "))
		if sv.DefeatedCount > len(sv.Defeated) {
			p("\n%s on the way to this service %s defeated by one node; %d shown.\n", plural(sv.DefeatedCount, "failover group", "failover groups"), english.Noun(sv.DefeatedCount, "is", "are"), len(sv.Defeated))
		}
		for _, d := range sv.Defeated {
			causes := codeList(causeNodes(d.Causes))
			others := ""
			if d.CauseCount > len(d.Causes) {
				others = " and " + plural(d.CauseCount-len(d.Causes), "other node", "other nodes")
			}
			on := ""
			if d.Owner != sv.ID {
				on = fmt.Sprintf(" (on the way to `%s`)", sv.ID)
			}
			verb := "each take"
			if d.CauseCount == 1 {
				verb = "takes"
			}
			p("\n> **Failover defeated.** `%s` needs %s%s, but %s%s %s all of them down.\n", d.Owner, orCodes(d.Members), on, strings.Join(causes, ", "), others, verb)
			if len(d.Causes) > 0 {
				c := d.Causes[0]
				p(">\n> Your alternatives all depend on `%s` (%s), via:\n>\n", c.Node, c.Kind)
				for _, ch := range c.Chains {
					p("> - %s\n", chainCode(ch))
				}
			}
		}
		if len(sv.SPOFs) > 0 {
			p("\n#### Single points of failure\n\n| Node | Layer | Via |\n|---|---|---|\n")
			for _, sp := range sv.SPOFs {
				yours := ""
				if !sp.External {
					yours = " (yours)"
				}
				p("| `%s` | %s%s | %s |\n", sp.Node, sp.Layer, yours, chainCode(sp.Via))
			}
			if sv.SPOFCount > len(sv.SPOFs) {
				p("\n%d in all; %d shown, outside ones first.\n", sv.SPOFCount, len(sv.SPOFs))
			}
		}
		if len(sv.Domains) > 0 {
			p("\n#### Shared failure domains (all must fail)\n\n")
			for _, d := range sv.Domains {
				p("- %s\n", strings.Join(codeList(d), " + "))
			}
		}
		if len(sv.Unquantified) > 0 {
			p("\n#### Unquantified exposure (share unknown, not in the domains)\n\n")
			for _, x := range sv.Unquantified {
				p("- %s → %s, %s behind it\n", chainCode(x.Path), strings.Join(codeList(strings.Split(x.Dependency, " | ")), " | "), plural(len(x.Upstream), "node", "nodes"))
			}
		}
		p("\n#### Expected downtime\n\n")
		if sv.Probability == nil {
			p("Unknown: %s upstream without an unavailability.\n", plural(sv.Missing, "node", "nodes"))
			continue
		}
		p("Unavailability %.3g, about **%s** a year.\n", *sv.Probability, hours(*sv.DowntimeHoursPerYear))
		if len(sv.Contributors) > 0 {
			p("\n| Contributor | Share of risk (Fussell–Vesely) | Birnbaum |\n|---|--:|--:|\n")
			for _, c := range sv.Contributors {
				p("| `%s` | %s | %.3g |\n", c.Node, percent(c.FussellVesely), c.Birnbaum)
			}
		}
	}

	p("\n## Concentration\n\nThe providers, regions and vendors the most of your services sit on, and what their failure alone does to them.\n\n")
	c := r.Concentration
	if len(c.Nodes) == 0 {
		p("Your services sit on no outside node.\n")
	} else {
		p("| Node | Kind | Share of your services | Takes down | Degrades |\n|---|---|--:|--:|--:|\n")
		for _, n := range c.Nodes {
			name := ""
			if n.Name != n.Node {
				name = " " + md(n.Name)
			}
			p("| `%s`%s | %s | %s | %d | %d |\n", n.Node, name, n.Kind, percent(n.Share), len(n.TakesDown), len(n.Degrades))
		}
		if c.Count > len(c.Nodes) {
			p("\n%s your services; the %d reaching the most are shown.\n", plural(c.Count, "outside node reaches", "outside nodes reach"), len(c.Nodes))
		}
	}

	st := r.Stale
	p("\n## Stale facts\n\n")
	if st.Unverified > 0 {
		p("%s behind the nodes your services use %s unverified or undated: their age is unknown.\n\n", plural(st.Unverified, "source", "sources"), isAre(st.Unverified))
	}
	if len(st.Facts) == 0 {
		p("No source behind the nodes your services use is older than %d days.\n", st.Days)
	} else {
		p("Sources older than %d days behind nodes your services use: check they still hold.\n\n", st.Days)
		p("| Node | Source | As of | Age | Declared at |\n|---|---|---|--:|---|\n")
		for _, f := range st.Facts {
			src := md(f.URL)
			if f.Note != "" {
				src += ": " + md(f.Note)
			}
			p("| `%s` | %s | %s | %d d | %s |\n", f.Node, src, md(f.AsOf), f.AgeDays, md(f.Pos))
		}
		if st.Count > len(st.Facts) {
			p("\n%d in all; the %d oldest are shown.\n", st.Count, len(st.Facts))
		}
	}
	if st.Undated > 0 {
		p("\n%s no source at all.\n", plural(st.Undated, "outside node your services use has", "outside nodes your services use have"))
	}

	pic := r.Picture
	p("\n## The graph\n\n")
	drawn := 0
	if pic.View != nil {
		drawn = len(pic.View.Nodes)
	}
	p("The HTML report draws %d of the %d nodes your services depend on", drawn, pic.Upstream)
	if pic.Omitted > 0 {
		var parts []string
		for _, k := range pic.OmittedKinds {
			parts = append(parts, fmt.Sprintf("%d %s", k.Count, k.Kind))
		}
		p(" (left out: %s)", strings.Join(parts, ", "))
	}
	p(", single points of failure and shared failure domains marked; the JSON report lists them.\n")
	if len(pic.Domain) > 0 {
		p("\nShared failure domains marked: %s.\n", codes(pic.Domain))
	}

	if r.Timeline == nil && r.TimelineNote != "" {
		p("\n## Incident timeline\n\nNo timeline: %s.\n", md(r.TimelineNote))
	}
	if tl := r.Timeline; tl != nil {
		p("\n## Incident timeline\n\n%s from the status history, %s to %s.\n", plural(tl.Count, "incident", "incidents"), tl.From.Format(time.DateOnly), tl.To.Format(time.DateOnly))
		if tl.Count > 0 {
			p("\n| Node | Started | Duration | Impact | Title |\n|---|---|--:|---|---|\n")
			for _, row := range tl.Rows {
				for _, in := range row.Incidents {
					dur := "open"
					if in.End != nil {
						dur = hours(in.End.Sub(in.Start).Hours())
					}
					p("| `%s` | %s | %s | %s | %s |\n", row.Node, in.Start.UTC().Format("2006-01-02 15:04"), dur, md(in.Impact), md(in.Title))
				}
			}
		}
	}
	p("\n---\n\nMade by depgraph on %s. Model hash `%s` (SHA-256 of %s). JSON schema version %d.\n",
		g.At.UTC().Format("2006-01-02 15:04 UTC"), g.ModelHash, codes(g.Files), r.SchemaVersion)
	return bw.Flush()
}

// mdEscaper escapes what Markdown or HTML would interpret in a table
// cell or a paragraph.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `|`, `\|`,
	`<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`, `#`, `\#`, `~`, `\~`, "!", `\!`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// md escapes free text from a model or a feed for Markdown.
// md escapes s for Markdown; terminal controls in it (feed text) are
// escaped too, for whoever reads the file in a terminal.
func md(s string) string { return mdEscaper.Replace(textsafe.Line(s)) }

// code makes a code span of a model id (ids hold no backquote or bar;
// anything else is escaped as text instead).
func code(id string) string {
	if strings.ContainsAny(id, "`|\n") {
		return md(id)
	}
	return "`" + id + "`"
}

func codeList(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = code(id)
	}
	return out
}

func codes(ids []string) string { return strings.Join(codeList(ids), ", ") }

func firstCodes(ids []string, n int) string {
	s := codes(firstN(ids, n))
	if len(ids) > n {
		s += fmt.Sprintf(" and %d more", len(ids)-n)
	}
	return s
}

func orCodes(ids []string) string { return members(codeList(ids)) }

func chainCode(ids []string) string { return strings.Join(codeList(ids), " → ") }

func causeNodes(cs []Cause) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Node
	}
	return out
}

func defeatsMark(b bool) string {
	if b {
		return " (defeats failover)"
	}
	return ""
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
