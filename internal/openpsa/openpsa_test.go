package openpsa

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/testenv"
)

const sharedDir = "../../../shared/data/openpsa"

var fixtureTests = []struct {
	files   []string
	count   int64
	prob    float64 // NaN: unknown
	unknown []string
}{
	{files: []string{"pumps.xml"}, count: 5, prob: 0.001 + 0.999*0.145*0.145},
	{files: []string{"split-tree.xml", "split-events.xml"}, count: 3, prob: 0.098},
	{files: []string{"split-events.xml", "split-tree.xml"}, count: 3, prob: 0.098},
	{files: []string{"logic.xml"}, count: -1, prob: math.NaN(), unknown: []string{"E"}},
}

// minimalTruePoints counts the minimal true points of top by brute force.
func minimalTruePoints(b *faulttree.Builder, top faulttree.Ref) int64 {
	n := b.NumEvents()
	truth := make([]bool, 1<<n)
	failed := make([]bool, n)
	for mask := range 1 << n {
		for i := range n {
			failed[i] = mask&(1<<i) != 0
		}
		truth[mask] = b.Eval(top, failed)
	}
	var c int64
	for mask := range 1 << n {
		if !truth[mask] {
			continue
		}
		minimal := true
		for sub := (mask - 1) & mask; mask != 0; sub = (sub - 1) & mask {
			if truth[sub] {
				minimal = false
				break
			}
			if sub == 0 {
				break
			}
		}
		if minimal {
			c++
		}
	}
	return c
}

func TestFixtures(t *testing.T) {
	for _, tt := range fixtureTests {
		t.Run(strings.Join(tt.files, "+"), func(t *testing.T) {
			var paths []string
			for _, f := range tt.files {
				paths = append(paths, filepath.Join("testdata", f))
			}
			m, err := ReadFiles(paths...)
			if err != nil {
				t.Fatal(err)
			}
			top, err := m.Top("")
			if err != nil {
				t.Fatal(err)
			}
			res, err := faulttree.Analyze(context.Background(), m.Builder, top, faulttree.Options{Probability: true})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.count
			if want < 0 {
				want = minimalTruePoints(m.Builder, top)
			}
			if res.Count.Int64() != want {
				t.Errorf("count got:%v want:%v", res.Count, want)
			}
			if math.IsNaN(tt.prob) != math.IsNaN(res.Probability) || math.Abs(res.Probability-tt.prob) > 1e-12 {
				t.Errorf("probability got:%v want:%v", res.Probability, tt.prob)
			}
			var unknown []string
			for _, e := range res.UnknownProbability {
				unknown = append(unknown, m.Builder.Event(e).Name)
			}
			if !slices.Equal(unknown, tt.unknown) {
				t.Errorf("unknown got:%v want:%v", unknown, tt.unknown)
			}
		})
	}
}

