package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/google/go-cmp/cmp"
)

// clock is the fixed "now" of the tests.
var clock = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// openTest opens a store in a temporary directory with the fixed clock.
func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "sub", "depgraph.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return clock }
	t.Cleanup(func() { s.Close() })
	return s
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func tp(s string) *time.Time { t := ts(s); return &t }

// sampleDoc returns a small Statuspage-like document.
func sampleDoc() *feed.Document {
	return &feed.Document{
		SchemaVersion: feed.SchemaVersion,
		Source:        feed.Source{Format: feed.FormatStatuspage, Name: "github", Page: "GitHub"},
		Incidents: []feed.Incident{
			{
				ID: "inc2", Title: "Packages down", Impact: feed.ImpactMajor, Status: "investigating",
				StartedAt: ts("2025-02-10T10:00:00Z"), UpdatedAt: ts("2025-02-10T10:05:00Z"),
				Components: []string{"Packages", "Pages"}, Locations: []string{},
				URL:     "https://www.githubstatus.com/incidents/inc2",
				Updates: []feed.Update{{At: ts("2025-02-10T10:05:00Z"), Status: "investigating", Body: "Looking."}},
				Extra:   map[string]any{"shortlink": "https://stspg.io/x"},
			},
			{
				ID: "inc1", Title: "Slow API", Impact: feed.ImpactMinor, Status: "resolved",
				StartedAt: ts("2025-01-05T08:00:00Z"), ResolvedAt: tp("2025-01-05T09:30:00.123456789Z"),
				UpdatedAt:  ts("2025-01-05T09:30:00.123456789Z"),
				Components: []string{"API Requests"},
				Updates: []feed.Update{
					{At: ts("2025-01-05T08:10:00Z"), Status: "investigating", Body: "Slow."},
					{At: ts("2025-01-05T09:30:00.123456789Z"), Status: "resolved", Body: "Fixed."},
				},
			},
		},
		Components: []feed.Component{
			{ID: "c1", Name: "API Requests", Status: feed.StatusOperational},
			{ID: "c2", Name: "Packages", Status: feed.StatusMajorOutage},
		},
	}
}

func TestOpenCreatesDirsAndMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "x.db")
	for i := range 3 { // reopening must be a no-op
		s, err := Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		v, err := s.Version(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if v != SchemaVersion {
			t.Errorf("version got:%d want:%d", v, SchemaVersion)
		}
		var mode string
		if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" {
			t.Errorf("journal_mode got:%s want:wal", mode)
		}
		var busy int
		if err := s.db.QueryRow(`PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if busy != int(BusyTimeout.Milliseconds()) {
			t.Errorf("busy_timeout got:%d want:%d", busy, BusyTimeout.Milliseconds())
		}
		s.Close()
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = ?`, SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("got %v, want an error about a newer schema", err)
	}
}

// TestOpenConcurrentFresh opens one fresh store from several goroutines at
// once, in rounds, because the race it guards (each connection switching
// a new file to WAL mode) is lost only some of the time.
func TestOpenConcurrentFresh(t *testing.T) {
	const rounds, openers = 20, 4
	for round := range rounds {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("x%d.db", round))
		errs := make(chan error, openers)
		for range openers {
			go func() {
				s, err := Open(path)
				if err == nil {
					s.Close()
				}
				errs <- err
			}()
		}
		for range openers {
			if err := <-errs; err != nil {
				t.Errorf("round %d: %v", round, err)
			}
		}
	}
}

func TestRetryBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	holder, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	conn, err := holder.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), `BEGIN EXCLUSIVE`); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	write := func(ctx context.Context) error {
		_, err := other.ExecContext(ctx, `INSERT INTO t VALUES (1)`)
		return err
	}

	// Held for longer than the timeout: the busy error comes back.
	if err := retryBusy(context.Background(), 20*time.Millisecond, write); !isBusy(err) {
		t.Fatalf("lock held: got %v, want SQLITE_BUSY", err)
	}
	// Released while retrying: the write goes through.
	go func() {
		time.Sleep(20 * time.Millisecond)
		conn.ExecContext(context.Background(), `COMMIT`)
		conn.Close()
	}()
	if err := retryBusy(context.Background(), 5*time.Second, write); err != nil {
		t.Fatalf("lock released: got %v, want success", err)
	}
	// Anything but busy is returned at once.
	calls := 0
	errOther := errors.New("other")
	if err := retryBusy(context.Background(), time.Second, func(context.Context) error { calls++; return errOther }); err != errOther || calls != 1 {
		t.Errorf("non-busy error: got %v after %d calls, want it after 1", err, calls)
	}
}

var defaultPathTests = []struct {
	name, xdg, home, want string
}{
	{"xdg", "/state", "/home/u", "/state/depgraph/depgraph.db"},
	{"no xdg", "", "/home/u", "/home/u/.local/state/depgraph/depgraph.db"},
	{"relative xdg ignored", "rel", "/home/u", "/home/u/.local/state/depgraph/depgraph.db"},
}

func TestDefaultPath(t *testing.T) {
	for _, tt := range defaultPathTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_STATE_HOME", tt.xdg)
			t.Setenv("HOME", tt.home)
			got, err := DefaultPath()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got:%s want:%s", got, tt.want)
			}
		})
	}
}

