package store

// migrations are the schema changes, in order. migrations[i] brings the
// schema from version i to version i+1. Each runs in its own transaction
// together with the version bump, so a store is always at a whole version.
// Never edit a released migration: append a new one.
var migrations = []string{
	// Version 1.
	`
CREATE TABLE feeds (
	key           TEXT PRIMARY KEY,
	format        TEXT NOT NULL DEFAULT '',
	url           TEXT NOT NULL DEFAULT '',
	page          TEXT NOT NULL DEFAULT '',
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	first_seen    TEXT NOT NULL,
	last_fetch    TEXT NOT NULL DEFAULT '',
	last_success  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE fetches (
	id                INTEGER PRIMARY KEY,
	feed              TEXT NOT NULL REFERENCES feeds(key),
	url               TEXT NOT NULL DEFAULT '',
	fetched_at        TEXT NOT NULL,
	duration_ms       INTEGER NOT NULL DEFAULT 0,
	http_status       INTEGER NOT NULL DEFAULT 0,
	bytes             INTEGER NOT NULL DEFAULT 0,
	etag              TEXT NOT NULL DEFAULT '',
	last_modified     TEXT NOT NULL DEFAULT '',
	not_modified      INTEGER NOT NULL DEFAULT 0,
	attempts          INTEGER NOT NULL DEFAULT 0,
	error             TEXT NOT NULL DEFAULT '',
	incidents_seen    INTEGER NOT NULL DEFAULT 0,
	incidents_new     INTEGER NOT NULL DEFAULT 0,
	incidents_updated INTEGER NOT NULL DEFAULT 0,
	updates_new       INTEGER NOT NULL DEFAULT 0,
	components        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX fetches_feed_time ON fetches(feed, fetched_at);

CREATE TABLE incidents (
	feed        TEXT NOT NULL REFERENCES feeds(key),
	id          TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	impact      TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT '',
	started_at  TEXT NOT NULL,
	resolved_at TEXT,
	updated_at  TEXT NOT NULL,
	url         TEXT NOT NULL DEFAULT '',
	components  TEXT NOT NULL DEFAULT '[]',
	locations   TEXT NOT NULL DEFAULT '[]',
	extra       TEXT NOT NULL DEFAULT '{}',
	first_seen  TEXT NOT NULL,
	last_seen   TEXT NOT NULL,
	PRIMARY KEY (feed, id)
) STRICT;
CREATE INDEX incidents_started ON incidents(started_at);

CREATE TABLE updates (
	seq        INTEGER PRIMARY KEY,
	feed       TEXT NOT NULL,
	incident   TEXT NOT NULL,
	at         TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL DEFAULT '',
	first_seen TEXT NOT NULL,
	UNIQUE (feed, incident, at, status, body),
	FOREIGN KEY (feed, incident) REFERENCES incidents(feed, id)
) STRICT;

CREATE TABLE components (
	feed       TEXT NOT NULL REFERENCES feeds(key),
	id         TEXT NOT NULL,
	name       TEXT NOT NULL DEFAULT '',
	grp        TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL DEFAULT '',
	seen_at    TEXT NOT NULL,
	PRIMARY KEY (feed, id)
) STRICT;
`,
	// Version 2: what `depgraph watch` keeps between cycles and restarts.
	// watch_state holds the situations (one JSON document, replaced as a
	// whole each cycle); watch_events is the outbox of events, with what
	// was delivered to each sink; watch_documents the last document read
	// of each feed, reused when a conditional request answers 304.
	`
CREATE TABLE watch_state (
	single     INTEGER PRIMARY KEY CHECK (single = 1),
	body       TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE watch_events (
	seq              INTEGER PRIMARY KEY,
	situation        TEXT NOT NULL DEFAULT '',
	event            TEXT NOT NULL,
	at               TEXT NOT NULL,
	body             TEXT NOT NULL,
	alerts           TEXT NOT NULL DEFAULT 'none',
	webhook          TEXT NOT NULL DEFAULT 'none',
	webhook_attempts INTEGER NOT NULL DEFAULT 0,
	webhook_error    TEXT NOT NULL DEFAULT '',
	delivered_at     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX watch_events_pending ON watch_events(alerts, webhook);

CREATE TABLE watch_documents (
	feed    TEXT PRIMARY KEY,
	body    TEXT NOT NULL,
	read_at TEXT NOT NULL
) STRICT;
`,
}
