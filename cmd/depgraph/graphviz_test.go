package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// asDepgraph makes the test binary run as depgraph (see TestMain).
const asDepgraph = "DEPGRAPH_TEST_AS_MAIN"

// runDepgraph runs the test binary as depgraph in dir with TMPDIR set.
func runDepgraph(t *testing.T, dir, tmpdir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asDepgraph+"=1", "TMPDIR="+tmpdir, "NO_COLOR=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run depgraph %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// spoilCache makes every entry of go-graphviz's compilation cache under
// tmpdir unreadable and unwritable, for root too: each cached file becomes
// a directory, and the directories lose their write permission (which
// stops any user but root).
func spoilCache(t *testing.T, tmpdir string) int {
	t.Helper()
	root := filepath.Join(tmpdir, "go-graphviz")
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk the cache: %v", err)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(f, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			t.Cleanup(func() { _ = os.Chmod(path, 0o755) })
			_ = os.Chmod(path, 0o555)
		}
		return nil
	})
	return len(files)
}

// TestUnusableGraphvizCache is issue 16 item 1: go-graphviz compiled its
// WebAssembly in a package init and panicked in every command, --version
// included, when its cache under TMPDIR could not be read or written (a
// second user on the machine, a full disk). Commands that draw nothing must
// not touch Graphviz; drawing must work without the cache or fail with an
// error, never a panic.
func TestUnusableGraphvizCache(t *testing.T) {
	tmpdir := t.TempDir()
	work := t.TempDir()
	// Commands that draw nothing leave Graphviz alone.
	for _, args := range [][]string{{"--version"}, {"blast", "azure/southcentralus"}} {
		if _, stderr, code := runDepgraph(t, work, tmpdir, args...); code != 0 {
			t.Fatalf("depgraph %v: exit %d: %s", args, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(tmpdir, "go-graphviz")); err == nil {
			t.Fatalf("depgraph %v loaded Graphviz (it wrote %s/go-graphviz)", args, tmpdir)
		}
	}
	// Fill the cache the way a first user would.
	if _, stderr, code := runDepgraph(t, work, tmpdir, "graph", "--focus", "acme/support-bot", "-o", "first.svg"); code != 0 {
		t.Fatalf("graph with a fresh TMPDIR: exit %d: %s", code, stderr)
	}
	if n := spoilCache(t, tmpdir); n == 0 {
		t.Fatalf("drawing left no compilation cache under %s", tmpdir)
	}
	readOnly := t.TempDir()
	if err := os.Chmod(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(readOnly, 0o755) })

	for _, tc := range []struct {
		name, tmpdir string
		draw         bool // drawing compiles Graphviz afresh: slow, so once
	}{
		{"spoilt cache", tmpdir, true},
		{"read-only TMPDIR", readOnly, false},
		{"missing TMPDIR", filepath.Join(work, "no", "such", "dir"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := [][]string{{"--version"}, {"blast", "azure/southcentralus"}}
			if tc.draw {
				runs = append(runs, []string{"graph", "--focus", "acme/support-bot", "-o", "x.svg"})
			}
			for _, args := range runs {
				stdout, stderr, code := runDepgraph(t, work, tc.tmpdir, args...)
				if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
					t.Fatalf("depgraph %v panicked:\n%s", args, stderr)
				}
				if code != 0 {
					t.Fatalf("depgraph %v: exit %d: %s", args, code, stderr)
				}
				if args[0] == "graph" {
					svg, err := os.ReadFile(filepath.Join(work, "x.svg"))
					if err != nil || !bytes.Contains(svg, []byte("<svg")) {
						t.Fatalf("depgraph %v wrote no SVG (%v)", args, err)
					}
					os.Remove(filepath.Join(work, "x.svg"))
				} else if stdout == "" {
					t.Fatalf("depgraph %v printed nothing", args)
				}
			}
		})
	}
}
