// Command ftcount is a development driver for the fault-tree engine: it
// reads Open-PSA MEF files and prints the number of minimal cut sets, the
// order distribution and the top-event probability. The user-facing
// command is "depgraph domains --openpsa FILE --count"; ftcount exists for
// benchmarks (scripts/bench-scram.sh) until that command is wired.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/openpsa"
)

func main() {
	limit := flag.Int("l", 0, "maximum cut-set order (0: 20)")
	prob := flag.Bool("p", true, "compute the exact top-event probability")
	imp := flag.Bool("importance", false, "compute importance factors")
	sets := flag.Int("sets", 0, "list this many cut sets")
	top := flag.String("top", "", "top gate (default: the only top)")
	timeout := flag.Duration("timeout", 0, "give up after this long")
	flag.Parse()
	if err := run(*limit, *prob, *imp, *sets, *top, *timeout, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "ftcount:", err)
		os.Exit(1)
	}
}

func run(limit int, prob, imp bool, sets int, topName string, timeout time.Duration, files []string) error {
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	start := time.Now()
	m, err := openpsa.ReadFiles(files...)
	if err != nil {
		return err
	}
	top, err := m.Top(topName)
	if err != nil {
		return err
	}
	parsed := time.Since(start)
	res, err := faulttree.Analyze(ctx, m.Builder, top, faulttree.Options{MaxOrder: limit, Probability: prob, Importance: imp, MaxSets: sets})
	if err != nil {
		return err
	}
	fmt.Printf("count %v\n", res.Count)
	fmt.Printf("distribution")
	last := 0
	for i, d := range res.OrderDistribution {
		if d.Sign() > 0 {
			last = i + 1
		}
	}
	for _, d := range res.OrderDistribution[:last] {
		fmt.Printf(" %v", d)
	}
	fmt.Println()
	fmt.Printf("empty-set %v truncated %v\n", res.EmptySet, res.Truncated)
	if prob {
		fmt.Printf("probability %.6g\n", res.Probability)
	}
	for i, s := range res.Sets {
		fmt.Printf("set")
		for _, e := range s {
			fmt.Printf(" %s", m.Builder.Event(e).Name)
		}
		fmt.Printf(" %.6g\n", res.SetProbabilities[i])
	}
	for _, im := range res.Importance {
		fmt.Printf("importance %s birnbaum %.6g fv %.6g raw %.6g rrw %.6g\n", im.Name, im.Birnbaum, im.FussellVesely, im.RAW, im.RRW)
	}
	fmt.Printf("stats bdd %d zbdd %d modules %d parse %v total %v\n", res.Stats.BDDNodes, res.Stats.ZBDDNodes, res.Stats.Modules, parsed.Round(time.Microsecond), time.Since(start).Round(time.Microsecond))
	return nil
}
