package importer

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
)

// bsEntity is one Backstage entity as read.
type bsEntity struct {
	kind      string // lower case
	namespace string // lower case
	name      string
	title     string
	desc      string
	typ       string
	owner     string
	system    string
	lifecycle string
	tags      []string
	domain    string  // a System's spec.domain
	deps      []bsRef // dependsOn and consumesApis
	provides  []bsRef // providesApis
	depOf     []bsRef // dependencyOf
	subOf     []bsRef // subcomponentOf: the component this one is part of
	pos       model.Pos
	node      *model.Node
}

// bsRef is an entity reference as written.
type bsRef struct {
	raw       string
	kind      string // "" when the ref left it out
	namespace string
	name      string
	pos       model.Pos
}

func (r bsRef) key() string { return r.kind + ":" + r.namespace + "/" + strings.ToLower(r.name) }

func (e *bsEntity) key() string { return e.kind + ":" + e.namespace + "/" + strings.ToLower(e.name) }

// ref formats the entity's canonical ref, "component:default/foo".
func (e *bsEntity) ref() string { return e.kind + ":" + e.namespace + "/" + e.name }

// bsSkipped are the entity kinds that are no runtime dependency.
var bsSkipped = []string{"group", "user", "domain", "template", "location", "system"}

// bsVendorTypes are the Resource types imported as vendors.
var bsVendorTypes = []string{"vendor", "saas", "third-party", "external", "external-service"}

