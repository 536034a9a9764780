// Package gen generates large, realistic dependency models for benchmarks
// and for the hidden `depgraph gen` command: a few cloud providers with
// tens of regions, zones and regional services; thousands of vendors whose
// fan-out to other vendors (fourth parties) is heavy-tailed, chosen by
// preferential attachment so a few vendors become hubs, as real supply
// chains do; and your own services, each with hard dependencies, weighted
// ones and failover groups.
//
// Generation is deterministic for a given Config (math/rand/v2 PCG seeded
// from Config.Seed).
package gen

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/depgraph/depgraph/internal/model"
)

// Config sizes a generated model.
type Config struct {
	// Seed makes the model reproducible.
	Seed uint64
	// Providers, RegionsPerProvider, ZonesPerRegion and ServicesPerRegion
	// shape the infrastructure.
	Providers          int
	RegionsPerProvider int
	ZonesPerRegion     int
	ServicesPerRegion  int
	// Vendors is the number of vendors; each has 1..MaxComponents
	// components.
	Vendors       int
	MaxComponents int
	// VendorFanOut is the mean number of other vendors a vendor depends on
	// (heavy-tailed around it).
	VendorFanOut float64
	// Services is the number of your own services; each depends on about
	// ServiceFanOut vendor components.
	Services      int
	ServiceFanOut int
}

// Sized returns a Config for about the given number of nodes and edges.
func Sized(nodes, edges int, seed uint64) Config {
	c := Config{Seed: seed, Providers: 3, RegionsPerProvider: min(30, max(2, nodes/300)), ZonesPerRegion: 3, ServicesPerRegion: 6, MaxComponents: 4}
	infra := c.Providers * (1 + c.RegionsPerProvider*(1+c.ZonesPerRegion+c.ServicesPerRegion))
	rest := max(nodes-infra, 10)
	c.Services = max(rest/20, 1)
	c.Vendors = max((rest-c.Services)*2/7, 1) // a vendor and 2.5 components on average
	c.ServiceFanOut = 8
	// Each component has its part-of edge and one hosting edge; vendors
	// add their hosting and fan-out.
	perVendor := float64(max(edges-infra*2-c.Services*c.ServiceFanOut, rest)) / float64(c.Vendors)
	// Components bring 2.5 part-of and 1.25 zone edges, hosting 1.3; the
	// rest is fan-out, inflated a little for the duplicates drawn.
	c.VendorFanOut = math.Max(1, (perVendor-5)*1.15)
	return c
}

