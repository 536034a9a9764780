package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/watch"
)

// feedServer serves a Statuspage summary whose content the test sets.
type feedServer struct {
	mu   sync.Mutex
	body string
}

func (f *feedServer) set(body string) { f.mu.Lock(); f.body = body; f.mu.Unlock() }

func (f *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.body == "" {
		http.Error(w, "gone", http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, f.body)
}

func summary(incidents string) string {
	return `{"page":{"id":"p","name":"Chatco","url":"https://chatco.example","updated_at":"2026-12-01T10:00:00Z"},
 "status":{"indicator":"none","description":"x"},"components":[],"incidents":[` + incidents + `],"scheduled_maintenances":[]}`
}

const openIncident = `{"id":"i1","name":"Messages failing","status":"investigating","impact":"major","created_at":"2026-12-01T09:00:00Z",
 "updated_at":"2026-12-01T09:00:00Z","started_at":"2026-12-01T09:00:00Z","resolved_at":null,"shortlink":"https://stspg.io/i1","components":[],"incident_updates":[]}`

// TestWatchServesAndStops runs watch as a daemon: the live server answers
// /api/situations, /metrics (parsed by the Prometheus text parser) and
// /healthz after a cycle, the next cycles follow the feed, and a SIGTERM
// ends the watch with no error after the cycle's store write.
func TestWatchServesAndStops(t *testing.T) {
	fs := &feedServer{}
	fs.set(summary(openIncident))
	feedSrv := httptest.NewServer(fs)
	defer feedSrv.Close()
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.yaml")
	os.WriteFile(modelPath, []byte(fmt.Sprintf(`depgraph: 1
nodes:
  - id: chatco
    kind: vendor
    status: {type: statuspage, url: "%s/api/v2/summary.json"}
  - {id: acme/chat, kind: service, depends_on: [chatco]}
`, feedSrv.URL)), 0o644)

	ios, _, out, errOut := iostreams.Test()
	addrs := make(chan string, 1)
	sigs := make(chan os.Signal, 1)
	opts := &watchOptions{IO: ios, DB: filepath.Join(dir, "w.db"), Interval: time.Second, Alerts: "-", Listen: "127.0.0.1:0",
		signals: sigs, listening: func(a string) { addrs <- a }}
	opts.Model.Paths = []string{modelPath}
	opts.Fetch = fetchFlags{Timeout: 5 * time.Second, Concurrency: 4, Retries: 0}
	done := make(chan error, 1)
	go func() { done <- runWatch(context.Background(), opts) }()
	var addr string
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("watch ended: %v\n%s", err, errOut)
	case <-time.After(10 * time.Second):
		t.Fatal("the live server did not start")
	}
	base := "http://" + addr
	snap := waitSnapshot(t, base, func(s *watch.Snapshot) bool { return s.Cycle >= 1 })
	if len(snap.Open) != 1 || snap.Open[0].Roots[0] != "chatco" || snap.Open[0].AffectedServices[0] != "acme/chat" {
		t.Fatalf("open situations %+v", snap.Open)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	if f := families["depgraph_situations_open"]; f == nil || f.GetMetric()[0].GetGauge().GetValue() != 1 {
		t.Errorf("depgraph_situations_open: %v", f)
	}
	if f := families["depgraph_node_reported_impairment"]; f == nil || len(f.GetMetric()) == 0 {
		t.Errorf("depgraph_node_reported_impairment: %v", f)
	}
	// The vendor resolves: the next cycle resolves the situation.
	fs.set(summary(""))
	waitSnapshot(t, base, func(s *watch.Snapshot) bool { return len(s.Open) == 0 && len(s.Resolved) == 1 })
	// The feed fails: blind, never resolved or healthy.
	fs.set("")
	snap = waitSnapshot(t, base, func(s *watch.Snapshot) bool {
		return len(s.Feeds) == 1 && !s.Feeds[0].Read
	})
	if snap.Feeds[0].Errors == 0 {
		t.Errorf("feed errors %d", snap.Feeds[0].Errors)
	}
	sigs <- syscall.SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("watch ended with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not stop on SIGTERM")
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var kinds []string
	for _, l := range lines {
		var ev watch.Event
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("alert line %q: %v", l, err)
		}
		kinds = append(kinds, ev.Event)
	}
	if got := strings.Join(kinds, " "); got != "opened resolved blind" {
		t.Errorf("events %q, want opened resolved blind", got)
	}
	if !strings.Contains(errOut.String(), "depgraph: watch: stopped") {
		t.Errorf("stderr %s", errOut)
	}
}

// waitSnapshot polls /api/situations until ok holds (at most 20 s).
func waitSnapshot(t *testing.T, base string, ok func(*watch.Snapshot) bool) *watch.Snapshot {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last watch.Snapshot
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/api/situations")
		if err == nil {
			var s watch.Snapshot
			err = json.NewDecoder(resp.Body).Decode(&s)
			resp.Body.Close()
			if err == nil {
				last = s
				if ok(&s) {
					return &s
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("snapshot never as wanted; last: %+v", last)
	return nil
}
