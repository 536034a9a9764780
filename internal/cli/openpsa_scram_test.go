package cli

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/faulttree"
	"github.com/depgraph/depgraph/internal/gen"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/openpsa"
	"github.com/depgraph/depgraph/internal/openpsa/scramtest"
)

// withUnavailability has probabilities on every node, a failover group
// and a 2-of-3 group, so SCRAM's probability is compared too.
const withUnavailability = `depgraph: 1
nodes:
  - {id: aws/us-east-1, kind: region, unavailability: 0.002}
  - {id: aws/us-west-2, kind: region, unavailability: 0.003}
  - {id: gcp/europe-west1, kind: region, unavailability: 0.004}
  - {id: cloudflare/cdn, kind: component, depends_on: [aws/us-east-1], unavailability: 0.001}
  - {id: openai/api, kind: component, depends_on: [aws/us-east-1], unavailability: 0.01}
  - {id: anthropic/api, kind: component, depends_on: [gcp/europe-west1], unavailability: 0.02}
  - {id: db.primary, kind: component, depends_on: [aws/us-east-1], unavailability: 0.005}
  - {id: db.replica-1, kind: component, depends_on: [aws/us-west-2], unavailability: 0.005}
  - {id: db.replica-2, kind: component, depends_on: [gcp/europe-west1], unavailability: 0.005}
  - id: acme/bot
    kind: service
    unavailability: 0.001
    depends_on:
      - cloudflare/cdn
      - {any_of: [openai/api, anthropic/api], min: 1}
      - {any_of: [db.primary, db.replica-1, db.replica-2], min: 2}
`