var errorTests = []struct {
	name string
	doc  string
	want []string
}{
	{
		name: "undefined references all reported",
		doc: `<opsa-mef><define-fault-tree name="t">
<define-gate name="top"><or><gate name="missing"/><basic-event name="nope"/></or></define-gate>
<define-gate name="g2"><and><event name="ghost"/><basic-event name="top"/></and></define-gate>
</define-fault-tree></opsa-mef>`,
		want: []string{
			`openpsa: in.xml:2:`, `undefined gate "missing"`,
			`undefined basic-event "nope"`,
			`in.xml:3:`, `undefined event "ghost"`,
			`"top" is a gate, not a basic-event`,
		},
	},
	{
		name: "cycle",
		doc: `<opsa-mef><define-fault-tree name="t">
<define-gate name="a"><or><gate name="b"/><basic-event name="x"/></or></define-gate>
<define-gate name="b"><and><gate name="a"/><basic-event name="x"/></and></define-gate>
<define-basic-event name="x"><float value="0.1"/></define-basic-event>
</define-fault-tree></opsa-mef>`,
		want: []string{"in.xml:2:", "cycle among gates: a -> b -> a"},
	},
	{
		name: "malformed xml",
		doc:  "<opsa-mef>\n<define-gate name=\"a\">\n</opsa-mef>",
		want: []string{"openpsa: in.xml:3:"},
	},
	{
		name: "bad values",
		doc: `<opsa-mef>
<define-gate name="a"><atleast min="x"><basic-event name="e"/><basic-event name="e"/></atleast></define-gate>
<define-basic-event name="e"><float value="1.5"/></define-basic-event>
<define-basic-event name="e"><float value="0.5"/></define-basic-event>
<define-gate name="b"><foo/></define-gate>
</opsa-mef>`,
		want: []string{
			`in.xml:2:`, `min="x" is not a non-negative integer`,
			`in.xml:3:`, `outside [0, 1]`,
			`in.xml:4:`, `basic-event "e" redefined`,
			`in.xml:5:`, `unsupported formula <foo>`,
		},
	},
	{
		name: "ccf group without members or factors",
		doc:  "<opsa-mef>\n<define-CCF-group name=\"g\" model=\"beta-factor\"/>\n<define-CCF-group name=\"h\" model=\"gamma\"/>\n</opsa-mef>",
		want: []string{"in.xml:2:", `CCF group "g" needs at least 2 members`, "in.xml:3:", `model "gamma" is not beta-factor`},
	},
	{
		name: "ccf factor levels",
		doc: `<opsa-mef>
<define-CCF-group name="g" model="MGL"><members><basic-event name="a"/><basic-event name="b"/><basic-event name="c"/></members>
<distribution><float value="0.1"/></distribution><factors><factor level="3"><float value="0.1"/></factor></factors></define-CCF-group>
<define-CCF-group name="p" model="phi-factor"><members><basic-event name="d"/><basic-event name="e"/></members>
<distribution><float value="0.1"/></distribution><factors><factor level="1"><float value="0.5"/></factor><factor level="2"><float value="0.6"/></factor></factors></define-CCF-group>
<define-gate name="top"><or><basic-event name="a"/><basic-event name="d"/></or></define-gate>
</opsa-mef>`,
		want: []string{"in.xml:2:", `factor levels must run from 2 without gaps, got level 3`, "in.xml:4:", "sum to 1.1, not 1"},
	},
	{
		name: "non-declarative substitution",
		doc: `<opsa-mef>
<define-gate name="top"><or><basic-event name="a"/><basic-event name="b"/></or></define-gate>
<define-substitution name="Swap" type="exchange-event"><hypothesis><basic-event name="a"/></hypothesis>
<source><basic-event name="a"/></source><target><basic-event name="b"/></target></define-substitution>
<define-basic-event name="a"><float value="0.1"/></define-basic-event>
<define-basic-event name="b"><float value="0.1"/></define-basic-event>
</opsa-mef>`,
		want: []string{"in.xml:3:", `substitution "Swap" is not declarative`},
	},
	{
		name: "periodic-test arity",
		doc:  `<opsa-mef><define-basic-event name="a"><periodic-test><float value="1"/><float value="1"/><float value="1"/><float value="1"/><float value="1"/><float value="1"/></periodic-test></define-basic-event></opsa-mef>`,
		want: []string{`<periodic-test> takes 4, 5 or 11 arguments, got 6`},
	},
}

func TestErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(Source{Name: "in.xml", Data: []byte(tt.doc)})
			if err == nil {
				t.Fatalf("no error, model %v", m.GateNames)
			}
			if m != nil {
				t.Error("model returned with an error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\nlacks %q", msg, w)
				}
			}
		})
	}
}

// expectedRow is one line of shared/data/openpsa/EXPECTED.tsv.
type expectedRow struct {
	files      []string
	top        string
	count      string
	prob       string
	conditions string
}

