package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/testenv"
)

// runChromium runs headless chromium on a file with the given extra
// flags, returning its standard output and error output.
func runChromium(t *testing.T, bin, file string, extra ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
	}
	args = append(args, extra...)
	args = append(args, "file://"+file)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, errb.String())
	}
	return out.String(), errb.String()
}

// consoleError finds the page's console messages in chromium's log. With
// --enable-logging=stderr, Debian's chromium 156 logs every console
// message, console.error included, as
// `[pid:tid:time:INFO:CONSOLE:1] "message", source: file:///... (1)`: the
// level is not the page's. The report has no script, so any console line
// is a failure (a blocked resource, a parse complaint, an error); a
// failed load shows as net::ERR_... .
var consoleError = regexp.MustCompile(`(?m)^.*(:CONSOLE[:(]|Uncaught |net::ERR_).*$`)

// TestHTMLInBrowser loads the report in headless chromium: it loads
// without console errors, the picture and the timeline are there, the
// injected names stay text, and a screenshot is kept.
func TestHTMLInBrowser(t *testing.T) {
	bin := testenv.Chromium(t)
	r := buildRisk(t)
	dir := testenv.ArtifactsDir(t)
	file := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	dom, logs := runChromium(t, bin, file, "--dump-dom")
	if m := consoleError.FindAllString(logs, -1); len(m) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(m, "\n"))
	}
	for _, want := range []string{`aria-label="dependency graph"`, `class="node domain"`, `aria-label="incident timeline"`, "Dependency risk report"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the loaded page lacks %q", want)
		}
	}
	if strings.Count(dom, "<svg") < 2 {
		t.Errorf("the loaded page has %d <svg> elements, want the picture and the timeline", strings.Count(dom, "<svg"))
	}
	// The browser parsed the page: a <script> element in the DOM would
	// mean injected markup was run, not shown.
	if strings.Contains(dom, "<script") {
		t.Error("the loaded page has a <script> element")
	}
	if !strings.Contains(dom, "&lt;script&gt;alert(") {
		t.Error("the injected names are not shown as text")
	}

	shot := filepath.Join(dir, "report.png")
	_, logs = runChromium(t, bin, file, "--screenshot="+shot, "--window-size=1280,2000")
	if m := consoleError.FindAllString(logs, -1); len(m) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(m, "\n"))
	}
	st, err := os.Stat(shot)
	if err != nil || st.Size() < 10_000 {
		t.Fatalf("screenshot %s: %v (size %d)", shot, err, sizeOf(st))
	}
	t.Logf("screenshot: %s", shot)
}

// TestConsoleErrorPattern checks the pattern on a page that does log a
// console error, so a chromium whose log format changed is noticed.
func TestConsoleErrorPattern(t *testing.T) {
	bin := testenv.Chromium(t)
	file := filepath.Join(t.TempDir(), "bad.html")
	page := "<!DOCTYPE html><title>x</title><p>x</p><script>console.error('boom-from-test')</script>"
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	_, logs := runChromium(t, bin, file, "--dump-dom")
	m := consoleError.FindAllString(logs, -1)
	if len(m) == 0 || !strings.Contains(strings.Join(m, "\n"), "boom-from-test") {
		t.Errorf("console.error not recognised in chromium's log:\n%s", logs)
	}
}

func sizeOf(st os.FileInfo) int64 {
	if st == nil {
		return 0
	}
	return st.Size()
}
