package store

import (
	"slices"
	"time"
)

// Interval is the half-open time span [Start, End). An interval whose End
// is not after its Start is empty.
type Interval struct {
	Start, End time.Time
}

// Empty reports whether the interval covers no time.
func (iv Interval) Empty() bool { return !iv.End.After(iv.Start) }

// Duration returns the interval's length, 0 when empty.
func (iv Interval) Duration() time.Duration {
	if iv.Empty() {
		return 0
	}
	return iv.End.Sub(iv.Start)
}

// MergeIntervals returns the union of ivs as disjoint, non-empty intervals
// sorted by start. Overlapping and touching intervals are joined, so time
// covered by several incidents counts once. ivs is not modified.
//
// Complexity: O(n log n).
func MergeIntervals(ivs []Interval) []Interval {
	s := make([]Interval, 0, len(ivs))
	for _, iv := range ivs {
		if !iv.Empty() {
			s = append(s, iv)
		}
	}
	slices.SortFunc(s, func(a, b Interval) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return a.End.Compare(b.End)
	})
	var out []Interval
	for _, iv := range s {
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// ClipIntervals returns the parts of ivs inside [from, to), dropping what
// becomes empty. The input order is kept.
func ClipIntervals(ivs []Interval, from, to time.Time) []Interval {
	var out []Interval
	for _, iv := range ivs {
		if iv.Start.Before(from) {
			iv.Start = from
		}
		if iv.End.After(to) {
			iv.End = to
		}
		if !iv.Empty() {
			out = append(out, iv)
		}
	}
	return out
}

// SubtractIntervals returns the parts of a not covered by b. Both are
// merged first; the result is merged.
//
// Complexity: O((n+m) log(n+m)).
func SubtractIntervals(a, b []Interval) []Interval {
	a, b = MergeIntervals(a), MergeIntervals(b)
	var out []Interval
	j := 0
	for _, iv := range a {
		cur := iv
		for j < len(b) && !b[j].End.After(cur.Start) {
			j++
		}
		for k := j; k < len(b) && b[k].Start.Before(cur.End); k++ {
			if b[k].Start.After(cur.Start) {
				out = append(out, Interval{cur.Start, b[k].Start})
			}
			if b[k].End.After(cur.Start) {
				cur.Start = b[k].End
			}
			if cur.Empty() {
				break
			}
		}
		if !cur.Empty() {
			out = append(out, cur)
		}
	}
	return out
}

// TotalDuration returns the time ivs cover, counting overlaps once.
func TotalDuration(ivs []Interval) time.Duration {
	var d time.Duration
	for _, iv := range MergeIntervals(ivs) {
		d += iv.Duration()
	}
	return d
}

// Outage is downtime split by severity over one window.
type Outage struct {
	// Major is the time covered by at least one major or critical incident.
	Major time.Duration
	// Minor is the time covered by minor incidents and by no major one, so a
	// span is never counted twice.
	Minor time.Duration
}

// OutageIn returns the downtime of major and minor incident intervals
// clipped to the window [from, to), with overlaps merged and minor time
// under a major incident counted as major only.
func OutageIn(major, minor []Interval, from, to time.Time) Outage {
	mj := MergeIntervals(ClipIntervals(major, from, to))
	mn := SubtractIntervals(ClipIntervals(minor, from, to), mj)
	return Outage{Major: TotalDuration(mj), Minor: TotalDuration(mn)}
}

// Unavailability returns (major + minorWeight·minor) / window, the share of
// the window a consumer should count as lost. It is 0 for an empty window
// and never above 1.
func (o Outage) Unavailability(window time.Duration, minorWeight float64) float64 {
	if window <= 0 {
		return 0
	}
	u := (o.Major.Hours() + minorWeight*o.Minor.Hours()) / window.Hours()
	return min(max(u, 0), 1)
}
