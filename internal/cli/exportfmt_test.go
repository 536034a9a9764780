package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/export"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
)

const exportFixture = "testdata/exportfmt/model.yaml"

// TestRunExportFormat runs every format through runExportFormat and checks
// it writes what the export package writes, to stdout and with -o.
func TestRunExportFormat(t *testing.T) {
	loaded, err := ingest.Load(ingest.Options{Paths: []string{exportFixture}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(loaded.Model)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range export.Formats {
		if f == export.FormatDORA {
			continue // a folder, not a stream: see TestRunExportDORA
		}
		for _, all := range []bool{false, true} {
			name := string(f)
			if all {
				name += "-all"
			}
			t.Run(name, func(t *testing.T) {
				var want bytes.Buffer
				if err := export.Write(context.Background(), &want, f, g, export.Options{All: all}); err != nil {
					t.Fatal(err)
				}
				ios, _, out, errOut := iostreams.Test()
				opts := &exportFormatOptions{IO: ios, Model: modelFlags{Paths: []string{exportFixture}}, Format: string(f), All: all}
				if err := runExportFormat(opts); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), want.Bytes()) {
					t.Errorf("stdout differs from export.Write:\n%s", out)
				}
				if errOut.Len() > 0 {
					t.Errorf("unexpected stderr: %s", errOut)
				}
				opts.Output = filepath.Join(t.TempDir(), "out")
				ios, _, out, _ = iostreams.Test()
				opts.IO = ios
				if err := runExportFormat(opts); err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(opts.Output)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want.Bytes()) || out.Len() > 0 {
					t.Errorf("-o: file differs from export.Write, or stdout not empty")
				}
			})
		}
	}
}

var exportFormatErrorTests = []struct {
	name     string
	opts     exportFormatOptions
	exitCode int
	stderr   string // substring of the error
}{
	{"unknown format", exportFormatOptions{Format: "xlsm", Model: modelFlags{Paths: []string{exportFixture}}}, ExitInput, `unknown format "xlsm"`},
	{"missing model", exportFormatOptions{Format: "mermaid", Model: modelFlags{Paths: []string{"testdata/exportfmt/absent.yaml"}}}, ExitInput, "absent.yaml"},
	{"unwritable output", exportFormatOptions{Format: "graphml", Model: modelFlags{Paths: []string{exportFixture}}, Output: "testdata/exportfmt/no-such-dir/out.graphml"}, ExitFailure, "no-such-dir"},
}

func TestRunExportFormatErrors(t *testing.T) {
	for _, tt := range exportFormatErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			opts := tt.opts
			opts.IO = ios
			err := runExportFormat(&opts)
			if err == nil {
				t.Fatal("no error")
			}
			if got := exitCode(err); got != tt.exitCode {
				t.Errorf("exit code: got:%d want:%d (%v)", got, tt.exitCode, err)
			}
			if !strings.Contains(err.Error(), tt.stderr) {
				t.Errorf("error %q does not mention %q", err, tt.stderr)
			}
		})
	}
}

// TestRunExportFormatDomainsNoService checks the warning on a model
// without services, and that the CSV still has its header.
func TestRunExportFormatDomainsNoService(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(path, []byte("depgraph: 1\nnodes:\n  - {id: a, kind: vendor, depends_on: [b]}\n  - {id: b, kind: provider}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, out, errOut := iostreams.Test()
	if err := runExportFormat(&exportFormatOptions{IO: ios, Model: modelFlags{Paths: []string{path}}, Format: "csv-domains"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "depgraph: warning: the model has no service") {
		t.Errorf("stderr: %q", errOut)
	}
	rows, err := csv.NewReader(out).ReadAll()
	if err != nil || len(rows) != 1 {
		t.Errorf("got %v, %v; want the header row only", rows, err)
	}
}

// TestRunExportFormatExample exports the built-in example: the default
// selection leaves the unused catalog nodes out.
func TestRunExportFormatExample(t *testing.T) {
	count := func(all bool) int {
		ios, _, out, _ := iostreams.Test()
		if err := runExportFormat(&exportFormatOptions{IO: ios, Format: "csv-edges", All: all}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(out).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return len(rows) - 1
	}
	used, all := count(false), count(true)
	if used == 0 || used >= all {
		t.Errorf("edges: %d used, %d in all; want 0 < used < all", used, all)
	}
	t.Logf("built-in example: %d edges used by services, %d in all", used, all)
}

// TestExportFormatHelp checks that the help text names every format.
func TestExportFormatHelp(t *testing.T) {
	for _, f := range export.Formats {
		if !strings.Contains(exportFormatHelp, "  "+string(f)+" ") {
			t.Errorf("exportFormatHelp does not document %s", f)
		}
	}
}

// TestRunExportDORA writes the register's package folder with -o and
// refuses standard output.
func TestRunExportDORA(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	opts := &exportFormatOptions{IO: ios, Model: modelFlags{Paths: []string{exportFixture}}, Format: "dora"}
	if err := runExportFormat(opts); err == nil {
		t.Error("dora to standard output: no error")
	}
	opts.Output = filepath.Join(t.TempDir(), "pkg")
	if err := runExportFormat(opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(opts.Output, "reports", "b_05.02.csv")); err != nil {
		t.Error(err)
	}
}
