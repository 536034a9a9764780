package cli

import (
	"bytes"
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
	d := startWatch(t, fs, "-")
	addr := d.addr
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
	if err := d.stop(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(d.out.String()), "\n")
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
	if !strings.Contains(d.errOut.String(), "depgraph: watch: stopped") {
		t.Errorf("stderr %s", d.errOut)
	}
}

// daemon is a watch running in the test's process.
type daemon struct {
	addr        string
	out, errOut *bytes.Buffer
	stop        func() error
}

// startWatch runs watch every second on a one-vendor model whose feed fs
// serves, with the live server on a free loopback port and alerts to
// alerts ("" for none); stop sends SIGTERM and waits for the watch's end.
func startWatch(t *testing.T, fs *feedServer, alerts string) *daemon {
	t.Helper()
	feedSrv := httptest.NewServer(fs)
	t.Cleanup(feedSrv.Close)
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.yaml")
	model := fmt.Sprintf("depgraph: 1\nnodes:\n  - id: chatco\n    kind: vendor\n    status: {type: statuspage, url: \"%s/api/v2/summary.json\"}\n  - {id: acme/chat, kind: service, depends_on: [chatco]}\n", feedSrv.URL)
	if err := os.WriteFile(modelPath, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, out, errOut := iostreams.Test()
	addrs := make(chan string, 1)
	sigs := make(chan os.Signal, 1)
	opts := &watchOptions{IO: ios, DB: filepath.Join(dir, "w.db"), Interval: time.Second, Alerts: alerts, Listen: "127.0.0.1:0",
		signals: sigs, listening: func(a string) { addrs <- a }}
	opts.Model.Paths = []string{modelPath}
	opts.Fetch = fetchFlags{Timeout: 5 * time.Second, Concurrency: 4}
	done := make(chan error, 1)
	go func() { done <- runWatch(context.Background(), opts) }()
	d := &daemon{out: out, errOut: errOut}
	select {
	case d.addr = <-addrs:
	case err := <-done:
		t.Fatalf("watch ended: %v\n%s", err, errOut)
	case <-time.After(10 * time.Second):
		t.Fatal("the live server did not start")
	}
	stopped := false
	d.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		sigs <- syscall.SIGTERM
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("watch ended with %v\n%s", err, errOut)
			}
			return nil
		case <-time.After(30 * time.Second):
			return fmt.Errorf("watch did not stop on SIGTERM")
		}
	}
	t.Cleanup(func() { d.stop() })
	return d
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
