package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkStartup runs the built binary for commands that draw nothing
// (--version, --help) and reports, besides the time per run:
//
//   - x-empty: the time over that of an empty Go program (func main(){}),
//     built and run the same way in the same loop, so the ratio holds on
//     a shared machine;
//   - init-ms: the package initialisation time GODEBUG=inittrace=1 reports,
//     and graphviz-init-ms the part of it spent in go-graphviz and the
//     WebAssembly runtime under it (what start-up costs without it is the
//     difference).
//
// The binaries are built once, in the benchmark's setup.
func BenchmarkStartup(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the binary; skipped under -short")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "depgraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	empty := filepath.Join(dir, "empty")
	src := filepath.Join(dir, "empty.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", empty, src).CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	env := append(os.Environ(), "TMPDIR="+dir, "NO_COLOR=1")
	run := func(b *testing.B, name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	for _, args := range [][]string{{"--version"}, {"--help"}} {
		b.Run(strings.Join(args, " "), func(b *testing.B) {
			run(b, bin, args...) // warm the page cache and go-graphviz's cache
			var ours, base time.Duration
			for b.Loop() {
				t0 := time.Now()
				run(b, empty)
				t1 := time.Now()
				run(b, bin, args...)
				base += t1.Sub(t0)
				ours += time.Since(t1)
			}
			b.ReportMetric(float64(ours.Microseconds())/1000/float64(b.N), "ms/run")
			b.ReportMetric(float64(base.Microseconds())/1000/float64(b.N), "empty-ms/run")
			b.ReportMetric(float64(ours)/float64(base), "x-empty")
			total, graphviz := initTrace(b, bin, env, args)
			b.ReportMetric(total, "init-ms")
			b.ReportMetric(graphviz, "graphviz-init-ms")
		})
	}
}

// initTrace runs the binary once with GODEBUG=inittrace=1 and returns the
// total package initialisation time and go-graphviz's (with wazero's)
// part, in milliseconds.
func initTrace(b *testing.B, bin string, env []string, args []string) (total, graphviz float64) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(env, "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	if err := cmd.Run(); err != nil {
		b.Fatal(err)
	}
	// init github.com/goccy/go-graphviz/internal/wasm @432 ms, 1241 ms clock, 4350896 bytes, 14877 allocs
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 7 || f[0] != "init" || f[6] != "clock," {
			continue
		}
		ms, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			continue
		}
		total += ms
		if strings.Contains(f[1], "go-graphviz") || strings.Contains(f[1], "wazero") {
			graphviz += ms
		}
	}
	return total, graphviz
}
