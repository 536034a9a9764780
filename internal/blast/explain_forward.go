package blast

// PropagateImpairments computes the impairments (the explaining paths on
// demand) that follow from the seeds, for the diagnosis, which calls it once per
// hypothesis. It is PropagateSeeds: the propagation visits only the
// affected cone of a per-graph index, so a failure stopped by failover
// groups costs what it impairs, not what it could reach.
func PropagateImpairments(net Network, seeds []Seed) *Propagation {
	// The propagation itself now visits only the affected cone (see
	// propagate), so the diagnosis uses it as it is.
	return PropagateSeeds(net, seeds)
}
