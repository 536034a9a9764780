package openpsa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/faulttree"
)

// DefaultMissionTime is the value of <system-mission-time/> in hours, as in
// SCRAM.
const DefaultMissionTime = 8760.0

// Pos is a position in an input file.
type Pos struct {
	// File is the name of the input.
	File string
	// Line and Col are 1-based.
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Error is one positioned input error.
type Error struct {
	// Pos is where the problem is.
	Pos Pos
	// Msg describes it.
	Msg string
}

func (e *Error) Error() string { return "openpsa: " + e.Pos.String() + ": " + e.Msg }

// ErrorList is every error found in the inputs, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	const maxShown = 20
	var sb strings.Builder
	for i, e := range l {
		if i == maxShown {
			fmt.Fprintf(&sb, "\n(and %d more errors)", len(l)-maxShown)
			break
		}
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(e.Error())
	}
	return sb.String()
}

// Source is one MEF input: a file name for messages and its content.
type Source struct {
	// Name is used in error messages.
	Name string
	// Data is the XML document.
	Data []byte
}

// Model is a fault tree read from Open-PSA MEF files.
type Model struct {
	// Builder holds the basic events and gates. Common-cause groups are
	// expanded into it: each member is an or over the group's
	// common-cause events that include it ("[A B]" names, as in SCRAM).
	Builder *faulttree.Builder
	// Gates maps every gate name to its Ref, without the substitutions.
	Gates map[string]faulttree.Ref
	// GateNames lists the gates in definition order.
	GateNames []string
	// Tops lists the gates that no other gate references, in definition
	// order: the top events of the fault trees.
	Tops []string
	// Substitutions names the declarative substitutions, applied to every
	// top event by Top.
	Substitutions []string

	subst      []faulttree.Ref
	files      []string
	eventTrees int
}

// TopName returns the name of the top event to analyse: name itself when
// it is a gate, the only top gate when name is empty.
func (m *Model) TopName(name string) (string, error) {
	if name != "" {
		if _, ok := m.Gates[name]; !ok {
			return "", fmt.Errorf("openpsa: no gate named %q in %s", name, strings.Join(m.files, ", "))
		}
		return name, nil
	}
	switch len(m.Tops) {
	case 1:
		return m.Tops[0], nil
	case 0:
		if len(m.Gates) == 0 {
			verb := "defines"
			if len(m.files) > 1 {
				verb = "define"
			}
			if m.eventTrees > 0 {
				trees := "an event tree"
				if m.eventTrees > 1 {
					trees = fmt.Sprintf("%d event trees", m.eventTrees)
				}
				return "", fmt.Errorf("openpsa: %s %s no fault tree (no gate), only %s: depgraph analyses fault trees; give the file that defines the gates too", strings.Join(m.files, ", "), verb, trees)
			}
			return "", fmt.Errorf("openpsa: %s %s no fault tree (no gate)", strings.Join(m.files, ", "), verb)
		}
		return "", fmt.Errorf("openpsa: every gate is referenced by another (cycle?): name the top event with --top")
	}
	shown := m.Tops
	if len(shown) > 10 {
		shown = shown[:10]
	}
	more := ""
	if len(m.Tops) > len(shown) {
		more = fmt.Sprintf(", and %d more", len(m.Tops)-len(shown))
	}
	return "", fmt.Errorf("openpsa: %d top gates (%s%s): name one with --top", len(m.Tops), strings.Join(shown, ", "), more)
}

// Top returns the top event called name (or the only top event when name
// is empty) with the declarative substitutions applied, as SCRAM does for
// exact analyses: each "hypothesis implies target" is and-ed with the
// top event, so a delete-terms rule removes the failures its hypothesis
// covers and a recovery rule adds its target to them.
func (m *Model) Top(name string) (faulttree.Ref, error) {
	name, err := m.TopName(name)
	if err != nil {
		return 0, err
	}
	r := m.Gates[name]
	if len(m.subst) == 0 {
		return r, nil
	}
	out := m.Builder.Gate(faulttree.And, 0, append([]faulttree.Ref{r}, m.subst...)...)
	m.Builder.SetLabel(out, name)
	return out, nil
}

