package cli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/depgraph/depgraph/internal/iostreams"
)

// badNumericFlagTests are numeric flag values every command must refuse
// with a usage error before doing anything (issue 16 item 3: --top -1
// panicked; NaN passed every range check).
var badNumericFlagTests = []struct {
	args    []string
	wantErr string
}{
	{[]string{"explain", "--impacted", "acme/support-bot", "--top", "-1"}, "--top -1: use 1 or more"},
	{[]string{"explain", "--impacted", "acme/support-bot", "--top", "0"}, "--top 0: use 1 or more"},
	{[]string{"domains", "--hard-threshold", "NaN"}, "--hard-threshold NaN: not a number"},
	{[]string{"domains", "--hard-threshold", "1.5"}, "--hard-threshold 1.5: use an impact from 0 to 1"},
	{[]string{"domains", "--max-order", "-1"}, "--max-order -1: use 1 to 64"},
	{[]string{"domains", "--max-sets", "-5"}, "--max-sets -5: use 1 to 10000000"},
	{[]string{"domains", "--node-limit", "-1"}, "--node-limit -1"},
	{[]string{"domains", "--timeout", "-1s"}, "--timeout -1s"},
	{[]string{"export", "--format", "csv-edges", "--hard-threshold", "+Inf"}, "--hard-threshold +Inf: not a number"},
	{[]string{"export", "--format", "csv-edges", "--hard-threshold", "-Inf"}, "--hard-threshold -Inf: not a number"},
	{[]string{"status", "--maintenance", "NaN"}, "--maintenance NaN: not a number"},
	{[]string{"status", "--maintenance", "2"}, "--maintenance 2: use an impairment from 0 to 1"},
	{[]string{"status", "--concurrency", "0"}, "--concurrency 0: use 1 to 256"},
	{[]string{"ingest", "--retries", "-1"}, "--retries -1: use 0 to 10"},
	{[]string{"ingest", "--timeout", "0s"}, "--timeout 0s: use a duration above 0"},
	{[]string{"review", "--candidate", "stripe", "--as-failover-for", "acme/checkout", "--impact", "NaN"}, "--impact NaN: not a number"},
	{[]string{"review", "--candidate", "stripe", "--as-failover-for", "acme/checkout", "--impact", "0"}, "--impact 0: use a share in (0, 1]"},
	{[]string{"graph", "--depth", "-2"}, "--depth -2: use 0 (no limit) or more hops"},
	{[]string{"report", "--picture-nodes", "0"}, "--picture-nodes 0: use 1 to 600"},
	{[]string{"report", "--stale-days", "200000"}, "--stale-days 200000: use a number of days from 1 to 36525"},
	{[]string{"report", "--timeout", "-5m"}, "--timeout -5m0s"},
	{[]string{"gen", "--nodes", "0"}, "--nodes 0: use 1 to 1000000"},
	{[]string{"gen", "--edges", "-1"}, "--edges -1: use 0 to 10000000"},
}

func TestBadNumericFlags(t *testing.T) {
	for _, tt := range badNumericFlagTests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			root := NewRootCmd(ios)
			root.SetArgs(tt.args)
			_, err := root.ExecuteContextC(context.Background())
			var fe *FlagError
			if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got:%v want a FlagError containing %q", err, tt.wantErr)
			}
			if out.Len() > 0 {
				t.Errorf("the command ran and printed:\n%s", out)
			}
		})
	}
}

// walk calls fn for every command of the tree under c.
func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, s := range c.Commands() {
		walk(s, fn)
	}
}

// TestFlagRangesCoverEveryNumericFlag keeps flagRanges complete and
// current: every numeric flag of every command has a range its default
// satisfies, and every entry names a real flag.
func TestFlagRangesCoverEveryNumericFlag(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewRootCmd(ios)
	seen := map[string]bool{}
	walk(root, func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if _, ok := numericValue(f); !ok {
				return
			}
			key := flagKey(c, f.Name)
			seen[key] = true
			if _, ok := flagRanges[key]; !ok {
				t.Errorf("%s: numeric flag without an entry in flagRanges", key)
			}
		})
		if err := checkNumericFlags(c); err != nil {
			t.Errorf("%s: a default value is out of range: %v", c.CommandPath(), err)
		}
	})
	for key := range flagRanges {
		if !seen[key] {
			t.Errorf("flagRanges has %q, which is no numeric flag", key)
		}
	}
}
