package blast

import "sync"

// IndexCache holds the propagation index of a Network that is not a
// *graph.Graph (a view of one, such as the diagnosis's network with
// unknown shares filled in), so that the index is built once for the
// view's lifetime instead of at every propagation. A view holds one and
// returns it from BlastIndexCache; the view must not change once used.
type IndexCache struct {
	once sync.Once
	x    *netIndex
}

// cachingNetwork is a Network that keeps its own index.
type cachingNetwork interface {
	Network
	BlastIndexCache() *IndexCache
}

// cachedIndex returns net's index from its cache, building it once.
func cachedIndex(net cachingNetwork) *netIndex {
	c := net.BlastIndexCache()
	c.once.Do(func() { c.x = buildIndex(net, false) })
	return c.x
}
