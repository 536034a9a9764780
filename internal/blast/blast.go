package blast

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// SchemaVersion is the version of Result's JSON form. Fields may be added
// without changing it; it changes when one changes meaning or goes away.
const SchemaVersion = 1

// The states of an affected node.
const (
	StateDown     = "down"
	StateDegraded = "degraded"
)

// Result is the blast radius of a failure, ready to render.
type Result struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Failed lists the nodes failed on purpose, sorted.
	Failed []string `json:"failed"`
	// Affected lists every other node with an impairment, sorted by hops,
	// then impairment (highest first), then id.
	Affected []Affected `json:"affected"`
	// Summary counts the affected nodes.
	Summary Summary `json:"summary"`
}

// Affected is one node the failure reaches.
type Affected struct {
	// ID is the node's id.
	ID string `json:"id"`
	// Kind is the node's kind.
	Kind string `json:"kind"`
	// Name is the node's human name.
	Name string `json:"name"`
	// Impairment is the share of the node lost, in (0, 1], rounded to six
	// decimals; 0 for a node at risk (the share is unknown).
	Impairment float64 `json:"impairment"`
	// State is "down" (impairment 1), "degraded" or "at_risk" (exposed
	// through a dependency of unknown share; see FindAtRisk).
	State string `json:"state"`
	// Hops is the length of Path minus one.
	Hops int `json:"hops"`
	// Layer is the node's layer as seen from your own services: "own",
	// "third-party", "fourth-party", … or its infrastructure kind
	// ("provider", "region", "zone", "cloud-service"); "unused" when none of
	// your services depends on it.
	Layer string `json:"layer"`
	// Party is the party number (1 own, 3 third, 4 fourth, …; 0 unused).
	Party int `json:"party"`
	// Path is the chain that explains the impairment, from a failed node to
	// this one.
	Path []string `json:"path"`
	// Plane is "control" for a control-plane node (deploys, provisioning,
	// configuration: when it fails you can't deploy) and "data" for a
	// data-plane node (serving: when it fails the site is down), from the
	// node's tags (see model.PlaneOf); "" when the model does not say.
	Plane string `json:"plane,omitempty"`
}

// Summary counts what a failure reaches.
type Summary struct {
	// Down and Degraded count the affected nodes in each state.
	Down     int `json:"down"`
	Degraded int `json:"degraded"`
	// ServicesDown and ServicesDegraded list your own affected services.
	ServicesDown     []string `json:"services_down"`
	ServicesDegraded []string `json:"services_degraded"`
	// AtRisk counts the nodes at risk, ServicesAtRisk lists your own
	// services among them: the numbers leave them healthy, but they
	// depend on the failure through a share nobody has published.
	AtRisk         int      `json:"at_risk"`
	ServicesAtRisk []string `json:"services_at_risk"`
}

// UnknownNodeError reports a node id that is not in the model.
type UnknownNodeError struct {
	// ID is the id asked for.
	ID string
	// Suggestion is the likely intended id, or "".
	Suggestion string
}

func (e *UnknownNodeError) Error() string {
	msg := fmt.Sprintf("blast: no node %q in the model", e.ID)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// Resolve turns model ids into node IDs, reporting the first unknown one
// with a suggestion.
func Resolve(g *graph.Graph, ids []string) ([]int32, error) {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		i, ok := g.Lookup(id)
		if !ok {
			all := g.IDs()
			s := suggest.Suffix(id, all)
			if s == "" {
				s = suggest.Closest(id, all)
			}
			return nil, &UnknownNodeError{ID: id, Suggestion: s}
		}
		out = append(out, i)
	}
	return out, nil
}

// Run computes the blast radius of failing the named nodes.
func Run(g *graph.Graph, failed []string) (*Result, error) {
	if len(failed) == 0 {
		return nil, fmt.Errorf("blast: no node to fail")
	}
	ids, err := Resolve(g, failed)
	if err != nil {
		return nil, err
	}
	p := PropagateSeedsPaths(g, failedSeeds(ids)) // Describe needs the paths
	return Describe(g, ids, p), nil
}

// Describe turns a propagation into a Result, with the nodes at risk
// (FindAtRisk) after the impaired ones.
func Describe(g *graph.Graph, failed []int32, p *Propagation) *Result {
	res := &Result{SchemaVersion: SchemaVersion, Failed: []string{}, Affected: []Affected{}}
	isFailed := make(map[int32]bool, len(failed))
	for _, f := range failed {
		if !isFailed[f] {
			isFailed[f] = true
			res.Failed = append(res.Failed, g.ModelNode(f).ID)
		}
	}
	slices.Sort(res.Failed)
	res.Summary.ServicesDown, res.Summary.ServicesDegraded, res.Summary.ServicesAtRisk = []string{}, []string{}, []string{}
	p.ExplainPaths()
	for _, u := range p.Order {
		if isFailed[u] {
			continue
		}
		n := g.ModelNode(u)
		a := Affected{
			ID:         n.ID,
			Kind:       string(n.Kind),
			Name:       n.Name,
			Impairment: math.Round(p.Impairment[u]*1e6) / 1e6,
			State:      StateDegraded,
			Hops:       int(p.Hops[u]),
			Layer:      g.Layer(u),
			Party:      g.Party(u),
			Plane:      model.PlaneOf(n),
		}
		for _, v := range p.Path(u) {
			a.Path = append(a.Path, g.ModelNode(v).ID)
		}
		own := g.Party(u) == 1 && n.Kind == "service"
		if p.Impairment[u] >= 1-Epsilon {
			a.State, a.Impairment = StateDown, 1
			res.Summary.Down++
			if own {
				res.Summary.ServicesDown = append(res.Summary.ServicesDown, n.ID)
			}
		} else {
			res.Summary.Degraded++
			if own {
				res.Summary.ServicesDegraded = append(res.Summary.ServicesDegraded, n.ID)
			}
		}
		res.Affected = append(res.Affected, a)
	}
	describeAtRisk(g, FindAtRisk(g, p), res)
	slices.SortFunc(res.Affected, func(a, b Affected) int {
		return cmp.Or(cmp.Compare(a.Hops, b.Hops), cmp.Compare(b.Impairment, a.Impairment), cmp.Compare(a.ID, b.ID))
	})
	return res
}

// describeAtRisk adds the at-risk nodes of a to res.
func describeAtRisk(g *graph.Graph, a *AtRisk, res *Result) {
	for _, u := range a.Order {
		n := g.ModelNode(u)
		af := Affected{ID: n.ID, Kind: string(n.Kind), Name: n.Name, State: StateAtRisk,
			Hops: int(a.Hops[u]), Layer: g.Layer(u), Party: g.Party(u), Plane: model.PlaneOf(n)}
		for _, v := range a.Path(u) {
			af.Path = append(af.Path, g.ModelNode(v).ID)
		}
		res.Summary.AtRisk++
		if g.Party(u) == 1 && n.Kind == "service" {
			res.Summary.ServicesAtRisk = append(res.Summary.ServicesAtRisk, n.ID)
		}
		res.Affected = append(res.Affected, af)
	}
	slices.Sort(res.Summary.ServicesAtRisk)
}
