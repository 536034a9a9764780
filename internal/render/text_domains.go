package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/english"
)

// DomainsText writes failure domains for people: per target, worst first,
// the failover groups a single node defeats (with the chains that show
// why), the single points of failure with the chain to each, the larger
// domains, and the probability and its main contributors when known.
func DomainsText(w io.Writer, r *domains.Result) error {
	ew := &errWriter{w: w}
	for i, t := range r.Targets {
		if i > 0 {
			ew.printf("\n")
		}
		ew.printf("%s: %s up to %s, %s", t.Target, english.CountString(t.Count.String(), "failure domain", "failure domains"), english.Count(r.MaxOrder, "node", "nodes"),
			english.Count(len(t.SPOFs), "single point of failure", "single points of failure"))
		if t.Truncated {
			ew.printf(" (larger domains may exist: raise --max-order)")
		}
		ew.printf("\n")
		if t.Probability != nil {
			ew.printf("  unavailability %.3g, about %.1f hours down a year\n", *t.Probability, *t.DowntimeHoursPerYear)
		}
		for _, d := range t.Defeated {
			ew.printf("  ! failover defeated: %s needs %s, and %s takes down %s\n", d.Owner, orList(d.Members), d.Cause, andList(d.Down))
			for _, c := range d.Chains {
				ew.printf("      %s\n", strings.Join(c, " → "))
			}
		}
		if len(t.SPOFs) > 0 {
			ew.printf("  single points of failure:\n")
			tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
			for _, s := range t.SPOFs {
				fmt.Fprintf(tw, "    %s\tvia %s\n", s, strings.Join(t.Paths[s], " → "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
		var larger [][]string
		for _, s := range t.CutSets {
			if len(s) > 1 {
				larger = append(larger, s)
			}
		}
		if len(larger) > 0 {
			ew.printf("  shared failure domains (all must fail):\n")
			for _, s := range larger {
				ew.printf("    {%s}\n", strings.Join(s, ", "))
			}
		}
		if listed := len(t.CutSets); t.Count.String() != fmt.Sprint(listed) {
			ew.printf("  (%d of %s listed: --max-sets shows more)\n", listed, t.Count)
		}
		if len(t.Importance) > 0 {
			ew.printf("  most of the risk comes from:")
			for k, x := range t.Importance[:min(3, len(t.Importance))] {
				if k > 0 {
					ew.printf(",")
				}
				ew.printf(" %s (%.0f%%)", x.Node, x.FussellVesely*100)
			}
			ew.printf("\n")
		} else if t.Probability == nil && t.Missing > 0 {
			ew.printf("  probability unknown: %s in its cone %s no unavailability\n", english.Count(t.Missing, "node", "nodes"), english.Noun(t.Missing, "has", "have"))
		}
		if len(t.Unquantified) > 0 {
			ew.printf("  unquantified exposure (impact: unknown, not counted in the domains above):\n")
			for _, x := range t.Unquantified {
				ew.printf("    %s → %s, share unknown", strings.Join(x.Path, " → "), x.Dependency)
				members := strings.Split(x.Dependency, " | ")
				extra := 0
				for _, u := range x.Upstream {
					if !slices.Contains(members, u) {
						extra++
					}
				}
				switch {
				case extra == 1:
					ew.printf("; 1 more node behind it")
				case extra > 1:
					ew.printf("; %d more nodes behind it", extra)
				}
				ew.printf("\n")
			}
		}
	}
	return ew.err
}

func orList(xs []string) string  { return joinWith(xs, "or") }
func andList(xs []string) string { return joinWith(xs, "and") }

func joinWith(xs []string, word string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " " + word + " " + xs[len(xs)-1]
}

// ByNodeText writes, per node, how many of your services its failure takes
// down and degrades, biggest first, and those it puts at risk through
// shares nobody has published when there are any.
func ByNodeText(w io.Writer, nodes []blast.NodeImpact) error {
	if len(nodes) == 0 {
		_, err := fmt.Fprintln(w, "No node's failure reaches any of your services.")
		return err
	}
	risk := slices.ContainsFunc(nodes, func(n blast.NodeImpact) bool { return len(n.AtRisk) > 0 })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if risk { // only when some share is unknown, so other output stays as it was
		fmt.Fprintln(tw, "NODE\tLAYER\tTAKES DOWN\tDEGRADES\tAT RISK (SHARE UNKNOWN)")
	} else {
		fmt.Fprintln(tw, "NODE\tLAYER\tTAKES DOWN\tDEGRADES")
	}
	for _, n := range nodes {
		if risk {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.Node, n.Layer, countList(n.TakesDown), countList(n.Degrades), countList(n.AtRisk))
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n.Node, n.Layer, countList(n.TakesDown), countList(n.Degrades))
		}
	}
	return tw.Flush()
}

func countList(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	if len(ids) <= 2 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%d (%s, …)", len(ids), strings.Join(ids[:2], ", "))
}
