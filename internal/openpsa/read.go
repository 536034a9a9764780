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
	// Builder holds the basic events and gates.
	Builder *faulttree.Builder
	// Gates maps every gate name to its Ref.
	Gates map[string]faulttree.Ref
	// GateNames lists the gates in definition order.
	GateNames []string
	// Tops lists the gates that no other gate references, in definition
	// order: the top events of the fault trees.
	Tops []string
}

// Top returns the top event called name, or the only top event when name
// is empty.
func (m *Model) Top(name string) (faulttree.Ref, error) {
	if name == "" {
		if len(m.Tops) != 1 {
			return 0, fmt.Errorf("openpsa: %d top gates (%s); name one", len(m.Tops), strings.Join(m.Tops, ", "))
		}
		name = m.Tops[0]
	}
	r, ok := m.Gates[name]
	if !ok {
		return 0, fmt.Errorf("openpsa: no gate named %q", name)
	}
	return r, nil
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
	kind  string // "gate", "basic-event", "house-event", "parameter"
	name  string
	body  *elem // the formula or expression, nil when absent
	pos   Pos
	scope string
}

type reader struct {
	errs   ErrorList
	defs   map[string]*def // gates, basic and house events share a namespace
	params map[string]*def
	order  []*def
	b      *faulttree.Builder
	refs   map[string]faulttree.Ref
	state  map[string]uint8 // 1 visiting, 2 done
	pstate map[string]uint8
	pval   map[string]float64
	stack  []string
	used   map[string]bool
	files  map[string]int
	scope  string
}

// lookup resolves a reference made in the current scope: the innermost
// component first, then the enclosing ones, then global names.
func (r *reader) lookup(name string) (*def, bool) {
	scope := r.scope
	for {
		if d, ok := r.defs[scope+name]; ok {
			return d, true
		}
		if scope == "" {
			return nil, false
		}
		i := strings.LastIndexByte(strings.TrimSuffix(scope, "."), '.')
		scope = scope[:i+1]
	}
}

func (r *reader) errorf(p Pos, format string, args ...any) {
	r.errs = append(r.errs, &Error{p, fmt.Sprintf(format, args...)})
}

// Parse reads and links MEF documents. Every problem found is returned at
// once as an ErrorList of "openpsa: FILE:LINE:COL: message" errors:
// malformed XML, unsupported constructs, duplicate definitions, undefined
// references and cycles among gates.
func Parse(srcs ...Source) (*Model, error) {
	r := &reader{defs: map[string]*def{}, params: map[string]*def{}, files: map[string]int{}}
	for i, s := range srcs {
		r.files[s.Name] = i
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
		r.collect(root, "")
	}
	m := r.build()
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return m, nil
}

// collect gathers the definitions below a container element. Definitions
// inside a define-component are named "component.name" and references
// made there resolve in the component first (MEF private scoping).
func (r *reader) collect(e *elem, scope string) {
	for _, k := range e.kids {
		switch k.name {
		case "define-fault-tree", "model-data":
			r.collect(k, scope)
		case "define-component":
			name, _ := k.attr("name")
			r.collect(k, scope+name+".")
		case "define-gate", "define-basic-event", "define-house-event", "define-parameter":
			r.define(k, scope)
		case "define-CCF-group":
			r.errorf(k.pos, "common-cause failure groups (define-CCF-group) are not supported; model the shared cause as a basic event under an or gate")
		case "label", "attributes", "define-event-tree", "define-sequence", "define-initiating-event",
			"define-rule", "define-alignment", "define-consequence", "define-consequence-group",
			"define-substitution", "define-extern-function":
			// Documentation or event-tree constructs: not part of a fault tree.
		default:
			r.errorf(k.pos, "unknown element <%s>", k.name)
		}
	}
}

func (r *reader) define(k *elem, scope string) {
	name, ok := k.attr("name")
	if !ok || name == "" {
		r.errorf(k.pos, "<%s> without a name", k.name)
		return
	}
	name = scope + name
	d := &def{kind: strings.TrimPrefix(k.name, "define-"), name: name, pos: k.pos, scope: scope}
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
	if d.kind == "parameter" {
		if prev, ok := r.params[name]; ok {
			r.errorf(k.pos, "parameter %q redefined (first defined at %s)", name, prev.pos)
			return
		}
		r.params[name] = d
		return
	}
	if prev, ok := r.defs[name]; ok {
		if prev.kind == "basic-event" && d.kind == "basic-event" && prev.body == nil {
			prev.body = d.body // a declaration completed by another file
			return
		}
		r.errorf(k.pos, "%s %q redefined (first defined as %s at %s)", d.kind, name, prev.kind, prev.pos)
		return
	}
	if d.kind == "gate" && d.body == nil {
		r.errorf(k.pos, "gate %q has no formula", name)
		return
	}
	r.defs[name] = d
	r.order = append(r.order, d)
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
		if d.kind == "basic-event" {
			r.resolve(d)
		}
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
	r.state[d.name] = 1
	r.stack = append(r.stack, d.name)
	saved := r.scope
	r.scope = d.scope
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
