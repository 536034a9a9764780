package cli

import (
	"context"

	"errors"
	"github.com/spf13/cobra"
	"slices"
	"testing"

	"github.com/depgraph/depgraph/internal/iostreams"
	"github.com/depgraph/depgraph/internal/render"
)

// newBlastCmdTests check that flags land in blastOptions, apart from
// running anything.
var newBlastCmdTests = []struct {
	name    string
	args    []string
	want    blastOptions
	wantErr string
}{
	{name: "defaults", args: []string{"aws/us-east-1"}, want: blastOptions{Nodes: []string{"aws/us-east-1"}, Format: render.FormatText}},
	{name: "json shorthand", args: []string{"a", "b", "--json"}, want: blastOptions{Nodes: []string{"a", "b"}, Format: render.FormatJSON}},
	{name: "models and catalogs", args: []string{"a", "-m", "x.yaml", "-m", "dir", "--catalog", "c"}, want: blastOptions{Nodes: []string{"a"}, Format: render.FormatText, Model: modelFlags{Paths: []string{"x.yaml", "dir"}, CatalogDirs: []string{"c"}}}},
	{name: "fail-on", args: []string{"a", "--fail-on", "service-down", "-o", "out.txt", "--all"}, want: blastOptions{Nodes: []string{"a"}, Format: render.FormatText, FailOn: "service-down", Output: "out.txt", All: true}},
	{name: "bad fail-on", args: []string{"a", "--fail-on", "everything"}, wantErr: `--fail-on "everything": use service-down, service-degraded or service-at-risk`},
	{name: "bad format", args: []string{"a", "--format", "xml"}, wantErr: `unknown format "xml": use one of text, json`},
	{name: "no node", args: []string{}, wantErr: "depgraph blast needs at least one node id to fail, e.g. aws/us-east-1"},
}

func TestNewBlastCmd(t *testing.T) {
	for _, tt := range newBlastCmdTests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *blastOptions
			err := executeStub(ios, newBlastCmd(ios, func(_ context.Context, o *blastOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				var fe *FlagError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &fe) {
					t.Fatalf("got:%v want FlagError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO = nil
			if !slices.Equal(got.Nodes, tt.want.Nodes) || got.Format != tt.want.Format || got.FailOn != tt.want.FailOn ||
				got.Output != tt.want.Output || got.All != tt.want.All ||
				!slices.Equal(got.Model.Paths, tt.want.Model.Paths) || !slices.Equal(got.Model.CatalogDirs, tt.want.Model.CatalogDirs) {
				t.Errorf("got:%+v want:%+v", *got, tt.want)
			}
		})
	}
}

func TestNewGraphCmdFormatFromOutput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want render.Format
	}{
		{[]string{}, render.FormatDOT},
		{[]string{"-o", "x.svg"}, render.FormatSVG},
		{[]string{"-o", "x.SVG"}, render.FormatSVG},
		{[]string{"-o", "x.svg", "--format", "dot"}, render.FormatDOT},
		{[]string{"--format", "json", "--focus", "a", "--depth", "2", "--blast", "b"}, render.FormatJSON},
	} {
		ios, _, _, _ := iostreams.Test()
		var got *graphOptions
		if err := executeStub(ios, newGraphCmd(ios, func(_ context.Context, o *graphOptions) error { got = o; return nil }), tt.args...); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if got.Format != tt.want {
			t.Errorf("%v: got:%s want:%s", tt.args, got.Format, tt.want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"validate"}, ExitOK},
		{[]string{"blast", "nope"}, ExitInput},
		{[]string{"blast", "--bogus"}, ExitInput},
		{[]string{"no-such-command"}, ExitInput},
		{[]string{"validate", "-m", "does-not-exist.yaml"}, ExitInput},
		{[]string{"blast", "aws/us-east-1", "--fail-on", "service-down"}, ExitFound},
	} {
		ios, _, _, errOut := iostreams.Test()
		if got := Main(context.Background(), tt.args, ios); got != tt.want {
			t.Errorf("%v: got exit %d want %d (stderr %q)", tt.args, got, tt.want, errOut.String())
		}
	}
}

// findCmd returns the direct subcommand of root with the given name.
func findCmd(root *cobra.Command, name string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

// executeStub runs `depgraph NAME ARGS...` with that command replaced by
// cmd, built with a runF that captures its options.
func executeStub(ios *iostreams.IOStreams, cmd *cobra.Command, args ...string) error {
	root := NewRootCmd(ios)
	if c := findCmd(root, cmd.Name()); c != nil {
		root.RemoveCommand(c)
	}
	root.AddCommand(cmd)
	root.SetArgs(append([]string{cmd.Name()}, args...))
	_, err := root.ExecuteC()
	return err
}
