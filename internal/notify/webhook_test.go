package notify

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/watch"
)

func TestWebhookSend(t *testing.T) {
	tests := []struct {
		name         string
		codes        []int
		retries      int
		wantAttempts int
		wantErr      string // "" for delivered
		permanent    bool
	}{
		{"delivered at once", []int{200}, 3, 1, "", false},
		{"500 then 200: delivered on the retry", []int{500, 200}, 3, 2, "", false},
		{"429 and 503 are retried", []int{429, 503, 204}, 3, 3, "", false},
		{"retries run out", []int{500, 500, 500}, 2, 3, "HTTP 500", false},
		{"400 is permanent", []int{400, 200}, 3, 1, "HTTP 400", true},
		{"404 is permanent", []int{404}, 3, 1, "HTTP 404", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var n int
			var keys []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				keys = append(keys, r.Header.Get("Idempotency-Key"))
				if r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("content type %q", r.Header.Get("Content-Type"))
				}
				code := tt.codes[min(n, len(tt.codes)-1)]
				n++
				w.WriteHeader(code)
			}))
			defer srv.Close()
			var waits []time.Duration
			w := &Webhook{URL: srv.URL, Retries: tt.retries, Backoff: time.Second,
				sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
			attempts, err := w.Send(context.Background(), []byte(`{}`), "k1")
			if attempts != tt.wantAttempts {
				t.Errorf("attempts %d, want %d", attempts, tt.wantAttempts)
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			var perm *PermanentError
			if errors.As(err, &perm) != tt.permanent {
				t.Errorf("permanent %v, want %v", errors.As(err, &perm), tt.permanent)
			}
			for i, d := range waits {
				if want := time.Second << i; d != want {
					t.Errorf("wait %d: %v, want %v", i, d, want)
				}
			}
			for _, k := range keys {
				if k != "k1" {
					t.Errorf("idempotency key %q", k)
				}
			}
		})
	}
}

func TestWebhookRetryAfter(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(429)
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	var waits []time.Duration
	w := &Webhook{URL: srv.URL, Retries: 1, sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	if _, err := w.Send(context.Background(), []byte(`{}`), ""); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 1 || waits[0] != 7*time.Second {
		t.Errorf("waits %v, want [7s]", waits)
	}
}

func TestWebhookUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	w := &Webhook{URL: url, Retries: 1, sleep: func(context.Context, time.Duration) error { return nil }}
	attempts, err := w.Send(context.Background(), []byte(`{}`), "")
	if err == nil || attempts != 2 {
		t.Fatalf("attempts %d, err %v: want 2 attempts and an error", attempts, err)
	}
}

func TestWebhookBody(t *testing.T) {
	ev := watch.Event{SchemaVersion: 1, Event: watch.Opened, Situation: "s1", Finding: watch.Finding{Roots: []string{"aws/us-east-1"}, Probability: 0.92, Layer: "region",
		AffectedServices: []string{"acme/shop"}, Reporting: []string{"aws/us-east-1/ec2", "chatco\x1b[2J"}}}
	b, err := WebhookBody(ev)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := `Opened s1: aws/us-east-1 (region) likely root, p=92%; your services: acme/shop; reporting: aws/us-east-1/ec2, chatco\x1b[2J`
	if m["text"] != want {
		t.Errorf("text %q\nwant %q", m["text"], want)
	}
	if m["event"] != "opened" || m["situation"] != "s1" {
		t.Errorf("body %s", b)
	}
}
