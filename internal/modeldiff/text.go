package modeldiff

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the diff for people, the services' failure domains
// first: in a postmortem the first question is what moved for them.
func WriteText(w io.Writer, d *Diff) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "--- %s\n+++ %s\n", d.Old, d.New)
	if d.Empty() {
		b.WriteString("no changes\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	if len(d.Services) > 0 {
		b.WriteString("\nSingle points of failure per service\n")
		for _, s := range d.Services {
			fmt.Fprintf(b, "  %s", s.Service)
			if s.Status != "" {
				fmt.Fprintf(b, " (%s)", s.Status)
			}
			b.WriteString(":")
			if len(s.Gained) > 0 {
				fmt.Fprintf(b, " + %s", strings.Join(s.Gained, ", "))
			}
			if len(s.Gained) > 0 && len(s.Lost) > 0 {
				b.WriteString(";")
			}
			if len(s.Lost) > 0 {
				fmt.Fprintf(b, " - %s", strings.Join(s.Lost, ", "))
			}
			b.WriteString("\n")
		}
	}
	if len(d.NodesAdded)+len(d.NodesRemoved) > 0 {
		b.WriteString("\nNodes\n")
		for _, n := range d.NodesAdded {
			fmt.Fprintf(b, "  + %s (%s) at %s\n", n.ID, n.Kind, n.Where)
		}
		for _, n := range d.NodesRemoved {
			fmt.Fprintf(b, "  - %s (%s), was at %s\n", n.ID, n.Kind, n.Where)
		}
	}
	if len(d.Edges) > 0 {
		b.WriteString("\nDependencies\n")
		for _, e := range d.Edges {
			switch e.Change {
			case "added":
				fmt.Fprintf(b, "  + %s → %s: %s (%s)\n", e.From, e.To, e.New, e.Where)
			case "removed":
				fmt.Fprintf(b, "  - %s → %s: %s (was %s)\n", e.From, e.To, e.Old, e.Where)
			default:
				fmt.Fprintf(b, "  ~ %s → %s: %s ⇒ %s (%s)\n", e.From, e.To, e.Old, e.New, e.Where)
			}
		}
	}
	if len(d.Regions) > 0 {
		b.WriteString("\nRegions\n")
		for _, r := range d.Regions {
			fmt.Fprintf(b, "  %s: [%s] ⇒ [%s]\n", r.Node, strings.Join(r.Old, ", "), strings.Join(r.New, ", "))
		}
	}
	if len(d.Attributes) > 0 {
		b.WriteString("\nAttributes\n")
		for _, a := range d.Attributes {
			fmt.Fprintf(b, "  %s %s: %q ⇒ %q\n", a.Node, a.Field, a.Old, a.New)
		}
	}
	if len(d.Sources) > 0 {
		b.WriteString("\nSources\n")
		for _, s := range d.Sources {
			for _, x := range s.Added {
				fmt.Fprintf(b, "  %s + %s\n", s.Node, x)
			}
			for _, x := range s.Removed {
				fmt.Fprintf(b, "  %s - %s\n", s.Node, x)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