func TestRecordRoundTripAndReingest(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	doc := sampleDoc()
	st, err := s.Record(ctx, "github", doc, FetchRecord{URL: "https://www.githubstatus.com/api/v2/summary.json", Status: 200, Bytes: 1234, ETag: `W/"a"`, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := RecordStats{FetchID: st.FetchID, IncidentsSeen: 2, IncidentsNew: 2, UpdatesNew: 3, Components: 2}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("first record stats (-want +got):\n%s", diff)
	}

	got, err := s.Incidents(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	var wantIncs []StoredIncident
	for _, inc := range doc.Incidents {
		wantIncs = append(wantIncs, StoredIncident{Feed: "github", Incident: inc, FirstSeen: clock, LastSeen: clock})
	}
	wantIncs[0].Locations = nil // [] and nil both store as [], and read back as empty
	if diff := cmp.Diff(wantIncs, got, cmp.Comparer(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })); diff != "" {
		t.Errorf("incidents (-want +got):\n%s", diff)
	}

	// The same document again changes nothing.
	s.now = func() time.Time { return clock.Add(time.Hour) }
	st, err = s.Record(ctx, "github", sampleDoc(), FetchRecord{Status: 200})
	if err != nil {
		t.Fatal(err)
	}
	if st.IncidentsNew != 0 || st.IncidentsUpdated != 0 || st.UpdatesNew != 0 {
		t.Errorf("identical re-ingest changed something: %+v", st)
	}

	// The incident progresses: updated in place, one update appended.
	doc2 := sampleDoc()
	inc := &doc2.Incidents[0]
	inc.Status, inc.ResolvedAt, inc.UpdatedAt = "resolved", tp("2025-02-10T12:00:00Z"), ts("2025-02-10T12:00:00Z")
	inc.Updates = append(inc.Updates, feed.Update{At: ts("2025-02-10T12:00:00Z"), Status: "resolved", Body: "Fixed."})
	s.now = func() time.Time { return clock.Add(2 * time.Hour) }
	st, err = s.Record(ctx, "github", doc2, FetchRecord{Status: 200})
	if err != nil {
		t.Fatal(err)
	}
	if st.IncidentsNew != 0 || st.IncidentsUpdated != 1 || st.UpdatesNew != 1 {
		t.Errorf("progress re-ingest: got %+v, want 0 new, 1 updated, 1 update", st)
	}
	got, err = s.Incidents(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d incidents, want 2", len(got))
	}
	g := got[0]
	if g.ID != "inc2" || g.Status != "resolved" || g.ResolvedAt == nil || !g.ResolvedAt.Equal(ts("2025-02-10T12:00:00Z")) {
		t.Errorf("incident not updated in place: %+v", g.Incident)
	}
	if len(g.Updates) != 2 || g.Updates[1].Body != "Fixed." {
		t.Errorf("updates got:%+v want 2, the new one last", g.Updates)
	}
	if !g.FirstSeen.Equal(clock) || !g.LastSeen.Equal(clock.Add(2*time.Hour)) {
		t.Errorf("first/last seen got:%v %v", g.FirstSeen, g.LastSeen)
	}

	// A stale copy (older UpdatedAt) never rolls the incident back, but
	// its updates still merge.
	stale := sampleDoc()
	stale.Incidents[0].Updates = append(stale.Incidents[0].Updates, feed.Update{At: ts("2025-02-10T11:00:00Z"), Status: "identified", Body: "Found it."})
	st, err = s.Record(ctx, "github", stale, FetchRecord{Status: 200})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = s.Incidents(ctx, Query{Feeds: []string{"github"}})
	if got[0].Status != "resolved" {
		t.Errorf("stale document rolled status back to %q", got[0].Status)
	}
	if st.UpdatesNew != 1 || len(got[0].Updates) != 3 || got[0].Updates[1].Status != "identified" {
		t.Errorf("stale document's new update not merged in time order: %+v (stats %+v)", got[0].Updates, st)
	}
}

func TestValidators(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	check := func(step, wantETag, wantLM string) {
		t.Helper()
		e, lm, err := s.Validators(ctx, "f")
		if err != nil {
			t.Fatal(err)
		}
		if e != wantETag || lm != wantLM {
			t.Errorf("%s: got (%q, %q) want (%q, %q)", step, e, lm, wantETag, wantLM)
		}
	}
	check("unknown feed", "", "")
	doc := &feed.Document{Source: feed.Source{Format: feed.FormatRSS}}
	if _, err := s.Record(ctx, "f", doc, FetchRecord{Status: 200, ETag: `"1"`, LastModified: "Mon, 01 Jan 2024 00:00:00 GMT"}); err != nil {
		t.Fatal(err)
	}
	check("after 200", `"1"`, "Mon, 01 Jan 2024 00:00:00 GMT")
	if _, err := s.Record(ctx, "f", nil, FetchRecord{Status: 304, NotModified: true}); err != nil {
		t.Fatal(err)
	}
	check("304 without validators keeps them", `"1"`, "Mon, 01 Jan 2024 00:00:00 GMT")
	if _, err := s.Record(ctx, "f", nil, FetchRecord{Status: 304, NotModified: true, ETag: `"2"`}); err != nil {
		t.Fatal(err)
	}
	check("304 with a new etag", `"2"`, "Mon, 01 Jan 2024 00:00:00 GMT")
	if _, err := s.Record(ctx, "f", nil, FetchRecord{Status: 200, ETag: `"3"`, Error: "feed: parse rss: EOF"}); err != nil {
		t.Fatal(err)
	}
	check("failed parse keeps old validators", `"2"`, "Mon, 01 Jan 2024 00:00:00 GMT")
	if _, err := s.Record(ctx, "f", doc, FetchRecord{Status: 200}); err != nil {
		t.Fatal(err)
	}
	check("200 without validators clears them", "", "")

	fs, err := s.Fetches(ctx, FetchQuery{Feeds: []string{"f"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 5 {
		t.Fatalf("got %d fetches, want 5", len(fs))
	}
	if fs[3].Error != "feed: parse rss: EOF" || fs[3].Format != feed.FormatRSS || !fs[1].NotModified {
		t.Errorf("fetch rows not as recorded: %+v", fs)
	}
	failed, err := s.Fetches(ctx, FetchQuery{Failed: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].ID != fs[3].ID {
		t.Errorf("failed fetches got:%+v", failed)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 1 || feeds[0].Key != "f" || feeds[0].Format != feed.FormatRSS || !feeds[0].LastSuccess.Equal(clock) {
		t.Errorf("feeds got:%+v", feeds)
	}
}

func TestRecordRejects(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.Record(ctx, "", nil, FetchRecord{}); err == nil {
		t.Error("empty feed key accepted")
	}
	doc := sampleDoc()
	doc.Incidents[1].ID = ""
	_, err := s.Record(ctx, "f", doc, FetchRecord{})
	if err == nil || !strings.HasPrefix(err.Error(), "store: ") {
		t.Fatalf("incident without id: got %v, want a store: error", err)
	}
	if fs, _ := s.Fetches(ctx, FetchQuery{}); len(fs) != 0 {
		t.Errorf("rejected record left %d fetches", len(fs))
	}
}

func TestComponentsReplacedOnlyWhenListed(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.Record(ctx, "f", sampleDoc(), FetchRecord{}); err != nil {
		t.Fatal(err)
	}
	noComps := sampleDoc()
	noComps.Components = nil
	if _, err := s.Record(ctx, "f", noComps, FetchRecord{}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Components(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("a document without components cleared them: %+v", cs)
	}
	one := sampleDoc()
	one.Components = []feed.Component{{ID: "c2", Name: "Packages", Status: feed.StatusOperational}}
	if _, err := s.Record(ctx, "f", one, FetchRecord{}); err != nil {
		t.Fatal(err)
	}
	cs, err = s.Components(ctx, "f")
	if err != nil {
		t.Fatal(err)
	}
	want := []StoredComponent{{Feed: "f", Component: feed.Component{ID: "c2", Name: "Packages", Status: feed.StatusOperational}, SeenAt: clock}}
	if diff := cmp.Diff(want, cs); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
}

var queryTests = []struct {
	name string
	q    Query
	want []string // feed/id
}{
	{"all, newest first then feed then id", Query{}, []string{"a/inc2", "b/inc2", "a/inc1", "b/inc1"}},
	{"one feed", Query{Feeds: []string{"b"}}, []string{"b/inc2", "b/inc1"}},
	{"since excludes resolved before", Query{Since: ts("2025-01-06T00:00:00Z")}, []string{"a/inc2", "b/inc2"}},
	{"since keeps resolved after", Query{Since: ts("2025-01-05T09:00:00Z")}, []string{"a/inc2", "b/inc2", "a/inc1", "b/inc1"}},
	{"until excludes later starts", Query{Until: ts("2025-02-01T00:00:00Z")}, []string{"a/inc1", "b/inc1"}},
	{"component", Query{Components: []string{"Pages"}}, []string{"a/inc2", "b/inc2"}},
	{"component any of", Query{Components: []string{"Pages", "API Requests"}, Feeds: []string{"a"}}, []string{"a/inc2", "a/inc1"}},
	{"unknown component", Query{Components: []string{"Nope"}}, nil},
}

func TestIncidentsQuery(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for _, k := range []string{"b", "a"} {
		if _, err := s.Record(ctx, k, sampleDoc(), FetchRecord{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range queryTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Incidents(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, g := range got {
				ids = append(ids, g.Feed+"/"+g.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestTwoProcessesShareStore checks that a second connection pool (as a
// second depgraph process would have) sees committed ingests and can write
// while the first is open.
func TestTwoHandlesShareStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	done := make(chan error, 2)
	for i, s := range []*Store{a, b} {
		go func() {
			for j := range 20 {
				if _, err := s.Record(ctx, "f", sampleDoc(), FetchRecord{URL: string(rune('a'+i)) + string(rune('0'+j%10))}); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	fs, err := a.Fetches(ctx, FetchQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 40 {
		t.Errorf("got %d fetches, want 40", len(fs))
	}
	incs, err := b.Incidents(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 2 || len(incs[0].Updates) != 1 || len(incs[1].Updates) != 2 {
		t.Errorf("concurrent ingests duplicated rows: %d incidents", len(incs))
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(crashEnv) != "" {
		os.Exit(crashChild())
	}
	if p := os.Getenv(readOnlyEnv); p != "" {
		os.Exit(readOnlyChild(p))
	}
	os.Exit(m.Run())
}