// Backstage imports Backstage catalog files (multi-document YAML of
// entities). See the package documentation for the mapping. On failure
// the error is an ingest.ErrorList holding every problem found.
func Backstage(inputs []Input, opts Options) (*Result, error) {
	res := &Result{Format: "backstage"}
	var e, warns errs
	var entities []*bsEntity
	for _, in := range inputs {
		res.Files = append(res.Files, in.Name)
		entities = append(entities, bsDecode(in, &e, &warns)...)
	}
	if opts.Org != "" && !idSegment.MatchString(opts.Org) {
		e.add(model.Pos{}, "an organisation is one id segment: letters, digits, '.', '_' and '-'", "invalid organisation %q", opts.Org)
	}
	byKey := map[string]*bsEntity{}
	systems := map[string]*bsEntity{}
	var kept []*bsEntity
	for _, en := range entities {
		if first, dup := byKey[en.key()]; dup {
			e.add(en.pos, "first defined at "+first.pos.String(), "entity %s defined twice", en.ref())
			continue
		}
		byKey[en.key()] = en
		switch {
		case en.kind == "system":
			systems[en.key()] = en
		case en.kind == "location":
			warns.add(en.pos, "pass the files it lists to the import too", "Location %s: its targets are not followed", en.name)
		case slices.Contains(bsSkipped, en.kind):
		case en.kind == "component" || en.kind == "api" || en.kind == "resource":
			kept = append(kept, en)
		default:
			warns.add(en.pos, "", "entity kind %q is not imported", en.kind)
		}
	}
	// Ids: the Component keeps the plain id when kinds share a name.
	slices.SortStableFunc(kept, func(a, b *bsEntity) int { return bsKindRank(a.kind) - bsKindRank(b.kind) })
	byID := map[string]*bsEntity{}
	idx := newNameIndex(opts.Known)
	known := map[string]*model.Node{} // vendor resources that are known nodes
	for _, en := range kept {
		id := bsID(opts.Org, en.namespace, en.name)
		if en.kind == "resource" && slices.Contains(bsVendorTypes, en.typ) {
			// A third party is no part of your organisation: its own id,
			// or the catalog node it names.
			if kid, _ := idx.match(cmpOr(en.title, en.name)); kid != "" {
				en.node = idx.byID[kid]
				known[kid] = en.node
				continue
			} else if kid, _ := idx.match(en.name); kid != "" {
				en.node = idx.byID[kid]
				known[kid] = en.node
				continue
			}
			id = en.name
		}
		if _, clash := byID[id]; clash {
			id += "-" + en.kind
		}
		if first, clash := byID[id]; clash {
			e.add(en.pos, "", "%s and %s would both be %s", first.ref(), en.ref(), id)
			continue
		}
		byID[id] = en
		en.node = bsNode(en, id, opts)
		if en.system != "" {
			if sys := systems[bsRefOf(en.system, "system", en.namespace, en.pos).key()]; sys != nil {
				if sys.title != "" {
					en.node.Meta["system_title"] = sys.title
				}
				if sys.domain != "" {
					en.node.Meta["domain"] = bsRefOf(sys.domain, "domain", sys.namespace, sys.pos).name
				}
			}
		}
	}
	var keys []string
	for _, en := range kept {
		if en.node != nil {
			keys = append(keys, en.key())
		}
	}
	slices.Sort(keys)
	placeholders := map[string]*model.Node{}
	resolve := func(r bsRef, from *bsEntity, kinds ...string) *model.Node {
		cands := []string{r.kind}
		if r.kind == "" {
			cands = kinds
		}
		for _, k := range cands {
			r.kind = k
			if en := byKey[r.key()]; en != nil {
				if en.node != nil {
					return en.node
				}
				if en.kind == "system" {
					e.add(r.pos, "name the components of the system instead", "%q is a System: systems group entities and are no dependency", r.raw)
					return nil
				}
				e.add(r.pos, "", "%q is a %s, which is not imported", r.raw, en.kind)
				return nil
			}
		}
		if opts.Placeholders {
			id := bsID(opts.Org, r.namespace, r.name)
			if cands[0] != "component" && len(cands) == 1 {
				id += "-" + cands[0]
			}
			if byID[id] != nil {
				id += "-unknown"
			}
			p := placeholders[id]
			if p == nil {
				p = &model.Node{ID: id, Kind: model.KindUnknown, Name: r.name, Meta: map[string]any{"backstage": r.raw, "placeholder": "referenced by " + from.ref() + " but defined in no imported file"}}
				placeholders[id] = p
				warns.add(r.pos, "", "unknown entity %q: added as a placeholder node %s of kind unknown", r.raw, id)
			}
			return p
		}
		e.add(r.pos, didYouMean(r.key(), keys), "unknown entity %q", r.raw)
		return nil
	}
	for _, en := range kept {
		if en.node == nil {
			continue
		}
		if known[en.node.ID] == en.node {
			if len(en.deps)+len(en.provides)+len(en.depOf)+len(en.subOf) > 0 {
				warns.add(en.pos, "the catalog describes the vendor's own dependencies", "%s is the catalog's %s: its relations in this file are not imported", en.ref(), en.node.ID)
			}
			continue
		}
		for _, r := range en.deps {
			// A dependsOn ref should name its kind; without one, a
			// Component or Resource of that name.
			if t := resolve(r, en, "component", "resource"); t != nil {
				addDep(en.node, t.ID, r.pos)
			}
		}
		for _, r := range en.provides {
			if t := resolve(r, en, "api"); t != nil {
				addDep(t, en.node.ID, r.pos)
			}
		}
		for _, r := range en.depOf {
			if t := resolve(r, en, "component", "resource"); t != nil {
				addDep(t, en.node.ID, r.pos)
			}
		}
		for _, r := range en.subOf {
			// A part failing impairs the whole: the component depends on
			// its subcomponents.
			if t := resolve(r, en, "component"); t != nil {
				addDep(t, en.node.ID, r.pos)
				en.node.Meta["subcomponent_of"] = t.ID
			}
		}
	}
	if len(e.list) > 0 {
		return nil, sorted(e.list)
	}
	cats := map[string]bool{}
	for _, en := range kept {
		if k := known[en.node.ID]; k != nil && k == en.node {
			if c, ok := strings.CutPrefix(k.Origin, "catalog:"); ok {
				cats[c] = true
			}
			continue // the catalog's node: included, not written again
		}
		res.Nodes = append(res.Nodes, en.node)
	}
	for c := range cats {
		res.Includes = append(res.Includes, c)
	}
	slices.Sort(res.Includes)
	for _, p := range placeholders {
		res.Nodes = append(res.Nodes, p)
	}
	sortNodes(res.Nodes)
	res.Warnings = sorted(warns.list)
	return res, nil
}

