package openpsa

import (
	"context"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/openpsa/scramtest"
	"github.com/depgraph/depgraph/internal/testenv"
)

// scramInputs are SCRAM's own inputs (from ../shared/data/openpsa and
// testdata/scram) and depgraph's periodic-test file; each is analysed by
// the real SCRAM 0.16.2 and by depgraph, top event by top event.
var scramInputs = [][]string{
	{"testdata/scram/substitutions.xml"},
	{"testdata/scram/common_cause.xml"},
	{"testdata/scram/periodic_test.xml"},
	{sharedDir + "/small/core/beta_factor_ccf.xml"},
	{sharedDir + "/small/core/mgl_ccf.xml"},
	{sharedDir + "/small/core/alpha_factor_ccf.xml"},
	{sharedDir + "/small/core/phi_factor_ccf.xml"},
	{sharedDir + "/small/core/abc.xml"},
	{sharedDir + "/small/core/ab_or_not_ac.xml"},
	{sharedDir + "/small/core/xor.xml"},
	{sharedDir + "/small/core/unity.xml"},
	{sharedDir + "/small/core/null.xml"},
	{sharedDir + "/small/three_motor.xml"},
	{sharedDir + "/small/two_train.xml"},
	{sharedDir + "/small/HIPPS.xml"},
	{sharedDir + "/small/BSCU.xml"},
	{sharedDir + "/small/ne574.xml"},
	{sharedDir + "/xfta/chinese.xml", sharedDir + "/xfta/chinese-basic-events.xml"},
}

// TestSCRAMAgrees runs SCRAM (--probability true --ccf true, its default
// BDD analysis with product order up to 20) and depgraph on each input and
// compares every top event's minimal cut sets and probability. It needs
// DEPGRAPH_SCRAM_TESTS=1 and the scram binary.
func TestSCRAMAgrees(t *testing.T) {
	bin := scramtest.Require(t)
	for _, files := range scramInputs {
		t.Run(filepath.Base(files[0]), func(t *testing.T) {
			if strings.HasPrefix(files[0], sharedDir) {
				readExpected(t) // skips without the shared data
			}
			agreeWithSCRAM(t, bin, []string{"--probability", "true", "--ccf", "true"}, faulttree.Options{MaxOrder: 20, Probability: true}, files...)
		})
	}
}

// TestHeavySCRAMAgreesNus9601Order3: nus9601's function is too large for a
// decision diagram here (and for SCRAM's BDD), but its minimal cut sets up
// to order 3 are not: depgraph's order-truncated expansion
// (faulttree.Options.Expansion) and SCRAM's ZBDD with -l 3 must list the
// same products (10 of order 3, none smaller, with SCRAM 0.16.2). The node
// limit is kept low so the decision diagrams give up at once.
func TestHeavySCRAMAgreesNus9601Order3(t *testing.T) {
	testenv.Heavy(t)
	bin := scramtest.Require(t)
	readExpected(t)
	opts := faulttree.Options{MaxOrder: 3, NodeLimit: 1_000_000, Expansion: true}
	for _, res := range agreeWithSCRAM(t, bin, []string{"--zbdd", "--limit-order", "3"}, opts, filepath.Join(sharedDir, "aralia", "nus9601.xml")) {
		if res.Method != faulttree.MethodExpansion {
			t.Errorf("method %q, want the expansion (the diagrams fit in 1 M nodes now?)", res.Method)
		}
		if res.Count.Sign() == 0 {
			t.Error("no cut set")
		}
	}
}

// agreeWithSCRAM runs SCRAM with args and depgraph's Analyze with opts
// (every set listed) on files, and compares each top event's minimal cut
// sets, and its probability when SCRAM gives one. It returns depgraph's
// results.
func agreeWithSCRAM(t *testing.T, bin string, args []string, opts faulttree.Options, files ...string) []*faulttree.Result {
	t.Helper()
	want := scramtest.Run(t, bin, args, files...)
	if len(want) == 0 {
		t.Fatal("SCRAM reported no top event")
	}
	m, err := ReadFiles(files...)
	if err != nil {
		t.Fatal(err)
	}
	opts.MaxSets = 1 << 20
	var out []*faulttree.Result
	for name, w := range want {
		top, err := m.Top(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := faulttree.Analyze(context.Background(), m.Builder, top, opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range res.Sets {
			names := make([]string, len(s))
			for k, e := range s {
				names[k] = m.Builder.Event(e).Name
			}
			got = append(got, scramtest.Product(names))
		}
		if len(got) == 0 && res.Count.Int64() == 1 {
			got = []string{""} // the empty set: the top is always true
		}
		slices.Sort(got)
		if !slices.Equal(got, w.Products) {
			t.Errorf("%s: products\n got:%q\nwant:%q", name, got, w.Products)
		}
		if w.HasProbability && math.Abs(res.Probability-w.Probability) > 5e-6*math.Max(w.Probability, 1e-300)+1e-15 {
			t.Errorf("%s: probability got:%.8g SCRAM:%g", name, res.Probability, w.Probability)
		}
		t.Logf("%s: %d products, p=%.6g (SCRAM %d, %g)", name, len(got), res.Probability, len(w.Products), w.Probability)
		out = append(out, res)
	}
	return out
}

// TestSCRAMRefusesWhatWeRefuse checks that the inputs depgraph refuses by
// name are refused by SCRAM's exact analysis too.
func TestSCRAMRefusesWhatWeRefuse(t *testing.T) {
	bin := scramtest.Require(t)
	f := "testdata/scram/nondeclarative_substitutions.xml"
	out, err := exec.Command(bin, "-o", filepath.Join(t.TempDir(), "r.xml"), f).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Non-declarative substitutions do not apply to exact analyses") {
		t.Errorf("scram on %s: %v %s", f, err, out)
	}
	if _, err := ReadFiles(f); err == nil || !strings.Contains(err.Error(), `substitution "ExchangeValves" is not declarative`) {
		t.Errorf("depgraph on %s: %v", f, err)
	}
}
