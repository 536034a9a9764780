package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
)

// DefaultMinorWeight is the share of a minor (partial) outage hour that
// counts as lost in Stats.Unavailability when StatsQuery.MinorWeight is nil.
//
// A minor incident is, by Statuspage's definition, a partial outage or
// degraded performance: some users or some requests fail, or everything is
// slow. Half an hour of availability lost per hour of it is the midpoint
// between "nobody noticed" (0) and "down" (1); callers with better knowledge
// of a dependency pass their own weight.
const DefaultMinorWeight = 0.5

// hoursPerYear is the length of the mean Julian year in hours.
const hoursPerYear = 365.25 * 24

// StatsQuery selects what Stats measures.
type StatsQuery struct {
	// Feeds are the feed keys to measure; empty means every feed.
	Feeds []string
	// ByComponent adds one Stats per component of each feed, besides the
	// feed's own.
	ByComponent bool
	// Components, when set, limits the per-component rows to these names
	// (it implies ByComponent).
	Components []string
	// AnyOf, when set, replaces every row by one per feed over the
	// incidents that name any of these components (a model node that
	// stands for several component names, or for one renamed over time);
	// its Component is the names joined by ", ".
	AnyOf []string
	// From and To bound the window. A zero To means now. A zero From means
	// the start of the feed's earliest stored incident (the feed's first
	// record when it has none), so each feed is measured over the history
	// the store holds for it.
	From, To time.Time
	// MinorWeight is the share of minor outage time counted as unavailable;
	// nil means DefaultMinorWeight.
	MinorWeight *float64
}

// Stats are failure figures for one feed, or one component of a feed, over
// a window. Maintenance is never counted. Incidents count when they start
// inside the window; outage time counts the part of each incident inside
// the window, an open incident counting until the last fetch that saw it
// open (or the window's end, if earlier), and
// overlapping incidents counting once.
type Stats struct {
	// Feed is the feed key.
	Feed string `json:"feed"`
	// Component is the component's name, empty for the whole feed.
	Component string `json:"component,omitempty"`
	// From and To are the window measured.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// WindowHours is the window's length in hours.
	WindowHours float64 `json:"window_hours"`
	// Incidents counts the incidents (maintenance excluded) that started in
	// the window; Major counts those of impact major or critical, Minor
	// those of impact minor, Other the rest (none or unknown impact).
	Incidents int `json:"incidents"`
	Major     int `json:"major"`
	Minor     int `json:"minor"`
	Other     int `json:"other"`
	// Open counts incidents still open at the window's end.
	Open int `json:"open"`
	// IncidentsPerYear is Incidents scaled to a 365.25-day year.
	IncidentsPerYear float64 `json:"incidents_per_year"`
	// MajorHours is the time covered by major or critical incidents.
	MajorHours float64 `json:"major_hours"`
	// MinorHours is the time covered by minor incidents and no major one.
	MinorHours float64 `json:"minor_hours"`
	// MajorHoursPerYear and MinorHoursPerYear scale them to a year.
	MajorHoursPerYear float64 `json:"major_hours_per_year"`
	MinorHoursPerYear float64 `json:"minor_hours_per_year"`
	// MTTRHours is the mean of resolved − started over the resolved
	// incidents that started in the window, in hours. Records with no
	// positive duration (back-filled history) are left out and counted in
	// ZeroDuration; MTTRSamples is the number of durations averaged.
	MTTRHours    float64 `json:"mttr_hours"`
	MTTRSamples  int     `json:"mttr_samples"`
	ZeroDuration int     `json:"zero_duration"`
	// MinorWeight is the weight Unavailability gave minor outage time.
	MinorWeight float64 `json:"minor_weight"`
	// Unavailability is (MajorHours + MinorWeight·MinorHours) / WindowHours,
	// an estimate of the probability that the feed or component is down at
	// a random moment; 0 for an empty window.
	Unavailability float64 `json:"unavailability"`
}

