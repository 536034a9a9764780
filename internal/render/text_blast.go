package render

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/model"
)

// layerOrder sorts layers for people: your services first, then the
// parties outward, infrastructure last.
func layerOrder(layer string, party int) int {
	switch layer {
	case "own":
		return 0
	case "provider":
		return 1000
	case "region":
		return 1001
	case "zone":
		return 1002
	case "cloud-service":
		return 1003
	case "unused":
		return 2000
	}
	return party
}

// layerTitle is a layer's section heading.
func layerTitle(layer string) string {
	switch layer {
	case "own":
		return "Your services and components"
	case "unused":
		return "Not used by your services"
	case "cloud-service":
		return "Cloud services"
	}
	t := strings.ReplaceAll(layer, "-", " ")
	t = strings.ToUpper(t[:1]) + t[1:]
	if strings.HasSuffix(t, "party") {
		return strings.TrimSuffix(t, "y") + "ies"
	}
	return t + "s"
}

// BlastTextOptions tunes BlastText.
type BlastTextOptions struct {
	// All lists the nodes none of your services uses too; by default they
	// are only counted.
	All bool
	// Color marks the state words with terminal colours: down red,
	// degraded yellow. Only for a terminal (iostreams.ColorEnabled).
	Color bool
}

// stateColors are the ANSI colours of the state words.
var stateColors = map[string]string{blast.StateDown: "\x1b[31m", blast.StateDegraded: "\x1b[33m"}

// state writes a state word, coloured when asked. Every coloured word
// carries the same number of invisible bytes, so tabwriter's columns stay
// aligned.
func (o BlastTextOptions) state(s string) string {
	if c, ok := stateColors[s]; ok && o.Color {
		return c + stateText(s) + "\x1b[0m"
	}
	return stateText(s)
}

// BlastText writes a blast result for people: a one-line summary, then the
// affected nodes layer by layer with their state, impairment and the chain
// that explains them ("checkout → stripe/api → aws/us-east-1": each arrow
// reads "depends on").
func BlastText(w io.Writer, r *blast.Result, opts BlastTextOptions) error {
	ew := &errWriter{w: w}
	ew.printf("Failing %s:\n", strings.Join(r.Failed, ", "))
	s := r.Summary
	switch {
	case len(r.Affected) == 0:
		ew.printf("  nothing else is affected.\n")
		return ew.err
	default:
		ew.printf("  %d of your services down, %d degraded; %s down and %d degraded in all.\n",
			len(s.ServicesDown), len(s.ServicesDegraded), english.Count(s.Down, "node", "nodes"), s.Degraded)
	}
	if s.AtRisk > 0 {
		ew.printf("  %d of your services and %d nodes in all at risk: they depend on the failure through a share nobody has published (impact: unknown).\n",
			len(s.ServicesAtRisk), s.AtRisk)
	}
	planeSummary(ew, r.Affected)
	groups := map[string][]blast.Affected{}
	var layers []string
	order := map[string]int{}
	unused := 0
	for _, a := range r.Affected {
		if a.Layer == "unused" && !opts.All {
			unused++
			continue
		}
		if _, ok := groups[a.Layer]; !ok {
			layers = append(layers, a.Layer)
			order[a.Layer] = layerOrder(a.Layer, a.Party)
		}
		groups[a.Layer] = append(groups[a.Layer], a)
	}
	slices.SortFunc(layers, func(a, b string) int {
		if order[a] != order[b] {
			return order[a] - order[b]
		}
		return strings.Compare(a, b)
	})
	for _, layer := range layers {
		ew.printf("\n%s\n", layerTitle(layer))
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		items := slices.Clone(groups[layer])
		slices.SortFunc(items, func(a, b blast.Affected) int {
			if a.State != b.State { // down, degraded, at risk
				return stateRank(a.State) - stateRank(b.State)
			}
			return strings.Compare(a.ID, b.ID)
		})
		for _, a := range items {
			share := percent(a.Impairment)
			if a.State == blast.StateAtRisk {
				share = "?"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s%s\n", opts.state(a.State), share, chain(a.Path), planeNote(a))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if unused > 0 {
		ew.printf("\n(%s used by none of your services; --all lists %s)\n",
			english.Count(unused, "more affected node is", "more affected nodes are"), english.Noun(unused, "it", "them"))
	}
	return ew.err
}

// stateRank orders states worst first: down, degraded, at risk.
func stateRank(state string) int {
	switch state {
	case blast.StateDown:
		return 0
	case blast.StateDegraded:
		return 1
	}
	return 2
}

// stateText is a state as people read it ("at risk" for at_risk).
func stateText(state string) string {
	if state == blast.StateAtRisk {
		return blast.StateAtRiskText
	}
	return state
}

// percent formats an impairment as a share lost.
func percent(x float64) string {
	if x >= 1 {
		return "100%"
	}
	p := x * 100
	if p < 1 {
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", p)
}

// chain formats a path from a failed node to an affected one, affected
// first: affected → … → failed. Every arrow depgraph prints reads "depends
// on", as the edges of the model and of the pictures do.
func chain(path []string) string {
	parts := slices.Clone(path)
	slices.Reverse(parts)
	return strings.Join(parts, " → ")
}

// errWriter remembers the first write error so printing code stays flat.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}

// planeNote marks a row's plane.
func planeNote(a blast.Affected) string {
	switch a.Plane {
	case model.PlaneControl:
		return "  [control plane]"
	case model.PlaneData:
		return "  [data plane]"
	}
	return ""
}

// planeSummary says what the control-plane and data-plane nodes among the
// affected ones mean: "can't deploy" is not "site down".
func planeSummary(ew *errWriter, affected []blast.Affected) {
	var control, data []string
	for _, a := range affected {
		item := a.ID + " " + stateText(a.State)
		switch a.Plane {
		case model.PlaneControl:
			control = append(control, item)
		case model.PlaneData:
			data = append(data, item)
		}
	}
	if len(control) > 0 {
		ew.printf("  control plane: can't deploy, scale or change configuration; this alone does not stop serving (%s).\n", shortList(control, 4))
	}
	if len(data) > 0 {
		ew.printf("  data plane: serving is hit, the site is down or degraded (%s).\n", shortList(data, 4))
	}
}

// shortList joins the first n items and counts the rest.
func shortList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
