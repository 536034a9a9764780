package review

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// Candidate is a candidate vendor loaded next to a model.
type Candidate struct {
	// Spec is the candidate as given: a file, a catalog name or a
	// catalog node id ("anthropic/api").
	Spec string
	// Source is the file or "catalog:NAME" it came from.
	Source string
	// Node is the id of the candidate node placed in the model.
	Node string
	// Model is the base model plus the nodes the candidate brings (its
	// own and those of the catalogs it includes); nodes are shared with
	// the base model, never modified.
	Model *model.Model
	// Added lists the ids new to the model, sorted.
	Added []string
}

// isFile reports whether spec names a file rather than a catalog.
func isFile(spec string) bool {
	if strings.HasSuffix(spec, ".yaml") || strings.HasSuffix(spec, ".yml") {
		return true
	}
	info, err := os.Stat(spec)
	return err == nil && !info.IsDir()
}

// LoadCandidate loads the candidate spec next to the model base was loaded
// from (opts are the options that loaded it). spec is a YAML file in the
// model format, a catalog name, or a catalog node id such as
// "anthropic/api" (the catalog is the id's first segment). node picks the
// candidate node when the file or catalog defines several top-level
// nodes; "" means the only one. Load errors are an ingest.ErrorList.
func LoadCandidate(opts ingest.Options, base *model.Model, spec, node string) (*Candidate, error) {
	c := &Candidate{Spec: spec}
	load := opts
	load.Default = nil
	load.Includes = slices.Clone(base.Catalogs)
	load.Paths = slices.Clone(opts.Paths)
	var match func(n *model.Node) bool
	if isFile(spec) {
		c.Source = spec
		load.Paths = append(load.Paths, spec)
		match = func(n *model.Node) bool { return n.Pos.File == spec }
	} else {
		name := model.Org(spec)
		if node == "" && name != spec {
			node = spec
		}
		c.Source = "catalog:" + name
		load.Includes = append(load.Includes, name)
		match = func(n *model.Node) bool { return n.Origin == c.Source }
	}
	res, err := ingest.Load(load)
	if err != nil {
		return nil, err
	}
	c.Model = &model.Model{Files: slices.Clone(base.Files), Nodes: slices.Clone(base.Nodes), Catalogs: slices.Clone(base.Catalogs)}
	have := base.Index()
	for _, n := range res.Model.Nodes {
		if first, ok := have[n.ID]; ok && c.Source == spec && n.Pos.File == spec && first.Pos != n.Pos {
			return nil, ingest.ErrorList{{Pos: n.Pos, Msg: fmt.Sprintf("review: candidate node %q is already in the model", n.ID), Hint: "first defined at " + first.Pos.String()}}
		}
		if _, ok := have[n.ID]; !ok {
			c.Model.Nodes = append(c.Model.Nodes, n)
			c.Added = append(c.Added, n.ID)
		}
	}
	for _, f := range res.Model.Files {
		if !slices.Contains(c.Model.Files, f) {
			c.Model.Files = append(c.Model.Files, f)
		}
	}
	c.Model.Catalogs = slices.Compact(slices.Sorted(slices.Values(append(c.Model.Catalogs, res.Model.Catalogs...))))
	slices.Sort(c.Added)
	var top []string
	for _, n := range c.Model.Nodes {
		if n.Parent == "" && match(n) {
			top = append(top, n.ID)
		}
	}
	slices.Sort(top)
	if node != "" {
		if _, ok := c.Model.Index()[node]; !ok {
			hint := ""
			var ids []string
			for _, n := range c.Model.Nodes {
				if match(n) {
					ids = append(ids, n.ID)
				}
			}
			if s := suggest.Closest(node, ids); s != "" {
				hint = "did you mean `" + s + "`?"
			}
			return nil, ingest.ErrorList{{Pos: model.Pos{File: "command line"}, Msg: fmt.Sprintf("review: candidate node %q is not defined by %s", node, spec), Hint: hint}}
		}
		c.Node = node
		return c, nil
	}
	if root := orgRoot(top); root != "" {
		// sendgrid and sendgrid/hosting: one organisation, written as
		// several top-level nodes; its root node is the candidate.
		top = []string{root}
	}
	switch len(top) {
	case 0:
		return nil, ingest.ErrorList{{Pos: model.Pos{File: "command line"}, Msg: fmt.Sprintf("review: %s defines no node", spec)}}
	case 1:
		c.Node = top[0]
	default:
		return nil, ingest.ErrorList{{Pos: model.Pos{File: "command line"}, Msg: fmt.Sprintf("review: %s defines %d top-level nodes (%s): say which is the candidate", spec, len(top), cutList(top, 8)), Hint: "pass --node ID"}}
	}
	return c, nil
}

// cutList joins ids, cut after n with a count.
func cutList(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}

// orgRoot returns the organisation root when all ids belong to one
// organisation whose root node is among them (sendgrid for sendgrid and
// sendgrid/hosting), or "".
func orgRoot(ids []string) string {
	if len(ids) < 2 {
		return ""
	}
	org := model.Org(ids[0])
	for _, id := range ids {
		if model.Org(id) != org {
			return ""
		}
	}
	if slices.Contains(ids, org) {
		return org
	}
	return ""
}