// statIncident is the part of an incident Stats needs.
type statIncident struct {
	impact     feed.Impact
	start      time.Time
	resolved   *time.Time
	lastSeen   time.Time
	components []string
}

// Stats computes failure figures per feed and, when asked, per component,
// sorted by feed key then component (the feed's own row first).
func (s *Store) Stats(ctx context.Context, q StatsQuery) ([]Stats, error) {
	weight := DefaultMinorWeight
	if q.MinorWeight != nil {
		weight = *q.MinorWeight
	}
	if weight < 0 || weight > 1 {
		return nil, fmt.Errorf("store: stats: minor weight %v outside [0, 1]", weight)
	}
	to := q.To
	if to.IsZero() {
		to = s.now()
	}
	to = to.UTC()
	if !q.From.IsZero() && q.From.After(to) {
		return nil, fmt.Errorf("store: stats: window starts (%s) after it ends (%s)", q.From.UTC().Format(time.RFC3339), to.Format(time.RFC3339))
	}
	feeds := slices.Clone(q.Feeds)
	if len(feeds) == 0 {
		infos, err := s.Feeds(ctx)
		if err != nil {
			return nil, err
		}
		for _, f := range infos {
			feeds = append(feeds, f.Key)
		}
	}
	slices.Sort(feeds)
	feeds = slices.Compact(feeds)

	var out []Stats
	for _, key := range feeds {
		incs, firstSeen, known, err := s.statIncidents(ctx, key, to)
		if err != nil {
			return nil, err
		}
		if !known {
			return nil, fmt.Errorf("store: stats: unknown feed %q", key)
		}
		from := q.From.UTC()
		if q.From.IsZero() {
			from = firstSeen
			for _, inc := range incs {
				if inc.impact != feed.ImpactMaintenance && inc.start.Before(from) {
					from = inc.start
				}
			}
			if from.After(to) {
				from = to
			}
		}
		if len(q.AnyOf) > 0 {
			var sub []statIncident
			for _, inc := range incs {
				if slices.ContainsFunc(inc.components, func(c string) bool { return slices.Contains(q.AnyOf, c) }) {
					sub = append(sub, inc)
				}
			}
			out = append(out, computeStats(key, strings.Join(q.AnyOf, ", "), sub, from, to, weight))
			continue
		}
		out = append(out, computeStats(key, "", incs, from, to, weight))
		if !q.ByComponent && len(q.Components) == 0 {
			continue
		}
		comps, err := s.componentNames(ctx, key, incs)
		if err != nil {
			return nil, err
		}
		if len(q.Components) > 0 {
			comps = slices.DeleteFunc(comps, func(c string) bool { return !slices.Contains(q.Components, c) })
		}
		for _, c := range comps {
			var sub []statIncident
			for _, inc := range incs {
				if slices.Contains(inc.components, c) {
					sub = append(sub, inc)
				}
			}
			out = append(out, computeStats(key, c, sub, from, to, weight))
		}
	}
	return out, nil
}

