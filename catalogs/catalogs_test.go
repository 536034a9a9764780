package catalogs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/internal/catalog"
	"github.com/depgraph/depgraph/internal/ingest"
)

// lintNow is the date the bundled catalogs are linted against; sources
// dated after it are errors, older than a year before it warnings.
var lintNow = time.Now()

// loadAll loads every bundled catalog together through one model file that
// includes them all by name.
func loadAll(t *testing.T) (*ingest.Result, []string) {
	t.Helper()
	names, err := fs.Glob(catalogs.FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, ".yaml")
	}
	path := filepath.Join(t.TempDir(), "all.yaml")
	body := "depgraph: 1\ninclude: [" + strings.Join(names, ", ") + "]\nnodes: []\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Load(ingest.Options{Paths: []string{path}, Catalogs: catalogs.FS})
	if err != nil {
		t.Fatalf("load every bundled catalog:\n%v", err)
	}
	return res, names
}

func TestLoadAll(t *testing.T) {
	res, names := loadAll(t)
	for _, w := range res.Warnings {
		t.Errorf("warning: %v", w)
	}
	if got, want := len(res.Model.Catalogs), len(names); got != want {
		t.Errorf("loaded %d catalogs, want %d: %v", got, want, res.Model.Catalogs)
	}
	if len(res.Model.Nodes) == 0 {
		t.Fatal("no nodes loaded")
	}
}

// TestEachAlone loads each catalog on its own, so that every catalog
// includes what it references.
func TestEachAlone(t *testing.T) {
	names, err := fs.Glob(catalogs.FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(n, ".yaml")
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "one.yaml")
			if err := os.WriteFile(path, []byte("depgraph: 1\ninclude: ["+name+"]\nnodes: []\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := ingest.Load(ingest.Options{Paths: []string{path}, Catalogs: catalogs.FS}); err != nil {
				t.Errorf("load %s alone:\n%v", name, err)
			}
		})
	}
}

func TestLintClean(t *testing.T) {
	res, _ := loadAll(t)
	var warnings int
	for _, f := range catalog.Lint(res.Model, lintNow) {
		switch f.Severity {
		case catalog.SeverityError:
			t.Errorf("%v", f)
		default:
			warnings++
		}
	}
	t.Logf("%d lint warnings (stale sources)", warnings)
	if testing.Verbose() {
		for _, f := range catalog.Lint(res.Model, lintNow) {
			t.Log(f)
		}
	}
}

func TestList(t *testing.T) {
	entries, err := catalog.List(catalogs.FS)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(catalogs.FS, "*.yaml")
	if len(entries) != len(names) {
		t.Fatalf("List returned %d entries for %d files", len(entries), len(names))
	}
	var undated []string
	for _, e := range entries {
		if e.Description == "" || e.Nodes == 0 {
			t.Errorf("entry %q incomplete: %+v", e.Name, e)
		}
		if e.NewestAsOf == "" {
			undated = append(undated, e.Name)
		}
	}
	// A catalog whose every source is `verified: false` has no date: it is
	// listed, not failed, so the gap stays visible.
	t.Logf("%d catalogs rest only on unverified sources: %v", len(undated), undated)
}
