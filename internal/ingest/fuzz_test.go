package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader. Invariants: no panic, no
// hang; an error means no result; a result's nodes have unique, valid ids
// and every dependency resolves.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range loadErrorTests {
		f.Add([]byte(tt.yaml))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"m.yaml": {Data: data}}
		res, err := Load(Options{Default: &FSFile{FS: fsys, Name: "m.yaml"}, Catalogs: catalogFS})
		if err != nil {
			if res != nil {
				t.Fatal("error with a result")
			}
			return
		}
		idx := res.Model.Index()
		if len(idx) != len(res.Model.Nodes) {
			t.Fatal("duplicate ids accepted")
		}
		for _, n := range res.Model.Nodes {
			if !idPattern.MatchString(n.ID) {
				t.Fatalf("invalid id %q accepted", n.ID)
			}
			for _, d := range n.DependsOn {
				for _, target := range d.Targets() {
					if idx[target] == nil || target == n.ID {
						t.Fatalf("%q: bad dependency %q accepted", n.ID, target)
					}
				}
				if d.Impact < 0 || d.Impact > 1 || (d.IsGroup() && (d.Min < 1 || d.Min > len(d.AnyOf))) {
					t.Fatalf("%q: bad dependency %+v accepted", n.ID, d)
				}
			}
		}
	})
}
