package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	goccyyaml "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"
	"gopkg.in/yaml.v3"

	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// Limits on hostile input.
const (
	// MaxFileSize is the largest model file read, in bytes.
	MaxFileSize = 32 << 20
	// MaxAliasExpansion bounds the number of YAML nodes that aliases may
	// bring into one file, counting each alias as the whole subtree it
	// stands for (aliases inside it included). Bounding the expanded size,
	// not the number of lookups, is what defeats "billion laughs" alias
	// bombs: a few lookups of a wide anchor cost as much as many of a
	// small one.
	MaxAliasExpansion = 200_000
	// MaxDepth bounds the nesting of nodes and free meta values.
	MaxDepth = 64
)

// idPattern is what a node id may look like: path segments of letters,
// digits, dot, underscore and dash.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$`)

// fileKeys, nodeKeys, … are the keys each mapping accepts.
var (
	fileKeys    = []string{"depgraph", "catalog", "include", "nodes"}
	catalogKeys = []string{"name", "description"}
	nodeKeys    = []string{"id", "kind", "name", "aliases", "depends_on", "status", "sources", "confidence",
		"unavailability", "tags", "owner", "meta", "components", "regions", "zones", "services"}
	depKeys    = []string{"id", "impact", "any_of", "min", "sources"}
	statusKeys = []string{"type", "url", "components", "locations", "maintenance", "hosted_on"}
	sourceKeys = []string{"url", "as_of", "published", "read", "verified", "note"}
)

// overlayKeys are the keys of an `extend:` entry; overlayFields the fields
// it may set or replace.
var (
	overlayKeys   = []string{"extend", "depends_on", "status", "tags", "aliases", "unavailability", "sources", "owner", "confidence", "meta", "replace", "reason"}
	overlayFields = []string{"depends_on", "status", "tags", "aliases", "unavailability", "sources", "owner", "confidence", "meta"}
)

// nestedKinds maps each nesting key to the default kind of its entries.
var nestedKinds = map[string]model.Kind{
	"components": model.KindComponent,
	"regions":    model.KindRegion,
	"zones":      model.KindZone,
	"services":   model.KindCloudService,
}

// rawFile is one decoded file before cross-file validation.
type rawFile struct {
	path     string
	catalog  string // the catalog: name header, "" for plain model files
	includes []rawInclude
	nodes    []*model.Node
	overlays []*model.Overlay
}

type rawInclude struct {
	name string
	pos  model.Pos
}

// decoder walks one file's yaml.Node tree, collecting errors.
type decoder struct {
	file     string
	origin   string
	errs     ErrorList
	expanded int64                // YAML nodes brought in by aliases so far
	sizes    map[*yaml.Node]int64 // expanded subtree sizes, memoised
	spent    bool                 // the alias budget is exhausted
}

