package testenv

import (
	"os"
	"testing"
)

// ChromiumPath is Debian's chromium, which .ci/run installs (apt-get
// install -y chromium).
const ChromiumPath = "/usr/bin/chromium"

// BrowserEnv is the environment variable that asks for the browser tests
// (and makes a missing browser a failure).
const BrowserEnv = "DEPGRAPH_BROWSER_TESTS"

// Chromium returns the browser for a test that drives a real one. Browser
// tests take seconds each: they run only with DEPGRAPH_HEAVY=1 or
// DEPGRAPH_BROWSER_TESTS=1 (both set by .ci/run). A missing browser skips
// the test, or fails it under DEPGRAPH_BROWSER_TESTS=1.
func Chromium(t testing.TB) string {
	t.Helper()
	if os.Getenv(BrowserEnv) != "1" {
		Heavy(t)
	}
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv(BrowserEnv) == "1" {
			t.Fatalf("%s=1 but %s is missing: apt-get install -y chromium", BrowserEnv, ChromiumPath)
		}
		t.Skipf("%s is missing (apt-get install -y chromium; set %s=1 to make this a failure)", ChromiumPath, BrowserEnv)
	}
	return ChromiumPath
}

// ArtifactsDir is where tests leave what a reader may want to see
// (screenshots): $DEPGRAPH_ARTIFACTS when set (CI keeps it), else the
// test's temporary directory.
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("DEPGRAPH_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}
