package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
)

// The statements of Record, prepared once per store at Open (see
// Store.txStmt).
const (
	sqlUpsertFeed = `INSERT INTO feeds(key, format, url, page, first_seen, last_fetch) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(key) DO UPDATE SET
		format = CASE WHEN excluded.format <> '' THEN excluded.format ELSE format END,
		url    = CASE WHEN excluded.url <> '' THEN excluded.url ELSE url END,
		page   = CASE WHEN excluded.page <> '' THEN excluded.page ELSE page END,
		last_fetch = excluded.last_fetch`
	sqlSetValidators = `UPDATE feeds SET last_success = ?,
		etag = CASE WHEN ? OR ? <> '' THEN ? ELSE etag END,
		last_modified = CASE WHEN ? OR ? <> '' THEN ? ELSE last_modified END
		WHERE key = ?`
	sqlClearComponents = `DELETE FROM components WHERE feed = ?`
	sqlPutComponent    = `INSERT OR REPLACE INTO components(feed, id, name, grp, status, seen_at) VALUES (?, ?, ?, ?, ?, ?)`
	sqlInsertFetch     = `INSERT INTO fetches(feed, url, fetched_at, duration_ms, http_status, bytes, etag, last_modified,
		not_modified, attempts, error, incidents_seen, incidents_new, incidents_updated, updates_new, components)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlGetIncident = `SELECT title, impact, status, started_at, resolved_at, updated_at, url, components, locations, extra
		FROM incidents WHERE feed = ? AND id = ?`
	sqlInsertIncident = `INSERT INTO incidents(feed, id, title, impact, status, started_at, resolved_at, updated_at, url,
		components, locations, extra, first_seen, last_seen)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlUpdateIncident = `UPDATE incidents SET title = ?, impact = ?, status = ?, started_at = ?, resolved_at = ?,
		updated_at = ?, url = ?, components = ?, locations = ?, extra = ?, last_seen = ?
		WHERE feed = ? AND id = ?`
	sqlTouchIncident = `UPDATE incidents SET last_seen = ? WHERE feed = ? AND id = ?`
	sqlAppendUpdate  = `INSERT OR IGNORE INTO updates(feed, incident, at, status, body, first_seen) VALUES (?, ?, ?, ?, ?, ?)`
)

// recordSQL lists Record's statements, for preparing them at Open.
var recordSQL = []string{
	sqlUpsertFeed, sqlSetValidators, sqlClearComponents, sqlPutComponent, sqlInsertFetch, sqlGetIncident, sqlInsertIncident, sqlUpdateIncident, sqlTouchIncident, sqlAppendUpdate,
}

// FetchRecord describes one fetch of a feed: what was asked, what came back
// and how it went. Record stores it as a row of the fetches table, whether
// the fetch succeeded or not.
type FetchRecord struct {
	// URL is the address fetched (or the offline file read).
	URL string `json:"url"`
	// Format is the feed's format; when empty, Record uses the document's.
	Format feed.Format `json:"format"`
	// FetchedAt is when the fetch started; the zero time means now.
	FetchedAt time.Time `json:"fetched_at"`
	// Duration is how long the fetch took, retries included.
	Duration time.Duration `json:"duration_ns"`
	// Status is the final HTTP status, 0 when no response came.
	Status int `json:"status"`
	// Bytes is the size of the body read.
	Bytes int64 `json:"bytes"`
	// ETag and LastModified are the response's validators.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// NotModified is true for a 304 answer to a conditional request.
	NotModified bool `json:"not_modified"`
	// Attempts is how many requests were made.
	Attempts int `json:"attempts"`
	// Error is the fetch or parse error text, empty on success. A record
	// with an error never replaces the feed's stored validators, so the
	// next fetch asks for the whole feed again.
	Error string `json:"error"`
}

// RecordStats tells what one Record call changed.
type RecordStats struct {
	// FetchID is the id of the fetches row written.
	FetchID int64
	// IncidentsSeen is the number of incidents in the document.
	IncidentsSeen int
	// IncidentsNew counts incidents the store did not have.
	IncidentsNew int
	// IncidentsUpdated counts known incidents whose fields changed or that
	// gained updates.
	IncidentsUpdated int
	// UpdatesNew counts incident updates appended.
	UpdatesNew int
	// Components is the number of component states written.
	Components int
}

// testHookMidRecord, when set, runs inside Record's transaction after
// incident i has been written. Tests use it to fail or kill an ingest
// halfway.
var testHookMidRecord func(i int) error

