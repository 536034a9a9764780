package graph

import "slices"

// components calls fn with the strongly connected components of g,
// dependencies before dependents (Tarjan 1972, iterative so that deep chains
// cannot overflow the stack). O(V + E).
func components(g *Graph, fn func([]int32)) {
	n := g.Len()
	index := make([]int32, n)
	low := make([]int32, n)
	for i := range index {
		index[i] = -1
	}
	onStack := make([]bool, n)
	var stack []int32
	type frame struct {
		u    int32
		next int
	}
	var call []frame
	counter := int32(0)
	for r := range n {
		root := int32(r)
		if index[root] >= 0 {
			continue
		}
		call = append(call[:0], frame{u: root})
		index[root], low[root] = counter, counter
		counter++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			top := &call[len(call)-1]
			deps := g.Dependencies(top.u)
			advanced := false
			for top.next < len(deps) {
				w := deps[top.next]
				top.next++
				if index[w] < 0 {
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{u: w})
					advanced = true
					break
				} else if onStack[w] {
					low[top.u] = min(low[top.u], index[w])
				}
			}
			if advanced {
				continue
			}
			u := top.u
			call = call[:len(call)-1]
			if len(call) > 0 {
				parent := call[len(call)-1].u
				low[parent] = min(low[parent], low[u])
			}
			if low[u] == index[u] {
				k := len(stack) - 1
				for stack[k] != u {
					k--
				}
				scc := slices.Clone(stack[k:])
				for _, w := range scc {
					onStack[w] = false
				}
				stack = stack[:k]
				slices.Sort(scc)
				fn(scc)
			}
		}
	}
}

// Order returns every node, dependencies before dependents, the members of
// each strongly connected component next to each other (sorted by ID).
func (g *Graph) Order() []int32 { return g.order }

// Component returns the index of node i's strongly connected component;
// nodes share an index exactly when they depend on each other, and a
// component's dependencies have smaller indices (Tarjan's algorithm emits
// components dependencies first).
func (g *Graph) Component(i int32) int32 { return g.component[i] }

// orderComponents fills order and component.
func (g *Graph) orderComponents() {
	g.order = make([]int32, 0, g.Len())
	g.component = make([]int32, g.Len())
	c := int32(0)
	components(g, func(scc []int32) {
		for _, u := range scc {
			g.component[u] = c
		}
		g.order = append(g.order, scc...)
		c++
	})
}
