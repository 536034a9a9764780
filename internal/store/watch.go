package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Delivery states of a watch event at one sink (the alerts file, the
// webhook).
const (
	// DeliveryNone: the sink was not configured when the event was made.
	DeliveryNone = "none"
	// DeliveryPending: not delivered yet; retried every cycle.
	DeliveryPending = "pending"
	// DeliverySent: delivered.
	DeliverySent = "sent"
	// DeliveryAbandoned: given up on (too old to be worth sending).
	DeliveryAbandoned = "abandoned"
)

// Sinks of watch events.
const (
	SinkAlerts  = "alerts"
	SinkWebhook = "webhook"
)

// WatchEvent is one event in the watch's outbox.
type WatchEvent struct {
	Seq       int64
	Situation string
	Event     string
	At        time.Time
	// Body is the event's JSON.
	Body []byte
	// Alerts and Webhook are the delivery states (Delivery...).
	Alerts, Webhook string
	// WebhookAttempts counts the POSTs tried; WebhookError is the last
	// failure.
	WebhookAttempts int
	WebhookError    string
}

// WatchCommit is what one watch cycle writes, in one transaction.
type WatchCommit struct {
	// State is the watch's state document, replacing the previous one.
	State []byte
	// Documents are the feeds' documents read this cycle (JSON), by feed
	// key, replacing the previous ones.
	Documents map[string][]byte
	// Events are appended to the outbox.
	Events []WatchEvent
	// At is the cycle's time.
	At time.Time
}

// errWatchSchema is returned by the watch methods on a store opened
// read-only at a schema older than version 2.
var errWatchSchema = errors.New("store: this store has no watch tables yet (schema version 1): run `depgraph watch` or `depgraph ingest` on it once")

func (s *Store) watchReady() error {
	if s.version < 2 {
		return errWatchSchema
	}
	return nil
}

// LoadWatch returns the watch's state document (nil when none was
// committed) and the last document of each feed.
func (s *Store) LoadWatch(ctx context.Context) (state []byte, docs map[string][]byte, err error) {
	if err := s.watchReady(); err != nil {
		return nil, nil, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT body FROM watch_state WHERE single = 1`).Scan(&state)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("store: load watch state: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT feed, body FROM watch_documents`)
	if err != nil {
		return nil, nil, fmt.Errorf("store: load watch documents: %w", err)
	}
	defer rows.Close()
	docs = map[string][]byte{}
	for rows.Next() {
		var k string
		var b []byte
		if err := rows.Scan(&k, &b); err != nil {
			return nil, nil, fmt.Errorf("store: load watch documents: %w", err)
		}
		docs[k] = b
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: load watch documents: %w", err)
	}
	return state, docs, nil
}

// CommitWatch writes one cycle's state, documents and events at once: a
// cycle is either wholly stored or not at all. It returns the events with
// their sequence numbers.
func (s *Store) CommitWatch(ctx context.Context, c WatchCommit) (events []WatchEvent, err error) {
	if s.readOnly {
		return nil, errors.New("store: commit watch: the store is open read-only")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: commit watch: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	at := fmtTime(c.At)
	if _, err = tx.ExecContext(ctx, `INSERT INTO watch_state(single, body, updated_at) VALUES (1, ?, ?)
		ON CONFLICT(single) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, string(c.State), at); err != nil {
		return nil, fmt.Errorf("store: commit watch state: %w", err)
	}
	for k, b := range c.Documents {
		if _, err = tx.ExecContext(ctx, `INSERT INTO watch_documents(feed, body, read_at) VALUES (?, ?, ?)
			ON CONFLICT(feed) DO UPDATE SET body = excluded.body, read_at = excluded.read_at`, k, string(b), at); err != nil {
			return nil, fmt.Errorf("store: commit watch document of %s: %w", k, err)
		}
	}
	for _, e := range c.Events {
		for _, d := range []string{e.Alerts, e.Webhook} {
			if d != DeliveryNone && d != DeliveryPending {
				return nil, fmt.Errorf("store: commit watch event: delivery state %q of a new event", d)
			}
		}
		var res sql.Result
		res, err = tx.ExecContext(ctx, `INSERT INTO watch_events(situation, event, at, body, alerts, webhook) VALUES (?, ?, ?, ?, ?, ?)`,
			e.Situation, e.Event, fmtTime(e.At), string(e.Body), e.Alerts, e.Webhook)
		if err != nil {
			return nil, fmt.Errorf("store: commit watch event: %w", err)
		}
		if e.Seq, err = res.LastInsertId(); err != nil {
			return nil, fmt.Errorf("store: commit watch event: %w", err)
		}
		events = append(events, e)
	}
	if err = tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: commit watch: %w", err)
	}
	return events, nil
}

// PendingWatchEvents returns the events not yet delivered to sink, oldest
// first.
func (s *Store) PendingWatchEvents(ctx context.Context, sink string) ([]WatchEvent, error) {
	col, err := sinkColumn(sink)
	if err != nil {
		return nil, err
	}
	if err := s.watchReady(); err != nil {
		return nil, err
	}
	return s.watchEvents(ctx, `WHERE `+col+` = 'pending' ORDER BY seq`)
}

// RecentWatchEvents returns the n newest events, newest first.
func (s *Store) RecentWatchEvents(ctx context.Context, n int) ([]WatchEvent, error) {
	if err := s.watchReady(); err != nil {
		return nil, err
	}
	return s.watchEvents(ctx, fmt.Sprintf(`ORDER BY seq DESC LIMIT %d`, max(n, 0)))
}

func (s *Store) watchEvents(ctx context.Context, where string) ([]WatchEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, situation, event, at, body, alerts, webhook, webhook_attempts, webhook_error FROM watch_events `+where)
	if err != nil {
		return nil, fmt.Errorf("store: read watch events: %w", err)
	}
	defer rows.Close()
	var out []WatchEvent
	for rows.Next() {
		var e WatchEvent
		var at string
		if err := rows.Scan(&e.Seq, &e.Situation, &e.Event, &at, &e.Body, &e.Alerts, &e.Webhook, &e.WebhookAttempts, &e.WebhookError); err != nil {
			return nil, fmt.Errorf("store: read watch events: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("store: read watch event %d: %w", e.Seq, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read watch events: %w", err)
	}
	return out, nil
}

// MarkWatchEvent records a delivery attempt of event seq to sink: state
// is the new delivery state, attempts the attempts made this time (added
// to the count), errText the last failure ("" when delivered).
func (s *Store) MarkWatchEvent(ctx context.Context, seq int64, sink, state string, attempts int, errText string) error {
	col, err := sinkColumn(sink)
	if err != nil {
		return err
	}
	if s.readOnly {
		return errors.New("store: mark watch event: the store is open read-only")
	}
	q := `UPDATE watch_events SET ` + col + ` = ?`
	args := []any{state}
	if sink == SinkWebhook {
		q += `, webhook_attempts = webhook_attempts + ?, webhook_error = ?`
		args = append(args, attempts, errText)
		if state == DeliverySent {
			q += `, delivered_at = ?`
			args = append(args, fmtTime(s.now()))
		}
	}
	q += ` WHERE seq = ?`
	args = append(args, seq)
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("store: mark watch event %d: %w", seq, err)
	}
	return nil
}

func sinkColumn(sink string) (string, error) {
	switch sink {
	case SinkAlerts:
		return "alerts", nil
	case SinkWebhook:
		return "webhook", nil
	}
	return "", fmt.Errorf("store: unknown watch sink %q", sink)
}
