package mention

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// Kind says how a node was named.
type Kind string

// The kinds of mention.
const (
	KindName  Kind = "name"  // the node's id or name
	KindAlias Kind = "alias" // one of its aliases
	KindCode  Kind = "code"  // a code-shaped id, name or alias: "IAD", "us-east-1"
)

// Mention is one place a text names a node.
type Mention struct {
	// NodeID is the node's id.
	NodeID string
	// Start and End are the byte offsets of the quote in the text.
	Start, End int
	// Quote is the text as written.
	Quote string
	// Phrase is the name or alias it matched.
	Phrase string
	// Kind says whether a name, an alias or a code matched.
	Kind Kind
}

// rule is how a phrase matches.
type rule uint8

const (
	ruleExact rule = iota // one word or upper-case code: same case, whole token
	ruleToken             // code with digits or hyphens: any case, whole token
	ruleWords             // several words: any case, word boundaries
)

type phrase struct {
	text string
	node string
	kind Kind
	rule rule
}

// Index finds node names in text. It is safe for concurrent use once built.
type Index struct {
	byKey map[string][]phrase
	size  int
}

// New builds an index over the nodes' ids, names and aliases.
func New(nodes []*model.Node) *Index {
	ix := &Index{byKey: map[string][]phrase{}}
	for _, n := range nodes {
		seen := map[string]bool{}
		add := func(s string, k Kind, isID bool) {
			s = strings.TrimSpace(s)
			if utf8.RuneCountInString(s) < 2 || seen[s] {
				return
			}
			r, _ := utf8.DecodeRuneInString(s)
			if !isAlnum(r) {
				return
			}
			seen[s] = true
			p := phrase{text: s, node: n.ID, kind: k, rule: shape(s)}
			if !isID && p.rule != ruleWords && isCode(s) {
				p.kind = KindCode
			}
			key := strings.ToLower(firstRun(s))
			ix.byKey[key] = append(ix.byKey[key], p)
			ix.size++
		}
		add(n.ID, KindName, true)
		add(n.Name, KindName, false)
		for _, a := range n.Aliases {
			add(a, KindAlias, false)
		}
	}
	return ix
}

// FromGraph builds an index over every node of a graph.
func FromGraph(g *graph.Graph) *Index {
	nodes := make([]*model.Node, g.Len())
	for i := range nodes {
		nodes[i] = g.ModelNode(int32(i))
	}
	return New(nodes)
}

// Len returns the number of phrases indexed.
func (ix *Index) Len() int { return ix.size }

// Match returns the mentions in text, sorted by position, then node id.
// Overlapping phrases give way to the longest; a span several nodes claim
// is reported once per node.
func (ix *Index) Match(text string) []Mention {
	if ix == nil || len(ix.byKey) == 0 {
		return nil
	}
	var found []Mention
	for s := 0; s < len(text); {
		r, w := utf8.DecodeRuneInString(text[s:])
		if !isAlnum(r) || (s > 0 && isAlnum(lastRune(text[:s]))) {
			s += w
			continue
		}
		run := firstRun(text[s:])
		for _, p := range ix.byKey[strings.ToLower(run)] {
			if e, ok := p.matchAt(text, s); ok {
				found = append(found, Mention{NodeID: p.node, Start: s, End: e, Quote: text[s:e], Phrase: p.text, Kind: p.kind})
			}
		}
		s += len(run)
	}
	slices.SortFunc(found, func(a, b Mention) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), strings.Compare(a.NodeID, b.NodeID), strings.Compare(string(a.Kind), string(b.Kind)))
	})
	var out []Mention
	lastEnd, spanStart, spanEnd := -1, -1, -1
	for _, m := range found {
		if m.Start == spanStart && m.End == spanEnd { // same span, another node
			if out[len(out)-1].NodeID != m.NodeID {
				out = append(out, m)
			}
			continue
		}
		if m.Start < lastEnd {
			continue
		}
		out = append(out, m)
		spanStart, spanEnd, lastEnd = m.Start, m.End, m.End
	}
	return out
}

// matchAt reports whether the phrase matches text at byte offset s, and
// where the match ends.
func (p phrase) matchAt(text string, s int) (int, bool) {
	e := s + len(p.text)
	if e > len(text) {
		return 0, false
	}
	got := text[s:e]
	switch p.rule {
	case ruleExact:
		if got != p.text {
			return 0, false
		}
	default:
		if !strings.EqualFold(got, p.text) {
			return 0, false
		}
	}
	if !boundaryAfter(text, e) {
		return 0, false
	}
	return e, true
}

// boundaryAfter reports whether a token ends at e: the next rune is
// neither a letter or digit, nor a joiner followed by one.
func boundaryAfter(text string, e int) bool {
	if e >= len(text) {
		return true
	}
	r, w := utf8.DecodeRuneInString(text[e:])
	if isAlnum(r) {
		return false
	}
	if isJoiner(r) && e+w < len(text) {
		next, _ := utf8.DecodeRuneInString(text[e+w:])
		return !isAlnum(next)
	}
	return true
}

// shape picks a phrase's rule.
func shape(s string) rule {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return ruleWords
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsDigit(r) || isJoiner(r) }) {
		return ruleToken
	}
	return ruleExact
}

// isCode reports whether a one-token phrase is code-shaped: upper case
// letters (and digits), or letters with digits or joiners, at most 16
// runes.
func isCode(s string) bool {
	if utf8.RuneCountInString(s) > 16 {
		return false
	}
	upper := !strings.ContainsFunc(s, unicode.IsLower)
	digits := strings.ContainsFunc(s, unicode.IsDigit)
	return upper || (digits && strings.ContainsFunc(s, isJoiner))
}

func firstRun(s string) string {
	for i, r := range s {
		if !isAlnum(r) {
			return s[:i]
		}
	}
	return s
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	// A joiner glued to a letter or digit before it continues a token.
	if isJoiner(r) && len(s) > 1 {
		prev, _ := utf8.DecodeLastRuneInString(s[:len(s)-utf8.RuneLen(r)])
		if isAlnum(prev) {
			return 'a'
		}
	}
	return r
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isJoiner(r rune) bool { return r == '-' || r == '_' || r == '.' || r == '/' }