func readExpected(t testing.TB) []expectedRow {
	f, err := os.Open(filepath.Join(sharedDir, "EXPECTED.tsv"))
	if err != nil {
		t.Skipf("shared benchmark data not available (%v); it lives in shared/data/openpsa beside the repository", err)
	}
	defer f.Close()
	var rows []expectedRow
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 6 {
			continue
		}
		var files []string
		for _, p := range strings.Split(c[0], " + ") {
			files = append(files, filepath.Join(sharedDir, p))
		}
		prob := c[3]
		if len(c) > 7 && c[7] != "" {
			// SCRAM 0.16.2's printed value has more digits than some
			// test assertions (chinese: 0.0045691 vs 0.00456932).
			prob = c[7]
		}
		rows = append(rows, expectedRow{files, c[1], c[2], prob, c[5]})
	}
	return rows
}

// heavyModels take more than about half a second here: they run in
// TestHeavyExpected, which CI runs (DEPGRAPH_HEAVY=1, see
// internal/testenv); TestExpected checks all the others (edf9202, edfpa14p
// and edfpa15b among them since the preprocessing brought them under 0.2 s).
//
// das9701 is among them: SCRAM 0.16.2 and XFTA 2.0.1 fail on it, but its
// count and probability are published, and the engine reproduces both
// (about 20–30 s and 2 GB, with the depth-first variable order).
var heavyModels = []string{"cea9601", "CEA9601", "das9701", "edf9203", "edfpa14b", "edfpa14o", "edfpa14q", "edfpa14r"}

// isHeavy reports whether a row of EXPECTED.tsv is one of heavyModels.
func isHeavy(name string) bool {
	for _, s := range heavyModels {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// unsolvedModels have no expectation (nus9601's count is "unknown" in the
// dataset, and SCRAM and XFTA fail on it).
var unsolvedModels = []string{"nus9601"}

var (
	limitRe = regexp.MustCompile(`(?:^|; |\()-l (\d+)`)
	distRe  = regexp.MustCompile(`distribution ((?:\d+ ?)+)`)
	setsRe  = regexp.MustCompile(`MCS ((?:\{[^}]*\},?)+)`)
)

// closeTo reports whether got rounds to the printed value want.
func closeTo(got float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		return false
	}
	mant := strings.ToLower(want)
	if i := strings.IndexByte(mant, 'e'); i >= 0 {
		mant = mant[:i]
	}
	digits := len(strings.TrimLeft(strings.ReplaceAll(mant, ".", ""), "0"))
	if w == 0 {
		return math.Abs(got) < 1e-15
	}
	exp := math.Floor(math.Log10(math.Abs(w)))
	tol := 0.5*math.Pow(10, exp-float64(digits)+1) + 1e-15
	return math.Abs(got-w) <= tol*(1+1e-9)
}

// TestExpected checks the count, probability and, where given, order
// distribution and sets of every model in EXPECTED.tsv but the heavy ones.
func TestExpected(t *testing.T) { checkExpected(t, false) }

// TestHeavyExpected checks the heavy models of EXPECTED.tsv (heavyModels)
// like TestExpected; with TestExpected, every Aralia model's exact count.
func TestHeavyExpected(t *testing.T) {
	testenv.Heavy(t)
	checkExpected(t, true)
}

func checkExpected(t *testing.T, heavy bool) {
	for _, row := range readExpected(t) {
		name := strings.TrimPrefix(row.files[0], sharedDir+"/")
		L := 0
		if m := limitRe.FindStringSubmatch(row.conditions); m != nil {
			L, _ = strconv.Atoi(m[1])
			name += " -l " + m[1]
		}
		t.Run(name, func(t *testing.T) {
			for _, s := range unsolvedModels {
				if strings.Contains(name, s) {
					t.Skip("no expectation: SCRAM and XFTA do not finish; see TestHeavyUnsolvedStopCleanly")
				}
			}
			if isHeavy(name) != heavy {
				if heavy {
					t.Skip("quick model: checked by TestExpected")
				}
				t.Skip("heavy model: checked by TestHeavyExpected (DEPGRAPH_HEAVY=1)")
			}
			m, err := ReadFiles(row.files...)
			if err != nil {
				t.Fatal(err)
			}
			top, err := m.Top(row.top)
			if err != nil {
				t.Fatal(err)
			}
			res, err := faulttree.Analyze(context.Background(), m.Builder, top, faulttree.Options{MaxOrder: L, Probability: true, MaxSets: 50})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.Contains(row.count, "E+"):
				// Published approximately (das9209: 8.20E+10).
				w, _ := strconv.ParseFloat(row.count, 64)
				// The published figure is rounded from an approximate count.
				if math.Abs(float64(res.Count.Int64())-w) > 0.01*w {
					t.Errorf("count got:%v want:≈%v", res.Count, w)
				}
			case row.count != "":
				if res.Count.String() != row.count {
					t.Errorf("count got:%v want:%v", res.Count, row.count)
				}
			}
			if row.prob != "" && !strings.Contains(row.conditions, "rare-event sum") && !closeTo(res.Probability, row.prob) {
				t.Errorf("probability got:%.8g want:%v", res.Probability, row.prob)
			}
			if d := distRe.FindStringSubmatch(row.conditions); d != nil && L == 0 {
				var got []string
				for _, c := range res.OrderDistribution {
					got = append(got, c.String())
				}
				want := strings.Fields(d[1])
				if strings.Join(got[:len(want)], " ") != strings.Join(want, " ") {
					t.Errorf("distribution got:%v want:%v", got[:len(want)], want)
				}
			}
			if s := setsRe.FindStringSubmatch(row.conditions); s != nil && len(res.Sets) < 50 {
				var got []string
				for _, set := range res.Sets {
					var names []string
					for _, e := range set {
						names = append(names, m.Builder.Event(e).Name)
					}
					slices.Sort(names)
					got = append(got, "{"+strings.Join(names, ",")+"}")
				}
				var want []string
				for _, w := range regexp.MustCompile(`\{[^}]*\}`).FindAllString(s[1], -1) {
					names := strings.Split(strings.Trim(w, "{}"), ",")
					slices.Sort(names)
					want = append(want, "{"+strings.Join(names, ",")+"}")
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("sets got:%v want:%v", got, want)
				}
			}
		})
	}
}

