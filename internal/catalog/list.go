package catalog

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Entry summarises one catalog file (`depgraph catalog list --json` prints
// it with these snake_case keys; lists are never null).
type Entry struct {
	// Name is the catalog's name (its file name without .yaml).
	Name string `json:"name"`
	// Description is the catalog header's description.
	Description string `json:"description"`
	// File is the file's path inside the folder.
	File string `json:"file"`
	// Includes lists the catalogs and files it includes, as written.
	Includes []string `json:"includes"`
	// Kinds lists the node kinds it uses, sorted (nested nodes get their
	// default kind).
	Kinds []string `json:"kinds"`
	// FeedTypes lists the status feed types it uses, sorted.
	FeedTypes []string `json:"feed_types"`
	// Nodes counts its nodes, nested ones included.
	Nodes int `json:"nodes"`
	// OldestAsOf and NewestAsOf are the earliest and latest as_of dates of
	// its sources, "" when it has none.
	OldestAsOf string `json:"oldest_as_of"`
	NewestAsOf string `json:"newest_as_of"`
}

// nestKinds maps the nesting keys to the default kind of their entries.
var nestKinds = map[string]string{
	"components": "component",
	"regions":    "region",
	"zones":      "zone",
	"services":   "cloud-service",
}

// List reads every *.yaml file at the root of fsys and summarises it,
// sorted by name. A file that does not parse, has no catalog header, or
// whose catalog name differs from its file name is an error: includes
// resolve catalogs by file name.
func List(fsys fs.FS) ([]Entry, error) {
	files, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	entries := make([]Entry, 0, len(files))
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		e, err := summarize(f, data)
		if err != nil {
			return nil, fmt.Errorf("catalog: %s: %w", f, err)
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return entries, nil
}

// rawCatalog is the part of a model file List reads.
type rawCatalog struct {
	Catalog *struct {
		Name        string `yaml:"name"`
		Description string `yaml:"description"`
	} `yaml:"catalog"`
	Include []string    `yaml:"include"`
	Nodes   []yaml.Node `yaml:"nodes"`
}

func summarize(file string, data []byte) (Entry, error) {
	var raw rawCatalog
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return Entry{}, err
	}
	if raw.Catalog == nil {
		return Entry{}, fmt.Errorf("no catalog: header")
	}
	want := strings.TrimSuffix(path.Base(file), ".yaml")
	if raw.Catalog.Name != want {
		return Entry{}, fmt.Errorf("catalog name %q differs from the file name %q", raw.Catalog.Name, want)
	}
	e := Entry{Name: raw.Catalog.Name, Description: raw.Catalog.Description, File: file, Includes: raw.Include}
	kinds, types := map[string]bool{}, map[string]bool{}
	for i := range raw.Nodes {
		walk(&raw.Nodes[i], "", &e, kinds, types)
	}
	e.Kinds = sortedKeys(kinds)
	e.FeedTypes = sortedKeys(types)
	return e, nil
}

// walk counts one node and its nested nodes.
func walk(n *yaml.Node, defaultKind string, e *Entry, kinds, types map[string]bool) {
	if n.Kind != yaml.MappingNode {
		return
	}
	e.Nodes++
	kind := defaultKind
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch {
		case k == "kind":
			kind = v.Value
		case k == "status" && v.Kind == yaml.MappingNode:
			for j := 0; j+1 < len(v.Content); j += 2 {
				if v.Content[j].Value == "type" {
					types[v.Content[j+1].Value] = true
				}
			}
		case k == "sources" && v.Kind == yaml.SequenceNode:
			dates(v, e)
		case k == "depends_on" && v.Kind == yaml.SequenceNode:
			for _, dep := range v.Content {
				for j := 0; dep.Kind == yaml.MappingNode && j+1 < len(dep.Content); j += 2 {
					if dep.Content[j].Value == "sources" && dep.Content[j+1].Kind == yaml.SequenceNode {
						dates(dep.Content[j+1], e)
					}
				}
			}
		case nestKinds[k] != "" && v.Kind == yaml.SequenceNode:
			for _, c := range v.Content {
				walk(c, nestKinds[k], e, kinds, types)
			}
		}
	}
	if kind != "" {
		kinds[kind] = true
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// dates widens e's as_of range by a sources list: each source's as_of, or
// (as the loader defaults it) its published, then its read date; none for
// a source marked verified: false.
func dates(list *yaml.Node, e *Entry) {
	for _, src := range list.Content {
		if src.Kind != yaml.MappingNode {
			continue
		}
		f := map[string]string{}
		for j := 0; j+1 < len(src.Content); j += 2 {
			f[src.Content[j].Value] = src.Content[j+1].Value
		}
		if f["verified"] == "false" {
			continue
		}
		d := cmp.Or(f["as_of"], f["published"], f["read"])
		if d == "" {
			continue
		}
		if e.OldestAsOf == "" || d < e.OldestAsOf {
			e.OldestAsOf = d
		}
		if d > e.NewestAsOf {
			e.NewestAsOf = d
		}
	}
}