// Record stores one ingest of the feed named feedKey in a single
// transaction: the feed row and its validators, the fetch row, every
// incident of doc (inserted, or updated in place when known), their new
// updates (appended, never duplicated) and the feed's component states.
// doc may be nil for a failed fetch or a 304; the fetch is still recorded.
//
// An incident whose stored UpdatedAt is newer than the document's keeps its
// stored fields (a stale mirror never rolls history back), though updates it
// lacks are still appended. When doc lists components, they replace the
// feed's stored component states; a document without components leaves them
// alone.
//
// If Record returns an error, nothing of the ingest is visible; a crash
// mid-ingest has the same effect.
func (s *Store) Record(ctx context.Context, feedKey string, doc *feed.Document, fr FetchRecord) (st RecordStats, err error) {
	if feedKey == "" {
		return st, errors.New("store: record: empty feed key")
	}
	if s.readOnly {
		return st, fmt.Errorf("store: record feed %s: the store %s was opened read-only", feedKey, s.path)
	}
	if doc != nil {
		for i, inc := range doc.Incidents {
			if inc.ID == "" {
				return st, fmt.Errorf("store: record feed %s: incident %d (%q) has no id", feedKey, i, inc.Title)
			}
		}
	}
	now := s.now()
	if fr.FetchedAt.IsZero() {
		fr.FetchedAt = now
	}
	format, page := fr.Format, ""
	if doc != nil {
		if format == "" {
			format = doc.Source.Format
		}
		page = doc.Source.Page
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("store: record feed %s: begin: %w", feedKey, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			st = RecordStats{}
			err = fmt.Errorf("store: record feed %s: %w", feedKey, err)
		}
	}()

	fetched := fmtTime(fr.FetchedAt)
	if _, err = s.txExec(ctx, tx, sqlUpsertFeed,
		feedKey, string(format), fr.URL, page, fmtTime(now), fetched); err != nil {
		return st, fmt.Errorf("write feed: %w", err)
	}
	if fr.Error == "" && (doc != nil || fr.NotModified) {
		// A 304 may omit validators: keep the ones we sent.
		if _, err = s.txExec(ctx, tx, sqlSetValidators,
			fetched,
			!fr.NotModified, fr.ETag, fr.ETag,
			!fr.NotModified, fr.LastModified, fr.LastModified,
			feedKey); err != nil {
			return st, fmt.Errorf("write validators: %w", err)
		}
	}

	if doc != nil {
		st.IncidentsSeen = len(doc.Incidents)
		for i := range doc.Incidents {
			isNew, changed, nu, err := s.recordIncident(ctx, tx, feedKey, &doc.Incidents[i], fr.FetchedAt)
			if err != nil {
				return st, err
			}
			switch {
			case isNew:
				st.IncidentsNew++
			case changed || nu > 0:
				st.IncidentsUpdated++
			}
			st.UpdatesNew += nu
			if testHookMidRecord != nil {
				if err := testHookMidRecord(i); err != nil {
					return st, err
				}
			}
		}
		if len(doc.Components) > 0 {
			if _, err = s.txExec(ctx, tx, sqlClearComponents, feedKey); err != nil {
				return st, fmt.Errorf("clear components: %w", err)
			}
			for _, c := range doc.Components {
				id := c.ID
				if id == "" {
					id = c.Name
				}
				if _, err = s.txExec(ctx, tx, sqlPutComponent,
					feedKey, id, c.Name, c.Group, string(c.Status), fetched); err != nil {
					return st, fmt.Errorf("write component %q: %w", id, err)
				}
			}
			st.Components = len(doc.Components)
		}
	}

	res, err := s.txExec(ctx, tx, sqlInsertFetch,
		feedKey, fr.URL, fetched, fr.Duration.Milliseconds(), fr.Status, fr.Bytes, fr.ETag, fr.LastModified,
		fr.NotModified, fr.Attempts, fr.Error, st.IncidentsSeen, st.IncidentsNew, st.IncidentsUpdated, st.UpdatesNew, st.Components)
	if err != nil {
		return st, fmt.Errorf("write fetch: %w", err)
	}
	if st.FetchID, err = res.LastInsertId(); err != nil {
		return st, fmt.Errorf("write fetch: %w", err)
	}
	if err = tx.Commit(); err != nil {
		return st, fmt.Errorf("commit: %w", err)
	}
	return st, nil
}