func (d *decoder) pos(n *yaml.Node) model.Pos {
	return model.Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, hint, format string, args ...any) {
	d.errs = append(d.errs, &Error{Pos: d.pos(n), Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// deref follows aliases, charging the literal size of each target
// against MaxAliasExpansion (see size). It returns nil (after recording an error
// once) when the budget is spent.
func (d *decoder) deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		if d.spent {
			return nil
		}
		d.expanded += d.size(n.Alias)
		if d.expanded > MaxAliasExpansion {
			d.spent = true
			d.errorf(n, "write the repeated entries out, or use fewer nested anchors", "aliases expand to more than %d YAML nodes: refusing a possible alias bomb", MaxAliasExpansion)
			return nil
		}
		n = n.Alias
	}
	return n
}

// size returns the number of YAML nodes in n's literal subtree, an alias
// in it counting as one: the walk charges each alias it follows when it
// meets it, so the charges add up to exactly the nodes aliases bring in.
// Memoised, so a file's sizes cost O(its literal tree) in all.
func (d *decoder) size(n *yaml.Node) int64 {
	if n == nil {
		return 0
	}
	if s, ok := d.sizes[n]; ok {
		return s
	}
	if d.sizes == nil {
		d.sizes = map[*yaml.Node]int64{}
	}
	s := int64(1)
	if n.Kind != yaml.AliasNode {
		for _, c := range n.Content {
			s += d.size(c)
		}
	}
	d.sizes[n] = s
	return s
}

// decodeFile parses data as one model file.
func decodeFile(path, origin string, data []byte) (*rawFile, ErrorList) {
	d := &decoder{file: path, origin: origin}
	if len(data) > MaxFileSize {
		d.errs = append(d.errs, &Error{Pos: model.Pos{File: path}, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit", len(data), MaxFileSize)})
		return nil, d.errs
	}
	if e := textError(path, data); e != nil {
		d.errs = append(d.errs, e)
		return nil, d.errs
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		d.errs = append(d.errs, yamlSyntaxError(path, data, err))
		return nil, d.errs
	}
	rf := &rawFile{path: path}
	if root.Kind == 0 || len(root.Content) == 0 {
		d.errs = append(d.errs, &Error{Pos: model.Pos{File: path}, Msg: "empty file", Hint: "a model starts with `depgraph: 1` and a `nodes:` list"})
		return rf, d.errs
	}
	top := d.deref(root.Content[0])
	if top == nil {
		return rf, d.errs
	}
	// A file that is not a model at all (credentials, /etc/passwd, an
	// OpenAPI document) is refused without quoting any of its content.
	if top.Kind != yaml.MappingNode || !hasKey(top, "depgraph") && !hasKey(top, "nodes") {
		d.errs = append(d.errs, &Error{Pos: model.Pos{File: path}, Msg: "not a depgraph model: no `depgraph:` or `nodes:` at the top", Hint: "a model starts with `depgraph: 1` and a `nodes:` list"})
		return rf, d.errs
	}
	seenVersion := false
	d.mapping(top, "file", fileKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "depgraph":
			seenVersion = true
			if n, ok := d.integer(v, "depgraph"); ok && n != model.SchemaVersion {
				d.errorf(v, "this build reads `depgraph: 1`", "unsupported model version %d", n)
			}
		case "catalog":
			d.mapping(v, "catalog", catalogKeys, func(key string, k, v *yaml.Node) {
				if s, ok := d.str(v, "catalog "+key); ok && key == "name" {
					rf.catalog = s
				}
			})
		case "include":
			names, poss := d.strList(v, "include")
			for i, name := range names {
				rf.includes = append(rf.includes, rawInclude{name: name, pos: poss[i]})
			}
		case "nodes":
			v = d.deref(v)
			if v == nil {
				return
			}
			if v.Kind != yaml.SequenceNode {
				d.errorf(v, "", "nodes: expected a list, found %s", Describe(v))
				return
			}
			for _, item := range v.Content {
				if it := d.deref(item); it != nil && it.Kind == yaml.MappingNode && hasKey(it, "extend") {
					if o := d.overlay(it); o != nil {
						rf.overlays = append(rf.overlays, o)
					}
					continue
				}
				d.node(item, nil, "", 0, &rf.nodes)
			}
		}
	})
	if !seenVersion {
		d.errorf(top, "add `depgraph: 1` at the top of the file", "missing schema version")
	}
	return rf, d.errs
}

// hasKey reports whether mapping n has the key.
func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.ScalarNode && n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// textError reports the first NUL byte or invalid UTF-8 sequence in data,
// with its line and column (columns count characters), or nil.
func textError(path string, data []byte) *Error {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return &Error{Pos: model.Pos{File: path, Line: line, Col: col}, Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", data[i]), Hint: "save the file as UTF-8"}
		case r == 0:
			return &Error{Pos: model.Pos{File: path, Line: line, Col: col}, Msg: "NUL byte: not a text file"}
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return nil
}

// yamlSyntaxError positions a yaml.v3 syntax error. yaml.v3 gives only a
// line, and often the line where the enclosing construct began rather
// than where the error is; goccy/go-yaml's parser, run on the failing
// input only, gives the offending token's line and column. When it finds
// no error where yaml.v3 did, yaml.v3's message stands.
func yamlSyntaxError(path string, data []byte, err error) (e *Error) {
	e = YAMLError(path, err)
	defer func() {
		if recover() != nil { // a second parser's bug must not crash us: keep yaml.v3's message
			e = YAMLError(path, err)
		}
	}()
	if _, gerr := goccyparser.ParseBytes(data, 0); gerr != nil {
		var se *goccyyaml.SyntaxError
		if errors.As(gerr, &se) && se.Token != nil && se.Token.Position != nil && se.Token.Position.Line > 0 {
			e.Pos.Line, e.Pos.Col = se.Token.Position.Line, se.Token.Position.Column
			e.Msg = "invalid YAML: " + se.Message
		}
	}
	return e
}

// YAMLError turns a yaml.v3 syntax error into a positioned Error. yaml.v3
// reports "yaml: line N: message"; the column is not available.
func YAMLError(path string, err error) *Error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = n, after
			}
		}
	}
	return &Error{Pos: model.Pos{File: path, Line: line}, Msg: "invalid YAML: " + msg}
}

