package importer

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/depgraph/depgraph/internal/model"
)

// WriteModel writes nodes as one model file (`depgraph: 1`, `nodes:`),
// flat (a node's Parent is not nested; its part-of dependency is written
// as a plain one), in the order given, preceded by header as comment
// lines. Output is deterministic: keys in a fixed order, meta keys sorted.
func WriteModel(w io.Writer, header []string, nodes []*model.Node) error {
	entries := make([]*yaml.Node, 0, len(nodes))
	for _, n := range nodes {
		m, err := nodeYAML(n)
		if err != nil {
			return err
		}
		entries = append(entries, m)
	}
	return writeFile(w, header, nil, entries)
}

// writeFile writes a model file of the given node entries (nodes or
// overlays), with header as comment lines and the includes, if any.
func writeFile(w io.Writer, header, includes []string, entries []*yaml.Node) error {
	var buf bytes.Buffer
	for _, h := range header {
		// A file name need not be text: keep the comment valid UTF-8 on
		// one line, without control characters.
		h = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, strings.ToValidUTF8(h, "\uFFFD"))
		buf.WriteString(strings.TrimRight("# "+h, " ") + "\n")
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Content: entries}
	root := mapping(pair("depgraph", intScalar(model.SchemaVersion)))
	if len(includes) > 0 {
		root.Content = append(root.Content, str("include"), strList(includes, true))
	}
	root.Content = append(root.Content, str("nodes"), seq)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("importer: write yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("importer: write yaml: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// nodeYAML builds one node's mapping.
func nodeYAML(n *model.Node) (*yaml.Node, error) {
	var kv [][2]*yaml.Node
	add := func(k string, v *yaml.Node) { kv = append(kv, pair(k, v)) }
	add("id", str(n.ID))
	add("kind", str(string(n.Kind)))
	if n.Name != "" && n.Name != n.ID {
		add("name", str(n.Name))
	}
	if len(n.Aliases) > 0 {
		add("aliases", strList(n.Aliases, true))
	}
	if n.Owner != "" {
		add("owner", str(n.Owner))
	}
	if len(n.Tags) > 0 {
		add("tags", strList(n.Tags, true))
	}
	if n.Confidence != "" {
		add("confidence", str(n.Confidence))
	}
	if n.Unavailability != nil {
		add("unavailability", floatScalar(*n.Unavailability))
	}
	if s := n.Status; s != nil {
		var st [][2]*yaml.Node
		st = append(st, pair("type", str(s.Type)))
		if s.URL != "" {
			st = append(st, pair("url", str(s.URL)))
		}
		if len(s.Components) > 0 {
			st = append(st, pair("components", strList(s.Components, true)))
		}
		if len(s.Locations) > 0 {
			st = append(st, pair("locations", strList(s.Locations, true)))
		}
		if s.Maintenance != nil {
			st = append(st, pair("maintenance", floatScalar(*s.Maintenance)))
		}
		add("status", mapping(st...))
	}
	if len(n.Sources) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range n.Sources {
			var sv [][2]*yaml.Node
			sv = append(sv, pair("url", str(s.URL)))
			if s.AsOf != "" {
				sv = append(sv, pair("as_of", str(s.AsOf)))
			}
			if s.Note != "" {
				sv = append(sv, pair("note", str(s.Note)))
			}
			seq.Content = append(seq.Content, mapping(sv...))
		}
		add("sources", seq)
	}
	if len(n.Meta) > 0 {
		meta := &yaml.Node{}
		if err := meta.Encode(n.Meta); err != nil {
			return nil, fmt.Errorf("importer: meta of %s: %w", n.ID, err)
		}
		add("meta", meta)
	}
	if len(n.DependsOn) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, d := range n.DependsOn {
			switch {
			case d.IsGroup():
				g := [][2]*yaml.Node{pair("any_of", strList(d.AnyOf, true)), pair("min", intScalar(max(d.Min, 1)))}
				if d.ImpactUnknown {
					g = append(g, pair("impact", str("unknown")))
				} else if d.Impact != 1 {
					g = append(g, pair("impact", floatScalar(d.Impact)))
				}
				e := mapping(g...)
				e.Style = yaml.FlowStyle
				seq.Content = append(seq.Content, e)
			case d.ImpactUnknown:
				e := mapping(pair("id", str(d.ID)), pair("impact", str("unknown")))
				e.Style = yaml.FlowStyle
				seq.Content = append(seq.Content, e)
			case d.Impact != 1:
				e := mapping(pair("id", str(d.ID)), pair("impact", floatScalar(d.Impact)))
				e.Style = yaml.FlowStyle
				seq.Content = append(seq.Content, e)
			default:
				seq.Content = append(seq.Content, str(d.ID))
			}
		}
		add("depends_on", seq)
	}
	return mapping(kv...), nil
}

func pair(k string, v *yaml.Node) [2]*yaml.Node { return [2]*yaml.Node{str(k), v} }

func mapping(kv ...[2]*yaml.Node) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, p := range kv {
		m.Content = append(m.Content, p[0], p[1])
	}
	return m
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func intScalar(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func floatScalar(f float64) *yaml.Node {
	v := strconv.FormatFloat(f, 'g', -1, 64)
	tag := "!!float"
	if !strings.ContainsAny(v, ".e") {
		tag = "!!int" // 0 and 1: the loader takes integers for fractions
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v}
}

func strList(items []string, flow bool) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	if flow {
		seq.Style = yaml.FlowStyle
	}
	for _, s := range items {
		seq.Content = append(seq.Content, str(s))
	}
	return seq
}

// WriteOverlays writes a model file of `extend:` entries, one per node:
// each adds the node's dependencies, sources and meta to the loaded node
// of the same id. includes are the catalogs the file needs.
func WriteOverlays(w io.Writer, header, includes []string, nodes []*model.Node) error {
	entries := make([]*yaml.Node, 0, len(nodes))
	for _, n := range nodes {
		m, err := overlayYAML(n)
		if err != nil {
			return err
		}
		entries = append(entries, m)
	}
	return writeFile(w, header, includes, entries)
}
