package cli

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagRange is the accepted range of one numeric flag, bounds included
// unless MinOpen.
type flagRange struct {
	Min, Max float64 // durations in nanoseconds
	MinOpen  bool
	Say      string // the accepted values, as told to the user
}

// anyValue accepts every value of the flag's type.
var anyValue = flagRange{Min: math.Inf(-1), Max: math.Inf(1)}

// flagRanges holds the range of every numeric flag of every command, keyed
// by "command --flag" (the command path without "depgraph"). The root
// command checks them all before a command runs (checkNumericFlags);
// TestFlagRangesCoverEveryNumericFlag fails when a numeric flag has none.
var flagRanges = map[string]flagRange{
	"domains --max-order":      {Min: 0, Max: 64, Say: "use 1 to 64 (0: the default, 3; with --openpsa 20)"},
	"domains --hard-threshold": {Min: 0, Max: 1, Say: "use an impact from 0 to 1"},
	"domains --max-sets":       {Min: 1, Max: 1e7, Say: "use 1 to 10000000"},
	"domains --timeout":        {Min: 0, Max: math.MaxInt64, Say: "use a duration of 0 (no limit) or more"},
	"domains --node-limit":     {Min: 0, Max: 2e9, Say: "use 0 (the default, 40 million) to 2000000000"},
	"explain --top":            {Min: 1, Max: math.MaxInt32, Say: "use 1 or more"},
	"explain --max-roots":      {Min: 1, Max: 3, Say: "use 1, 2 or 3"},
	"export --hard-threshold":  {Min: 0, Max: 1, Say: "use an impact from 0 to 1"},
	"ingest --timeout":         {Min: 0, MinOpen: true, Max: float64(time.Hour), Say: "use a duration above 0 and at most 1h"},
	"ingest --concurrency":     {Min: 1, Max: 256, Say: "use 1 to 256"},
	"ingest --retries":         {Min: 0, Max: 10, Say: "use 0 to 10"},
	"status --timeout":         {Min: 0, MinOpen: true, Max: float64(time.Hour), Say: "use a duration above 0 and at most 1h"},
	"status --concurrency":     {Min: 1, Max: 256, Say: "use 1 to 256"},
	"status --retries":         {Min: 0, Max: 10, Say: "use 0 to 10"},
	"status --maintenance":     {Min: 0, Max: 1, Say: "use an impairment from 0 to 1"},
	"watch --interval":         {Min: float64(time.Second), Max: float64(24 * time.Hour), Say: "use a duration from 1s to 24h"},
	"watch --timeout":          {Min: 0, MinOpen: true, Max: float64(time.Hour), Say: "use a duration above 0 and at most 1h"},
	"watch --concurrency":      {Min: 1, Max: 256, Say: "use 1 to 256"},
	"watch --retries":          {Min: 0, Max: 10, Say: "use 0 to 10"},
	"watch --webhook-retries":  {Min: 0, Max: 10, Say: "use 0 to 10"},
	"watch --maintenance":      {Min: 0, Max: 1, Say: "use an impairment from 0 to 1"},
	"gen --nodes":              {Min: 1, Max: 1e6, Say: "use 1 to 1000000"},
	"gen --edges":              {Min: 0, Max: 1e7, Say: "use 0 to 10000000"},
	"gen --seed":               anyValue,
	"graph --depth":            {Min: 0, Max: math.MaxInt32, Say: "use 0 (no limit) or more hops"},
	"export --depth":           {Min: 0, Max: math.MaxInt32, Say: "use 0 (no limit) or more hops"},
	"report --stale-days":      {Min: 1, Max: 36525, Say: "use a number of days from 1 to 36525"},
	"report --history-days":    {Min: 1, Max: 36525, Say: "use a number of days from 1 to 36525"},
	"report --max-order":       {Min: 1, Max: 8, Say: "use 1 to 8"},
	"report --picture-nodes":   {Min: 1, Max: 600, Say: "use 1 to 600"},
	"report --timeout":         {Min: 0, Max: math.MaxInt64, Say: "use a duration of 0 (no limit) or more"},
	"review --impact":          {Min: 0, MinOpen: true, Max: 1, Say: "use a share in (0, 1]"},
}

// flagKey names a flag of cmd in flagRanges.
func flagKey(cmd *cobra.Command, name string) string {
	path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name())
	return strings.TrimSpace(path) + " --" + name
}

// numericValue reads a numeric flag's value as a float64 (durations in
// nanoseconds); ok is false for flags that are not numbers.
func numericValue(f *pflag.Flag) (v float64, ok bool) {
	switch f.Value.Type() {
	case "duration":
		d, err := time.ParseDuration(f.Value.String())
		return float64(d), err == nil
	case "float64", "float32", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		v, err := strconv.ParseFloat(f.Value.String(), 64)
		return v, err == nil || math.IsInf(v, 0)
	}
	return 0, false
}

// checkNumericFlags refuses NaN and infinite values of every numeric flag
// of cmd, negative durations, and values outside the flag's flagRanges
// entry. It is the root command's PersistentPreRunE, so it runs for every
// command before it does anything.
func checkNumericFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil {
			return
		}
		v, ok := numericValue(f)
		if !ok {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			err = flagErrorf("--%s %s: not a number; give a finite number", f.Name, f.Value)
			return
		}
		r, known := flagRanges[flagKey(cmd, f.Name)]
		switch {
		case known && (v < r.Min || v > r.Max || (r.MinOpen && v == r.Min)):
			err = flagErrorf("--%s %s: %s", f.Name, f.Value, r.Say)
		case !known && f.Value.Type() == "duration" && v < 0:
			err = flagErrorf("--%s %s: a duration cannot be negative", f.Name, f.Value)
		}
	})
	return err
}