// mapping calls fn for each key of n, in order, after checking the key is
// one of allowed. Unknown and repeated keys are errors.
func (d *decoder) mapping(n *yaml.Node, what string, allowed []string, fn func(key string, k, v *yaml.Node)) {
	n = d.deref(n)
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "", "%s: expected a mapping, found %s", what, Describe(n))
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "", "%s: keys must be plain strings", what)
			continue
		}
		key := k.Value
		if !slices.Contains(allowed, key) {
			hint := ""
			if key == "on" && slices.Contains(allowed, "id") {
				hint = "the key is `id`: YAML 1.1 tools read a bare `on` as a boolean"
			} else if c := suggest.Closest(key, allowed); c != "" {
				hint = "did you mean `" + c + "`?"
			} else {
				hint = "known keys: " + strings.Join(allowed, ", ")
			}
			d.errorf(k, hint, "%s: unknown key %q", what, key)
			continue
		}
		if seen[key] {
			d.errorf(k, "", "%s: key %q given twice", what, key)
			continue
		}
		seen[key] = true
		fn(key, k, v)
	}
}

// node decodes one node entry (and its nested entries) into out.
func (d *decoder) node(n *yaml.Node, parent *model.Node, defaultKind model.Kind, depth int, out *[]*model.Node) {
	n = d.deref(n)
	if n == nil {
		return
	}
	if depth > MaxDepth {
		d.errorf(n, "", "nodes nested deeper than %d levels", MaxDepth)
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "each node is a mapping with at least `id` and `kind`", "node: expected a mapping, found %s", Describe(n))
		return
	}
	node := &model.Node{Pos: d.pos(n), Origin: d.origin, Kind: defaultKind}
	type nested struct {
		kind  model.Kind
		items *yaml.Node
	}
	var children []nested
	var idNode *yaml.Node
	d.mapping(n, "node", nodeKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			idNode = v
			node.ID, _ = d.str(v, "id")
		case "kind":
			if s, ok := d.str(v, "kind"); ok {
				node.Kind = model.Kind(s)
				if !node.Kind.Valid() {
					kinds := make([]string, len(model.Kinds))
					for i, k := range model.Kinds {
						kinds[i] = string(k)
					}
					hint := "known kinds: " + strings.Join(kinds, ", ")
					if c := suggest.Closest(s, kinds); c != "" {
						hint = "did you mean `" + c + "`?"
					}
					d.errorf(v, hint, "unknown kind %q", s)
				}
			}
		case "name":
			node.Name, _ = d.str(v, "name")
		case "owner":
			node.Owner, _ = d.str(v, "owner")
		case "confidence":
			if s, ok := d.str(v, "confidence"); ok {
				node.Confidence = s
				if !slices.Contains(model.Confidences, s) {
					d.errorf(v, "use one of "+strings.Join(model.Confidences, ", "), "unknown confidence %q", s)
				}
			}
		case "unavailability":
			if f, ok := d.fraction(v, "unavailability"); ok {
				node.Unavailability = &f
			}
		case "tags":
			node.Tags, _ = d.strList(v, "tags")
		case "aliases":
			node.Aliases, _ = d.strList(v, "aliases")
		case "meta":
			if m, ok := d.free(v, 0).(map[string]any); ok {
				node.Meta = m
			} else {
				d.errorf(v, "", "meta: expected a mapping, found %s", Describe(v))
			}
		case "depends_on":
			d.dependsOn(v, node)
		case "status":
			node.Status = d.status(v)
		case "sources":
			node.Sources = d.sources(v)
		default: // components, regions, zones, services
			children = append(children, nested{kind: nestedKinds[key], items: v})
		}
	})
	switch {
	case idNode == nil:
		d.errorf(n, "", "node without an `id`")
		return
	case node.ID == "":
		if n := d.deref(idNode); n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			d.errorf(idNode, "give the node a non-empty id such as `acme/api`", "empty id")
		}
		return // otherwise already reported as a type error
	}
	if parent != nil {
		node.ID = parent.ID + "/" + node.ID
		node.Parent = parent.ID
		node.DependsOn = append([]model.Dependency{{ID: parent.ID, Impact: 1, PartOf: true, Pos: d.pos(idNode)}}, node.DependsOn...)
	}
	if !idPattern.MatchString(node.ID) {
		d.errorf(idNode, "ids are path segments of letters, digits, '.', '_' and '-', separated by '/'", "invalid id %q", node.ID)
	}
	if node.Kind == "" {
		d.errorf(n, "add `kind:` (service, vendor, component, provider, region, zone, cloud-service or unknown)", "node %q has no kind", node.ID)
	}
	if node.Name == "" {
		node.Name = node.ID
	}
	*out = append(*out, node)
	for _, c := range children {
		items := d.deref(c.items)
		if items == nil {
			continue
		}
		if items.Kind != yaml.SequenceNode {
			d.errorf(items, "", "expected a list of nodes, found %s", Describe(items))
			continue
		}
		for _, item := range items.Content {
			d.node(item, node, c.kind, depth+1, out)
		}
	}
}