// statIncidents loads the incidents of one feed that started by to, and the
// feed's first-seen time. known is false for a feed the store lacks.
func (s *Store) statIncidents(ctx context.Context, key string, to time.Time) (incs []statIncident, firstSeen time.Time, known bool, err error) {
	var first string
	err = s.db.QueryRowContext(ctx, `SELECT first_seen FROM feeds WHERE key = ?`, key).Scan(&first)
	if err == sql.ErrNoRows {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("store: stats: %w", err)
	}
	if firstSeen, err = parseTime(first); err != nil {
		return nil, time.Time{}, false, err
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT impact, started_at, resolved_at, components, last_seen FROM incidents
		WHERE feed = ? AND started_at <= ? ORDER BY started_at, id`, key, fmtTime(to))
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("store: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var impact, start, comps, lastSeen string
		var resolved sql.NullString
		if err := rows.Scan(&impact, &start, &resolved, &comps, &lastSeen); err != nil {
			return nil, time.Time{}, false, fmt.Errorf("store: stats: %w", err)
		}
		inc := statIncident{impact: feed.Impact(impact)}
		if inc.start, err = parseTime(start); err != nil {
			return nil, time.Time{}, false, err
		}
		if inc.lastSeen, err = parseTime(lastSeen); err != nil {
			return nil, time.Time{}, false, err
		}
		if resolved.Valid {
			t, err := parseTime(resolved.String)
			if err != nil {
				return nil, time.Time{}, false, err
			}
			inc.resolved = &t
		}
		if err := json.Unmarshal([]byte(comps), &inc.components); err != nil {
			return nil, time.Time{}, false, fmt.Errorf("store: stats: feed %s: bad components %q: %w", key, comps, err)
		}
		incs = append(incs, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, false, fmt.Errorf("store: stats: %w", err)
	}
	return incs, firstSeen, true, nil
}

// componentNames returns the sorted names of the feed's listed components
// and of those its non-maintenance incidents name.
func (s *Store) componentNames(ctx context.Context, key string, incs []statIncident) ([]string, error) {
	listed, err := s.Components(ctx, key)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range listed {
		names = append(names, c.Name)
	}
	for _, inc := range incs {
		if inc.impact != feed.ImpactMaintenance {
			names = append(names, inc.components...)
		}
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.TrimSpace(n) == "" })
	slices.Sort(names)
	return slices.Compact(names), nil
}

// computeStats measures incs over [from, to]. It is pure: no SQL.
func computeStats(key, component string, incs []statIncident, from, to time.Time, weight float64) Stats {
	st := Stats{Feed: key, Component: component, From: from, To: to, MinorWeight: weight}
	window := to.Sub(from)
	st.WindowHours = window.Hours()
	var major, minor []Interval
	var mttr time.Duration
	for _, inc := range incs {
		if inc.impact == feed.ImpactMaintenance {
			continue
		}
		// An open incident counts until the last fetch that saw it open:
		// a feed that stopped reporting it (or a saved snapshot) proves no
		// more than that.
		end := to
		if inc.lastSeen.Before(end) && inc.lastSeen.After(inc.start) {
			end = inc.lastSeen
		}
		if inc.resolved != nil {
			end = *inc.resolved
		}
		if !inc.start.After(to) && (inc.resolved == nil || inc.resolved.After(to)) {
			st.Open++
		}
		iv := Interval{Start: inc.start, End: end}
		switch inc.impact {
		case feed.ImpactMajor, feed.ImpactCritical:
			major = append(major, iv)
		case feed.ImpactMinor:
			minor = append(minor, iv)
		}
		if inc.start.Before(from) || inc.start.After(to) {
			continue
		}
		st.Incidents++
		switch inc.impact {
		case feed.ImpactMajor, feed.ImpactCritical:
			st.Major++
		case feed.ImpactMinor:
			st.Minor++
		default:
			st.Other++
		}
		if inc.resolved != nil {
			if d := inc.resolved.Sub(inc.start); d > 0 {
				mttr += d
				st.MTTRSamples++
			} else {
				st.ZeroDuration++
			}
		}
	}
	o := OutageIn(major, minor, from, to)
	st.MajorHours, st.MinorHours = o.Major.Hours(), o.Minor.Hours()
	if st.MTTRSamples > 0 {
		st.MTTRHours = mttr.Hours() / float64(st.MTTRSamples)
	}
	if window > 0 {
		years := st.WindowHours / hoursPerYear
		st.IncidentsPerYear = float64(st.Incidents) / years
		st.MajorHoursPerYear = st.MajorHours / years
		st.MinorHoursPerYear = st.MinorHours / years
	}
	st.Unavailability = o.Unavailability(window, weight)
	return st
}
