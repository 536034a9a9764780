package faulttree

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// Ref is a signed reference to a node of a Builder: a constant, a basic
// event or a gate, possibly complemented. The zero Ref is the constant
// False. Refs are only meaningful for the Builder that made them.
type Ref uint32

// False and True are the two constant Refs, valid in every Builder.
const (
	False Ref = 0
	True  Ref = 1
)

// Not returns the complement of r. It costs nothing: complements are
// stored on the reference (a "complement edge"), not as a gate.
func (r Ref) Not() Ref { return r ^ 1 }

// Negated reports whether r is a complemented reference.
func (r Ref) Negated() bool { return r&1 == 1 }

// Regular returns r without its complement bit.
func (r Ref) Regular() Ref { return r &^ 1 }

func (r Ref) node() uint32 { return uint32(r >> 1) }

func mkRef(node uint32, neg bool) Ref {
	r := Ref(node << 1)
	if neg {
		r |= 1
	}
	return r
}

// Kind is a logical connective accepted by Builder.Gate.
type Kind uint8

// The connectives. Or, And, AtLeast and Xor are stored as gates; the others
// are rewritten on construction: Not is a complement edge, Nand and Nor are
// complemented And and Or, Iff is a complemented Xor and Imply(a, b) is
// Or(¬a, b).
const (
	Or Kind = iota + 1
	And
	AtLeast
	Xor
	Not
	Nand
	Nor
	Iff
	Imply
)

var kindNames = [...]string{Or: "or", And: "and", AtLeast: "atleast", Xor: "xor", Not: "not", Nand: "nand", Nor: "nor", Iff: "iff", Imply: "imply"}

// String returns the Open-PSA name of the connective.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// NodeType tells what a Ref points to.
type NodeType uint8

// The node types.
const (
	ConstNode NodeType = iota
	EventNode
	GateNode
)

// Event is a basic event: a leaf of the fault tree with its failure
// probability. Prob is NaN when the probability is unknown.
type Event struct {
	// Name is the unique name given to Builder.Basic.
	Name string
	// Prob is the probability of failure in [0, 1], or NaN when unknown.
	Prob float64
}

type bnode struct {
	typ   NodeType
	op    Kind
	k     int32
	event int32
	args  []Ref
}

// NodeInfo describes the node behind a Ref, ignoring its complement bit.
type NodeInfo struct {
	// Type is the kind of node.
	Type NodeType
	// Event is the basic-event index for an EventNode.
	Event int
	// Op is the connective of a GateNode: Or, And, AtLeast or Xor.
	Op Kind
	// K is the threshold of an AtLeast gate.
	K int
	// Args are the gate inputs, sorted; do not modify.
	Args []Ref
}

// Builder assembles a fault tree as a propositional directed acyclic graph
// (PDAG) of gates over basic events. Gates are normalised and hash-consed
// as they are built: constants are propagated, inputs are sorted and
// deduplicated, x∧¬x and x∨¬x fold to constants, one-input gates collapse,
// AtLeast(1) and AtLeast(n) become Or and And, negations of Xor inputs move
// to the output, and two structurally identical gates get the same Ref
// (the "multiple definition" merge of SCRAM's preprocessor). Construction
// of a gate costs O(n log n) in its number of inputs.
//
// A Builder is not safe for concurrent use. Once it is passed to Compile it
// must not be modified.
type Builder struct {
	nodes  []bnode
	events []Event
	evRef  []Ref
	byName map[string]int
	unique map[string]Ref
	labels map[uint32]string
	key    []byte
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{
		nodes:  []bnode{{typ: ConstNode}},
		byName: map[string]int{},
		unique: map[string]Ref{},
		labels: map[uint32]string{},
	}
}

// Basic returns the basic event called name, creating it with probability
// prob on first use. prob may be NaN for an unknown probability; the
// analysis then reports the top-event probability as NaN and lists the
// event in Result.UnknownProbability. A second call with the same name
// returns the same Ref and ignores prob.
func (b *Builder) Basic(name string, prob float64) Ref {
	if i, ok := b.byName[name]; ok {
		return b.evRef[i]
	}
	i := len(b.events)
	b.events = append(b.events, Event{Name: name, Prob: prob})
	b.nodes = append(b.nodes, bnode{typ: EventNode, event: int32(i)})
	r := mkRef(uint32(len(b.nodes)-1), false)
	b.evRef = append(b.evRef, r)
	b.byName[name] = i
	return r
}

// Const returns True or False.
func (b *Builder) Const(v bool) Ref {
	if v {
		return True
	}
	return False
}

// NumEvents returns the number of basic events; their indices are
// 0..NumEvents()-1 in creation order.
func (b *Builder) NumEvents() int { return len(b.events) }

// Event returns basic event i.
func (b *Builder) Event(i int) Event { return b.events[i] }

// EventRef returns the Ref of basic event i.
func (b *Builder) EventRef(i int) Ref { return b.evRef[i] }

// LookupEvent returns the index of the basic event called name.
func (b *Builder) LookupEvent(name string) (int, bool) {
	i, ok := b.byName[name]
	return i, ok
}

// NumNodes returns the number of nodes (constants, events and gates) built so far.
func (b *Builder) NumNodes() int { return len(b.nodes) }

// SetLabel attaches a name to the gate behind r, used by writers (for
// example Open-PSA export). The first label set on a node wins, since
// hash-consing may merge several named gates into one node.
func (b *Builder) SetLabel(r Ref, name string) {
	if _, ok := b.labels[r.node()]; !ok {
		b.labels[r.node()] = name
	}
}

// Label returns the label of the node behind r, if any.
func (b *Builder) Label(r Ref) (string, bool) {
	s, ok := b.labels[r.node()]
	return s, ok
}