// overlay decodes an `extend: ID` entry; nil when it has no usable target.
func (d *decoder) overlay(n *yaml.Node) *model.Overlay {
	o := &model.Overlay{Pos: d.pos(n)}
	var replaceNode, reasonNode *yaml.Node
	d.mapping(n, "extend", overlayKeys, func(key string, k, v *yaml.Node) {
		if slices.Contains(overlayFields, key) {
			o.Given = append(o.Given, model.OverlayField{Name: key, Pos: d.pos(k)})
		}
		switch key {
		case "extend":
			o.Target, _ = d.str(v, "extend")
		case "depends_on":
			d.dependsOn(v, &o.Fields)
		case "status":
			o.Fields.Status = d.status(v)
		case "tags":
			o.Fields.Tags, _ = d.strList(v, "tags")
		case "aliases":
			o.Fields.Aliases, _ = d.strList(v, "aliases")
		case "unavailability":
			if f, ok := d.fraction(v, "unavailability"); ok {
				o.Fields.Unavailability = &f
			}
		case "sources":
			o.Fields.Sources = d.sources(v)
		case "owner":
			o.Fields.Owner, _ = d.str(v, "owner")
		case "meta":
			if m, ok := d.free(v, 0).(map[string]any); ok {
				o.Fields.Meta = m
			} else {
				d.errorf(v, "", "meta: expected a mapping, found %s", Describe(v))
			}
		case "confidence":
			if s, ok := d.str(v, "confidence"); ok {
				o.Fields.Confidence = s
				if !slices.Contains(model.Confidences, s) {
					d.errorf(v, "use one of "+strings.Join(model.Confidences, ", "), "unknown confidence %q", s)
				}
			}
		case "replace":
			replaceNode = v
			var poss []model.Pos
			o.Replace, poss = d.strList(v, "replace")
			for i, f := range o.Replace {
				if !slices.Contains(overlayFields, f) {
					d.errs = append(d.errs, &Error{Pos: poss[i], Msg: fmt.Sprintf("replace: %q is not a field an overlay can replace", f), Hint: "fields: " + strings.Join(overlayFields, ", ")})
				}
			}
		case "reason":
			reasonNode = v
			o.Reason, _ = d.str(v, "reason")
		}
	})
	for _, f := range o.Replace {
		if !slices.ContainsFunc(o.Given, func(g model.OverlayField) bool { return g.Name == f }) {
			d.errorf(replaceNode, "give the field's new value beside `replace:`", "replace: %q is not given in this overlay", f)
		}
	}
	if len(o.Replace) > 0 && o.Reason == "" {
		d.errorf(n, "say why the catalog's facts do not hold for you, e.g. `reason: we run in their EU instance`", "an overlay that replaces %s needs a `reason:`", strings.Join(o.Replace, ", "))
	}
	if reasonNode != nil && len(o.Replace) == 0 {
		d.errorf(reasonNode, "`reason:` goes with `replace:`", "reason given but nothing replaced")
	}
	if o.Target == "" {
		return nil
	}
	return o
}

