package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/count"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/openpsa"
	"github.com/depgraph/depgraph/internal/render"
)

type domainsOptions struct {
	IO            *iostreams.IOStreams
	Model         modelFlags
	Targets       []string
	MaxOrder      int
	HardThreshold float64
	MaxSets       int
	ByNode        bool
	OpenPSA       []string
	Top           string
	Count         bool
	Sets          bool
	JSON          bool
	Timeout       time.Duration
	NodeLimit     int
	History       bool
	DB            string
}

const domainsLong = `Domains finds the shared failure domains of your services: the minimal sets
of upstream nodes whose joint failure takes a service down (the minimal cut
sets of the fault tree the model implies; INDaaS calls them risk groups). A
set of one node is a single point of failure. The sets that matter most are
those that defeat a failover group: "your primary and failover LLM both
depend on azure/southcentralus".

Semantics. Every node can fail by itself (a basic event, with its
unavailability as probability) and fails when its dependencies say so: a
hard dependency is an OR; a failover group "any_of …, min: k" of n members
fails when n−k+1 of them fail; dependencies with an impact below
--hard-threshold (default 1) never make a node down and are left out. A
cycle of hard dependencies fails together (least fixed point). A target's
own failure is not one of its domains. --max-order (default 3) bounds the
size of the sets; the result says when the bound cut anything off. Results
are exact, never sampled: up to order 3 the sets are expanded bottom-up
from the dependencies, never representing larger ones; beyond, binary
decision diagrams (Bryant 1986) with the minimal cut sets as a
zero-suppressed diagram (Rauzy 1993, Minato 1993).

Probabilities. Where every node in a service's cone has an unavailability,
the service's own unavailability is computed exactly on a decision
diagram, with its expected downtime per year and the nodes contributing
most (Fussell–Vesely importance); with --max-order 3 or less it is left
unknown when that diagram would outgrow 4 million nodes.

--by-node turns the question around: for each node, which of your services
its failure alone takes down, and which it degrades.

--openpsa reads Open-PSA Model Exchange Format fault trees instead of a
model and prints the count of minimal cut sets, their order distribution and
the top event's probability; --count prints the bare count, --sets the sets.
The files after --openpsa are one model (basic events may sit in their own
file). --top names the top gate when the files define several. As SCRAM
does for its exact analyses, declarative substitutions are applied
(non-declarative ones are refused) and common-cause groups (beta-factor,
MGL, alpha-factor, phi-factor) are expanded into common-cause events named
"[A B]" (SCRAM does this with --ccf true). Counts in --json are numbers, or
decimal strings beyond 2^53. When a tree's diagram outgrows --node-limit and
--max-order was given, the minimal cut sets up to that order are expanded
bottom-up instead, never representing the larger sets: the sets and count
stay exact, the probability is not computed, and --json says "method":
"expansion" (otherwise "bdd"). It pays for small orders: nus9601, which no
diagram here holds, has 10 sets up to order 3 and 12 up to order 4.`