func bsKindRank(kind string) int {
	return slices.Index([]string{"component", "resource", "api"}, kind)
}

// bsID builds a node id from an entity's namespace and name.
func bsID(org, namespace, name string) string {
	switch {
	case org == "":
		return namespace + "/" + name
	case namespace == "default":
		return org + "/" + name
	}
	return org + "/" + namespace + "/" + name
}

// bsNode maps an entity to a model node.
func bsNode(en *bsEntity, id string, opts Options) *model.Node {
	n := &model.Node{ID: id, Name: en.title, Tags: en.tags, Pos: en.pos, Meta: map[string]any{"backstage": en.ref()}}
	if n.Name == "" {
		n.Name = en.name
	}
	switch en.kind {
	case "component":
		n.Kind = model.KindComponent
		if en.typ == "service" || en.typ == "website" {
			n.Kind = model.KindService
		}
	case "api":
		n.Kind = model.KindComponent
	case "resource":
		n.Kind = model.KindCloudService
		if slices.Contains(bsVendorTypes, en.typ) {
			n.Kind = model.KindVendor
		}
	}
	if en.owner != "" {
		r := bsRefOf(en.owner, "group", en.namespace, en.pos)
		n.Owner = r.name
		if r.namespace != "default" {
			n.Owner = r.namespace + "/" + r.name
		}
	}
	for k, v := range map[string]string{"type": en.typ, "lifecycle": en.lifecycle, "system": en.system, "description": en.desc} {
		if v != "" {
			n.Meta[k] = v
		}
	}
	return n
}

// bsRefOf parses "[kind:][namespace/]name"; kind stays "" when left out
// and defaultKind is "".
func bsRefOf(raw, defaultKind, defaultNamespace string, pos model.Pos) bsRef {
	r := bsRef{raw: raw, kind: defaultKind, namespace: defaultNamespace, pos: pos}
	rest := raw
	if k, after, ok := strings.Cut(rest, ":"); ok {
		r.kind, rest = strings.ToLower(k), after
	}
	if ns, after, ok := strings.Cut(rest, "/"); ok {
		r.namespace, rest = strings.ToLower(ns), after
	}
	r.name = rest
	return r
}

// bsDecode reads every entity of one file.
func bsDecode(in Input, e, warns *errs) []*bsEntity {
	dec := yaml.NewDecoder(bytes.NewReader(in.Data))
	var out []*bsEntity
	for doc := 1; ; doc++ {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			e.list = append(e.list, yamlError(in.Name, err))
			break
		}
		if len(root.Content) == 0 || root.Content[0].Tag == "!!null" {
			continue // an empty document, e.g. after a trailing ---
		}
		if en := bsEntityOf(in.Name, root.Content[0], e, warns); en != nil {
			out = append(out, en)
		}
	}
	return out
}

