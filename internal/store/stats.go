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
	// From and To bound the window; it is always cut to what the store
	// observed of each feed (Stats.ObservedFrom to Stats.ObservedTo), so
	// time without data is never counted as healthy. Zero From and To
	// mean the whole observed span.
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
	// ObservedFrom and ObservedTo are the span the store has data for
	// the feed: from the earlier of its first successful fetch and its
	// earliest stored incident, to the later of its last successful fetch
	// and the latest time a stored incident carries (for saved history,
	// the records' span). Both nil when the feed was never read.
	ObservedFrom *time.Time `json:"observed_from"`
	ObservedTo   *time.Time `json:"observed_to"`
	// From and To are the window measured: the query's window cut to the
	// observed span (From = To when they do not meet).
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
	// a random moment; nil (JSON null) where there is no data, with the
	// reason in Reason.
	Unavailability *float64 `json:"unavailability"`
	// Reason says why Unavailability is unknown: "never ingested", "no
	// successful fetch", "no data in the window"; empty when it is known.
	Reason string `json:"reason,omitempty"`
}

// Reasons for an unknown Stats.Unavailability.
const (
	ReasonNeverIngested = "never ingested"
	ReasonNeverRead     = "no successful fetch"
	ReasonNoWindow      = "no data in the window"
)

// statIncident is the part of an incident Stats needs.
type statIncident struct {
	impact   feed.Impact
	start    time.Time
	resolved *time.Time
	lastSeen time.Time
	// liveUntil, when set, ends an unresolved plain RSS/Atom item (see
	// feed.Incident.LiveUntil).
	liveUntil  *time.Time
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
	now := s.now().UTC()
	if !q.From.IsZero() && !q.To.IsZero() && q.From.After(q.To) {
		return nil, fmt.Errorf("store: stats: window starts (%s) after it ends (%s)", q.From.UTC().Format(time.RFC3339), q.To.UTC().Format(time.RFC3339))
	}
	if !q.From.IsZero() && q.To.IsZero() && q.From.After(now) {
		return nil, fmt.Errorf("store: stats: window starts (%s) after now (%s)", q.From.UTC().Format(time.RFC3339), now.Format(time.RFC3339))
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
		obs, err := s.observed(ctx, key)
		if err != nil {
			return nil, err
		}
		unknown := func(component, reason string) Stats {
			return Stats{Feed: key, Component: component, From: q.From.UTC(), To: q.To.UTC(), MinorWeight: weight, Reason: reason,
				ObservedFrom: obs.fromPtr(), ObservedTo: obs.toPtr()}
		}
		if !obs.known || !obs.read {
			reason := ReasonNeverIngested
			if obs.known {
				reason = ReasonNeverRead
			}
			comp := ""
			if len(q.AnyOf) > 0 {
				comp = strings.Join(q.AnyOf, ", ")
			}
			out = append(out, unknown(comp, reason))
			if len(q.AnyOf) == 0 {
				for _, c := range q.Components {
					out = append(out, unknown(c, reason))
				}
			}
			continue
		}
		from, to := obs.from, obs.to
		if !q.From.IsZero() && q.From.After(from) {
			from = q.From.UTC()
		}
		if !q.To.IsZero() && q.To.Before(to) {
			to = q.To.UTC()
		}
		if to.After(now) {
			to = now
		}
		if to.Before(from) {
			to = from
		}
		incs, err := s.statIncidents(ctx, key, to)
		if err != nil {
			return nil, err
		}
		measure := func(component string, incs []statIncident) Stats {
			st := computeStats(key, component, incs, from, to, weight)
			st.ObservedFrom, st.ObservedTo = obs.fromPtr(), obs.toPtr()
			if st.WindowHours <= 0 {
				st.Unavailability, st.Reason = nil, ReasonNoWindow
			}
			return st
		}
		if len(q.AnyOf) > 0 {
			var sub []statIncident
			for _, inc := range incs {
				if slices.ContainsFunc(inc.components, func(c string) bool { return slices.Contains(q.AnyOf, c) }) {
					sub = append(sub, inc)
				}
			}
			out = append(out, measure(strings.Join(q.AnyOf, ", "), sub))
			continue
		}
		out = append(out, measure("", incs))
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
			out = append(out, measure(c, sub))
		}
	}
	return out, nil
}

// observation is the span the store has data for one feed.
type observation struct {
	known    bool // the store has the feed
	read     bool // some fetch of it succeeded
	from, to time.Time
}