// ReadFiles reads and links the MEF files at paths, which may split one
// model (for example a tree and its *-basic-events.xml file).
func ReadFiles(paths ...string) (*Model, error) {
	var srcs []Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("openpsa: %w", err)
		}
		srcs = append(srcs, Source{Name: p, Data: data})
	}
	return Parse(srcs...)
}

// elem is a generic XML element with its position.
type elem struct {
	name  string
	attrs []xml.Attr
	kids  []*elem
	text  string
	pos   Pos
}

func (e *elem) attr(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// decode reads a document into an element tree.
func decode(src Source) (*elem, error) {
	d := xml.NewDecoder(bytes.NewReader(src.Data))
	var stack []*elem
	var root *elem
	pos := func() Pos {
		l, c := d.InputPos()
		return Pos{src.Name, l, c}
	}
	for {
		p := pos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &Error{Pos{src.Name, se.Line, 1}, se.Msg}
			}
			return nil, &Error{p, err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &elem{name: t.Name.Local, attrs: t.Attr, pos: p}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, e)
			} else if root == nil {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, &Error{Pos{src.Name, 1, 1}, "empty document"}
	}
	return root, nil
}

type def struct {
	kind string // "gate", "basic-event", "house-event", "parameter"
	name string // the name the model uses: the plain name when public, the path-qualified name when private
	body *elem  // the formula or expression, nil when absent
	pos  Pos
	path string // the containers' path ("FaultTree.component"), where references made here resolve first
	ccf  *ccfGroup
}

// ccfGroup is a define-CCF-group: its members are replaced by an or over
// the common-cause events that include them (see ccf.go).
type ccfGroup struct {
	name    string
	model   string
	e       *elem
	path    string
	members []*def
	done    bool
	refs    map[string]faulttree.Ref // member name -> its or gate
}

// substitution is a declarative define-substitution: hypothesis implies
// target (target false deletes the terms the hypothesis covers).
type substitution struct {
	name       string
	hypothesis *elem
	target     *elem
	path       string
}

type reader struct {
	errs   ErrorList
	defs   map[string]*def // public gates, basic and house events, by name
	paths  map[string]*def // every definition by its full path
	params map[string]*def
	ppaths map[string]*def
	order  []*def
	ccfs   []*ccfGroup
	subs   []*substitution
	b      *faulttree.Builder
	refs   map[string]faulttree.Ref
	state  map[string]uint8 // 1 visiting, 2 done
	pstate map[string]uint8
	pval   map[string]float64
	stack  []string
	used   map[string]bool
	files  map[string]int
	scope  string // the path of the definition being built
	// eventTrees counts define-event-tree elements, for a clear message
	// on files without a fault tree.
	eventTrees int
}

// lookup resolves a reference made in the current scope as SCRAM does:
// the reference qualified by the current path first (a private sibling or
// a "component.name" below), then a public name, then a full path; and,
// beyond SCRAM, the enclosing paths.
func (r *reader) lookup(name string) (*def, bool) {
	return lookupIn(r.defs, r.paths, r.scope, name)
}

func lookupIn(public, paths map[string]*def, scope, name string) (*def, bool) {
	if scope != "" {
		if d, ok := paths[scope+"."+name]; ok {
			return d, true
		}
	}
	if d, ok := public[name]; ok {
		return d, true
	}
	if d, ok := paths[name]; ok {
		return d, true
	}
	for scope != "" {
		i := strings.LastIndexByte(scope, '.')
		if i < 0 {
			break
		}
		scope = scope[:i]
		if d, ok := paths[scope+"."+name]; ok {
			return d, true
		}
	}
	return nil, false
}

func (r *reader) errorf(p Pos, format string, args ...any) {
	r.errs = append(r.errs, &Error{p, fmt.Sprintf(format, args...)})
}

