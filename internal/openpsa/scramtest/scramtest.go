// Package scramtest runs the real SCRAM (https://scram-pra.org, Debian
// package scram) on Open-PSA files and reads its XML report, for tests
// that check depgraph's results against it. Tests using it are gated by
// the environment variable DEPGRAPH_SCRAM_TESTS=1, which .ci/run sets.
package scramtest

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// EnvVar gates the tests that run SCRAM.
const EnvVar = "DEPGRAPH_SCRAM_TESTS"

// Require skips t unless EnvVar is set, and fails it when SCRAM is then
// missing; it returns the path of the scram binary.
func Require(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("scram")
	if os.Getenv(EnvVar) == "" {
		if err != nil {
			t.Skipf("scram is not installed (Debian package scram) and %s is not set: skipping the comparison with SCRAM", EnvVar)
		}
		t.Skipf("set %s=1 to compare with SCRAM (%s); .ci/run does", EnvVar, path)
	}
	if err != nil {
		t.Fatalf("%s is set but scram is not on PATH: apt-get install scram", EnvVar)
	}
	return path
}

// SumOfProducts is one top event's result in a SCRAM report.
type SumOfProducts struct {
	// Name is the top gate.
	Name string
	// Products are the minimal cut sets, each a sorted list of event
	// names; a common-cause event is written "[A B]" with its members
	// sorted.
	Products []string
	// Probability is SCRAM's printed top-event probability (0 when the
	// report has none).
	Probability float64
	// HasProbability says the report gave one.
	HasProbability bool
}

type xmlEvent struct {
	Name string `xml:"name,attr"`
}

type xmlCCF struct {
	Members []xmlEvent `xml:"basic-event"`
}

type xmlProduct struct {
	Events []xmlEvent `xml:"basic-event"`
	CCF    []xmlCCF   `xml:"ccf-event"`
}

type xmlReport struct {
	Results struct {
		Sums []struct {
			Name        string       `xml:"name,attr"`
			Probability *float64     `xml:"probability,attr"`
			Products    []xmlProduct `xml:"product"`
		} `xml:"sum-of-products"`
	} `xml:"results"`
}

// CCFName is the canonical name of a common-cause event of the given
// members: "[A B]" with the members sorted.
func CCFName(members []string) string {
	m := slices.Clone(members)
	slices.Sort(m)
	return "[" + strings.Join(m, " ") + "]"
}

// Product is the canonical form of a cut set: event names (CCF names
// canonicalised) sorted and joined by ", ".
func Product(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		if strings.HasPrefix(n, "[") && strings.HasSuffix(n, "]") {
			n = CCFName(strings.Fields(strings.Trim(n, "[]")))
		}
		out[i] = n
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// Validate runs scram --validate on files and returns its output and
// error.
func Validate(t testing.TB, bin string, files ...string) ([]byte, error) {
	t.Helper()
	return exec.Command(bin, append([]string{"--validate"}, files...)...).CombinedOutput()
}

// Run runs scram with args on files and returns its results by top gate.
func Run(t testing.TB, bin string, args []string, files ...string) map[string]SumOfProducts {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.xml")
	cmd := exec.Command(bin, append(append(slices.Clone(args), "-o", out), files...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scram %v %v: %v\n%s", args, files, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep xmlReport
	if err := xml.Unmarshal(data, &rep); err != nil {
		t.Fatalf("scram's report: %v", err)
	}
	res := map[string]SumOfProducts{}
	for _, s := range rep.Results.Sums {
		sp := SumOfProducts{Name: s.Name}
		if s.Probability != nil {
			sp.Probability, sp.HasProbability = *s.Probability, true
		}
		for _, p := range s.Products {
			var names []string
			for _, e := range p.Events {
				names = append(names, e.Name)
			}
			for _, c := range p.CCF {
				var m []string
				for _, e := range c.Members {
					m = append(m, e.Name)
				}
				names = append(names, CCFName(m))
			}
			sp.Products = append(sp.Products, Product(names))
		}
		slices.Sort(sp.Products)
		res[s.Name] = sp
	}
	return res
}