// dependsOn decodes a depends_on list into node.DependsOn.
func (d *decoder) dependsOn(v *yaml.Node, node *model.Node) {
	v = d.deref(v)
	if v == nil {
		return
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "write `depends_on: [a, b]` or a list of entries", "depends_on: expected a list, found %s", Describe(v))
		return
	}
	for _, item := range v.Content {
		item = d.deref(item)
		if item == nil {
			continue
		}
		if item.Kind == yaml.ScalarNode {
			if id, ok := d.str(item, "dependency"); ok {
				node.DependsOn = append(node.DependsOn, model.Dependency{ID: id, Impact: 1, Pos: d.pos(item)})
			}
			continue
		}
		dep := model.Dependency{Impact: 1, Pos: d.pos(item)}
		var minNode, anyNode *yaml.Node
		errsBefore := len(d.errs)
		d.mapping(item, "dependency", depKeys, func(key string, k, v *yaml.Node) {
			switch key {
			case "id":
				dep.ID, _ = d.str(v, "id")
			case "impact":
				if u := d.deref(v); u != nil && u.Kind == yaml.ScalarNode && u.Value == "unknown" {
					dep.Impact, dep.ImpactUnknown = 0, true
				} else if f, ok := d.fraction(v, "impact"); ok {
					dep.Impact = f
				}
			case "min":
				minNode = v
				dep.Min, _ = d.integer(v, "min")
			case "any_of":
				anyNode = d.deref(v)
				dep.AnyOf, dep.MemberPos = d.strList(v, "any_of")
			case "sources":
				dep.Sources = d.sources(v)
			}
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		switch {
		case dep.ID != "" && anyNode != nil:
			d.errorf(item, "an entry is either `{id: X}` or `{any_of: [X, Y], min: 1}`", "dependency has both `id` and `any_of`")
			continue
		case dep.ID == "" && anyNode == nil:
			if len(d.errs) > errsBefore {
				continue // an unknown key already explains it
			}
			d.errorf(item, "write `{id: X, impact: 0.3}` or `{any_of: [X, Y], min: 1}`", "dependency has neither `id` nor `any_of`")
			continue
		case anyNode != nil:
			if len(dep.AnyOf) == 0 {
				if anyNode.Kind == yaml.SequenceNode {
					d.errorf(anyNode, "", "empty failover group")
				}
				continue
			}
			if minNode == nil {
				dep.Min = 1
			} else if dep.Min < 1 || dep.Min > len(dep.AnyOf) {
				d.errorf(minNode, fmt.Sprintf("min is how many of the %d members must work, from 1 to %d", len(dep.AnyOf), len(dep.AnyOf)), "min %d is outside 1..%d", dep.Min, len(dep.AnyOf))
				dep.Min = max(1, min(dep.Min, len(dep.AnyOf))) // keep checking the members
			}
			for i, m := range dep.AnyOf {
				if j := slices.Index(dep.AnyOf[:i], m); j >= 0 {
					p := dep.MemberPos[i]
					d.errs = append(d.errs, &Error{Pos: p, Msg: fmt.Sprintf("%q appears twice in the same failover group", m)})
				}
			}
		case minNode != nil:
			d.errorf(minNode, "`min` belongs to a failover group (`any_of`)", "`min` without `any_of`")
		}
		node.DependsOn = append(node.DependsOn, dep)
	}
}

// status decodes a status block.
func (d *decoder) status(v *yaml.Node) *model.Status {
	st := &model.Status{}
	var typeNode *yaml.Node
	d.mapping(v, "status", statusKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "type":
			typeNode = v
			st.Type, _ = d.str(v, "status type")
		case "url":
			st.URL, _ = d.str(v, "status url")
			if st.URL != "" && !strings.HasPrefix(st.URL, "https://") && !strings.HasPrefix(st.URL, "http://") {
				d.errorf(v, "", "status url %q is not an http(s) address", st.URL)
			}
		case "components":
			st.Components, _ = d.strList(v, "status components")
		case "locations":
			st.Locations, _ = d.strList(v, "status locations")
		case "maintenance":
			if f, ok := d.fraction(v, "status maintenance"); ok {
				st.Maintenance = &f
			}
		case "hosted_on":
			st.HostedOn, st.HostedOnPos = d.strList(v, "status hosted_on")
		}
	})
	if v = d.deref(v); v == nil || v.Kind != yaml.MappingNode {
		return nil
	}
	st.Pos = d.pos(v)
	if typeNode == nil {
		d.errorf(v, "add `type:` (statuspage, gcp, aws-rss, …)", "status block without a type")
	} else if st.Type != "" && !slices.Contains(model.FeedTypes, st.Type) {
		hint := "known types: " + strings.Join(model.FeedTypes, ", ")
		if c := suggest.Closest(st.Type, model.FeedTypes); c != "" {
			hint = "did you mean `" + c + "`?"
		}
		d.errorf(typeNode, hint, "unknown status feed type %q", st.Type)
	}
	return st
}

