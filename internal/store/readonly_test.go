package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/depgraph/depgraph/internal/feed"
)

// TestOpenTakesPathLiterally: a name with '%', '?', '#' or spaces opens
// that very file (issue 16: --db a%41b.db created aAb.db).
func TestOpenTakesPathLiterally(t *testing.T) {
	for _, name := range []string{"a%41b.db", "q?mode=memory.db", "h#x.db", "sp ace.db", "é.db", "%2e%2e.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Record(context.Background(), "f", sampleDoc(), FetchRecord{URL: "u"}); err != nil {
				t.Fatal(err)
			}
			s.Close()
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("the store is not at %q: %v", path, err)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if n := e.Name(); n != name && !strings.HasPrefix(n, name+"-") {
					t.Errorf("stray file %q beside %q", n, name)
				}
			}
			r, err := OpenReadOnly(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			incs, err := r.Incidents(context.Background(), Query{})
			if err != nil || len(incs) != 2 {
				t.Fatalf("read back %d incidents, %v", len(incs), err)
			}
		})
	}
}

// TestOpenReadOnlyMissing: a reading command never creates a store or its
// folders (issue 16: incidents --db typo.db created an empty store).
func TestOpenReadOnlyMissing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "typo.db")
	_, err := OpenReadOnly(path)
	if !errors.Is(err, ErrNoStore) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want ErrNoStore", err)
	}
	if !strings.Contains(err.Error(), "no incident store there") || !strings.Contains(err.Error(), "depgraph ingest --db") {
		t.Errorf("unclear error: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly created the folder: %v", err)
	}
	// Not a store at all.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("hello"), 0o644)
	if _, err := OpenReadOnly(junk); err == nil || !strings.Contains(err.Error(), "not a depgraph store") {
		t.Errorf("junk file: err = %v", err)
	}
}

const readOnlyEnv = "DEPGRAPH_STORE_READONLY_CHILD"

// TestOpenReadOnlyUnwritable reads a store whose file and folder the user
// cannot write (issue 16: "attempt to write a readonly database"). As root
// permissions do not bind, so the check runs in a child process as nobody.
func TestOpenReadOnlyUnwritable(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "depgraph.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(context.Background(), "f", sampleDoc(), FetchRecord{URL: "u"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if os.Getuid() != 0 {
		if code := readOnlyChild(path); code != 0 {
			t.Fatalf("read-only checks failed (%d)", code)
		}
		return
	}
	// Root: run the checks as nobody from a copy of the test binary that
	// nobody may execute.
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		if d == dir {
			continue
		}
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o005 != 0o005 {
			old := fi.Mode().Perm()
			os.Chmod(d, old|0o005)
			t.Cleanup(func() { os.Chmod(d, old) })
		}
	}
	bin := filepath.Join(base, "store.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), readOnlyEnv+"="+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("read-only checks as nobody: %v\n%s", err, out)
	}
}

// readOnlyChild runs the read-only checks on the store at path and
// returns an exit code.
func readOnlyChild(path string) int {
	fail := func(f string, a ...any) int { fmt.Fprintf(os.Stderr, f+"\n", a...); return 1 }
	if _, err := Open(path); err == nil {
		return fail("Open for writing succeeded on an unwritable store: the test cannot tell")
	}
	s, err := OpenReadOnly(path)
	if err != nil {
		return fail("OpenReadOnly: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	incs, err := s.Incidents(ctx, Query{})
	if err != nil || len(incs) != 2 {
		return fail("Incidents: %d, %v", len(incs), err)
	}
	if _, err := s.Stats(ctx, StatsQuery{}); err != nil {
		return fail("Stats: %v", err)
	}
	if _, err := s.Feeds(ctx); err != nil {
		return fail("Feeds: %v", err)
	}
	if _, err := s.Record(ctx, "f", sampleDoc(), FetchRecord{URL: "u"}); err == nil || !strings.Contains(err.Error(), "read-only") {
		return fail("Record on a read-only store: %v", err)
	}
	return 0
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TestIncidentsLeaveOutBadTimes: records with a zero start or an end
// before the start (written before feed.Parse refused them) are never
// listed (issue 16 item 2).
func TestIncidentsLeaveOutBadTimes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	doc := sampleDoc()
	doc.Incidents = append(doc.Incidents,
		feed.Incident{ID: "zero", Title: "year 1", Impact: feed.ImpactCritical},
		feed.Incident{ID: "backwards", Title: "ends first", Impact: feed.ImpactMajor, StartedAt: ts("2025-02-01T10:00:00Z"), ResolvedAt: tp("2025-02-01T09:00:00Z"), UpdatedAt: ts("2025-02-01T10:00:00Z")},
	)
	if _, err := s.Record(ctx, "f", doc, FetchRecord{URL: "u"}); err != nil {
		t.Fatal(err)
	}
	incs, err := s.Incidents(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range incs {
		if in.ID == "zero" || in.ID == "backwards" {
			t.Errorf("listed %s (%s)", in.ID, in.Title)
		}
	}
	if len(incs) != 2 {
		t.Errorf("got %d incidents, want the 2 good ones", len(incs))
	}
	st, err := s.Stats(ctx, StatsQuery{Feeds: []string{"f"}})
	if err != nil {
		t.Fatal(err)
	}
	if st[0].Incidents != 2 || st[0].ObservedFrom.Year() < 2000 {
		t.Errorf("stats count bad records: %+v", st[0])
	}
}
