package testenv

import (
	"os"
	"testing"
)

// HeavyEnv is the environment variable that turns heavy tests on.
const HeavyEnv = "DEPGRAPH_HEAVY"

// IsHeavy reports whether heavy tests run (DEPGRAPH_HEAVY=1).
func IsHeavy() bool { return os.Getenv(HeavyEnv) == "1" }

// Heavy skips the test, with a message saying how to run it, unless
// DEPGRAPH_HEAVY=1. Call it first in every TestHeavy… test.
func Heavy(t testing.TB) {
	t.Helper()
	if !IsHeavy() {
		t.Skipf("heavy test: run with %s=1 (.ci/run does)", HeavyEnv)
	}
}
