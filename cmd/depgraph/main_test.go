package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/depgraph/depgraph/internal/cli"
	"github.com/depgraph/depgraph/internal/iostreams"
)

func TestMain(m *testing.M) {
	// The test binary doubles as depgraph for tests that run it as a plain
	// subprocess (with an environment testscript cannot give, see
	// graphviz_test.go).
	if os.Getenv(asDepgraph) == "1" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], iostreams.System()))
	}
	testscript.Main(m, map[string]func(){
		"depgraph": func() { os.Exit(cli.Main(context.Background(), os.Args[1:], iostreams.System())) },
	})
}

// TestScripts runs the CLI end to end: testdata/script/*.txtar.
// Regenerate expected output with UPDATE_SCRIPTS=1.
func TestScripts(t *testing.T) {
	// go-graphviz caches its compiled WebAssembly under TMPDIR; share one
	// directory across scripts so each drawing does not compile it afresh
	// (commands that draw nothing never load it).
	shared := t.TempDir()
	data, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data"))
	if err != nil {
		t.Fatal(err)
	}
	replay, err := filepath.Abs(filepath.Join("..", "..", "internal", "watch", "testdata", "replay"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") != "",
		Setup: func(env *testscript.Env) error {
			env.Setenv("TMPDIR", shared)
			env.Setenv("NO_COLOR", "1")
			env.Setenv("SHARED", data)   // the real payloads, for [shareddata] lines
			env.Setenv("REPLAY", replay) // the watch's replay payloads
			return nil
		},
		Cmds: scriptCmds,
		Condition: func(cond string) (bool, error) {
			if cond == "shareddata" {
				_, err := os.Stat(data)
				return err == nil, nil
			}
			return false, nil
		},
	})
}
