// Package testenv says which tests run where. The default `go test ./...`
// stays under a minute on a 2-core machine; tests that take longer (the
// largest fault-tree benchmarks, the unsolved models under a deadline) are
// heavy: they are named TestHeavy… and call Heavy first, which skips them
// with a message unless DEPGRAPH_HEAVY=1. Tests in a real browser are
// named …InBrowser and find it through Chromium, which skips them unless
// DEPGRAPH_HEAVY=1 or DEPGRAPH_BROWSER_TESTS=1. .ci/run sets both, so CI
// runs every test.
//
//	go test ./...                                             # the quick suite
//	DEPGRAPH_HEAVY=1 go test -run 'Heavy|InBrowser' ./...    # only the heavy tests
//	DEPGRAPH_HEAVY=1 go test ./...                 # everything, as CI does
package testenv