// TestExportThroughSCRAM exports the example, a model with
// unavailabilities and generated models with export --openpsa, checks
// that scram --validate accepts each file, and that SCRAM's minimal cut
// sets (scram -l 3, names decoded back to node ids) are depgraph domains'
// failure domains, with the same probability where the model has one.
// It needs DEPGRAPH_SCRAM_TESTS=1 (.ci/run sets it) and scram.
func TestExportThroughSCRAM(t *testing.T) {
	bin := scramtest.Require(t)
	dir := t.TempDir()
	models := map[string][]string{"example": nil}
	p := filepath.Join(dir, "unavailability.yaml")
	if err := os.WriteFile(p, []byte(withUnavailability), 0o644); err != nil {
		t.Fatal(err)
	}
	models["unavailability"] = []string{p}
	for _, size := range []struct {
		nodes, edges int
		seed         uint64
	}{{300, 900, 1}, {600, 2000, 2}} {
		p := filepath.Join(dir, fmt.Sprintf("gen-%d.yaml", size.nodes))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := gen.WriteYAML(f, gen.Generate(gen.Sized(size.nodes, size.edges, size.seed))); err != nil {
			t.Fatal(err)
		}
		f.Close()
		models[fmt.Sprintf("gen-%d", size.nodes)] = []string{p}
	}
	// A generated model with an unavailability on every node (gen writes
	// none), exported in memory through the same writer.
	gm := gen.Generate(gen.Sized(300, 900, 3))
	for i, n := range gm.Nodes {
		u := 0.0005 * float64(1+i%9)
		n.Unavailability = &u
	}
	genP, err := graph.Build(gm)
	if err != nil {
		t.Fatal(err)
	}
	models["gen-300-unavailability"] = nil
	for name, paths := range models {
		t.Run(name, func(t *testing.T) {
			g := genP
			if name != "gen-300-unavailability" {
				mf := modelFlags{Paths: paths}
				var err error
				if _, g, err = mf.loadGraph(); err != nil {
					t.Fatal(err)
				}
			}
			// export --openpsa [--target id] -o file
			export := func(file, target string) {
				t.Helper()
				if g == genP {
					f, err := os.Create(file)
					if err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					if err := writeFaultTree(f, g, target, 1); err != nil {
						t.Fatal(err)
					}
					return
				}
				ios, _, _, _ := iostreams.Test()
				cmd := newExportCmd(ios)
				args := []string{"--openpsa", "-o", file}
				if target != "" {
					args = append(args, "--target", target)
				}
				for _, p := range paths {
					args = append(args, "-m", p)
				}
				cmd.SetArgs(args)
				if err := cmd.Execute(); err != nil {
					t.Fatal(err)
				}
			}
			// The default top: any service down; SCRAM's products equal
			// depgraph's reading of the same file.
			anyFile := filepath.Join(dir, name+"-any.xml")
			export(anyFile, "")
			if out, err := scramtest.Validate(t, bin, anyFile); err != nil {
				t.Fatalf("scram --validate %s: %v\n%s", anyFile, err, out)
			}
			m, err := openpsa.ReadFiles(anyFile)
			if err != nil {
				t.Fatal(err)
			}
			top, err := m.Top("")
			if err != nil {
				t.Fatal(err)
			}
			res, err := faulttree.Analyze(context.Background(), m.Builder, top, faulttree.Options{MaxOrder: 3, MaxSets: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			var mine []string
			for _, cs := range res.Sets {
				var names []string
				for _, e := range cs {
					names = append(names, m.Builder.Event(e).Name) // the file's encoded names
				}
				mine = append(mine, scramtest.Product(names))
			}
			slices.Sort(mine)
			if w := scramtest.Run(t, bin, []string{"-l", "3"}, anyFile)[openpsa.EncodeName("any-service-down")]; !slices.Equal(mine, w.Products) {
				t.Errorf("any service down: depgraph %d sets, SCRAM %d products\n ours:%q\nSCRAM:%q", len(mine), len(w.Products), mine, w.Products)
			} else {
				t.Logf("%s any-service-down: %d minimal cut sets, SCRAM %d products", name, len(mine), len(w.Products))
			}
			svcs := g.Services()
			if len(svcs) > 4 {
				svcs = svcs[:4]
			}
			for _, s := range svcs {
				id := g.ModelNode(s).ID
				file := filepath.Join(dir, name+"-"+openpsa.EncodeName(id)+".xml")
				export(file, id)
				if out, err := scramtest.Validate(t, bin, file); err != nil {
					t.Fatalf("scram --validate %s: %v\n%s", file, err, out)
				}
				doms, err := domains.Find(context.Background(), g, []int32{s}, domains.Options{MaxOrder: 3, HardThreshold: 1, MaxSets: 1 << 20})
				if err != nil {
					t.Fatal(err)
				}
				td := doms.Targets[0]
				// SCRAM's probability analysis refuses events without an
				// expression: ask for it only when depgraph knows them all.
				sargs := []string{"-l", "3"}
				if td.Probability != nil {
					sargs = append(sargs, "--probability", "true")
				}
				res := scramtest.Run(t, bin, sargs, file)
				w, ok := res[openpsa.EncodeName(id)]
				if !ok {
					t.Fatalf("%s: SCRAM reported %v, no top %q", id, res, openpsa.EncodeName(id))
				}
				var theirs []string
				for _, p := range w.Products {
					var ids []string
					for _, n := range strings.Split(p, ", ") {
						if n == "" {
							continue
						}
						d, ok := openpsa.DecodeName(n)
						if !ok {
							t.Fatalf("SCRAM product name %q does not decode", n)
						}
						ids = append(ids, d)
					}
					slices.Sort(ids)
					// domains leaves out the root of your own organisation
					// (its failure is yours, not a dependency); the export
					// keeps it as an event, so SCRAM lists it.
					if len(ids) == 1 && ids[0] == model.Org(id) {
						continue
					}
					theirs = append(theirs, strings.Join(ids, ", "))
				}
				slices.Sort(theirs)
				var ours []string
				for _, cs := range td.CutSets {
					ids := slices.Clone(cs)
					slices.Sort(ids)
					ours = append(ours, strings.Join(ids, ", "))
				}
				slices.Sort(ours)
				if !slices.Equal(ours, theirs) {
					t.Errorf("%s: depgraph domains %d sets, SCRAM %d products\n ours:%q\nSCRAM:%q", id, len(ours), len(theirs), ours, theirs)
				}
				if td.Probability != nil {
					if !w.HasProbability || math.Abs(*td.Probability-w.Probability) > 5e-6**td.Probability+1e-15 {
						t.Errorf("%s: probability depgraph %.8g, SCRAM %g", id, *td.Probability, w.Probability)
					}
				}
				prob := "unknown"
				if td.Probability != nil {
					prob = fmt.Sprintf("%.6g (SCRAM %g)", *td.Probability, w.Probability)
				}
				t.Logf("%s %s: %d failure domains, SCRAM %d products; probability %s", name, id, len(ours), len(theirs), prob)
			}
		})
	}
}
