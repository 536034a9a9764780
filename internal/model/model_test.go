package model

import (
	"crypto/sha256"
	"strings"
	"testing"
)

var hashTests = []struct {
	name  string
	files map[string]string
	order []string
	same  string // the earlier case whose hash this one must equal, "" for none
}{
	{name: "a", files: map[string]string{"x.yaml": "one", "y.yaml": "two"}, order: []string{"x.yaml", "y.yaml"}},
	{name: "reordered", files: map[string]string{"x.yaml": "one", "y.yaml": "two"}, order: []string{"y.yaml", "x.yaml"}, same: "a"},
	{name: "bytes moved", files: map[string]string{"x.yaml": "on", "y.yaml": "etwo"}, order: []string{"x.yaml", "y.yaml"}},
	{name: "changed", files: map[string]string{"x.yaml": "one", "y.yaml": "twO"}, order: []string{"x.yaml", "y.yaml"}},
}

// TestHash: the hash depends on the contents in file-name order, not on
// the order files were loaded.
func TestHash(t *testing.T) {
	got := map[string]string{}
	for _, tt := range hashTests {
		m := &Model{}
		for _, f := range tt.order {
			m.Digests = append(m.Digests, FileDigest{File: f, Size: len(tt.files[f]), SHA256: sha256.Sum256([]byte(tt.files[f]))})
		}
		h := m.Hash()
		if !strings.HasPrefix(h, "sha256:") || len(h) != 7+64 {
			t.Fatalf("%s: malformed hash %q", tt.name, h)
		}
		for name, other := range got {
			if (name == tt.same) != (other == h) {
				t.Errorf("%s and %s: same hash %v, want %v", tt.name, name, other == h, name == tt.same)
			}
		}
		got[tt.name] = h
	}
}

func TestPlaneOf(t *testing.T) {
	for _, tt := range []struct {
		node Node
		want string
	}{
		{Node{ID: "heroku/control-plane"}, PlaneControl},
		{Node{ID: "vercel/builds", Tags: []string{"tier-1", "control-plane"}}, PlaneControl},
		{Node{ID: "heroku/dynos", Tags: []string{"data-plane"}}, PlaneData},
		{Node{ID: "x/control-plane-ui"}, ""},
		{Node{ID: "stripe/api"}, ""},
	} {
		if got := PlaneOf(&tt.node); got != tt.want {
			t.Errorf("PlaneOf(%s %v) = %q, want %q", tt.node.ID, tt.node.Tags, got, tt.want)
		}
	}
}

func TestImpactText(t *testing.T) {
	for _, tt := range []struct {
		dep  Dependency
		want string
	}{
		{Dependency{ID: "x", Impact: 1}, "1"},
		{Dependency{ID: "x", Impact: 0.25}, "0.25"},
		{Dependency{ID: "x", ImpactUnknown: true}, "unknown"},
	} {
		if got := tt.dep.ImpactText(); got != tt.want {
			t.Errorf("ImpactText(%+v) = %q, want %q", tt.dep, got, tt.want)
		}
	}
}