// incidentRow is an incident in its stored, serialized form.
type incidentRow struct {
	title, impact, status, startedAt string
	resolvedAt                       sql.NullString
	updatedAt, url                   string
	components, locations, extra     string
}

// toRow serializes inc for storage.
func toRow(inc *feed.Incident) (incidentRow, error) {
	r := incidentRow{
		title:     inc.Title,
		impact:    string(inc.Impact),
		status:    inc.Status,
		startedAt: fmtTime(inc.StartedAt),
		updatedAt: fmtTime(inc.UpdatedAt),
		url:       inc.URL,
	}
	if inc.ResolvedAt != nil {
		r.resolvedAt = sql.NullString{String: fmtTime(*inc.ResolvedAt), Valid: true}
	}
	var err error
	if r.components, err = jsonList(inc.Components); err != nil {
		return r, err
	}
	if r.locations, err = jsonList(inc.Locations); err != nil {
		return r, err
	}
	extra := inc.Extra
	if extra == nil {
		extra = map[string]any{}
	}
	b, err := json.Marshal(extra) // map keys come out sorted
	if err != nil {
		return r, fmt.Errorf("encode extra of incident %s: %w", inc.ID, err)
	}
	r.extra = string(b)
	return r, nil
}

// jsonList encodes a string list, nil as [].
func jsonList(l []string) (string, error) {
	if l == nil {
		l = []string{}
	}
	b, err := json.Marshal(l)
	return string(b), err
}

// recordIncident inserts or updates one incident and appends its new
// updates. It reports whether the incident is new, whether stored fields
// changed, and how many updates were appended.
func (s *Store) recordIncident(ctx context.Context, tx *sql.Tx, feedKey string, inc *feed.Incident, seenAt time.Time) (isNew, changed bool, newUpdates int, err error) {
	row, err := toRow(inc)
	if err != nil {
		return false, false, 0, err
	}
	seen := fmtTime(seenAt) // when the fetch saw it: first_seen/last_seen
	var old incidentRow
	row1, err := s.txQueryRow(ctx, tx, sqlGetIncident, feedKey, inc.ID)
	if err != nil {
		return false, false, 0, fmt.Errorf("read incident %s: %w", inc.ID, err)
	}
	err = row1.Scan(
		&old.title, &old.impact, &old.status, &old.startedAt, &old.resolvedAt,
		&old.updatedAt, &old.url, &old.components, &old.locations, &old.extra)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		isNew = true
		_, err = s.txExec(ctx, tx, sqlInsertIncident,
			feedKey, inc.ID, row.title, row.impact, row.status, row.startedAt, row.resolvedAt, row.updatedAt,
			row.url, row.components, row.locations, row.extra, seen, seen)
		if err != nil {
			return false, false, 0, fmt.Errorf("insert incident %s: %w", inc.ID, err)
		}
	case err != nil:
		return false, false, 0, fmt.Errorf("read incident %s: %w", inc.ID, err)
	default:
		changed = old != row && old.updatedAt <= row.updatedAt
		if changed {
			_, err = s.txExec(ctx, tx, sqlUpdateIncident,
				row.title, row.impact, row.status, row.startedAt, row.resolvedAt, row.updatedAt, row.url,
				row.components, row.locations, row.extra, seen, feedKey, inc.ID)
		} else {
			_, err = s.txExec(ctx, tx, sqlTouchIncident, seen, feedKey, inc.ID)
		}
		if err != nil {
			return false, false, 0, fmt.Errorf("update incident %s: %w", inc.ID, err)
		}
	}
	for _, u := range inc.Updates {
		res, err := s.txExec(ctx, tx, sqlAppendUpdate,
			feedKey, inc.ID, fmtTime(u.At), u.Status, u.Body, seen)
		if err != nil {
			return false, false, 0, fmt.Errorf("append update of incident %s: %w", inc.ID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return false, false, 0, fmt.Errorf("append update of incident %s: %w", inc.ID, err)
		}
		newUpdates += int(n)
	}
	return isNew, changed, newUpdates, nil
}

// Validators returns the ETag and Last-Modified of the feed's last good
// fetch, for a conditional request. Both are empty for an unknown feed.
func (s *Store) Validators(ctx context.Context, feedKey string) (etag, lastModified string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT etag, last_modified FROM feeds WHERE key = ?`, feedKey).Scan(&etag, &lastModified)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("store: read validators of %s: %w", feedKey, err)
	}
	return etag, lastModified, nil
}