// TestHeavyUnsolvedStopCleanly runs the models no tool solves (nus9601)
// under a deadline and a node limit: the engine must return a result or a
// clear error, never hang or exhaust memory. With an order limit of 4 the
// diagrams give up and the expansion finds nus9601's 12 minimal cut sets
// up to order 4 (10 of order 3, 2 of order 4): depgraph's own figure, which
// no other tool here reaches (SCRAM agrees up to order 3, see
// TestHeavySCRAMAgreesNus9601Order3), so a regression check, not an
// outside expectation.
func TestHeavyUnsolvedStopCleanly(t *testing.T) {
	testenv.Heavy(t)
	readExpected(t)
	want := map[string]string{"nus9601": "12 [0 0 10 2]"}
	for _, name := range unsolvedModels {
		t.Run(name, func(t *testing.T) {
			m, top := readAralia(t, name)
			for _, expansion := range []bool{false, true} {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				start := time.Now()
				res, err := faulttree.Analyze(ctx, m.Builder, top, faulttree.Options{MaxOrder: 4, NodeLimit: 5_000_000, Expansion: expansion})
				cancel()
				if d := time.Since(start); d > 60*time.Second {
					t.Errorf("took %v despite a 20 s deadline", d)
				}
				if err != nil {
					if !strings.HasPrefix(err.Error(), "faulttree: ") {
						t.Errorf("unclear error %q", err)
					}
					if expansion {
						t.Errorf("with the expansion: %v", err)
					}
					t.Logf("expansion %v: stopped cleanly after %v: %v", expansion, time.Since(start).Round(time.Millisecond), err)
					continue
				}
				got := fmt.Sprint(res.Count, res.OrderDistribution)
				if w, ok := want[name]; ok && got != w {
					t.Errorf("expansion %v: %s minimal cut sets up to order 4, want %s", expansion, got, w)
				}
				t.Logf("expansion %v, method %s: %s minimal cut sets up to order 4 in %v", expansion, res.Method, got, time.Since(start).Round(time.Millisecond))
			}
		})
	}
}

