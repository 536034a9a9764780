package faulttree

import (
	"cmp"
	"slices"
)

// variableOrder returns the static BDD variable order of the graph of b
// below tops: one level per basic event and one per module proxy, in the
// order of a depth-first walk from the tops. A module's proxy comes just
// before its own variables, which are contiguous, since nothing below a
// module is reached from outside it.
//
// With OrderDepthFirst a gate's child gates are walked first, then its
// events, each by decreasing number of parents (SCRAM's
// pdag::TopologicalOrder, so shared nodes get low levels); with
// OrderEventsFirst a gate's events come first, then its child gates, in
// input order. parents holds the number of distinct parents of each node.
// O(nodes + edges log edges).
func variableOrder(b *Builder, tops []Ref, isModule []bool, parents []int32, order VariableOrder) []levelInfo {
	var levels []levelInfo
	visited := make([]bool, len(b.nodes))
	var walk func(id uint32)
	walk = func(id uint32) {
		if visited[id] {
			return
		}
		visited[id] = true
		nd := &b.nodes[id]
		switch nd.typ {
		case EventNode:
			levels = append(levels, levelInfo{event: nd.event})
			return
		case ConstNode:
			return
		}
		if isModule[id] {
			levels = append(levels, levelInfo{event: -1, module: id})
		}
		var gates, events []uint32
		for _, a := range nd.args {
			c := a.node()
			switch b.nodes[c].typ {
			case GateNode:
				gates = append(gates, c)
			case EventNode:
				events = append(events, c)
			}
		}
		if order == OrderEventsFirst {
			for _, c := range events {
				walk(c)
			}
		} else {
			byParents := func(x, y uint32) int { return cmp.Compare(parents[y], parents[x]) }
			slices.SortStableFunc(gates, byParents)
			slices.SortStableFunc(events, byParents)
		}
		for _, c := range gates {
			walk(c)
		}
		for _, c := range events {
			walk(c)
		}
	}
	for _, r := range tops {
		walk(r.node())
	}
	return levels
}