// sources decodes a sources list.
func (d *decoder) sources(v *yaml.Node) []model.Source {
	v = d.deref(v)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "write `sources: [{url: …, as_of: YYYY-MM-DD}]`", "sources: expected a list, found %s", Describe(v))
		return nil
	}
	var out []model.Source
	for _, item := range v.Content {
		item = d.deref(item)
		if item == nil {
			continue
		}
		src := model.Source{Pos: d.pos(item)}
		if item.Kind == yaml.ScalarNode {
			src.URL, _ = d.str(item, "source")
			d.checkURL(item, src.URL)
			out = append(out, src)
			continue
		}
		d.mapping(item, "source", sourceKeys, func(key string, k, v *yaml.Node) {
			switch key {
			case "url":
				src.URL, _ = d.str(v, "source url")
				d.checkURL(v, src.URL)
			case "note":
				src.Note, _ = d.str(v, "source note")
			case "as_of", "published", "read":
				if s, ok := d.str(v, key); ok {
					if _, err := time.Parse(time.DateOnly, s); err != nil {
						d.errorf(v, "write the date as YYYY-MM-DD", "%s %q is not a date", key, s)
					}
					switch key {
					case "as_of":
						src.AsOf = s
					case "published":
						src.Published = s
					default:
						src.Read = s
					}
				}
			case "verified":
				if u := d.deref(v); u != nil && u.Kind == yaml.ScalarNode && u.Tag == "!!bool" {
					src.Unverified = strings.EqualFold(u.Value, "false")
				} else if u != nil {
					d.errorf(v, "write `verified: false` for a source nobody has read", "verified: expected true or false, found %s", Describe(u))
				}
			}
		})
		if item.Kind == yaml.MappingNode {
			if src.URL == "" {
				d.errorf(item, "", "source without a url")
			}
			if src.AsOf == "" && !src.Unverified {
				src.AsOf = cmp.Or(src.Published, src.Read)
			}
			out = append(out, src)
		}
	}
	return out
}

