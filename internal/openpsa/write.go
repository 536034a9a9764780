package openpsa

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/faulttree"
)

// Write writes the fault tree rooted at top as one MEF document: a
// define-fault-tree called name whose top gate is called name too, the
// gates of top's cone (named by their Builder label when unique, "g<N>"
// otherwise) and the basic events with their probabilities. Every name is
// written through EncodeName, so the document passes the MEF schema
// (SCRAM validates it), and a definition whose name had to change keeps
// the original in its <label>. Complemented references are written as
// <not>; events with an unknown probability get no expression. The output
// is deterministic.
func Write(w io.Writer, b *faulttree.Builder, name string, top faulttree.Ref) error {
	bw := bufio.NewWriter(w)
	name = EncodeName(name)
	names := map[faulttree.Ref]string{}
	taken := map[string]bool{name: true}
	for i := range b.NumEvents() {
		taken[EncodeName(b.Event(i).Name)] = true
	}
	var gates []faulttree.Ref // post-order
	var events []int
	seenEv := map[int]bool{}
	var walk func(r faulttree.Ref)
	walk = func(r faulttree.Ref) {
		r = r.Regular()
		info := b.Node(r)
		switch info.Type {
		case faulttree.EventNode:
			if !seenEv[info.Event] {
				seenEv[info.Event] = true
				events = append(events, info.Event)
			}
			return
		case faulttree.ConstNode:
			return
		}
		if _, ok := names[r]; ok {
			return
		}
		names[r] = "" // visiting
		for _, a := range info.Args {
			walk(a)
		}
		gates = append(gates, r)
	}
	walk(top)
	n := 0
	for _, g := range gates {
		if l, ok := b.Label(g); ok && !taken[EncodeName(l)] && g != top.Regular() {
			names[g] = EncodeName(l)
			taken[names[g]] = true
			continue
		}
		for {
			n++
			cand := "g" + strconv.Itoa(n)
			if !taken[cand] {
				names[g] = cand
				taken[cand] = true
				break
			}
		}
	}
	if top.Regular() != faulttree.False && b.Node(top).Type == faulttree.GateNode && !top.Negated() {
		names[top] = name
	}

	esc := func(s string) string {
		var sb strings.Builder
		_ = xml.EscapeText(&sb, []byte(s))
		return sb.String()
	}
	var ref func(r faulttree.Ref, indent string)
	ref = func(r faulttree.Ref, indent string) {
		if r.Negated() && r != faulttree.True {
			fmt.Fprintf(bw, "%s<not>\n", indent)
			ref(r.Regular(), indent+"  ")
			fmt.Fprintf(bw, "%s</not>\n", indent)
			return
		}
		switch info := b.Node(r); info.Type {
		case faulttree.ConstNode:
			fmt.Fprintf(bw, "%s<constant value=\"%t\"/>\n", indent, r == faulttree.True)
		case faulttree.EventNode:
			fmt.Fprintf(bw, "%s<basic-event name=\"%s\"/>\n", indent, EncodeName(b.Event(info.Event).Name))
		case faulttree.GateNode:
			fmt.Fprintf(bw, "%s<gate name=\"%s\"/>\n", indent, names[r])
		}
	}
	label := func(n, indent string) {
		if o, ok := DecodeName(n); ok && o != n {
			fmt.Fprintf(bw, "%s<label>%s</label>\n", indent, esc(o))
		}
	}
	fmt.Fprintf(bw, "<?xml version=\"1.0\"?>\n<opsa-mef>\n  <define-fault-tree name=\"%s\">\n", name)
	label(name, "    ")
	if names[top] != name {
		// The top is not a plain gate: wrap it in a gate named after the tree.
		fmt.Fprintf(bw, "    <define-gate name=\"%s\">\n", name)
		label(name, "      ")
		ref(top, "      ")
		fmt.Fprintf(bw, "    </define-gate>\n")
	}
	for i := len(gates) - 1; i >= 0; i-- {
		g := gates[i]
		info := b.Node(g)
		fmt.Fprintf(bw, "    <define-gate name=\"%s\">\n", names[g])
		label(names[g], "      ")
		if info.Op == faulttree.AtLeast {
			fmt.Fprintf(bw, "      <atleast min=\"%d\">\n", info.K)
		} else {
			fmt.Fprintf(bw, "      <%s>\n", info.Op)
		}
		for _, a := range info.Args {
			ref(a, "        ")
		}
		fmt.Fprintf(bw, "      </%s>\n    </define-gate>\n", info.Op)
	}
	for _, e := range events {
		ev := b.Event(e)
		fmt.Fprintf(bw, "    <define-basic-event name=\"%s\">\n", EncodeName(ev.Name))
		label(EncodeName(ev.Name), "      ")
		if !math.IsNaN(ev.Prob) {
			fmt.Fprintf(bw, "      <float value=\"%s\"/>\n", strconv.FormatFloat(ev.Prob, 'g', -1, 64))
		}
		fmt.Fprintf(bw, "    </define-basic-event>\n")
	}
	fmt.Fprintf(bw, "  </define-fault-tree>\n</opsa-mef>\n")
	return bw.Flush()
}