func newDomainsCmd(ios *iostreams.IOStreams, runF func(context.Context, *domainsOptions) error) *cobra.Command {
	opts := &domainsOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "domains [TARGET...]",
		Short: "Find the shared failure domains and single points of failure of your services",
		Long:  domainsLong,
		Example: `  $ depgraph domains
  $ depgraph domains acme/support-bot acme/checkout --max-order 3 --json
  $ depgraph domains --by-node -m acme.yaml
  $ depgraph domains --openpsa model.xml --count
  $ depgraph domains --openpsa tree.xml tree-basic-events.xml --json
  $ depgraph domains --openpsa model.xml --top NoFlow --sets`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Targets = args
			if len(opts.OpenPSA) > 0 {
				// domains --openpsa a.xml b.xml: the files of one model.
				opts.OpenPSA, opts.Targets = append(opts.OpenPSA, args...), nil
			}
			if opts.Top != "" && len(opts.OpenPSA) == 0 {
				return flagErrorf("--top names a gate of the --openpsa files")
			}
			if opts.MaxOrder < 0 || opts.MaxOrder > 64 {
				return flagErrorf("--max-order %d: use 1 to 64 (0: default)", opts.MaxOrder)
			}
			if opts.HardThreshold < 0 || opts.HardThreshold > 1 {
				return flagErrorf("--hard-threshold %g is outside [0, 1]", opts.HardThreshold)
			}
			if len(opts.OpenPSA) > 0 && opts.ByNode {
				return flagErrorf("--openpsa reads fault trees, not a model: it takes no --by-node")
			}
			if (opts.Count || opts.Sets) && len(opts.OpenPSA) == 0 {
				return flagErrorf("--count and --sets go with --openpsa")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDomains(cmd.Context(), opts)
		},
	}
	opts.Model.register(cmd)
	f := cmd.Flags()
	f.IntVar(&opts.MaxOrder, "max-order", 0, "largest failure domain size kept (default 3; with --openpsa 20)")
	f.Float64Var(&opts.HardThreshold, "hard-threshold", 1, "impact from which a dependency can take its dependent down")
	f.IntVar(&opts.MaxSets, "max-sets", 100, "failure domains listed per target")
	f.BoolVar(&opts.ByNode, "by-node", false, "per node: which of your services it takes down or degrades")
	f.StringArrayVar(&opts.OpenPSA, "openpsa", nil, "analyse Open-PSA MEF `file`s: the one given and the arguments after it")
	f.StringVar(&opts.Top, "top", "", "with --openpsa, the top `gate` to analyse (default: the only one)")
	f.BoolVar(&opts.Count, "count", false, "with --openpsa, print only the number of minimal cut sets")
	f.BoolVar(&opts.Sets, "sets", false, "with --openpsa, list the minimal cut sets (up to --max-sets)")
	f.BoolVar(&opts.JSON, "json", false, "print JSON")
	f.DurationVar(&opts.Timeout, "timeout", 0, "give up after this long (0: no limit)")
	f.BoolVar(&opts.History, "history", false, "use the incident store's unavailability estimates (depgraph incidents --stats) for nodes the model gives none")
	dbFlag(cmd, &opts.DB)
	f.IntVar(&opts.NodeLimit, "node-limit", 0, "decision-diagram node budget, a memory bound (0: 40 million, about 1.5 GB)")
	return cmd
}

func runDomains(ctx context.Context, opts *domainsOptions) error {
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	if len(opts.OpenPSA) > 0 {
		return runOpenPSA(ctx, opts)
	}
	res, g, err := opts.Model.loadGraph()
	if err != nil {
		return err
	}
	if opts.History {
		st, err := openStoreRead(opts.DB)
		if err != nil {
			return err
		}
		stats, err := historyUnavailability(ctx, st, res, g, time.Time{}, time.Time{})
		st.Close()
		if err != nil {
			return err
		}
		used, nodata := 0, 0
		for id, s := range stats {
			i, _ := g.Lookup(id)
			if n := g.ModelNode(i); n.Unavailability == nil {
				if s.Unavailability == nil {
					nodata++ // no data is no data: never a probability of 0
					continue
				}
				u := *s.Unavailability
				n.Unavailability = &u
				used++
			}
		}
		fmt.Fprintf(opts.IO.ErrOut, "depgraph: hint: unavailability from the incident history for %d nodes", used)
		if nodata > 0 {
			fmt.Fprintf(opts.IO.ErrOut, "; %d nodes have no usable history (never read, or no data in the window) and keep no estimate", nodata)
		}
		fmt.Fprintln(opts.IO.ErrOut)
	}
	var targets []int32
	if len(opts.Targets) > 0 {
		if targets, err = blast.Resolve(g, opts.Targets); err != nil {
			return err
		}
	} else {
		targets = g.Services()
	}
	if opts.ByNode {
		res := blast.ByNode(g, targets, opts.HardThreshold)
		if opts.JSON {
			if res == nil {
				res = []blast.NodeImpact{}
			}
			return render.JSON(opts.IO.Out, map[string]any{"schema_version": 1, "nodes": res})
		}
		return render.ByNodeText(opts.IO.Out, res)
	}
	if len(targets) == 0 {
		return &InputError{Err: errors.New("the model has no service (kind: service) to analyse: name targets as arguments")}
	}
	prog := opts.IO.Progress()
	doms, err := domains.Find(ctx, g, targets, domains.Options{MaxOrder: opts.MaxOrder, HardThreshold: opts.HardThreshold, MaxSets: opts.MaxSets, NodeLimit: opts.NodeLimit,
		Progress: func(done, total int) { prog.Count("analysed targets", done, total) }})
	prog.Done()
	if err != nil {
		return analysisError(err, opts.Timeout)
	}
	if opts.JSON {
		return render.DomainsJSON(opts.IO.Out, doms)
	}
	// Hundreds of targets make hundreds of thousands of lines: one write
	// each would cost more than the analysis.
	bw := bufio.NewWriter(opts.IO.Out)
	if err := render.DomainsText(bw, doms); err != nil {
		return err
	}
	return bw.Flush()
}

