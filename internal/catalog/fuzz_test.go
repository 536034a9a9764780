package catalog

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSummarize feeds arbitrary catalog YAML to List's parser. Invariants:
// no panic; an error comes with a zero Entry; the oldest as_of never sorts
// after the newest.
func FuzzSummarize(f *testing.F) {
	for _, glob := range []string{"testdata/*/*.yaml", "testdata/list/*/*.yaml", "../../catalogs/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(filepath.Base(p), data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		e, err := summarize(name, data)
		if err != nil {
			if e.Name != "" || e.Nodes != 0 {
				t.Fatalf("error %v with entry %+v", err, e)
			}
			return
		}
		if e.OldestAsOf > e.NewestAsOf {
			t.Fatalf("oldest %q after newest %q", e.OldestAsOf, e.NewestAsOf)
		}
	})
}