// checkURL refuses a source address that is not http(s): `javascript:`
// or `data:` addresses would be carried into reports and SBOM links.
func (d *decoder) checkURL(v *yaml.Node, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		d.errorf(v, "write the address as https://…", "source url %q is not an http(s) address", excerpt(s))
	}
}

// str decodes a scalar string. Non-string scalars (numbers, booleans) are
// accepted as written, since ids like "2024" are legitimate.
func (d *decoder) str(v *yaml.Node, what string) (string, bool) {
	v = d.deref(v)
	if v == nil {
		return "", false
	}
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		d.errorf(v, "", "%s: expected a string, found %s", what, Describe(v))
		return "", false
	}
	return v.Value, true
}

// strList decodes a list of strings (a lone string is also accepted as a
// one-element list) with each element's position.
func (d *decoder) strList(v *yaml.Node, what string) ([]string, []model.Pos) {
	v = d.deref(v)
	if v == nil {
		return nil, nil
	}
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		return []string{v.Value}, []model.Pos{d.pos(v)}
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "", "%s: expected a list of strings, found %s", what, Describe(v))
		return nil, nil
	}
	out := make([]string, 0, len(v.Content))
	poss := make([]model.Pos, 0, len(v.Content))
	for _, item := range v.Content {
		if s, ok := d.str(item, what); ok {
			out = append(out, s)
			poss = append(poss, d.pos(item))
		}
	}
	return out, poss
}

// fraction decodes a number in [0, 1].
func (d *decoder) fraction(v *yaml.Node, what string) (float64, bool) {
	v = d.deref(v)
	if v == nil {
		return 0, false
	}
	var f float64
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!float" && v.Tag != "!!int") || v.Decode(&f) != nil {
		d.errorf(v, "", "%s: expected a number from 0 to 1, found %s", what, Describe(v))
		return 0, false
	}
	if math.IsNaN(f) || f < 0 || f > 1 {
		d.errorf(v, "write a share from 0 to 1: 0.3 means 30 %", "%s %s is outside [0, 1]", what, v.Value)
		return 0, false
	}
	return f, true
}

// integer decodes an integer.
func (d *decoder) integer(v *yaml.Node, what string) (int, bool) {
	v = d.deref(v)
	if v == nil {
		return 0, false
	}
	var n int
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(&n) != nil {
		d.errorf(v, "", "%s: expected a whole number, found %s", what, Describe(v))
		return 0, false
	}
	return n, true
}

// free decodes a free-form value (meta) into plain Go values, bounded in
// depth.
func (d *decoder) free(v *yaml.Node, depth int) any {
	v = d.deref(v)
	if v == nil {
		return nil
	}
	if depth > MaxDepth {
		d.errorf(v, "", "meta nested deeper than %d levels", MaxDepth)
		return nil
	}
	switch v.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(v.Content)/2)
		for i := 0; i+1 < len(v.Content); i += 2 {
			m[v.Content[i].Value] = d.free(v.Content[i+1], depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(v.Content))
		for _, item := range v.Content {
			s = append(s, d.free(item, depth+1))
		}
		return s
	case yaml.ScalarNode:
		var x any
		if v.Decode(&x) != nil {
			return v.Value
		}
		if t, ok := x.(time.Time); ok {
			return t.Format(time.RFC3339)
		}
		return x
	}
	return nil
}

// Describe names a YAML node's type and value for error messages ("the
// string \"x\"", "a list").
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!str":
			return fmt.Sprintf("the string %q", excerpt(n.Value))
		case "!!bool":
			return "the boolean " + n.Value
		}
		return excerpt(n.Value)
	}
	return "nothing"
}

// maxExcerpt bounds how much of a value a message quotes.
const maxExcerpt = 60

// excerpt shortens s to maxExcerpt characters for quoting in a message.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= maxExcerpt {
		return s
	}
	return string([]rune(s)[:maxExcerpt]) + "…"
}
