package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depgraph/depgraph/catalogs"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/iostreams"
)

// TestNewImportCmd checks flag and argument parsing apart from execution.
func TestNewImportCmd(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		want    importOptions
		wantErr string
	}{
		{args: []string{"backstage", "a.yaml", "b.yaml", "-o", "out.yaml", "--org", "acme"},
			want: importOptions{Format: "backstage", Files: []string{"a.yaml", "b.yaml"}, Output: "out.yaml", Org: "acme"}},
		{args: []string{"cyclonedx", "bom.json", "--placeholders"},
			want: importOptions{Format: "cyclonedx", Files: []string{"bom.json"}, Placeholders: true}},
		{args: []string{"backstage"}, wantErr: "needs a format (backstage, cyclonedx, subprocessors or dora) and at least one FILE"},
		{args: []string{"spdx", "x.json"}, wantErr: `unknown import format "spdx"`},
		{args: []string{"backstage", "x", "--bogus"}, wantErr: "unknown flag: --bogus"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *importOptions
			cmd := newImportCmdWith(ios, func(o *importOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got:%v want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO = nil
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunImport imports the Backstage fixture to stdout and to a file;
// the file loads as a model.
func TestRunImport(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	opts := &importOptions{IO: ios, Format: "backstage", Files: []string{"testdata/importcmd/catalog-info.yaml"}, Org: "acme"}
	if err := runImport(opts); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "# Imported by `depgraph import backstage` from:\n#   testdata/importcmd/catalog-info.yaml\n") {
		t.Errorf("header:\n%s", out)
	}
	if want := "depgraph: warning: testdata/importcmd/catalog-info.yaml:87:1: Location more: its targets are not followed (pass the files it lists to the import too)\n"; errOut.String() != want {
		t.Errorf("stderr: got:%q want:%q", errOut, want)
	}
	opts.Output = filepath.Join(t.TempDir(), "services.yaml")
	ios, _, out, errOut = iostreams.Test()
	opts.IO = ios
	if err := runImport(opts); err != nil {
		t.Fatal(err)
	}
	// Five of the entities are Acme's; the Stripe resource is the stripe
	// catalog's vendor, included rather than written again.
	if out.Len() > 0 || !strings.Contains(errOut.String(), "depgraph: wrote 5 nodes to ") {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
	res, err := ingest.Load(ingest.Options{Paths: []string{opts.Output}, Catalogs: catalogs.FS})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Model.Catalogs, ","); !strings.Contains(got, "stripe") {
		t.Errorf("catalogs: got:%s want stripe among them", got)
	}
}

// TestRunImportCycloneDX imports the real SaaSBOM example.
func TestRunImportCycloneDX(t *testing.T) {
	path := "../../../shared/data/cyclonedx/valid-saasbom-1.6.json"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s absent: the real CycloneDX examples live in ../shared/data/cyclonedx", path)
	}
	ios, _, out, _ := iostreams.Test()
	if err := runImport(&importOptions{IO: ios, Format: "cyclonedx", Files: []string{path}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "saas.yaml")
	os.WriteFile(model, out.Bytes(), 0o644)
	if _, err := ingest.Load(ingest.Options{Paths: []string{model}}); err != nil {
		t.Fatal(err)
	}
}

// TestRunImportErrors checks exit codes and the printed error lines.
func TestRunImportErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\nspec: {dependsOn: ['resource:db', 'component:wbe']}\n"), 0o644)
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team}\n"), 0o644)
	for _, tt := range []struct {
		name   string
		opts   importOptions
		stderr string
	}{
		{"unknown refs", importOptions{Format: "backstage", Files: []string{bad}},
			"depgraph: error: " + bad + ":4:20: unknown entity \"resource:db\"\n" +
				"depgraph: error: " + bad + ":4:35: unknown entity \"component:wbe\"\n" +
				"depgraph: hint: did you mean component:default/web?\n"},
		{"missing file", importOptions{Format: "cyclonedx", Files: []string{filepath.Join(dir, "absent.json")}},
			"depgraph: error: importer: stat " + filepath.Join(dir, "absent.json") + ": no such file or directory\n"},
		{"nothing to import", importOptions{Format: "backstage", Files: []string{empty}},
			"depgraph: error: no Component, API or Resource entity found: nothing to import\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			opts := tt.opts
			opts.IO = ios
			err := runImport(&opts)
			if err == nil {
				t.Fatal("no error")
			}
			if got := exitCode(err); got != ExitInput {
				t.Errorf("exit code: got:%d want:%d", got, ExitInput)
			}
			var msg bytes.Buffer
			printError(&msg, err)
			if diff := cmp.Diff(tt.stderr, msg.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if out.Len() > 0 {
				t.Errorf("output on failure: %q", out)
			}
		})
	}
}

// TestImportHelp checks the command's help follows the house pattern.
func TestImportHelp(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := newImportCmd(ios)
	if cmd.Use != "import <backstage|cyclonedx|subprocessors|dora> FILE..." || strings.HasSuffix(cmd.Short, ".") {
		t.Errorf("Use %q, Short %q", cmd.Use, cmd.Short)
	}
	for _, l := range strings.Split(cmd.Example, "\n") {
		if !strings.HasPrefix(l, "  $ depgraph ") {
			t.Errorf("example line %q", l)
		}
	}
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"--help"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"backstage reads Backstage catalog files", "--placeholders", "--org organisation"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