// analysisError explains a timeout or memory bound.
func analysisError(err error, timeout time.Duration) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("analysis stopped after --timeout %s: lower --max-order, or raise --timeout", timeout)
	case faulttree.IsNodeLimit(err):
		return fmt.Errorf("%v: lower --max-order, or raise --node-limit if memory allows", err)
	}
	return err
}

// openPSAResult is `domains --openpsa --json`.
type openPSAResult struct {
	SchemaVersion     int       `json:"schema_version"`
	Top               string    `json:"top"`
	MCSCount          count.N   `json:"mcs_count"`
	OrderDistribution []count.N `json:"order_distribution"`
	Probability       *float64  `json:"probability"`
	Truncated         bool      `json:"truncated"`
	MaxOrder          int       `json:"max_order"`
	// Method is "bdd", or "expansion" when the decision diagrams outgrew
	// the node limit and the sets up to --max-order were expanded
	// bottom-up: then probability is null.
	Method        string     `json:"method"`
	Sets          [][]string `json:"sets,omitempty"`
	Substitutions []string   `json:"substitutions,omitempty"`
}

func runOpenPSA(ctx context.Context, opts *domainsOptions) error {
	m, err := openpsa.ReadFiles(opts.OpenPSA...)
	if err != nil {
		return &InputError{Err: err}
	}
	name, err := m.TopName(opts.Top)
	if err != nil {
		return &InputError{Err: err}
	}
	top, err := m.Top(name)
	if err != nil {
		return &InputError{Err: err}
	}
	maxSets := 0
	if opts.Sets {
		maxSets = opts.MaxSets
	}
	res, err := faulttree.Analyze(ctx, m.Builder, top, faulttree.Options{MaxOrder: opts.MaxOrder, Probability: !opts.Count, MaxSets: maxSets, NodeLimit: opts.NodeLimit, Expansion: opts.MaxOrder > 0})
	if err != nil {
		if faulttree.IsNodeLimit(err) && opts.MaxOrder == 0 {
			return fmt.Errorf("%v: give --max-order (the sets up to it are then expanded without a diagram), or raise --node-limit if memory allows", err)
		}
		return analysisError(err, opts.Timeout)
	}
	if opts.Count {
		fmt.Fprintln(opts.IO.Out, res.Count.String())
		return nil
	}
	out := openPSAResult{SchemaVersion: 1, Top: name, MCSCount: count.Of(res.Count), OrderDistribution: count.Slice(trimZeros(res.OrderDistribution)), Truncated: res.Truncated, MaxOrder: res.MaxOrder, Method: string(res.Method), Substitutions: m.Substitutions}
	if !math.IsNaN(res.Probability) { // unknown events, or the expansion

		p := res.Probability
		out.Probability = &p
	}
	for _, s := range res.Sets {
		names := make([]string, len(s))
		for k, ev := range s {
			names[k] = m.Builder.Event(ev).Name
		}
		out.Sets = append(out.Sets, names)
	}
	if opts.JSON {
		return render.JSON(opts.IO.Out, out)
	}
	return openPSAText(opts.IO.Out, out)
}

func trimZeros(d []*big.Int) []*big.Int {
	end := len(d)
	for end > 0 && d[end-1].Sign() == 0 {
		end--
	}
	return d[:end]
}

func openPSAText(w io.Writer, r openPSAResult) error {
	fmt.Fprintf(w, "top %s: %s (order ≤ %d)", r.Top, english.CountString(r.MCSCount.String(), "minimal cut set", "minimal cut sets"), r.MaxOrder)
	if r.Truncated {
		fmt.Fprint(w, ", larger sets may have been cut off")
	}
	fmt.Fprintln(w)
	for i, c := range r.OrderDistribution {
		if c.Big().Sign() > 0 {
			fmt.Fprintf(w, "  order %d: %s\n", i+1, c)
		}
	}
	if len(r.Substitutions) > 0 {
		fmt.Fprintf(w, "substitutions applied: %s\n", strings.Join(r.Substitutions, ", "))
	}
	switch {
	case r.Probability != nil:
		fmt.Fprintf(w, "probability: %.6g\n", *r.Probability)
	case r.Method == string(faulttree.MethodExpansion):
		fmt.Fprintln(w, "probability: not computed (the function's decision diagram exceeds the node limit; the cut sets were expanded bottom-up up to the order limit)")
	default:
		fmt.Fprintln(w, "probability: unknown (some basic events have none)")
	}
	for _, s := range r.Sets {
		fmt.Fprintf(w, "  {%s}\n", joinIDs(s))
	}
	return nil
}