// Node describes the node behind r (its complement bit is ignored).
func (b *Builder) Node(r Ref) NodeInfo {
	n := &b.nodes[b.check(r)]
	return NodeInfo{Type: n.typ, Event: int(n.event), Op: n.op, K: int(n.k), Args: n.args}
}

func (b *Builder) check(r Ref) uint32 {
	if int(r.node()) >= len(b.nodes) {
		panic(fmt.Sprintf("faulttree: Ref %d does not belong to this Builder", r))
	}
	return r.node()
}

// Gate returns a gate of kind k over the inputs. min is the threshold of
// AtLeast and is ignored otherwise. Not takes exactly one input, Imply
// exactly two; Iff of n inputs is the complement of their parity (Xor).
// Gate panics on a malformed call (programmer error).
func (b *Builder) Gate(k Kind, min int, in ...Ref) Ref {
	for _, r := range in {
		b.check(r)
	}
	switch k {
	case Or:
		return b.or(in)
	case And:
		return b.and(in)
	case AtLeast:
		return b.atLeast(min, in)
	case Xor:
		return b.xor(in)
	case Not:
		if len(in) != 1 {
			panic("faulttree: Not takes one input")
		}
		return in[0].Not()
	case Nand:
		return b.and(in).Not()
	case Nor:
		return b.or(in).Not()
	case Iff:
		return b.xor(in).Not()
	case Imply:
		if len(in) != 2 {
			panic("faulttree: Imply takes two inputs")
		}
		return b.or([]Ref{in[0].Not(), in[1]})
	}
	panic(fmt.Sprintf("faulttree: unknown gate kind %v", k))
}

// or normalises and interns an Or gate.
func (b *Builder) or(in []Ref) Ref { return b.junction(Or, True, in) }

// and normalises and interns an And gate.
func (b *Builder) and(in []Ref) Ref { return b.junction(And, False, in) }

// junction normalises and interns an Or (absorbing constant True) or an And
// (absorbing False): the absorbing constant or x with ¬x absorbs the gate,
// the other constant drops out, inputs are sorted and deduplicated, and no
// input or one input collapse.
func (b *Builder) junction(op Kind, absorbing Ref, in []Ref) Ref {
	args := make([]Ref, 0, len(in))
	for _, r := range in {
		switch r {
		case absorbing:
			return absorbing
		case absorbing.Not():
			continue
		}
		args = append(args, r)
	}
	slices.Sort(args)
	args = slices.Compact(args)
	for i := 1; i < len(args); i++ {
		if args[i] == args[i-1].Not() {
			return absorbing
		}
	}
	switch len(args) {
	case 0:
		return absorbing.Not()
	case 1:
		return args[0]
	}
	return b.intern(op, 0, args)
}

func (b *Builder) atLeast(k int, in []Ref) Ref {
	args := make([]Ref, 0, len(in))
	for _, r := range in {
		switch r {
		case True:
			k--
			continue
		case False:
			continue
		}
		args = append(args, r)
	}
	switch {
	case k <= 0:
		return True
	case k > len(args):
		return False
	case k == 1:
		return b.or(args)
	case k == len(args):
		return b.and(args)
	}
	slices.Sort(args)
	return b.intern(AtLeast, k, args)
}

func (b *Builder) xor(in []Ref) Ref {
	neg := false
	args := make([]Ref, 0, len(in))
	for _, r := range in {
		switch r {
		case True:
			neg = !neg
			continue
		case False:
			continue
		}
		if r.Negated() {
			neg = !neg
			r = r.Regular()
		}
		args = append(args, r)
	}
	slices.Sort(args)
	// x ⊕ x = 0: drop pairs.
	out := args[:0]
	for i := 0; i < len(args); i++ {
		if i+1 < len(args) && args[i] == args[i+1] {
			i++
			continue
		}
		out = append(out, args[i])
	}
	var r Ref
	switch len(out) {
	case 0:
		r = False
	case 1:
		r = out[0]
	default:
		r = b.intern(Xor, 0, out)
	}
	if neg {
		r = r.Not()
	}
	return r
}

func (b *Builder) intern(op Kind, k int, args []Ref) Ref {
	key := b.key[:0]
	key = append(key, byte(op))
	key = binary.AppendUvarint(key, uint64(k))
	for _, a := range args {
		key = binary.AppendUvarint(key, uint64(a))
	}
	b.key = key
	if r, ok := b.unique[string(key)]; ok {
		return r
	}
	b.nodes = append(b.nodes, bnode{typ: GateNode, op: op, k: int32(k), args: slices.Clip(args)})
	r := mkRef(uint32(len(b.nodes)-1), false)
	b.unique[string(key)] = r
	return r
}

// Eval evaluates r under the assignment failed (indexed by basic event): a
// direct, exponential-free check used by tests and by callers that want to
// verify a cut set. It runs in time linear in the size of r's cone.
func (b *Builder) Eval(r Ref, failed []bool) bool {
	memo := map[uint32]bool{}
	var ev func(r Ref) bool
	ev = func(r Ref) bool {
		id := r.node()
		v, ok := memo[id]
		if !ok {
			n := &b.nodes[id]
			switch n.typ {
			case ConstNode:
				v = false
			case EventNode:
				v = failed[n.event]
			case GateNode:
				cnt := 0
				for _, a := range n.args {
					if ev(a) {
						cnt++
					}
				}
				switch n.op {
				case Or:
					v = cnt > 0
				case And:
					v = cnt == len(n.args)
				case AtLeast:
					v = cnt >= int(n.k)
				case Xor:
					v = cnt%2 == 1
				}
			}
			memo[id] = v
		}
		return v != r.Negated()
	}
	return ev(r)
}

func isNaN(f float64) bool { return math.IsNaN(f) }
