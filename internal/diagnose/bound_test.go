package diagnose

import (
	"testing"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/mention"
)

// TestUpperBoundsHold checks the pruning's premise on a generated model
// with observations and incidents: no single cause scores above its upper
// bound.
func TestUpperBoundsHold(t *testing.T) {
	g := genGraph(t, 3000, 12000, 3)
	in := benchInput(t, g)
	d, _ := newDiag(g, in, mention.FromGraph(g))
	cands, _ := d.candidates()
	ub := d.upperBounds(cands)
	for _, c := range cands {
		p := blast.PropagateSeeds(d.net, []blast.Seed{{Node: c, Impairment: 1}})
		if s := d.score([]int32{c}, p, nil); s > ub[c]+1e-9 {
			t.Errorf("%s: score %.3f above its bound %.3f", d.sub.ModelNode(c).ID, s, ub[c])
		}
	}
	if len(cands) < 50 {
		t.Fatalf("only %d candidates", len(cands))
	}
}
