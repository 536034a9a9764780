package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
)

// Query selects stored incidents. Zero fields select everything.
type Query struct {
	// Feeds keeps incidents of these feed keys only.
	Feeds []string
	// Since keeps incidents still open at or after Since (open, or resolved
	// at or after it).
	Since time.Time
	// Until keeps incidents that started at or before Until.
	Until time.Time
	// Components keeps incidents that name at least one of these components.
	Components []string
}

// StoredIncident is an incident as the store holds it.
type StoredIncident struct {
	// Feed is the key of the feed that reported it.
	Feed string `json:"feed"`
	// Incident is the incident with all its stored updates, oldest first.
	feed.Incident
	// FirstSeen and LastSeen are when an ingest first and last saw it.
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// Incidents returns the stored incidents that match q, newest start first,
// then by feed key and incident id. Updates come oldest first.
//
// Records without a usable time (a zero start, an end before the start),
// which stores written before feed.Parse refused them may hold, are left
// out: unknown is not a date.
func (s *Store) Incidents(ctx context.Context, q Query) ([]StoredIncident, error) {
	where := []string{"i.started_at > ?", "(i.resolved_at IS NULL OR i.resolved_at >= i.started_at)"}
	args := []any{fmtTime(time.Time{})}
	if len(q.Feeds) > 0 {
		where = append(where, "i.feed IN ("+placeholders(len(q.Feeds))+")")
		for _, f := range q.Feeds {
			args = append(args, f)
		}
	}
	if !q.Since.IsZero() {
		where = append(where, "(i.resolved_at IS NULL OR i.resolved_at >= ?)")
		args = append(args, fmtTime(q.Since))
	}
	if !q.Until.IsZero() {
		where = append(where, "i.started_at <= ?")
		args = append(args, fmtTime(q.Until))
	}
	if len(q.Components) > 0 {
		where = append(where, "EXISTS (SELECT 1 FROM json_each(i.components) j WHERE j.value IN ("+placeholders(len(q.Components))+"))")
		for _, c := range q.Components {
			args = append(args, c)
		}
	}
	sqlText := `
		SELECT i.feed, i.id, i.title, i.impact, i.status, i.started_at, i.resolved_at, i.updated_at, i.url,
			i.components, i.locations, i.extra, i.first_seen, i.last_seen, u.at, u.status, u.body
		FROM incidents i LEFT JOIN updates u ON u.feed = i.feed AND u.incident = i.id`
	sqlText += " WHERE " + strings.Join(where, " AND ")
	sqlText += " ORDER BY i.started_at DESC, i.feed, i.id, u.at, u.seq"
	rows, err := s.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query incidents: %w", err)
	}
	defer rows.Close()
	var out []StoredIncident
	for rows.Next() {
		var (
			feedKey, id         string
			r                   incidentRow
			firstSeen, lastSeen string
			uAt, uStatus, uBody sql.NullString
		)
		if err := rows.Scan(&feedKey, &id, &r.title, &r.impact, &r.status, &r.startedAt, &r.resolvedAt,
			&r.updatedAt, &r.url, &r.components, &r.locations, &r.extra, &firstSeen, &lastSeen,
			&uAt, &uStatus, &uBody); err != nil {
			return nil, fmt.Errorf("store: query incidents: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].Feed != feedKey || out[n-1].ID != id {
			si, err := fromRow(feedKey, id, r, firstSeen, lastSeen)
			if err != nil {
				return nil, err
			}
			out = append(out, si)
		}
		if uAt.Valid {
			at, err := parseTime(uAt.String)
			if err != nil {
				return nil, err
			}
			last := &out[len(out)-1]
			last.Updates = append(last.Updates, feed.Update{At: at, Status: uStatus.String, Body: uBody.String})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query incidents: %w", err)
	}
	return out, nil
}

// fromRow decodes a stored incident row.
func fromRow(feedKey, id string, r incidentRow, firstSeen, lastSeen string) (StoredIncident, error) {
	si := StoredIncident{Feed: feedKey}
	inc := &si.Incident
	inc.ID, inc.Title, inc.Impact, inc.Status, inc.URL = id, r.title, feed.Impact(r.impact), r.status, r.url
	var err error
	if inc.StartedAt, err = parseTime(r.startedAt); err != nil {
		return si, err
	}
	if inc.UpdatedAt, err = parseTime(r.updatedAt); err != nil {
		return si, err
	}
	if r.resolvedAt.Valid {
		t, err := parseTime(r.resolvedAt.String)
		if err != nil {
			return si, err
		}
		inc.ResolvedAt = &t
	}
	if err := json.Unmarshal([]byte(r.components), &inc.Components); err != nil {
		return si, fmt.Errorf("store: incident %s/%s: bad components: %w", feedKey, id, err)
	}
	if err := json.Unmarshal([]byte(r.locations), &inc.Locations); err != nil {
		return si, fmt.Errorf("store: incident %s/%s: bad locations: %w", feedKey, id, err)
	}
	if err := json.Unmarshal([]byte(r.extra), &inc.Extra); err != nil {
		return si, fmt.Errorf("store: incident %s/%s: bad extra: %w", feedKey, id, err)
	}
	if len(inc.Extra) == 0 {
		inc.Extra = nil
	}
	if si.FirstSeen, err = parseTime(firstSeen); err != nil {
		return si, err
	}
	if si.LastSeen, err = parseTime(lastSeen); err != nil {
		return si, err
	}
	return si, nil
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// FetchQuery selects fetch records. Zero fields select everything.
type FetchQuery struct {
	// Feeds keeps fetches of these feed keys only.
	Feeds []string
	// Since and Until bound the fetch time, both inclusive.
	Since, Until time.Time
	// Failed keeps only fetches that recorded an error.
	Failed bool
}

// StoredFetch is one recorded fetch.
type StoredFetch struct {
	// ID is the row id, increasing with each ingest.
	ID int64 `json:"id"`
	// Feed is the feed key.
	Feed string `json:"feed"`
	// FetchRecord is what the caller recorded, with FetchedAt filled in,
	// Duration rounded to milliseconds, and Format the feed's latest known
	// format (fetch rows do not keep their own).
	FetchRecord
	// IncidentsSeen, IncidentsNew, IncidentsUpdated, UpdatesNew and
	// Components are the RecordStats of the ingest.
	IncidentsSeen, IncidentsNew, IncidentsUpdated, UpdatesNew, Components int
}

// Fetches returns the recorded fetches that match q, oldest first, then by
// id.
func (s *Store) Fetches(ctx context.Context, q FetchQuery) ([]StoredFetch, error) {
	var where []string
	var args []any
	if len(q.Feeds) > 0 {
		where = append(where, "f.feed IN ("+placeholders(len(q.Feeds))+")")
		for _, f := range q.Feeds {
			args = append(args, f)
		}
	}
	if !q.Since.IsZero() {
		where = append(where, "f.fetched_at >= ?")
		args = append(args, fmtTime(q.Since))
	}
	if !q.Until.IsZero() {
		where = append(where, "f.fetched_at <= ?")
		args = append(args, fmtTime(q.Until))
	}
	if q.Failed {
		where = append(where, "f.error <> ''")
	}
	sqlText := `
		SELECT f.id, f.feed, f.url, COALESCE(d.format, ''), f.fetched_at, f.duration_ms, f.http_status, f.bytes,
			f.etag, f.last_modified, f.not_modified, f.attempts, f.error,
			f.incidents_seen, f.incidents_new, f.incidents_updated, f.updates_new, f.components
		FROM fetches f LEFT JOIN feeds d ON d.key = f.feed`
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	sqlText += " ORDER BY f.fetched_at, f.id"
	rows, err := s.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query fetches: %w", err)
	}
	defer rows.Close()
	var out []StoredFetch
	for rows.Next() {
		var (
			f       StoredFetch
			format  string
			fetched string
			ms      int64
		)
		if err := rows.Scan(&f.ID, &f.Feed, &f.URL, &format, &fetched, &ms, &f.Status, &f.Bytes,
			&f.ETag, &f.LastModified, &f.NotModified, &f.Attempts, &f.Error,
			&f.IncidentsSeen, &f.IncidentsNew, &f.IncidentsUpdated, &f.UpdatesNew, &f.Components); err != nil {
			return nil, fmt.Errorf("store: query fetches: %w", err)
		}
		f.Format = feed.Format(format)
		f.Duration = time.Duration(ms) * time.Millisecond
		if f.FetchedAt, err = parseTime(fetched); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query fetches: %w", err)
	}
	return out, nil
}

// FeedInfo is one feed the store knows.
type FeedInfo struct {
	// Key is the caller's name for the feed.
	Key string `json:"key"`
	// Format, URL and Page are the latest non-empty values recorded.
	Format feed.Format `json:"format"`
	URL    string      `json:"url"`
	Page   string      `json:"page,omitempty"`
	// ETag and LastModified are the validators of the last good fetch.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// FirstSeen is when the feed was first recorded.
	FirstSeen time.Time `json:"first_seen"`
	// LastFetch and LastSuccess are the times of the latest fetch and the
	// latest successful one; zero when none.
	LastFetch   time.Time `json:"last_fetch"`
	LastSuccess time.Time `json:"last_success"`
}

// Feeds returns every feed the store knows, sorted by key.
func (s *Store) Feeds(ctx context.Context) ([]FeedInfo, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT key, format, url, page, etag, last_modified, first_seen, last_fetch, last_success
		FROM feeds ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("store: query feeds: %w", err)
	}
	defer rows.Close()
	var out []FeedInfo
	for rows.Next() {
		var f FeedInfo
		var format, first, last, ok string
		if err := rows.Scan(&f.Key, &format, &f.URL, &f.Page, &f.ETag, &f.LastModified, &first, &last, &ok); err != nil {
			return nil, fmt.Errorf("store: query feeds: %w", err)
		}
		f.Format = feed.Format(format)
		if f.FirstSeen, err = parseTime(first); err != nil {
			return nil, err
		}
		if f.LastFetch, err = parseTime(last); err != nil {
			return nil, err
		}
		if f.LastSuccess, err = parseTime(ok); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query feeds: %w", err)
	}
	return out, nil
}

// StoredComponent is the latest known state of one component of a feed.
type StoredComponent struct {
	// Feed is the feed key.
	Feed string `json:"feed"`
	// Component is the component as the feed last listed it.
	feed.Component
	// SeenAt is the fetch time of the ingest that wrote this state.
	SeenAt time.Time `json:"seen_at"`
}

// Components returns the latest component states of the given feeds (all
// feeds when none are given), sorted by feed key, group, name and id.
func (s *Store) Components(ctx context.Context, feeds ...string) ([]StoredComponent, error) {
	sqlText := `SELECT feed, id, name, grp, status, seen_at FROM components`
	var args []any
	if len(feeds) > 0 {
		sqlText += " WHERE feed IN (" + placeholders(len(feeds)) + ")"
		for _, f := range feeds {
			args = append(args, f)
		}
	}
	sqlText += " ORDER BY feed, grp, name, id"
	rows, err := s.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query components: %w", err)
	}
	defer rows.Close()
	var out []StoredComponent
	for rows.Next() {
		var c StoredComponent
		var status, seen string
		if err := rows.Scan(&c.Feed, &c.ID, &c.Name, &c.Group, &status, &seen); err != nil {
			return nil, fmt.Errorf("store: query components: %w", err)
		}
		c.Status = feed.ComponentStatus(status)
		if c.SeenAt, err = parseTime(seen); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query components: %w", err)
	}
	return out, nil
}
