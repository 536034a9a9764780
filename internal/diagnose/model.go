package diagnose

import (
	"math"
	"time"

	"github.com/depgraph/depgraph/internal/model"
)

// The constants of the generative model (docs/explain.md lists them with
// their reasons; `depgraph explain --help` repeats them).
const (
	// FalsePositive is P(a node is reported impacted | it is not
	// impaired): a wrong report, or a cause outside the model.
	FalsePositive = 0.002
	// FalseNegative is P(a node is reported healthy | it is down).
	FalseNegative = 0.1

	// UnknownShare is the impairment a dependency of unknown share
	// (`impact: unknown`) passes on when its target is down: the middle of
	// [0, 1], so such an edge neither explains a report nor contradicts a
	// healthy node strongly.
	UnknownShare = 0.5

	// PostImpaired is P(a status page posts an incident in the window |
	// what it speaks for is down); PostUnrelated is P(it posts one | it is
	// not impaired): an unrelated incident.
	PostImpaired  = 0.7
	PostUnrelated = 0.05
	// HostDown is the impairment of a status page's host above which its
	// silence says nothing.
	HostDown = 0.5

	// FirstSlack is how much later than a victim's incident a root's may
	// start and still count as first; RootFirst is P(a root's incident
	// starts first | it is the root), against 0.5 when nothing is known.
	FirstSlack = 15 * time.Minute
	RootFirst  = 0.65

	// MTTR is the mean outage length assumed when turning rates into the
	// probability of failing in a window, and unavailability into a rate.
	MTTR = 2 * time.Hour
	// Prune is how far (in log units) a single cause's upper bound may fall
	// below the best exact score before the search stops: such a cause's
	// posterior is below e^-20 of the best one's.
	Prune = 20.0
	// MaxPrior caps any prior probability.
	MaxPrior = 0.5
)

// severityGiven holds P(severity | posted) for a page whose subject is
// impaired and for one posting about something unrelated.
var severityGiven = map[string][2]float64{
	"critical": {0.6, 0.2}, "major": {0.6, 0.2}, // major or critical
	"minor": {0.3, 0.5},
	"none":  {0.1, 0.3}, // "none", and anything else stated
}

// Attribution classes of a vendor's words about an incident.
const (
	classNone     = iota // says nothing about the cause
	classSelf            // blames itself: a deploy, a configuration change, a bug
	classUpstream        // blames an unnamed provider: "a third-party provider"
	classNamed           // names a node outside its own organisation
)

// wordsGiven is P(class | the speaker's role), the roles being: what the
// speaker speaks for is a root, a victim of a root upstream, unaffected.
// A statement that says nothing of the cause is taken as uninformative
// (likelihood 1 in every role).
var wordsGiven = [4][3]float64{
	classNone:     {1, 1, 1},
	classSelf:     {0.35, 0.05, 0.15},
	classUpstream: {0.03, 0.30, 0.05},
	classNamed:    {0.02, 0.25, 0.05},
}

// namedOdds are the odds, against the node being unimpaired, that a
// vendor names a node: it is a root, a root is nested in it (a provider
// named for its region's failure), it is impaired (a victim the vendor
// saw); unimpaired is 1.
const (
	namedRoot     = 30.0
	namedCovers   = 25.0
	namedImpaired = 10.0
	maxNamed      = 4 // named nodes counted per speaker
)

// upstreamCues and selfCues are the words that sort a statement into a
// class (lower case, matched as substrings of the lower-cased text).
var (
	upstreamCues = []string{"third-party", "third party", "upstream", "cloud provider", "our provider", "service provider", "hosting provider", "infrastructure provider", "provider outage", "one of our providers", "one of our vendors", "dns provider", "cdn provider", "network provider", "storage provider", "sms provider", "voice provider", "external provider", "external dependency"}
	selfCues     = []string{"deploy", "configuration change", "config change", "rolled back", "rollback", "roll back", "a bug", "software bug", "our code", "a change we made", "a change to", "release"}
)

// DefaultRate is the default number of incidents per year by kind, for
// nodes with neither history nor unavailability. Orders of magnitude, not
// measurements: a single component fails more often than its vendor as a
// whole, a cloud's regional service more often than its region, a region
// more often than the whole provider.
var DefaultRate = map[model.Kind]float64{
	model.KindService:      6,
	model.KindVendor:       3,
	model.KindComponent:    4,
	model.KindProvider:     0.5,
	model.KindRegion:       1,
	model.KindZone:         2,
	model.KindCloudService: 2,
	model.KindUnknown:      2,
}

const hoursPerYear = 365.25 * 24

// WindowProbability turns a rate (incidents per year) into the probability
// that an outage overlaps a window: one that starts inside it or up to one
// MTTR before, 1 − exp(−λ·(W + MTTR)), capped at MaxPrior.
func WindowProbability(perYear float64, window time.Duration) float64 {
	t := (window + MTTR).Hours() / hoursPerYear
	return min(MaxPrior, 1-math.Exp(-perYear*t))
}

// RateFromUnavailability turns an unavailability u (share of time down)
// into incidents per year, u·year / MTTR.
func RateFromUnavailability(u float64) float64 {
	return u * hoursPerYear / MTTR.Hours()
}
