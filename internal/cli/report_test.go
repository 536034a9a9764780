package cli

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/depgraph/depgraph/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/report"
)

// reportClock is the fixed generation time of the report goldens.
var reportClock = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// noDefaultStore points the default incident store at an empty directory,
// so a store on the machine running the tests never changes the output.
func noDefaultStore(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
}

// TestReportGolden writes the report of the built-in example (no -m) as
// Markdown and JSON with a fixed clock and compares them with
// testdata/report/acme.{md,json}; -update rewrites them. The JSON must
// decode into report.Report and encode back to the same bytes.
func TestReportGolden(t *testing.T) {
	noDefaultStore(t)
	for _, c := range []struct{ format, golden string }{
		{reportMarkdown, "testdata/report/acme.md"},
		{reportJSON, "testdata/report/acme.json"},
	} {
		t.Run(c.format, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			opts := &reportOptions{IO: ios, Format: c.format, StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150, Now: func() time.Time { return reportClock }}
			if err := runReport(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if *golden.Update {
				if err := os.MkdirAll(filepath.Dir(c.golden), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			golden.Compare(t, c.golden, out.Bytes())
			if c.format != reportJSON {
				return
			}
			var r report.Report
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			var again strings.Builder
			if err := report.WriteJSON(&again, &r); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(out.String(), again.String()); diff != "" {
				t.Errorf("JSON round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReportDeterministic runs the report several times: map order must
// never show.
func TestReportDeterministic(t *testing.T) {
	noDefaultStore(t)
	var first string
	for i := range 4 {
		ios, _, out, _ := iostreams.Test()
		opts := &reportOptions{IO: ios, Format: reportJSON, StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150, Now: func() time.Time { return reportClock }}
		if err := runReport(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = out.String()
		} else if out.String() != first {
			t.Fatalf("run %d differs from the first", i)
		}
	}
}

var newReportCmdTests = []struct {
	name    string
	args    string
	tty     bool
	want    reportOptions
	wantErr string
}{
	{name: "html from extension", args: "-m acme.yaml -o risk.html", want: reportOptions{Format: reportHTML, Output: "risk.html", StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150}},
	{name: "markdown from extension", args: "-o risk.md --stale-days 90", want: reportOptions{Format: reportMarkdown, Output: "risk.md", StaleDays: 90, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150}},
	{name: "json from extension", args: "-o risk.JSON", want: reportOptions{Format: reportJSON, Output: "risk.JSON", StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150}},
	{name: "format wins over extension", args: "--format json -o risk.html", want: reportOptions{Format: reportJSON, Output: "risk.html", StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150}},
	{name: "stdout defaults to markdown", args: "--db x.db", want: reportOptions{Format: reportMarkdown, DB: "x.db", StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150}},
	{name: "unknown extension", args: "-o risk.pdf", wantErr: `cannot tell the format of "risk.pdf"`},
	{name: "unknown format", args: "--format pdf", wantErr: `unknown format "pdf"`},
	{name: "bad stale days", args: "--stale-days 0", wantErr: "--stale-days 0"},
	{name: "bad picture cap", args: "--picture-nodes 1000", wantErr: "--picture-nodes 1000"},
	{name: "no arguments", args: "acme/checkout", wantErr: "takes no arguments"},
}

// TestNewReportCmd checks flag parsing apart from execution.
func TestNewReportCmd(t *testing.T) {
	for _, tt := range newReportCmdTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *reportOptions
			cmd := newReportCmdRun(ios, func(_ context.Context, o *reportOptions) error { got = o; return nil })
			cmd.SetArgs(strings.Fields(tt.args))
			cmd.SetOut(&strings.Builder{})
			cmd.SetErr(&strings.Builder{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got:%v want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := *got
			g.IO, g.Now, g.Model = nil, nil, modelFlags{}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReportRefusesHTMLOnTerminal: HTML never goes to a terminal; it may
// go to a pipe.
func TestReportRefusesHTMLOnTerminal(t *testing.T) {
	noDefaultStore(t)
	ios, _, out, _ := iostreams.Test()
	ios.SetStdoutTTY(true)
	opts := &reportOptions{IO: ios, Format: reportHTML, StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150, Now: time.Now}
	err := runReport(context.Background(), opts)
	var fe *FlagError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "terminal") {
		t.Fatalf("got:%v want a FlagError about the terminal", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %d bytes to the terminal", out.Len())
	}
}

// TestReportFile writes each format to a file through -o and checks the
// file starts as its format should; a missing --db is bad input.
func TestReportFile(t *testing.T) {
	noDefaultStore(t)
	dir := t.TempDir()
	for _, c := range []struct{ name, prefix string }{
		{"risk.html", "<!DOCTYPE html>"},
		{"risk.md", "# Dependency risk report"},
		{"risk.json", "{\n  \"schema_version\": 1,"},
		{"risk.xlsx", "PK\x03\x04"}, // a zip: the workbook, read back in internal/workbook
	} {
		ios, _, _, _ := iostreams.Test()
		cmd := newReportCmd(ios)
		cmd.SetArgs([]string{"-o", filepath.Join(dir, c.name)})
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		data, err := os.ReadFile(filepath.Join(dir, c.name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), c.prefix) {
			t.Errorf("%s starts %q, want %q", c.name, firstLine(string(data)), c.prefix)
		}
	}
	ios, _, _, _ := iostreams.Test()
	err := runReport(context.Background(), &reportOptions{IO: ios, DB: filepath.Join(dir, "missing.db"), Format: reportJSON, StaleDays: 365, HistoryDays: 180, MaxOrder: 2, PictureNodes: 150, Now: time.Now})
	if exitCode(err) != ExitInput {
		t.Errorf("missing --db: got:%v (exit %d) want exit %d", err, exitCode(err), ExitInput)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
