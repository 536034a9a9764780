package modeldiff

import (
	"bytes"
	"context"
	"github.com/depgraph/depgraph/internal/golden"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/internal/ingest"
)

func TestCompareGolden(t *testing.T) {
	ctx := context.Background()
	old, err := Load(ctx, filepath.Join("testdata", "old.yaml"), "", ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	new, err := Load(ctx, filepath.Join("testdata", "new.yaml"), "", ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compare(ctx, "old.yaml", old, "new.yaml", new)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, d); err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, filepath.Join("testdata", "old-new.txt"), b.Bytes())
}

var compareTests = []struct {
	name     string
	old, new string
	check    func(t *testing.T, d *Diff)
}{
	{"identical", "testdata/old.yaml", "testdata/old.yaml", func(t *testing.T, d *Diff) {
		if !d.Empty() {
			t.Errorf("got:%+v want an empty diff", d)
		}
	}},
	{"backup moved to the primary's region", "testdata/old.yaml", "testdata/new.yaml", func(t *testing.T, d *Diff) {
		want := []ServiceChange{{Service: "bot", Gained: []string{"cache", "cloud/east"}, Lost: []string{}}}
		if diff := cmp.Diff(want, d.Services); diff != "" {
			t.Errorf("services (-want +got)\n%s", diff)
		}
		wantR := []RegionChange{{Node: "backup", Old: []string{"cloud/west"}, New: []string{"cloud/east"}, Added: []string{"cloud/east"}, Removed: []string{"cloud/west"}}}
		if diff := cmp.Diff(wantR, d.Regions); diff != "" {
			t.Errorf("regions (-want +got)\n%s", diff)
		}
	}},
	{"reverse", "testdata/new.yaml", "testdata/old.yaml", func(t *testing.T, d *Diff) {
		want := []ServiceChange{{Service: "bot", Gained: []string{}, Lost: []string{"cache", "cloud/east"}}}
		if diff := cmp.Diff(want, d.Services); diff != "" {
			t.Errorf("services (-want +got)\n%s", diff)
		}
		if len(d.NodesAdded) != 1 || d.NodesAdded[0].ID != "legacy" || len(d.NodesRemoved) != 1 || d.NodesRemoved[0].ID != "cache" {
			t.Errorf("nodes: got:%+v %+v", d.NodesAdded, d.NodesRemoved)
		}
	}},
}

func TestCompare(t *testing.T) {
	ctx := context.Background()
	for _, tt := range compareTests {
		t.Run(tt.name, func(t *testing.T) {
			old, err := Load(ctx, tt.old, "", ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			new, err := Load(ctx, tt.new, "", ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			d, err := Compare(ctx, tt.old, old, tt.new, new)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, d)
		})
	}
}

// TestLoadGit builds a repository with two commits of a model and diffs
// the revisions.
func TestLoadGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	copyFile := func(src, dst string) {
		t.Helper()
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, dst)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q")
	copyFile("testdata/old.yaml", "models/acme.yaml")
	run("add", ".")
	run("commit", "-q", "-m", "old")
	copyFile("testdata/new.yaml", "models/acme.yaml")
	run("commit", "-q", "-am", "new")
	ctx := context.Background()
	for _, tt := range []struct{ spec, wantErr string }{
		{"git:HEAD~1:models/acme.yaml", ""},
		{"git:HEAD~1:models", ""},
		{"git:HEAD~1", "malformed git revision"},
		{"git:nosuchrev:models/acme.yaml", "git ls-tree: "},
		{"git:HEAD:nothing.yaml", "no *.yaml or *.yml file at nothing.yaml in revision HEAD"},
	} {
		old, err := Load(ctx, tt.spec, dir, ingest.Options{})
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: got:%v want:%s", tt.spec, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.spec, err)
		}
		if got := old.Index()["legacy"]; got == nil || got.Pos.String() != "git:HEAD~1:models/acme.yaml:15:5" {
			t.Errorf("%s: legacy node: got:%+v want it at git:HEAD~1:models/acme.yaml:15:5", tt.spec, got)
		}
		new, err := Load(ctx, "git:HEAD:models/acme.yaml", dir, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d, err := Compare(ctx, tt.spec, old, "HEAD", new)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Services) != 1 || len(d.Services[0].Gained) != 2 {
			t.Errorf("%s: services: got:%+v", tt.spec, d.Services)
		}
	}
}