// Parse reads and links MEF documents. Every problem found is returned at
// once as an ErrorList of "openpsa: FILE:LINE:COL: message" errors:
// malformed XML, unsupported constructs, duplicate definitions, undefined
// references and cycles among gates.
func Parse(srcs ...Source) (*Model, error) {
	r := &reader{defs: map[string]*def{}, paths: map[string]*def{}, params: map[string]*def{}, ppaths: map[string]*def{}, files: map[string]int{}}
	var names []string
	for i, s := range srcs {
		r.files[s.Name] = i
		names = append(names, s.Name)
		root, err := decode(s)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				r.errs = append(r.errs, e)
				continue
			}
			return nil, err
		}
		if root.name != "opsa-mef" {
			r.errorf(root.pos, "root element is <%s>, want <opsa-mef>", root.name)
			continue
		}
		r.collect(root, "", false)
	}
	m := r.build()
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	m.files = names
	m.eventTrees = r.eventTrees
	return m, nil
}

// role returns whether the element is private, given its container's role
// (MEF: a role attribute overrides the inherited one; the default is
// public).
func role(e *elem, private bool) bool {
	switch v, _ := e.attr("role"); v {
	case "private":
		return true
	case "public":
		return false
	}
	return private
}

// collect gathers the definitions below a container element. Containers
// (define-fault-tree, define-component) give their contents a path;
// private definitions are named by it ("Tree.component.name") and public
// ones by their plain name, as in SCRAM.
func (r *reader) collect(e *elem, path string, private bool) {
	for _, k := range e.kids {
		switch k.name {
		case "model-data":
			r.collect(k, "", false)
		case "define-fault-tree", "define-component":
			name, _ := k.attr("name")
			if name == "" {
				r.errorf(k.pos, "<%s> without a name", k.name)
				continue
			}
			r.collect(k, joinPath(path, name), role(k, private))
		case "define-gate", "define-basic-event", "define-house-event", "define-parameter":
			r.define(k, path, role(k, private))
		case "define-CCF-group":
			r.defineCCF(k, path, role(k, private))
		case "define-substitution":
			r.defineSubstitution(k, path)
		case "define-event-tree":
			r.eventTrees++
		case "label", "attributes", "define-sequence", "define-initiating-event",
			"define-rule", "define-alignment", "define-consequence", "define-consequence-group",
			"define-extern-function", "define-extern-library":
			// Documentation or event-tree constructs: not part of a fault tree.
		default:
			r.errorf(k.pos, "unknown element <%s>", k.name)
		}
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (r *reader) define(k *elem, path string, private bool) {
	name, ok := k.attr("name")
	if !ok || name == "" {
		r.errorf(k.pos, "<%s> without a name", k.name)
		return
	}
	d := &def{kind: strings.TrimPrefix(k.name, "define-"), name: name, pos: k.pos, path: path}
	if private {
		d.name = joinPath(path, name)
	}
	for _, c := range k.kids {
		if c.name == "label" || c.name == "attributes" {
			continue
		}
		if d.body != nil {
			r.errorf(c.pos, "%s %q has more than one formula", d.kind, name)
			break
		}
		d.body = c
	}
	if d.kind == "gate" && d.body == nil {
		r.errorf(k.pos, "gate %q has no formula", name)
		return
	}
	r.add(d, private, joinPath(path, name))
}

// add registers a definition under its public name (unless private) and its
// full path.
func (r *reader) add(d *def, private bool, full string) {
	defs, paths := r.defs, r.paths
	if d.kind == "parameter" {
		defs, paths = r.params, r.ppaths
	}
	if prev, ok := defs[d.name]; ok && !private || private && paths[full] != nil {
		if !ok {
			prev = paths[full]
		}
		if prev.kind == "basic-event" && d.kind == "basic-event" && prev.body == nil && prev.ccf == nil && d.ccf == nil {
			prev.body = d.body // a declaration completed by another file
			return
		}
		r.errorf(d.pos, "%s %q redefined (first defined as %s at %s)", d.kind, d.name, prev.kind, prev.pos)
		return
	}
	if !private {
		defs[d.name] = d
	}
	if _, ok := paths[full]; !ok {
		paths[full] = d
	}
	if d.kind != "parameter" {
		r.order = append(r.order, d)
	}
}

func (r *reader) defineSubstitution(k *elem, path string) {
	name, _ := k.attr("name")
	s := &substitution{name: name, path: path}
	for _, c := range k.kids {
		var f *elem
		for _, g := range c.kids {
			f = g
		}
		switch c.name {
		case "hypothesis":
			s.hypothesis = f
		case "target":
			s.target = f
		case "source":
			if len(c.kids) > 0 {
				r.errorf(k.pos, "substitution %q is not declarative (it has a <source>): SCRAM and depgraph apply only declarative substitutions in exact analyses", name)
				return
			}
		}
	}
	if s.hypothesis == nil || s.target == nil {
		r.errorf(k.pos, "substitution %q needs a <hypothesis> and a <target>", name)
		return
	}
	if t, _ := k.attr("type"); t == "delete-terms" {
		if v, _ := s.target.attr("value"); s.target.name != "constant" || v != "false" {
			r.errorf(k.pos, "substitution %q of type delete-terms needs the target <constant value=\"false\"/>", name)
			return
		}
	}
	r.subs = append(r.subs, s)
}

func (r *reader) build() *Model {
	r.b = faulttree.NewBuilder()
	r.refs = map[string]faulttree.Ref{}
	r.state = map[string]uint8{}
	r.pstate = map[string]uint8{}
	r.pval = map[string]float64{}
	r.used = map[string]bool{}
	m := &Model{Builder: r.b, Gates: map[string]faulttree.Ref{}}
	for _, d := range r.order {
		if d.kind == "basic-event" && d.ccf == nil {
			r.resolve(d)
		}
	}
	for _, g := range r.ccfs {
		r.expandCCF(g)
	}
	for _, d := range r.order {
		if d.kind == "gate" {
			ref := r.resolve(d)
			m.Gates[d.name] = ref
			m.GateNames = append(m.GateNames, d.name)
		}
	}
	for _, d := range r.order {
		if d.kind == "gate" && !r.used[d.name] {
			m.Tops = append(m.Tops, d.name)
		}
	}
	for _, s := range r.subs {
		saved := r.scope
		r.scope = s.path
		h := r.formula(s.hypothesis)
		t := r.formula(s.target)
		r.scope = saved
		// hypothesis → target
		m.subst = append(m.subst, r.b.Gate(faulttree.Or, 0, h.Not(), t))
		m.Substitutions = append(m.Substitutions, s.name)
	}
	slices.SortStableFunc(r.errs, func(a, b *Error) int {
		if a.Pos.File != b.Pos.File {
			return r.files[a.Pos.File] - r.files[b.Pos.File]
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	return m
}

// resolve returns the Ref of a definition, building it on first use.
func (r *reader) resolve(d *def) faulttree.Ref {
	switch r.state[d.name] {
	case 2:
		return r.refs[d.name]
	case 1:
		i := slices.Index(r.stack, d.name)
		cyc := append(slices.Clone(r.stack[i:]), d.name)
		r.errorf(d.pos, "cycle among gates: %s", strings.Join(cyc, " -> "))
		return faulttree.False
	}
	if d.ccf != nil {
		r.expandCCF(d.ccf)
		return d.ccf.refs[d.name]
	}
	r.state[d.name] = 1
	r.stack = append(r.stack, d.name)
	saved := r.scope
	r.scope = d.path
	defer func() { r.scope = saved }()
	var ref faulttree.Ref
	switch d.kind {
	case "basic-event":
		p := math.NaN()
		if d.body != nil {
			if v, ok := r.eval(d.body); ok {
				if v < 0 || v > 1 {
					r.errorf(d.body.pos, "probability %v of basic event %q is outside [0, 1]", v, d.name)
				}
				p = v
			}
		}
		ref = r.b.Basic(d.name, p)
	case "house-event":
		ref = faulttree.False
		if d.body != nil {
			ref = r.formula(d.body)
		}
	case "gate":
		ref = r.formula(d.body)
		r.b.SetLabel(ref, d.name)
	}
	r.stack = r.stack[:len(r.stack)-1]
	r.refs[d.name] = ref
	r.state[d.name] = 2
	return ref
}

var refKinds = map[string]string{"gate": "gate", "basic-event": "basic-event", "house-event": "house-event", "event": ""}

// formula builds a Boolean formula element.
func (r *reader) formula(e *elem) faulttree.Ref {
	if want, ok := refKinds[e.name]; ok {
		name, _ := e.attr("name")
		if t, ok := e.attr("type"); ok && want == "" {
			want = t
		}
		d, ok := r.lookup(name)
		if !ok {
			if want == "" {
				want = "event"
			}
			r.errorf(e.pos, "undefined %s %q", want, name)
			return faulttree.False
		}
		if want != "" && d.kind != want {
			r.errorf(e.pos, "%q is a %s, not a %s", name, d.kind, want)
			return faulttree.False
		}
		if d.kind == "gate" && len(r.stack) > 0 {
			r.used[d.name] = true
		}
		return r.resolve(d)
	}
	if e.name == "constant" {
		v, _ := e.attr("value")
		switch v {
		case "true":
			return faulttree.True
		case "false":
			return faulttree.False
		}
		r.errorf(e.pos, "constant value %q is not true or false", v)
		return faulttree.False
	}
	args := make([]faulttree.Ref, 0, len(e.kids))
	for _, k := range e.kids {
		args = append(args, r.formula(k))
	}
	need := func(lo, hi int) bool {
		if len(args) < lo || (hi > 0 && len(args) > hi) {
			if lo == hi {
				r.errorf(e.pos, "<%s> takes %d arguments, got %d", e.name, lo, len(args))
			} else {
				r.errorf(e.pos, "<%s> takes at least %d arguments, got %d", e.name, lo, len(args))
			}
			return false
		}
		return true
	}
	intAttr := func(name string) (int, bool) {
		s, ok := e.attr(name)
		if !ok {
			r.errorf(e.pos, "<%s> needs a %q attribute", e.name, name)
			return 0, false
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			r.errorf(e.pos, "<%s> %s=%q is not a non-negative integer", e.name, name, s)
			return 0, false
		}
		return v, true
	}
	kinds := map[string]faulttree.Kind{"and": faulttree.And, "or": faulttree.Or, "xor": faulttree.Xor,
		"nand": faulttree.Nand, "nor": faulttree.Nor, "iff": faulttree.Iff}
	if k, ok := kinds[e.name]; ok {
		lo := 1
		if k == faulttree.Xor || k == faulttree.Iff {
			lo = 2
		}
		if !need(lo, 0) {
			return faulttree.False
		}
		return r.b.Gate(k, 0, args...)
	}
	switch e.name {
	case "not":
		if !need(1, 1) {
			return faulttree.False
		}
		return args[0].Not()
	case "imply":
		if !need(2, 2) {
			return faulttree.False
		}
		return r.b.Gate(faulttree.Imply, 0, args...)
	case "atleast":
		k, ok := intAttr("min")
		if !ok || !need(2, 0) {
			return faulttree.False
		}
		return r.b.Gate(faulttree.AtLeast, k, args...)
	case "cardinality":
		lo, ok1 := intAttr("min")
		hi, ok2 := intAttr("max")
		if !ok1 || !ok2 || !need(1, 0) {
			return faulttree.False
		}
		return r.b.Gate(faulttree.And, 0,
			r.b.Gate(faulttree.AtLeast, lo, args...),
			r.b.Gate(faulttree.AtLeast, hi+1, args...).Not())
	}
	r.errorf(e.pos, "unsupported formula <%s>", e.name)
	return faulttree.False
}