// TestRoundTrip writes each fast model back as MEF, reads it again and
// checks the analysis does not change.
func TestRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	var models [][]string
	for _, p := range paths {
		if !strings.HasPrefix(filepath.Base(p), "split-") {
			models = append(models, []string{p})
		}
	}
	models = append(models, []string{"testdata/split-tree.xml", "testdata/split-events.xml"})
	if _, err := os.Stat(sharedDir); err == nil {
		for _, n := range []string{"aralia/chinese", "aralia/das9601", "aralia/baobab1", "aralia/edf9201", "small/three_motor", "small/core/xor", "small/core/unity"} {
			models = append(models, []string{filepath.Join(sharedDir, n+".xml")})
		}
	}
	for _, files := range models {
		t.Run(filepath.Base(files[0]), func(t *testing.T) {
			m, err := ReadFiles(files...)
			if err != nil {
				t.Fatal(err)
			}
			top, err := m.Top("")
			if err != nil {
				t.Fatal(err)
			}
			want, err := faulttree.Analyze(context.Background(), m.Builder, top, faulttree.Options{Probability: true})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, m.Builder, "roundtrip", top); err != nil {
				t.Fatal(err)
			}
			m2, err := Parse(Source{Name: "roundtrip.xml", Data: buf.Bytes()})
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			top2, err := m2.Top("roundtrip")
			if err != nil {
				t.Fatal(err)
			}
			got, err := faulttree.Analyze(context.Background(), m2.Builder, top2, faulttree.Options{Probability: true})
			if err != nil {
				t.Fatal(err)
			}
			if got.Count.Cmp(want.Count) != 0 || !(got.Probability == want.Probability || math.Abs(got.Probability-want.Probability) < 1e-12 || math.IsNaN(want.Probability) && math.IsNaN(got.Probability)) {
				t.Errorf("after round trip got:%v %v want:%v %v", got.Count, got.Probability, want.Count, want.Probability)
			}
			var again bytes.Buffer
			if err := Write(&again, m2.Builder, "roundtrip", top2); err != nil {
				t.Fatal(err)
			}
			if m3, err := Parse(Source{Name: "again.xml", Data: again.Bytes()}); err != nil || len(m3.GateNames) != len(m2.GateNames) {
				t.Errorf("second round trip: %v", err)
			}
		})
	}
}

