package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/depgraph/depgraph/internal/cli"
	"github.com/depgraph/depgraph/internal/iostreams"
)

// example is one "$ depgraph …" line of a command's help or of README.md.
type example struct {
	where, line string
}

// helpExamples collects the "$ depgraph …" lines of every command's
// Example, joining lines continued with a backslash.
func helpExamples() []example {
	ios, _, _, _ := iostreams.Test()
	var out []example
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range dollarLines(c.Example) {
			out = append(out, example{c.CommandPath() + " --help", l})
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(cli.NewRootCmd(ios))
	return out
}

// dollarLines returns the "$ depgraph …" lines of text, without the "$ ".
func dollarLines(text string) []string {
	var out []string
	var cur string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if cur != "" {
			cur += " " + strings.TrimSuffix(l, "\\")
			if !strings.HasSuffix(l, "\\") {
				out, cur = append(out, cur), ""
			}
			continue
		}
		if !strings.HasPrefix(l, "$ depgraph") {
			continue
		}
		l = strings.TrimPrefix(l, "$ ")
		if strings.HasSuffix(l, "\\") {
			cur = strings.TrimSpace(strings.TrimSuffix(l, "\\"))
			continue
		}
		out = append(out, l)
	}
	return out
}

// readmeExamples collects README.md's commands: "$ depgraph …" lines in
// code blocks and indented "depgraph …" lines.
func readmeExamples(t *testing.T, readme string) []example {
	var out []example
	for _, l := range dollarLines(readme) {
		out = append(out, example{"README.md", l})
	}
	for _, l := range strings.Split(readme, "\n") {
		if strings.HasPrefix(l, "    depgraph ") {
			out = append(out, example{"README.md", strings.TrimSpace(l)})
		}
	}
	if len(out) == 0 {
		t.Fatal("README.md has no example")
	}
	return out
}

// networkExamples fetch live status feeds (and the watch ones run until
// stopped): offline, only their command line is checked (it must parse);
// watch.txtar runs watch against local servers.
var networkExamples = []string{
	"depgraph ingest -m acme.yaml",
	"depgraph status -m acme.yaml",
	"depgraph watch -m acme.yaml --interval 60s --alerts - --listen 127.0.0.1:8080",
	"depgraph watch -m acme.yaml --webhook https://hooks.example/T0/B0 --alerts alerts.jsonl",
}

// copyInto copies repository files into the example directory: from
// (relative to the repository root) to to (relative to dir).
func copyInto(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for to, from := range files {
		data, err := os.ReadFile(filepath.Join("..", "..", from))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, to), data)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// exampleFixtures are the files the examples name, taken from the
// repository's own examples and test data.
var exampleFixtures = map[string]string{
	"acme.yaml":                      "examples/acme.yaml",
	"acme-2025.yaml":                 "examples/acme.yaml",
	"models/acme.yaml":               "examples/acme.yaml",
	"private-catalogs/sendgrid.yaml": "catalogs/sendgrid.yaml",
	"model.xml":                      "internal/openpsa/testdata/pumps.xml",
	"tree.xml":                       "internal/openpsa/testdata/split-tree.xml",
	"tree-basic-events.xml":          "internal/openpsa/testdata/split-events.xml",
	"summary.json":                   "internal/feed/testdata/statuspage-summary.json",
	"incidents.json":                 "internal/feed/testdata/gcp-incidents.json",
	"saved/openai.json":              "internal/feed/testdata/statuspage-summary.json",
	// The built-in example's seven feeds, saved as ingest --offline reads
	// them.
	"saved-feeds/rssfeed.azure.status.microsoft_en-us_status_feed_.rss":    "internal/feed/testdata/azure-empty.rss",
	"saved-feeds/status.openai.com_api_v2_summary.json":                    "internal/feed/testdata/statuspage-summary.json",
	"saved-feeds/status.openai.com_api_v2_incidents.json":                  "internal/feed/testdata/statuspage-unresolved.json",
	"saved-feeds/slack-status.com_api_v2.0.0_current.json":                 "internal/feed/testdata/slack-active.json",
	"saved-feeds/status.pagerduty.com_api_v2_summary.json":                 "internal/feed/testdata/statuspage-summary.json",
	"saved-feeds/status.pagerduty.com_api_v2_incidents.json":               "internal/feed/testdata/statuspage-unresolved.json",
	"saved-feeds/status.sentry.io_api_v2_summary.json":                     "internal/feed/testdata/statuspage-summary.json",
	"saved-feeds/status.sentry.io_api_v2_incidents.json":                   "internal/feed/testdata/statuspage-unresolved.json",
	"saved-feeds/www.cloudflarestatus.com_api_v2_summary.json":             "internal/feed/testdata/statuspage-summary.json",
	"saved-feeds/www.cloudflarestatus.com_api_v2_incidents.json":           "internal/feed/testdata/statuspage-unresolved.json",
	"saved-feeds/www.vercel-status.com_api_v2_summary.json":                "internal/feed/testdata/statuspage-summary.json",
	"saved-feeds/www.vercel-status.com_api_v2_incidents.json":              "internal/feed/testdata/statuspage-unresolved.json",
	"saved-feeds/status.aws.amazon.com_rss_multipleservices-us-east-1.rss": "internal/feed/testdata/aws-rss.rss",
	"catalog-info.yaml":                    "internal/importer/testdata/catalog-info.yaml",
	"zed-subprocessors.md":                 "internal/importer/testdata/subprocessors/zed.md",
	"github-incident.json":                 "internal/feed/testdata/statuspage-unresolved.json",
	"register/META-INF/reportPackage.json": "internal/importer/testdata/dora/META-INF/reportPackage.json",
	"register/reports/report.json":         "internal/importer/testdata/dora/reports/report.json",
	"register/reports/b_02.01.csv":         "internal/importer/testdata/dora/reports/b_02.01.csv",
	"register/reports/b_02.02.csv":         "internal/importer/testdata/dora/reports/b_02.02.csv",
	"register/reports/b_05.01.csv":         "internal/importer/testdata/dora/reports/b_05.01.csv",
	"register/reports/b_05.02.csv":         "internal/importer/testdata/dora/reports/b_05.02.csv",
	"register/reports/b_06.01.csv":         "internal/importer/testdata/dora/reports/b_06.01.csv",
	"catalog/catalog-info.yaml":            "internal/importer/testdata/catalog-info.yaml",
	"saasbom.json":                         "internal/importer/testdata/small.cdx.json",
}

