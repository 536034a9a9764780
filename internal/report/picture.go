package report

import (
	"cmp"
	"slices"

	"github.com/depgraph/depgraph/internal/view"
)

// picture chooses what the graph picture draws: the services (worst
// first, at most a third of the picture), then the
// chains defeating their failover groups, the worst shared domains'
// paths, the paths to their single points of failure, then the rest of
// their upstream by distance, each chain taken whole or not at all, up to
// PictureNodes nodes.
func (b *builder) picture(services []int32, r *Report) Picture {
	limit := b.opts.PictureNodes
	full := view.Build(b.g, view.Options{Name: "risk", Focus: services})
	keep := map[string]bool{}
	take := func(ids ...string) bool {
		n := 0
		for _, id := range ids {
			if !keep[id] {
				n++
			}
		}
		if len(keep)+n > limit {
			return false
		}
		for _, id := range ids {
			keep[id] = true
		}
		return true
	}
	// At most a third of the picture goes to services (worst first), so
	// what threatens them has room.
	var drawn []Service
	for _, s := range r.Services {
		if len(drawn) < max(1, limit/3) && take(s.ID) {
			drawn = append(drawn, s)
		}
	}
	domain := map[string]bool{}
	for _, s := range drawn {
		for _, d := range s.Defeated {
			for _, c := range d.Causes {
				var chain []string
				for _, ch := range c.Chains {
					chain = append(chain, ch...)
				}
				chain = append(chain, s.ID, d.Owner)
				if take(chain...) {
					domain[c.Node] = true
				}
			}
		}
	}
	for _, wd := range r.Summary.WorstDomains {
		for _, s := range drawn {
			for _, sp := range s.SPOFs {
				if slices.Contains(wd.Nodes, sp.Node) {
					take(sp.Via...)
				}
			}
		}
		if len(wd.Nodes) > 1 {
			for _, id := range wd.Nodes {
				domain[id] = true
			}
		}
	}
	for _, s := range drawn {
		for _, sp := range s.SPOFs {
			take(sp.Via...)
		}
	}
	// The rest of the upstream, breadth first from what is drawn.
	frontier := make([]string, 0, len(keep))
	for id := range keep {
		frontier = append(frontier, id)
	}
	slices.Sort(frontier)
	for len(frontier) > 0 && len(keep) < limit {
		var next []string
		for _, id := range frontier {
			i, ok := b.g.Lookup(id)
			if !ok {
				continue
			}
			for _, d := range b.g.Dependencies(i) {
				did := b.g.ModelNode(d).ID
				if !keep[did] && len(keep) < limit {
					keep[did] = true
					next = append(next, did)
				}
			}
		}
		slices.Sort(next)
		frontier = next
	}

	spof := map[string]bool{}
	for _, s := range r.Services {
		for _, sp := range s.SPOFs {
			spof[sp.Node] = true
		}
	}
	v := &view.View{Name: full.Name, Nodes: []view.Node{}, Edges: []view.Edge{}}
	omitted := map[string]int{}
	for _, n := range full.Nodes {
		if !keep[n.ID] {
			omitted[n.Kind]++
			continue
		}
		n.SPOF = spof[n.ID]
		v.Nodes = append(v.Nodes, n)
	}
	for _, e := range full.Edges {
		if keep[e.From] && keep[e.To] {
			v.Edges = append(v.Edges, e)
		}
	}
	v.Omitted = len(full.Nodes) - len(v.Nodes)
	p := Picture{View: v, Domain: []string{}, Upstream: len(full.Nodes), Omitted: v.Omitted, OmittedKinds: []KindCount{}}
	for id := range domain {
		if domain[id] && keep[id] {
			p.Domain = append(p.Domain, id)
		}
	}
	slices.Sort(p.Domain)
	for k, c := range omitted {
		p.OmittedKinds = append(p.OmittedKinds, KindCount{Kind: k, Count: c})
	}
	slices.SortFunc(p.OmittedKinds, func(x, y KindCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Kind, y.Kind))
	})
	return p
}
