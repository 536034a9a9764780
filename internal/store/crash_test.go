package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/google/go-cmp/cmp"
)

// crashEnv names the store file the child process of TestCrashMidRecord
// ingests into before it dies.
const crashEnv = "DEPGRAPH_STORE_CRASH_CHILD"

// crashExit is the child's exit code when it dies as planned.
const crashExit = 75

// bigDoc returns a document whose ingest writes enough to spill SQLite's
// page cache to disk before commit: n incidents with long update bodies, a
// new version of inc1 and inc2 of sampleDoc, and other components.
func bigDoc(n int) *feed.Document {
	doc := sampleDoc()
	doc.Incidents[0].Status = "resolved"
	doc.Incidents[0].ResolvedAt = tp("2025-02-11T00:00:00Z")
	doc.Incidents[0].UpdatedAt = ts("2025-02-11T00:00:00Z")
	doc.Incidents[0].Updates = append(doc.Incidents[0].Updates, feed.Update{At: ts("2025-02-11T00:00:00Z"), Status: "resolved", Body: "Done."})
	body := strings.Repeat("All hands on deck. ", 200)
	for i := range n {
		at := ts("2024-06-01T00:00:00Z").Add(time.Duration(i) * time.Hour)
		doc.Incidents = append(doc.Incidents, feed.Incident{
			ID: fmt.Sprintf("big%04d", i), Title: "Big", Impact: feed.ImpactMinor, Status: "resolved",
			StartedAt: at, ResolvedAt: &at, UpdatedAt: at, Components: []string{"API Requests"},
			Updates: []feed.Update{{At: at, Status: "resolved", Body: body}},
		})
	}
	doc.Components = []feed.Component{{ID: "c9", Name: "Other", Status: feed.StatusPartialOutage}}
	return doc
}

// crashChild runs in the child process: it ingests bigDoc with a tiny page
// cache and exits abruptly after the last incident is written, before the
// transaction commits.
func crashChild() int {
	s, err := Open(os.Getenv(crashEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	s.db.SetMaxOpenConns(1) // so the pragma below applies to Record's connection
	if _, err := s.db.Exec(`PRAGMA cache_size = 2`); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	doc := bigDoc(300)
	testHookMidRecord = func(i int) error {
		if i == len(doc.Incidents)-1 {
			os.Exit(crashExit) // no deferred rollback, no close: like kill -9
		}
		return nil
	}
	_, err = s.Record(context.Background(), "github", doc, FetchRecord{Status: 200, ETag: `"child"`})
	fmt.Fprintln(os.Stderr, "child: Record returned", err)
	return 1
}

// snapshot is everything a test can see in a store.
type snapshot struct {
	Incidents  []StoredIncident
	Fetches    []StoredFetch
	Components []StoredComponent
	Feeds      []FeedInfo
}

func takeSnapshot(t *testing.T, s *Store) snapshot {
	t.Helper()
	ctx := context.Background()
	var sn snapshot
	var err error
	if sn.Incidents, err = s.Incidents(ctx, Query{}); err != nil {
		t.Fatal(err)
	}
	if sn.Fetches, err = s.Fetches(ctx, FetchQuery{}); err != nil {
		t.Fatal(err)
	}
	if sn.Components, err = s.Components(ctx); err != nil {
		t.Fatal(err)
	}
	if sn.Feeds, err = s.Feeds(ctx); err != nil {
		t.Fatal(err)
	}
	return sn
}

// TestCrashMidRecord kills a process in the middle of an ingest and checks
// that the store it leaves behind is the store before the ingest.
func TestCrashMidRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(context.Background(), "github", sampleDoc(), FetchRecord{Status: 200, ETag: `"parent"`}); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	sizeBefore := fileSize(t, path) + fileSize(t, path+"-wal")

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != crashExit {
		t.Fatalf("child did not die mid-ingest as planned: %v\n%s", err, out)
	}
	// The child must really have written pages past the committed state,
	// or this test proves nothing.
	if after := fileSize(t, path) + fileSize(t, path+"-wal"); after <= sizeBefore {
		t.Fatalf("child wrote nothing to disk before dying (%d <= %d bytes): test is vacuous", after, sizeBefore)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen after crash: %v", err)
	}
	defer s.Close()
	var check string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	after := takeSnapshot(t, s)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Fatalf("a killed ingest left partial writes (-before +after):\n%s", diff)
	}
	// And the store still takes the same ingest.
	st, err := s.Record(context.Background(), "github", bigDoc(300), FetchRecord{Status: 200})
	if err != nil {
		t.Fatal(err)
	}
	if st.IncidentsNew != 300 || st.IncidentsUpdated != 1 {
		t.Errorf("ingest after crash: %+v", st)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestFailedRecordRollsBack forces an error after partial writes inside the
// transaction and checks none of them is visible.
func TestFailedRecordRollsBack(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.Record(ctx, "github", sampleDoc(), FetchRecord{Status: 200, ETag: `"1"`}); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, s)
	boom := errors.New("boom")
	testHookMidRecord = func(i int) error {
		if i == 5 {
			return boom
		}
		return nil
	}
	defer func() { testHookMidRecord = nil }()
	st, err := s.Record(ctx, "github", bigDoc(20), FetchRecord{Status: 200, ETag: `"2"`})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	if st != (RecordStats{}) {
		t.Errorf("failed record returned stats %+v", st)
	}
	if diff := cmp.Diff(before, takeSnapshot(t, s)); diff != "" {
		t.Fatalf("failed ingest left partial writes (-before +after):\n%s", diff)
	}
	testHookMidRecord = nil
	if _, err := s.Record(ctx, "github", bigDoc(20), FetchRecord{Status: 200}); err != nil {
		t.Fatalf("store unusable after a failed ingest: %v", err)
	}
}

// TestCanceledRecordRollsBack cancels the context mid-ingest.
func TestCanceledRecordRollsBack(t *testing.T) {
	s := openTest(t)
	before := takeSnapshot(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	testHookMidRecord = func(i int) error {
		if i == 3 {
			cancel()
		}
		return nil
	}
	defer func() { testHookMidRecord = nil }()
	if _, err := s.Record(ctx, "github", bigDoc(20), FetchRecord{}); err == nil {
		t.Fatal("canceled ingest succeeded")
	}
	if diff := cmp.Diff(before, takeSnapshot(t, s)); diff != "" {
		t.Fatalf("canceled ingest left partial writes (-before +after):\n%s", diff)
	}
}