const examplePolicy = `policy: 1
rules:
  - max_source_age: {days: 3650}
`

const exampleCandidate = `depgraph: 1
nodes:
  - id: newvendor
    kind: vendor
    components:
      - id: llm
        depends_on: [aws/us-east-1]
`

// gitRepo makes dir a git repository whose history the diff examples
// name: main with two commits, the first tagged v1.2.
func gitRepo(t *testing.T, dir string) bool {
	if _, err := exec.LookPath("git"); err != nil {
		return false
	}
	run := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q", "-b", "main")
	run("add", "acme.yaml", "models")
	run("commit", "-q", "-m", "one")
	run("tag", "v1.2")
	run("commit", "-q", "--allow-empty", "-m", "two")
	return true
}

// TestExamplesRun is issue 16 item 14: every example in README.md and in
// every command's --help runs as written (review --candidate sendgrid
// failed). Each runs through sh in a directory holding the files the
// examples name; it must exit 0, or 3 when it asks to fail on a finding.
func TestExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	examples := append(helpExamples(), readmeExamples(t, string(readme))...)
	dir := t.TempDir()
	copyInto(t, dir, exampleFixtures)
	writeFile(t, filepath.Join(dir, "policy.yaml"), []byte(examplePolicy))
	writeFile(t, filepath.Join(dir, "newvendor.yaml"), []byte(exampleCandidate))
	hasGit := gitRepo(t, dir)
	// The incident stores the store-reading examples name, filled the way
	// a user would: by ingest.
	prepare := []string{"depgraph ingest --offline saved-feeds/", "depgraph ingest --offline saved-feeds/ --db state/depgraph.db", "depgraph ingest --offline saved-feeds/ --db depgraph.db"}
	bin := t.TempDir()
	wrapper := fmt.Sprintf("#!/bin/sh\n%s=1 exec %q \"$@\"\n", asDepgraph, os.Args[0])
	if err := os.WriteFile(filepath.Join(bin, "depgraph"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state-home"), "TMPDIR="+t.TempDir(), "NO_COLOR=1")
	for _, line := range prepare {
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
	}
	seen := map[string]bool{}
	for _, ex := range examples {
		if seen[ex.line] {
			continue
		}
		seen[ex.line] = true
		t.Run(ex.line, func(t *testing.T) {
			line := ex.line
			if strings.HasPrefix(line, "depgraph diff git:") && !hasGit {
				t.Skip("no git")
			}
			if slices.Contains(networkExamples, line) {
				args := strings.Fields(line)[1:]
				ios, _, _, _ := iostreams.Test()
				root := cli.NewRootCmd(ios)
				c, rest, err := root.Find(args)
				if err == nil {
					err = c.ParseFlags(rest)
				}
				if err != nil {
					t.Errorf("%s: %q does not parse: %v", ex.where, line, err)
				}
				return
			}
			cmd := exec.Command("sh", "-c", line)
			cmd.Dir, cmd.Env = dir, env
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			asksToFail := strings.Contains(line, "--fail-on") || strings.Contains(line, "--policy")
			if code != 0 && !(code == 3 && asksToFail) {
				t.Errorf("%s: %q exits %d:\n%s", ex.where, line, code, stderr.String())
			}
		})
	}
}
