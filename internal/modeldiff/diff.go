package modeldiff

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// SchemaVersion is the version of the JSON form of a Diff.
const SchemaVersion = 1

// Diff is what changed from Old to New. Every list is sorted.
type Diff struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Old and New name the two sides as given.
	Old string `json:"old"`
	New string `json:"new"`
	// NodesAdded and NodesRemoved are the nodes only one side has.
	NodesAdded   []NodeRef `json:"nodes_added"`
	NodesRemoved []NodeRef `json:"nodes_removed"`
	// Edges are the dependency edges added, removed or changed.
	Edges []EdgeChange `json:"edges"`
	// Regions are the nodes whose regions or zones (direct dependencies
	// of kind region or zone) changed.
	Regions []RegionChange `json:"regions"`
	// Attributes are the kind, parent, unavailability and confidence
	// changes of nodes both sides have.
	Attributes []AttrChange `json:"attributes"`
	// Sources are the nodes whose sources changed.
	Sources []SourceChange `json:"sources"`
	// Services are your services (kind: service) whose single points of
	// failure changed.
	Services []ServiceChange `json:"services"`
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.NodesAdded)+len(d.NodesRemoved)+len(d.Edges)+len(d.Regions)+len(d.Attributes)+len(d.Sources)+len(d.Services) == 0
}

// NodeRef names a node and where it is declared.
type NodeRef struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Where string `json:"where"`
}

// EdgeChange is one dependency edge that changed.
type EdgeChange struct {
	// From depends on To.
	From string `json:"from"`
	To   string `json:"to"`
	// Change is "added", "removed" or "changed".
	Change string `json:"change"`
	// Old and New describe how From depends on To on each side ("" when
	// absent): "impact 1", "any_of [a, b] min 1 impact 1", "part of".
	Old string `json:"old"`
	New string `json:"new"`
	// Where is the position of the entry (new side, else old).
	Where string `json:"where"`
}

// RegionChange is a node that moved regions or zones.
type RegionChange struct {
	Node    string   `json:"node"`
	Old     []string `json:"old"`
	New     []string `json:"new"`
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
}

