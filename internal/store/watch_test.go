package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestWatchOutbox(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	state, docs, err := s.LoadWatch(ctx)
	if err != nil || state != nil || len(docs) != 0 {
		t.Fatalf("fresh store: state %q docs %v err %v", state, docs, err)
	}
	at := time.Date(2021, 12, 7, 16, 0, 0, 0, time.UTC)
	evs, err := s.CommitWatch(ctx, WatchCommit{State: []byte(`{"cycle":1}`), At: at, Documents: map[string][]byte{"f1": []byte(`[1]`)},
		Events: []WatchEvent{
			{Situation: "s1", Event: "opened", At: at, Body: []byte(`{"e":1}`), Alerts: DeliveryPending, Webhook: DeliveryPending},
			{Situation: "", Event: "blind", At: at, Body: []byte(`{"e":2}`), Alerts: DeliveryPending, Webhook: DeliveryNone},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Seq >= evs[1].Seq {
		t.Fatalf("events %+v", evs)
	}
	if _, err := s.CommitWatch(ctx, WatchCommit{State: []byte(`{"cycle":2}`), At: at, Documents: map[string][]byte{"f1": []byte(`[2]`)},
		Events: []WatchEvent{{Event: "x", At: at, Body: []byte(`{}`), Alerts: DeliverySent, Webhook: DeliveryNone}}}); err == nil {
		t.Fatal("a new event marked sent was accepted")
	}
	// The refused commit left nothing behind.
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	state, docs, err = s.LoadWatch(ctx)
	if err != nil || string(state) != `{"cycle":1}` || string(docs["f1"]) != `[1]` {
		t.Fatalf("after reopen: state %q docs %q err %v", state, docs, err)
	}
	hook, err := s.PendingWatchEvents(ctx, SinkWebhook)
	if err != nil || len(hook) != 1 || hook[0].Event != "opened" {
		t.Fatalf("pending webhook %+v %v", hook, err)
	}
	if err := s.MarkWatchEvent(ctx, hook[0].Seq, SinkWebhook, DeliveryPending, 2, "HTTP 500"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkWatchEvent(ctx, hook[0].Seq, SinkWebhook, DeliverySent, 1, ""); err != nil {
		t.Fatal(err)
	}
	if hook, _ = s.PendingWatchEvents(ctx, SinkWebhook); len(hook) != 0 {
		t.Errorf("still pending: %+v", hook)
	}
	recent, err := s.RecentWatchEvents(ctx, 10)
	if err != nil || len(recent) != 2 || recent[0].Event != "blind" || recent[1].WebhookAttempts != 3 {
		t.Fatalf("recent %+v %v", recent, err)
	}
	alerts, _ := s.PendingWatchEvents(ctx, SinkAlerts)
	if len(alerts) != 2 {
		t.Errorf("pending alerts %d, want 2", len(alerts))
	}
	if _, err := s.PendingWatchEvents(ctx, "pager"); err == nil {
		t.Error("an unknown sink was accepted")
	}
}

// TestReadOnlyOlderSchema: a version-1 store (written before the watch
// tables) is still read by the read-only commands; its watch methods say
// why they cannot work.
func TestReadOnlyOlderSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE watch_state`, `DROP TABLE watch_events`, `DROP TABLE watch_documents`, `UPDATE schema_version SET version = 1`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("a version-1 store is not read: %v", err)
	}
	if _, err := ro.Incidents(ctx, Query{}); err != nil {
		t.Errorf("incidents of a version-1 store: %v", err)
	}
	if _, _, err := ro.LoadWatch(ctx); err == nil {
		t.Error("LoadWatch on a version-1 store did not fail")
	}
	ro.Close()
	// Open migrates it.
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Version(ctx); v != SchemaVersion {
		t.Errorf("version %d after Open", v)
	}
	if _, _, err := s.LoadWatch(ctx); err != nil {
		t.Errorf("LoadWatch after migration: %v", err)
	}
}