// Generate builds a model from c.
func Generate(c Config) *model.Model {
	r := rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
	m := &model.Model{Files: []string{"generated"}}
	add := func(n *model.Node) *model.Node {
		if n.Name == "" {
			n.Name = n.ID
		}
		n.Origin = "generated"
		m.Nodes = append(m.Nodes, n)
		return n
	}
	hard := func(id string) model.Dependency { return model.Dependency{ID: id, Impact: 1} }
	partOf := func(id string) model.Dependency { return model.Dependency{ID: id, Impact: 1, PartOf: true} }

	var regions, regionServices []string
	for p := range c.Providers {
		pid := fmt.Sprintf("cloud%d", p)
		add(&model.Node{ID: pid, Kind: model.KindProvider})
		iam := add(&model.Node{ID: pid + "/iam", Kind: model.KindCloudService, DependsOn: []model.Dependency{partOf(pid)}})
		for rg := range c.RegionsPerProvider {
			rid := fmt.Sprintf("%s/region-%02d", pid, rg)
			add(&model.Node{ID: rid, Kind: model.KindRegion, DependsOn: []model.Dependency{partOf(pid)}})
			regions = append(regions, rid)
			if rg == 0 {
				iam.DependsOn = append(iam.DependsOn, hard(rid)) // control plane in the home region
			}
			var zones []string
			for z := range c.ZonesPerRegion {
				zid := fmt.Sprintf("%s/z%d", rid, z)
				add(&model.Node{ID: zid, Kind: model.KindZone, DependsOn: []model.Dependency{partOf(rid)}})
				zones = append(zones, zid)
			}
			for s := range c.ServicesPerRegion {
				sid := fmt.Sprintf("%s/svc%d", rid, s)
				deps := []model.Dependency{partOf(rid), hard(pid + "/iam")}
				if len(zones) > 1 {
					deps = append(deps, model.Dependency{AnyOf: zones, Min: min(2, len(zones)), Impact: 1})
				}
				add(&model.Node{ID: sid, Kind: model.KindCloudService, DependsOn: deps})
				regionServices = append(regionServices, sid)
			}
		}
	}

	// Vendors in creation order; a vendor depends only on earlier vendors,
	// picked by preferential attachment (weight 1 + in-degree).
	var components []string
	var attach []int // vendor indices, one entry per unit of weight
	vendorIDs := make([]string, 0, c.Vendors)
	for v := range c.Vendors {
		vid := "vendor" + strconv.Itoa(v)
		vendorIDs = append(vendorIDs, vid)
		node := add(&model.Node{ID: vid, Kind: model.KindVendor})
		// Hosting: one regional service, or a failover pair across regions.
		if len(regionServices) > 0 {
			a := regionServices[r.IntN(len(regionServices))]
			if r.Float64() < 0.3 {
				b := regionServices[r.IntN(len(regionServices))]
				if b != a {
					node.DependsOn = append(node.DependsOn, model.Dependency{AnyOf: []string{a, b}, Min: 1, Impact: 1})
				} else {
					node.DependsOn = append(node.DependsOn, hard(a))
				}
			} else {
				node.DependsOn = append(node.DependsOn, hard(a))
			}
		}
		if v > 0 {
			k := paretoCount(r, c.VendorFanOut)
			seen := map[int]bool{}
			for range k {
				t := attach[r.IntN(len(attach))]
				if seen[t] {
					continue
				}
				seen[t] = true
				impact := 1.0
				if r.Float64() < 0.5 {
					impact = math.Round(r.Float64()*100) / 100
				}
				node.DependsOn = append(node.DependsOn, model.Dependency{ID: vendorIDs[t], Impact: impact})
				attach = append(attach, t)
			}
		}
		attach = append(attach, v)
		nc := 1 + r.IntN(max(c.MaxComponents, 1))
		for ci := range nc {
			cid := fmt.Sprintf("%s/c%d", vid, ci)
			deps := []model.Dependency{partOf(vid)}
			if len(regions) > 0 && r.Float64() < 0.5 {
				deps = append(deps, hard(regions[r.IntN(len(regions))]+"/z"+strconv.Itoa(r.IntN(max(c.ZonesPerRegion, 1)))))
			}
			if c.ZonesPerRegion == 0 {
				deps = deps[:1]
			}
			add(&model.Node{ID: cid, Kind: model.KindComponent, DependsOn: deps})
			components = append(components, cid)
		}
	}

	for s := range c.Services {
		sid := fmt.Sprintf("acme/svc%d", s)
		node := add(&model.Node{ID: sid, Kind: model.KindService, Tags: []string{"tier-" + strconv.Itoa(1+s%3)}})
		if len(components) == 0 {
			continue
		}
		seen := map[string]bool{}
		for range c.ServiceFanOut {
			t := components[r.IntN(len(components))]
			if seen[t] {
				continue
			}
			seen[t] = true
			switch x := r.Float64(); {
			case x < 0.15:
				u := components[r.IntN(len(components))]
				if u != t && !seen[u] {
					seen[u] = true
					node.DependsOn = append(node.DependsOn, model.Dependency{AnyOf: []string{t, u}, Min: 1, Impact: 1})
					continue
				}
				node.DependsOn = append(node.DependsOn, hard(t))
			case x < 0.5:
				node.DependsOn = append(node.DependsOn, model.Dependency{ID: t, Impact: math.Round(r.Float64()*100) / 100})
			default:
				node.DependsOn = append(node.DependsOn, hard(t))
			}
		}
	}
	return m
}

// paretoCount draws a heavy-tailed count with the given mean (Pareto with
// shape 2, so the mean is twice the minimum), capped at 50 times the mean.
func paretoCount(r *rand.Rand, mean float64) int {
	xm := mean / 2
	x := xm / math.Sqrt(1-r.Float64())
	return int(math.Min(x, 50*mean) + 0.5)
}

// WriteYAML writes m in depgraph's flat YAML form.
func WriteYAML(w io.Writer, m *model.Model) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("depgraph: 1\nnodes:\n")
	for _, n := range m.Nodes {
		fmt.Fprintf(bw, "  - id: %s\n    kind: %s\n", n.ID, n.Kind)
		if len(n.Tags) > 0 {
			fmt.Fprintf(bw, "    tags: [%s]\n", n.Tags[0])
		}
		if len(n.DependsOn) == 0 {
			continue
		}
		bw.WriteString("    depends_on:\n")
		for _, d := range n.DependsOn {
			switch {
			case d.IsGroup():
				bw.WriteString("      - {any_of: [")
				for i, a := range d.AnyOf {
					if i > 0 {
						bw.WriteString(", ")
					}
					bw.WriteString(a)
				}
				fmt.Fprintf(bw, "], min: %d}\n", d.Min)
			case d.ImpactUnknown:
				fmt.Fprintf(bw, "      - {id: %s, impact: unknown}\n", d.ID)
			case d.Impact != 1:
				fmt.Fprintf(bw, "      - {id: %s, impact: %s}\n", d.ID, strconv.FormatFloat(d.Impact, 'f', -1, 64))
			default:
				fmt.Fprintf(bw, "      - %s\n", d.ID)
			}
		}
	}
	return bw.Flush()
}
