package feed

// The impairment scale is a number from 0 (working normally) to 1 (down)
// that later stages combine along dependency edges. The steps follow
// Statuspage's own rule for deriving an incident's impact from its
// components (degraded performance → minor, partial outage → major,
// major outage → critical), so a component state and the impact it
// implies get the same number.
const (
	// ImpairmentNone is the impairment of an operational component or an
	// incident with impact none.
	ImpairmentNone = 0.0
	// ImpairmentDegraded is the impairment of degraded performance and of
	// a minor incident: slower or flakier, mostly working.
	ImpairmentDegraded = 0.25
	// ImpairmentPartial is the impairment of a partial outage and of a
	// major incident: about half of the requests or users fail.
	ImpairmentPartial = 0.5
	// ImpairmentOutage is the impairment of a major outage and of a
	// critical incident: down.
	ImpairmentOutage = 1.0
	// ImpairmentUnknown is used for unknown states and impacts: as likely
	// broken as not. Unknown is not healthy.
	ImpairmentUnknown = 0.5
)

// Impairment maps a component state onto the impairment scale:
// operational 0, degraded_performance 0.25, partial_outage 0.5,
// major_outage 1, under_maintenance the given maintenance value (clamped
// to [0, 1]; planned work is often announced but harmless, so callers
// choose), and unknown or any unrecognised state 0.5.
func (s ComponentStatus) Impairment(maintenance float64) float64 {
	switch s {
	case StatusOperational:
		return ImpairmentNone
	case StatusDegradedPerformance:
		return ImpairmentDegraded
	case StatusPartialOutage:
		return ImpairmentPartial
	case StatusMajorOutage:
		return ImpairmentOutage
	case StatusUnderMaintenance:
		return clamp01(maintenance)
	}
	return ImpairmentUnknown
}

// Impairment maps an incident impact onto the impairment scale: none 0,
// minor 0.25, major 0.5, critical 1, maintenance the given maintenance
// value (clamped to [0, 1]), and unknown or any unrecognised impact 0.5.
func (i Impact) Impairment(maintenance float64) float64 {
	switch i {
	case ImpactNone:
		return ImpairmentNone
	case ImpactMinor:
		return ImpairmentDegraded
	case ImpactMajor:
		return ImpairmentPartial
	case ImpactCritical:
		return ImpairmentOutage
	case ImpactMaintenance:
		return clamp01(maintenance)
	}
	return ImpairmentUnknown
}

func clamp01(x float64) float64 {
	switch {
	case x < 0 || x != x:
		return 0
	case x > 1:
		return 1
	}
	return x
}
