// Package store keeps the history of normalized status-feed incidents in an
// embedded SQLite database (modernc.org/sqlite, pure Go, driver "sqlite").
//
// A store holds five kinds of rows:
//
//   - feeds: one per feed key (a name the caller chooses: a model node id or
//     a URL), with its format, URL and the HTTP validators (ETag,
//     Last-Modified) of its last good fetch, for conditional requests;
//   - fetches: one per ingest, successful or not: when, HTTP status, size,
//     validators, error text and how many incidents it added or changed;
//   - incidents: keyed by (feed, incident id). An incident seen again is
//     updated in place;
//   - updates: an incident's status updates, unique on (feed, incident, at,
//     status, body), so a re-read incident has its new updates appended and
//     its old ones never duplicated;
//   - components: the latest state of every component a feed lists.
//
// [Store.Record] writes one ingest in a single transaction, so a crash or a
// kill mid-ingest leaves either all of it or none of it. The database runs in
// WAL mode with a busy timeout, so several depgraph processes may share it.
// The schema carries a version and is brought up to date by idempotent
// migrations when the store is opened.
//
// Times are stored as fixed-width UTC text (RFC 3339 with nine fractional
// digits), which sorts as time and reads well in the sqlite3 shell.
//
// [Store.Stats] turns the history into failure figures per feed and per
// component (incident rate, outage hours, MTTR, unavailability) for
// failure-domain analysis, over the span the store observed of each feed
// only: no data is no data, and an unavailability without data is nil with
// a reason.
//
// Reading commands open the store with [OpenReadOnly], which never creates,
// migrates or writes it and also reads a store the user may not write.
// File names are taken literally ('%', '?', '#' included). The interval arithmetic behind it lives in
// interval.go and is independent of SQL.
package store
