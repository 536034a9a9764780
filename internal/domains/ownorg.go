package domains

import (
	"math/big"

	"github.com/depgraph/depgraph/internal/count"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// ownOrgRoot reports whether node u is the root of one of your own
// organisations (acme for acme/checkout). Every nested node depends on its
// parent, so the root is formally a single point of failure of all your
// services; but its failure is your whole organisation failing, not a
// dependency you could remove, and Find does not report it.
func ownOrgRoot(g *graph.Graph, u int32) bool {
	id := g.ModelNode(u).ID
	return g.Party(u) == 1 && model.Org(id) == id
}

// uncount takes n single-node failure domains out of td's count and order
// distribution.
func (td *Target) uncount(n int) {
	if n == 0 {
		return
	}
	sub := func(c count.N) count.N {
		return count.Of(new(big.Int).Sub(c.Big(), big.NewInt(int64(n))))
	}
	td.Count = sub(td.Count)
	if len(td.OrderDistribution) > 0 {
		td.OrderDistribution[0] = sub(td.OrderDistribution[0])
	}
}