func (o observation) fromPtr() *time.Time {
	if !o.read {
		return nil
	}
	t := o.from
	return &t
}

func (o observation) toPtr() *time.Time {
	if !o.read {
		return nil
	}
	t := o.to
	return &t
}

// observed returns the span the store has data for the feed key (see
// Stats.ObservedFrom).
func (s *Store) observed(ctx context.Context, key string) (observation, error) {
	var o observation
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE key = ?`, key).Scan(&n); err != nil {
		return o, fmt.Errorf("store: stats: %w", err)
	}
	if n == 0 {
		return o, nil
	}
	o.known = true
	var first, last sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT min(fetched_at), max(fetched_at) FROM fetches WHERE feed = ? AND error = ''`, key).Scan(&first, &last); err != nil {
		return o, fmt.Errorf("store: stats: %w", err)
	}
	if !first.Valid {
		return o, nil
	}
	o.read = true
	var err error
	if o.from, err = parseTime(first.String); err != nil {
		return o, err
	}
	if o.to, err = parseTime(last.String); err != nil {
		return o, err
	}
	var minStart, maxUpdated, maxResolved sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT min(started_at), max(updated_at), max(resolved_at) FROM incidents
		WHERE feed = ? AND started_at > ? AND (resolved_at IS NULL OR resolved_at >= started_at)`, key, fmtTime(time.Time{})).Scan(&minStart, &maxUpdated, &maxResolved); err != nil {
		return o, fmt.Errorf("store: stats: %w", err)
	}
	for _, v := range []struct {
		s     sql.NullString
		early bool
	}{{minStart, true}, {maxUpdated, false}, {maxResolved, false}} {
		if !v.s.Valid {
			continue
		}
		t, err := parseTime(v.s.String)
		if err != nil {
			return o, err
		}
		if t.IsZero() {
			continue
		}
		if v.early && t.Before(o.from) {
			o.from = t
		}
		if !v.early && t.After(o.to) {
			o.to = t
		}
	}
	return o, nil
}

// statIncidents loads the incidents of one feed that started by to.
func (s *Store) statIncidents(ctx context.Context, key string, to time.Time) (incs []statIncident, err error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT impact, started_at, resolved_at, components, last_seen, extra FROM incidents
		WHERE feed = ? AND started_at <= ? ORDER BY started_at, id`, key, fmtTime(to))
	if err != nil {
		return nil, fmt.Errorf("store: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var impact, start, comps, lastSeen, extra string
		var resolved sql.NullString
		if err := rows.Scan(&impact, &start, &resolved, &comps, &lastSeen, &extra); err != nil {
			return nil, fmt.Errorf("store: stats: %w", err)
		}
		inc := statIncident{impact: feed.Impact(impact)}
		if inc.start, err = parseTime(start); err != nil {
			return nil, err
		}
		if inc.start.IsZero() {
			continue // a record from before bad times were refused: no data
		}
		if inc.lastSeen, err = parseTime(lastSeen); err != nil {
			return nil, err
		}
		if resolved.Valid {
			t, err := parseTime(resolved.String)
			if err != nil {
				return nil, err
			}
			if t.Before(inc.start) {
				continue // an end before the start: unusable, as feed.Parse rules
			}
			inc.resolved = &t
		}
		if err := json.Unmarshal([]byte(comps), &inc.components); err != nil {
			return nil, fmt.Errorf("store: stats: feed %s: bad components %q: %w", key, comps, err)
		}
		if strings.Contains(extra, "live_until") {
			fi := feed.Incident{}
			if json.Unmarshal([]byte(extra), &fi.Extra) == nil {
				if t, ok := fi.LiveUntil(); ok {
					inc.liveUntil = &t
				}
			}
		}
		incs = append(incs, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: stats: %w", err)
	}
	return incs, nil
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
		if inc.liveUntil != nil && inc.liveUntil.Before(end) {
			// A plain item is live trouble only until then.
			end = *inc.liveUntil
			if end.Before(inc.start) {
				end = inc.start
			}
		}
		if inc.resolved != nil {
			end = *inc.resolved
		}
		if !inc.start.After(to) && (inc.resolved == nil || inc.resolved.After(to)) && (inc.liveUntil == nil || inc.liveUntil.After(to)) {
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
	if window > 0 {
		u := o.Unavailability(window, weight)
		st.Unavailability = &u
	} else {
		st.Reason = ReasonNoWindow
	}
	return st
}