// FuzzParse checks that the parser never panics, returns no model with an
// error, and that what it reads can be written and read again.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	more, _ := filepath.Glob(filepath.Join("testdata", "scram", "*.xml"))
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range errorTests {
		f.Add([]byte(tt.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(Source{Name: "fuzz.xml", Data: data})
		if err != nil {
			if m != nil {
				t.Fatal("model returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "openpsa: ") {
				t.Fatalf("error without prefix: %q", err)
			}
			return
		}
		for _, name := range m.Tops {
			var buf bytes.Buffer
			if err := Write(&buf, m.Builder, "t", m.Gates[name]); err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(Source{Name: "again.xml", Data: buf.Bytes()}); err != nil {
				t.Fatalf("re-reading written model: %v\n%s", err, buf.String())
			}
		}
	})
}

// TestTopNames checks the top event keeps the name the file gives it when
// hash-consing merges it with a gate of the same structure, that --top
// picks one of several, and the messages for files without a fault tree.
func TestTopNames(t *testing.T) {
	doc := `<opsa-mef><define-fault-tree name="T">
<define-gate name="Top"><gate name="Bottom"/></define-gate>
<define-gate name="Bottom"><and><basic-event name="a"/><basic-event name="b"/></and></define-gate>
<define-gate name="Other"><and><basic-event name="b"/><basic-event name="a"/></and></define-gate>
<define-basic-event name="a"/><define-basic-event name="b"/>
</define-fault-tree></opsa-mef>`
	m, err := Parse(Source{Name: "in.xml", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.TopName(""); err == nil || !strings.Contains(err.Error(), "2 top gates (Top, Other): name one with --top") {
		t.Errorf("two tops: %v", err)
	}
	for _, name := range []string{"Top", "Other"} {
		got, err := m.TopName(name)
		if err != nil || got != name {
			t.Errorf("TopName(%q) = %q, %v", name, got, err)
		}
	}
	if _, err := m.TopName("Nope"); err == nil || !strings.Contains(err.Error(), `no gate named "Nope" in in.xml`) {
		t.Errorf("unknown top: %v", err)
	}
	if _, err := ReadFiles("testdata/scram/bcd.xml"); err != nil {
		t.Fatal(err)
	}
	et, _ := ReadFiles("testdata/scram/bcd.xml")
	if _, err := et.TopName(""); err == nil || !strings.Contains(err.Error(), "bcd.xml defines no fault tree (no gate), only an event tree") {
		t.Errorf("event tree only: %v", err)
	}
	empty, err := Parse(Source{Name: "e.xml", Data: []byte("<opsa-mef/>")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.Top(""); err == nil || !strings.Contains(err.Error(), "e.xml defines no fault tree (no gate)") {
		t.Errorf("empty: %v", err)
	}
}

// TestExpansionAgreesWithBDD compares the direct expansion
// (faulttree.Expand) with the BDD engine on every shared Aralia model
// without negations but nus9601 (which no diagram holds) at order 4: the
// same count and order distribution, and the same five most probable sets'
// orders and probabilities.
func TestExpansionAgreesWithBDD(t *testing.T) {
	readExpected(t)
	for _, name := range []string{"baobab1", "baobab2", "chinese", "das9201", "das9202", "das9203", "das9205", "das9206", "das9208", "das9209", "edf9201", "edf9202", "edf9203", "edf9206", "edfpa14b", "edfpa14o", "edfpa14p", "edfpa14q", "edfpa14r", "edfpa15b", "edfpa15o", "edfpa15q", "ftr10", "isp9601", "isp9602", "isp9604", "isp9606"} {
		t.Run(name, func(t *testing.T) {
			m, top := readAralia(t, name)
			opts := faulttree.Options{MaxOrder: 4, MaxSets: 5}
			want, err := faulttree.Analyze(context.Background(), m.Builder, top, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := faulttree.Expand(context.Background(), m.Builder, top, opts)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := fmt.Sprint(got.Count, got.OrderDistribution), fmt.Sprint(want.Count, want.OrderDistribution); g != w {
				t.Errorf("expansion %s, BDD %s", g, w)
			}
			var gotOrders, wantOrders []int
			for i := range got.Sets {
				gotOrders = append(gotOrders, len(got.Sets[i]))
			}
			for i := range want.Sets {
				wantOrders = append(wantOrders, len(want.Sets[i]))
			}
			if fmt.Sprint(gotOrders) != fmt.Sprint(wantOrders) || len(got.SetProbabilities) != len(want.SetProbabilities) {
				t.Fatalf("sets' orders: expansion %v, BDD %v", gotOrders, wantOrders)
			}
			for i, p := range want.SetProbabilities {
				if math.Abs(got.SetProbabilities[i]-p) > 1e-12*p {
					t.Errorf("set %d: probability %g, BDD %g", i, got.SetProbabilities[i], p)
				}
			}
		})
	}
}

// readAralia reads the shared Aralia model name and its only top gate.
func readAralia(t *testing.T, name string) (*Model, faulttree.Ref) {
	t.Helper()
	m, err := ReadFiles(filepath.Join(sharedDir, "aralia", name+".xml"))
	if err != nil {
		t.Fatal(err)
	}
	top, err := m.Top("")
	if err != nil {
		t.Fatal(err)
	}
	return m, top
}
