package importer

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// Input is one file to import.
type Input struct {
	// Name names the file in messages and in the output's header.
	Name string
	// Data is the file's content.
	Data []byte
}

// ReadFiles reads the named files, refusing any larger than
// ingest.MaxFileSize.
func ReadFiles(paths []string) ([]Input, error) {
	out := make([]Input, 0, len(paths))
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		if !fi.Mode().IsRegular() { // /dev/zero or a FIFO would never end
			return nil, fmt.Errorf("importer: %s is not a regular file", p)
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		data, err := io.ReadAll(io.LimitReader(f, ingest.MaxFileSize+1))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		if len(data) > ingest.MaxFileSize {
			return nil, fmt.Errorf("importer: %s is larger than the %d-byte limit", p, ingest.MaxFileSize)
		}
		out = append(out, Input{Name: p, Data: data})
	}
	return out, nil
}

// Options tunes an import.
type Options struct {
	// Org is the organisation (the first id segment) of your own
	// entities; see the package documentation for the default.
	Org string
	// Placeholders turns a ref to an undefined entity into a node of kind
	// unknown (with a warning) rather than an error.
	Placeholders bool
	// Known are nodes (the catalogs') that third parties are mapped onto
	// by name and aliases: a Backstage Resource of a vendor type that
	// names one becomes a dependency on it and its catalog is included.
	Known []*model.Node
}

// Result is what an import produced.
type Result struct {
	// Format is "backstage" or "cyclonedx".
	Format string
	// Files are the input names, in the order given.
	Files []string
	// Nodes are the imported nodes, sorted by id. Their dependencies are
	// plain hard dependencies unless the input said more (a depgraph
	// CycloneDX export).
	Nodes []*model.Node
	// Warnings are problems that did not stop the import, sorted.
	Warnings ingest.ErrorList
	// Includes are the catalogs the nodes depend into, sorted.
	Includes []string
}

// WriteYAML writes the result as a model file with a comment header that
// names the input files.
func (r *Result) WriteYAML(w io.Writer) error {
	header := []string{
		fmt.Sprintf("Imported by `depgraph import %s` from:", r.Format),
	}
	for _, f := range r.Files {
		header = append(header, "  "+f)
	}
	header = append(header,
		fmt.Sprintf("%d nodes. Dependencies are hard (impact 1) unless the input said more:", len(r.Nodes)),
		"add impacts, failover groups (any_of) and the vendors' hosting (include: [...]),",
		"then check with `depgraph validate -m FILE`.")
	entries := make([]*yaml.Node, 0, len(r.Nodes))
	for _, n := range r.Nodes {
		m, err := nodeYAML(n)
		if err != nil {
			return err
		}
		entries = append(entries, m)
	}
	return writeFile(w, header, r.Includes, entries)
}

// idSegment is what one segment of a node id may look like.
var idSegment = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// slug turns free text into an id segment: lower case, runs of other
// characters as one '-', trimmed; "" when nothing is left.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return strings.Trim(b.String(), "._-")
}

// errs collects positioned problems.
type errs struct {
	list ingest.ErrorList
}

func (e *errs) add(pos model.Pos, hint, format string, args ...any) {
	e.list = append(e.list, &ingest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// sorted orders a list by position and message.
func sorted(l ingest.ErrorList) ingest.ErrorList {
	slices.SortStableFunc(l, func(a, b *ingest.Error) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col), cmp.Compare(a.Msg, b.Msg))
	})
	return l
}

// didYouMean suggests the closest of candidates to s.
func didYouMean(s string, candidates []string) string {
	if c := suggest.Closest(s, candidates); c != "" {
		return "did you mean " + c + "?"
	}
	return ""
}

// addDep appends a hard dependency on id unless n already has one on it
// or id is n itself.
func addDep(n *model.Node, id string, pos model.Pos) {
	if id == n.ID {
		return
	}
	for _, d := range n.DependsOn {
		if slices.Contains(d.Targets(), id) {
			return
		}
	}
	n.DependsOn = append(n.DependsOn, model.Dependency{ID: id, Impact: 1, Pos: pos})
}

// sortNodes orders nodes by id and each node's plain dependencies by id
// (failover groups and weighted entries keep their place after them).
func sortNodes(nodes []*model.Node) {
	slices.SortFunc(nodes, func(a, b *model.Node) int { return cmp.Compare(a.ID, b.ID) })
	for _, n := range nodes {
		slices.SortStableFunc(n.DependsOn, func(a, b model.Dependency) int {
			ka, kb := depRank(a), depRank(b)
			if ka != kb {
				return cmp.Compare(ka, kb)
			}
			if ka == 0 {
				return cmp.Compare(a.ID, b.ID)
			}
			return 0
		})
	}
}

func depRank(d model.Dependency) int {
	if d.IsGroup() || d.Impact != 1 {
		return 1
	}
	return 0
}