// AttrChange is one attribute of a node that changed.
type AttrChange struct {
	Node  string `json:"node"`
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// SourceChange lists the sources ("url (as_of)") a node gained and lost.
type SourceChange struct {
	Node    string   `json:"node"`
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
}

// ServiceChange is a service whose single points of failure changed.
type ServiceChange struct {
	Service string `json:"service"`
	// Status is "added" or "removed" for a service only one side has, ""
	// otherwise.
	Status string `json:"status,omitempty"`
	// Gained and Lost are the single points of failure it gained and lost.
	Gained []string `json:"gained"`
	Lost   []string `json:"lost"`
}

// Compare computes the diff from old to new; oldName and newName label
// the sides.
func Compare(ctx context.Context, oldName string, old *model.Model, newName string, new *model.Model) (*Diff, error) {
	d := &Diff{SchemaVersion: SchemaVersion, Old: oldName, New: newName,
		NodesAdded: []NodeRef{}, NodesRemoved: []NodeRef{}, Edges: []EdgeChange{}, Regions: []RegionChange{},
		Attributes: []AttrChange{}, Sources: []SourceChange{}, Services: []ServiceChange{}}
	oi, ni := old.Index(), new.Index()
	for _, id := range sortedKeys(ni) {
		if _, ok := oi[id]; !ok {
			n := ni[id]
			d.NodesAdded = append(d.NodesAdded, NodeRef{ID: id, Kind: string(n.Kind), Where: n.Pos.String()})
		}
	}
	for _, id := range sortedKeys(oi) {
		if _, ok := ni[id]; !ok {
			n := oi[id]
			d.NodesRemoved = append(d.NodesRemoved, NodeRef{ID: id, Kind: string(n.Kind), Where: n.Pos.String()})
		}
	}
	oe, ne := edges(old), edges(new)
	keys := map[[2]string]bool{}
	for k := range oe {
		keys[k] = true
	}
	for k := range ne {
		keys[k] = true
	}
	for _, k := range slices.SortedFunc(func(yield func([2]string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }) {
		o, n := oe[k], ne[k]
		ec := EdgeChange{From: k[0], To: k[1], Old: o.desc, New: n.desc, Where: cmp.Or(n.where, o.where)}
		switch {
		case o.desc == "":
			ec.Change = "added"
		case n.desc == "":
			ec.Change = "removed"
		case o.desc != n.desc:
			ec.Change = "changed"
		default:
			continue
		}
		d.Edges = append(d.Edges, ec)
	}
	for _, id := range sortedKeys(ni) {
		on, ok := oi[id]
		if !ok {
			continue
		}
		nn := ni[id]
		ro, rn := regions(on, oi), regions(nn, ni)
		if !slices.Equal(ro, rn) {
			d.Regions = append(d.Regions, RegionChange{Node: id, Old: ro, New: rn, Added: minus(rn, ro), Removed: minus(ro, rn)})
		}
		for _, f := range []struct{ name, o, n string }{
			{"kind", string(on.Kind), string(nn.Kind)},
			{"parent", on.Parent, nn.Parent},
			{"unavailability", fmtProb(on.Unavailability), fmtProb(nn.Unavailability)},
			{"confidence", on.Confidence, nn.Confidence},
		} {
			if f.o != f.n {
				d.Attributes = append(d.Attributes, AttrChange{Node: id, Field: f.name, Old: f.o, New: f.n})
			}
		}
		so, sn := sources(on), sources(nn)
		if !slices.Equal(so, sn) {
			d.Sources = append(d.Sources, SourceChange{Node: id, Added: minus(sn, so), Removed: minus(so, sn)})
		}
	}
	var err error
	if d.Services, err = services(ctx, old, new); err != nil {
		return nil, err
	}
	return d, nil
}

func sortedKeys(m map[string]*model.Node) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

type edgeInfo struct{ desc, where string }

// edges describes every (dependent, dependency) pair of m.
func edges(m *model.Model) map[[2]string]edgeInfo {
	out := map[[2]string]edgeInfo{}
	for _, n := range m.Nodes {
		parts := map[string][]string{}
		where := map[string]string{}
		for _, dep := range n.DependsOn {
			var desc string
			switch {
			case dep.PartOf:
				desc = "part of"
			case dep.IsGroup():
				members := slices.Clone(dep.AnyOf)
				slices.Sort(members)
				desc = fmt.Sprintf("any_of [%s] min %d impact %s", strings.Join(members, ", "), max(dep.Min, 1), dep.ImpactText())
			default:
				desc = "impact " + dep.ImpactText()
			}
			for i, t := range dep.Targets() {
				parts[t] = append(parts[t], desc)
				if _, ok := where[t]; !ok {
					p := dep.Pos
					if dep.IsGroup() && i < len(dep.MemberPos) {
						p = dep.MemberPos[i]
					}
					if p.File == "" {
						p = n.Pos
					}
					where[t] = p.String()
				}
			}
		}
		for t, ds := range parts {
			slices.Sort(ds)
			out[[2]string{n.ID, t}] = edgeInfo{desc: strings.Join(ds, "; "), where: where[t]}
		}
	}
	return out
}

// regions lists the regions and zones n depends on directly, sorted.
func regions(n *model.Node, idx map[string]*model.Node) []string {
	out := []string{}
	for _, dep := range n.DependsOn {
		if dep.PartOf {
			continue
		}
		for _, t := range dep.Targets() {
			if tn := idx[t]; tn != nil && (tn.Kind == model.KindRegion || tn.Kind == model.KindZone) {
				out = append(out, t)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func sources(n *model.Node) []string {
	out := []string{}
	for _, s := range n.Sources {
		out = append(out, fmt.Sprintf("%s (%s)", s.URL, s.AsOf))
	}
	slices.Sort(out)
	return out
}

func fmtProb(p *float64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%g", *p)
}

// minus returns the elements of sorted a not in sorted b.
func minus(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}

// spofs returns each service's single points of failure, sorted.
func spofs(ctx context.Context, m *model.Model) (map[string][]string, error) {
	g, err := graph.Build(m)
	if err != nil {
		return nil, fmt.Errorf("modeldiff: %w", err)
	}
	res, err := domains.Find(ctx, g, g.Services(), domains.Options{MaxOrder: 1})
	if err != nil {
		return nil, fmt.Errorf("modeldiff: %w", err)
	}
	out := map[string][]string{}
	for _, td := range res.Targets {
		s := slices.Clone(td.SPOFs)
		slices.Sort(s)
		out[td.Target] = s
	}
	return out, nil
}

func services(ctx context.Context, old, new *model.Model) ([]ServiceChange, error) {
	so, err := spofs(ctx, old)
	if err != nil {
		return nil, err
	}
	sn, err := spofs(ctx, new)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for k := range so {
		ids[k] = true
	}
	for k := range sn {
		ids[k] = true
	}
	out := []ServiceChange{}
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for k := range ids {
			if !yield(k) {
				return
			}
		}
	}) {
		o, inOld := so[id]
		n, inNew := sn[id]
		sc := ServiceChange{Service: id, Gained: minus(n, o), Lost: minus(o, n)}
		if sc.Gained == nil {
			sc.Gained = []string{}
		}
		switch {
		case !inOld:
			sc.Status = "added"
		case !inNew:
			sc.Status = "removed"
		case len(sc.Gained)+len(sc.Lost) == 0:
			continue
		}
		out = append(out, sc)
	}
	return out, nil
}