// bsEntityOf reads one entity document. A document that is no
// backstage.io entity (a scaffolder Template, an OpenAPI file kept beside
// the entities, any other YAML) is skipped with a warning: catalog folders
// hold such files as a matter of course.
func bsEntityOf(file string, top *yaml.Node, e, warns *errs) *bsEntity {
	pos := func(n *yaml.Node) model.Pos { return model.Pos{File: file, Line: n.Line, Col: n.Column} }
	if top.Kind != yaml.MappingNode {
		warns.add(pos(top), "", "not a Backstage entity (a %s, not a mapping): skipped", kindName(top))
		return nil
	}
	en := &bsEntity{pos: pos(top), namespace: "default"}
	apiVersion := scalar(get(top, "apiVersion"))
	switch {
	case strings.HasPrefix(apiVersion, "scaffolder.backstage.io/"):
		warns.add(pos(top), "", "%s %q (%s) is a scaffolder template, no runtime dependency: skipped", cmpOr(scalar(get(top, "kind")), "entity"), scalar(get(get(top, "metadata"), "name")), apiVersion)
		return nil
	case apiVersion == "":
		warns.add(pos(top), "Backstage entities start with `apiVersion: backstage.io/v1alpha1`", "not a Backstage entity (no apiVersion): skipped")
		return nil
	case !strings.HasPrefix(apiVersion, "backstage.io/"):
		warns.add(pos(top), "", "not a Backstage entity (apiVersion %q): skipped", apiVersion)
		return nil
	}
	kindNode := get(top, "kind")
	en.kind = strings.ToLower(scalar(kindNode))
	if en.kind == "" {
		e.add(pos(top), "", "entity without a kind")
		return nil
	}
	meta := get(top, "metadata")
	nameNode := get(meta, "name")
	en.name = scalar(nameNode)
	if en.name == "" {
		e.add(pos(top), "", "%s entity without metadata.name", scalar(kindNode))
		return nil
	}
	if !idSegment.MatchString(en.name) {
		e.add(pos(nameNode), "Backstage names are letters, digits and [-_.]", "invalid entity name %q", en.name)
		return nil
	}
	if ns := scalar(get(meta, "namespace")); ns != "" {
		en.namespace = strings.ToLower(ns)
		if !idSegment.MatchString(en.namespace) {
			e.add(pos(get(meta, "namespace")), "", "invalid namespace %q", ns)
			return nil
		}
	}
	en.title = scalar(get(meta, "title"))
	en.desc = scalar(get(meta, "description"))
	en.tags = scalars(get(meta, "tags"))
	spec := get(top, "spec")
	en.typ = strings.ToLower(scalar(get(spec, "type")))
	en.owner = scalar(get(spec, "owner"))
	en.system = scalar(get(spec, "system"))
	en.lifecycle = scalar(get(spec, "lifecycle"))
	en.domain = scalar(get(spec, "domain"))
	refs := func(key, defaultKind string) []bsRef {
		n := get(spec, key)
		if n == nil {
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			e.add(pos(n), "", "spec.%s: expected a list of entity refs, found a %s", key, kindName(n))
			return nil
		}
		var out []bsRef
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode || item.Value == "" {
				e.add(pos(item), "", "spec.%s: expected an entity ref, found a %s", key, kindName(item))
				continue
			}
			r := bsRefOf(item.Value, defaultKind, en.namespace, pos(item))
			if !idSegment.MatchString(r.name) || !idSegment.MatchString(r.namespace) {
				e.add(pos(item), "write [kind:][namespace/]name", "malformed entity ref %q", item.Value)
				continue
			}
			out = append(out, r)
		}
		return out
	}
	en.deps = append(refs("dependsOn", ""), refs("consumesApis", "api")...)
	en.provides = refs("providesApis", "api")
	en.depOf = refs("dependencyOf", "")
	if n := get(spec, "subcomponentOf"); n != nil {
		if n.Kind == yaml.ScalarNode && n.Value != "" {
			en.subOf = []bsRef{bsRefOf(n.Value, "component", en.namespace, pos(n))}
		} else {
			e.add(pos(n), "", "spec.subcomponentOf: expected an entity ref, found a %s", kindName(n))
		}
	}
	return en
}

// get returns the value of key in mapping n, nil if absent or n is no
// mapping.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// scalar returns a scalar's value, "" for anything else.
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// scalars returns the scalar items of a sequence.
func scalars(n *yaml.Node) []string {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, item := range n.Content {
		if s := scalar(item); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "scalar"
}

// yamlError positions a yaml.v3 syntax error ("yaml: line N: msg").
func yamlError(file string, err error) *ingest.Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	pos := model.Pos{File: file}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ": "); ok {
			line := 0
			for _, c := range num {
				if c < '0' || c > '9' {
					line = -1
					break
				}
				line = line*10 + int(c-'0')
			}
			if line > 0 {
				pos.Line, msg = line, after
			}
		}
	}
	return &ingest.Error{Pos: pos, Msg: "invalid YAML: " + msg}
}
