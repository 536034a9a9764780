package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
	"github.com/depgraph/depgraph/internal/statusmap"
	"github.com/depgraph/depgraph/internal/store"
	"github.com/depgraph/depgraph/internal/textsafe"
)

type incidentsOptions struct {
	IO    *iostreams.IOStreams
	Model modelFlags
	DB    string
	Since time.Time
	Until time.Time
	Node  string
	Stats bool
	JSON  bool
}

func newIncidentsCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &incidentsOptions{IO: ios}
	var since, until string
	cmd := &cobra.Command{
		Use:   "incidents",
		Short: "List the stored incident history per node, or its statistics",
		Long: `Incidents lists what depgraph ingest has stored, mapped onto the model's
nodes through their status blocks. --node keeps one node and everything
nested under it (a vendor and its components, a region and its zones).

--stats prints per node, over the window: incidents per year, hours of major
and partial outage per year, MTTR, and an unavailability estimate (major
outage time plus half the partial outage time, over the window; overlapping
incidents count once, maintenance not at all) with the window it was
measured over. The window is what the store observed of each feed: from its
first successful fetch (or earliest stored incident) to its last successful
fetch (or the latest time its records carry), cut by --since and --until;
time without data is never counted as healthy. Where there is no data (a
feed never ingested, never read, or no data in the window) unavailability
is unknown (null in JSON) with the reason. depgraph domains --history uses
the estimates that have data as probabilities.`,
		Example: `  $ depgraph incidents --since 2025-06-01 --node gcp
  $ depgraph incidents --stats --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Since, err = parseDate(since); err != nil {
				return flagErrorf("--since: %v", err)
			}
			if opts.Until, err = parseDate(until); err != nil {
				return flagErrorf("--until: %v", err)
			}
			return runIncidents(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	dbFlag(cmd, &opts.DB)
	cmd.Flags().StringVar(&since, "since", "", "only incidents from this `date` (YYYY-MM-DD or RFC 3339)")
	cmd.Flags().StringVar(&until, "until", "", "only incidents until this `date`")
	cmd.Flags().StringVar(&opts.Node, "node", "", "only this `node` and the nodes nested under it")
	cmd.Flags().BoolVar(&opts.Stats, "stats", false, "print statistics per node instead of incidents")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: use YYYY-MM-DD or RFC 3339", s)
}

// nodeIncident is one stored incident as it concerns one node.
type nodeIncident struct {
	Node string `json:"node"`
	store.StoredIncident
}

// nodeStats is one node's statistics.
type nodeStats struct {
	Node string `json:"node"`
	store.Stats
}

func runIncidents(ctx context.Context, opts *incidentsOptions) error {
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	st, err := openStoreRead(opts.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	idx := res.Model.Index()
	if opts.Node != "" && idx[opts.Node] == nil {
		return &InputError{Err: fmt.Errorf("no node %q in the model", opts.Node)}
	}
	keep := func(id string) bool {
		return opts.Node == "" || id == opts.Node || strings.HasPrefix(id, opts.Node+"/")
	}
	var rows []nodeIncident
	var stats []nodeStats
	unmapped := map[string]bool{}
	for _, f := range collect.Plan(res.Model, usedBy(g)) {
		keys := []string{f.Key}
		stored, err := st.Incidents(ctx, store.Query{Feeds: keys, Since: opts.Since, Until: opts.Until})
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		mappedNames := map[string]bool{}
		for _, id := range f.Nodes {
			n := idx[id]
			for _, c := range n.Status.Components {
				mappedNames[strings.ToLower(c)] = true
			}
			if !keep(id) {
				continue
			}
			b := statusmap.Binding{Node: n, Status: n.Status}
			if opts.Stats {
				q := store.StatsQuery{Feeds: keys, From: opts.Since, To: opts.Until, AnyOf: n.Status.Components}
				ss, err := st.Stats(ctx, q)
				if err != nil {
					return err
				}
				for _, s := range ss {
					stats = append(stats, nodeStats{Node: id, Stats: s})
				}
				continue
			}
			for _, in := range stored {
				if b.Concerns(&in.Incident) && !seen[id+"\x00"+in.Feed+in.ID] {
					seen[id+"\x00"+in.Feed+in.ID] = true
					rows = append(rows, nodeIncident{Node: id, StoredIncident: in})
				}
			}
		}
		for _, in := range stored {
			for _, c := range in.Components {
				if len(mappedNames) > 0 && !mappedNames[strings.ToLower(c)] {
					unmapped[f.Key+": "+c] = true
				}
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b nodeIncident) int {
		if c := b.StartedAt.Compare(a.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Node, b.Node)
	})
	var un []string
	for k := range unmapped {
		un = append(un, k)
	}
	slices.Sort(un)
	if opts.JSON {
		if opts.Stats {
			if stats == nil {
				stats = []nodeStats{}
			}
			return render.JSON(opts.IO.Out, map[string]any{"schema_version": 1, "stats": stats})
		}
		if rows == nil {
			rows = []nodeIncident{}
		}
		if un == nil {
			un = []string{}
		}
		return render.JSON(opts.IO.Out, map[string]any{"schema_version": 1, "incidents": rows, "unmapped_components": un})
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	if opts.Stats {
		fmt.Fprintln(tw, "NODE\tWINDOW\tINCIDENTS/YR\tMAJOR H/YR\tPARTIAL H/YR\tMTTR H\tUNAVAILABILITY")
		for _, s := range stats {
			if s.Unavailability == nil {
				fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\tunknown (%s)\n", s.Node, s.Reason)
				continue
			}
			fmt.Fprintf(tw, "%s\t%s..%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.5f\n", s.Node, s.From.Format(time.DateOnly), s.To.Format(time.DateOnly),
				s.IncidentsPerYear, s.MajorHoursPerYear, s.MinorHoursPerYear, s.MTTRHours, *s.Unavailability)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, "depgraph: hint: each window is what the store observed of the feed (first to last successful fetch, or the saved records' span); time without data is not counted")
		return nil
	}
	if len(rows) == 0 {
		fmt.Fprintln(opts.IO.Out, "No stored incidents match: run `depgraph ingest` first, or widen --since.")
	} else {
		fmt.Fprintln(tw, "STARTED\tRESOLVED\tIMPACT\tNODE\tTITLE")
		for _, r := range rows {
			resolved := "open"
			if r.ResolvedAt != nil {
				resolved = r.ResolvedAt.Format(time.RFC3339)
			} else if until, ok := r.LiveUntil(); ok {
				resolved = "no end, live to " + until.Format(time.DateOnly)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.StartedAt.Format(time.RFC3339), resolved, textsafe.Line(string(r.Impact)), r.Node, textsafe.Line(r.Title))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(un) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: hint: stored components no node stands for: %s\n", textsafe.Line(summarizeIDs(un, 8)))
	}
	return nil
}

// historyUnavailability estimates, from the store, the unavailability of
// every used node that has a status block: the share of the observed
// window its incidents covered (see store.Stats). Nodes without data
// (feed never stored, never read, empty window) have a nil
// Unavailability and a Reason.
func historyUnavailability(ctx context.Context, st *store.Store, res *ingest.Result, g *graph.Graph, from, to time.Time) (map[string]store.Stats, error) {
	idx := res.Model.Index()
	out := map[string]store.Stats{}
	for _, f := range collect.Plan(res.Model, usedBy(g)) {
		for _, id := range f.Nodes {
			n := idx[id]
			ss, err := st.Stats(ctx, store.StatsQuery{Feeds: []string{f.Key}, From: from, To: to, AnyOf: n.Status.Components})
			if err != nil {
				return nil, err
			}
			if len(ss) > 0 {
				out[id] = ss[0]
			}
		}
	}
	return out, nil
}
