package policy

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/suggest"
)

// Version is the policy file format version this build reads
// (`policy: 1` at the top of the file).
const Version = 1

// MaxFileSize is the largest policy file read, in bytes.
const MaxFileSize = 1 << 20

// The rule types a policy may use.
const (
	// RuleNoSPOF: no single point of failure outside Allow for the
	// services with Tags.
	RuleNoSPOF = "no_spof"
	// RuleFailoverIndependent: no failover group whose members share a
	// failure domain of order 1 (a node whose failure alone defeats it).
	RuleFailoverIndependent = "failover_independent"
	// RuleMaxConcentration: no node of Kinds carrying more than Percent %
	// of the services with Tags.
	RuleMaxConcentration = "max_concentration"
	// RuleMaxSourceAge: no fact (a node, or one of its dependencies)
	// used by the services with Tags resting on sources older than Days.
	RuleMaxSourceAge = "max_source_age"
	// RuleNoUnquantified: no dependency of unknown share (`impact:
	// unknown`) upstream of the services with Tags, outside Allow.
	RuleNoUnquantified = "no_unquantified"
)

// MaxDays is the largest max_source_age limit (about 274 years): below the
// 106,751 days where a time.Duration overflows.
const MaxDays = 100_000

// RuleTypes lists the rule types in a stable order.
var RuleTypes = []string{RuleNoSPOF, RuleFailoverIndependent, RuleMaxConcentration, RuleMaxSourceAge, RuleNoUnquantified}

// ruleKeys are the parameters each rule type accepts.
var ruleKeys = map[string][]string{
	RuleNoSPOF:              {"tags", "allow"},
	RuleFailoverIndependent: {"tags"},
	RuleMaxConcentration:    {"tags", "percent", "kinds"},
	RuleMaxSourceAge:        {"tags", "days", "each", "kinds", "allow_unverified"},
	RuleNoUnquantified:      {"tags", "allow"},
}

var fileKeys = []string{"policy", "rules"}

// Policy is a parsed policy file.
type Policy struct {
	// File is the file name used in positions.
	File string
	// Rules are the rules in file order.
	Rules []Rule
}

// Rule is one entry of the rules list. Which fields apply depends on Type.
type Rule struct {
	// Type is one of RuleTypes.
	Type string
	// Pos is where the rule was declared.
	Pos model.Pos
	// Tags select the services the rule applies to (those carrying any
	// of them); empty means every service (kind: service).
	Tags []string
	// TagPos holds the positions of Tags, index for index.
	TagPos []model.Pos
	// Allow lists the node ids (or path.Match patterns such as "aws/*")
	// that no_spof accepts as single points of failure.
	Allow []string
	// AllowPos holds the positions of Allow, index for index.
	AllowPos []model.Pos
	// Percent is max_concentration's limit, in (0, 100].
	Percent float64
	// Kinds are the node kinds max_concentration looks at (default
	// provider and region), or those max_source_age looks at (default
	// all).
	Kinds []model.Kind
	// Days is max_source_age's limit.
	Days int
	// Each makes max_source_age report every source that is too old, not
	// only the oldest each fact rests on.
	Each bool
	// AllowUnverified makes max_source_age accept facts that rest only on
	// unverified or undated sources (by default they break the rule:
	// unknown is never fresh).
	AllowUnverified bool
}

// Load reads and parses the policy file at path.
func Load(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "no such file"
		}
		return nil, ingest.ErrorList{{Pos: model.Pos{File: path}, Msg: msg}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, ingest.ErrorList{{Pos: model.Pos{File: path}, Msg: err.Error()}}
	}
	return Parse(path, data)
}

// Parse parses a policy file's contents; file names it in positions. On
// failure the error is an ingest.ErrorList holding every problem found.
func Parse(file string, data []byte) (*Policy, error) {
	d := &decoder{file: file}
	p := &Policy{File: file}
	if len(data) > MaxFileSize {
		return nil, ingest.ErrorList{{Pos: model.Pos{File: file}, Msg: fmt.Sprintf("policy file is larger than the %d-byte limit", MaxFileSize)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, ingest.ErrorList{ingest.YAMLError(file, err)}
	}
	if len(root.Content) == 0 {
		return nil, ingest.ErrorList{{Pos: model.Pos{File: file}, Msg: "empty policy file", Hint: "a policy starts with `policy: 1` and a `rules:` list"}}
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		d.errorf(top, "a policy starts with `policy: 1` and a `rules:` list", "expected a mapping at the top of the file, found %s", ingest.Describe(top))
		return nil, d.errs
	}
	seenVersion, seenRules := false, false
	d.mapping(top, "policy", fileKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "policy":
			seenVersion = true
			var n int
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(&n) != nil {
				d.errorf(v, "", "policy: expected a whole number, found %s", ingest.Describe(v))
			} else if n != Version {
				d.errorf(v, "this build reads `policy: 1`", "unsupported policy version %d", n)
			}
		case "rules":
			seenRules = true
			if v.Kind != yaml.SequenceNode {
				d.errorf(v, "", "rules: expected a list, found %s", ingest.Describe(v))
				return
			}
			for _, item := range v.Content {
				if r, ok := d.rule(item); ok {
					p.Rules = append(p.Rules, r)
				}
			}
		}
	})
	if !seenVersion {
		d.errorf(top, "add `policy: 1` at the top of the file", "missing policy version")
	}
	if !seenRules && len(d.errs) == 0 {
		d.errorf(top, "add a `rules:` list", "policy has no rules")
	}
	if len(d.errs) > 0 {
		return nil, sortErrors(d.errs)
	}
	return p, nil
}

type decoder struct {
	file string
	errs ingest.ErrorList
}

func (d *decoder) pos(n *yaml.Node) model.Pos {
	return model.Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, hint, format string, args ...any) {
	d.errs = append(d.errs, &ingest.Error{Pos: d.pos(n), Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// mapping calls fn for each key of n after checking it is one of allowed.
func (d *decoder) mapping(n *yaml.Node, what string, allowed []string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind == yaml.AliasNode {
		d.errorf(n, "write the value out", "%s: aliases are not allowed in a policy", what)
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "", "%s: expected a mapping, found %s", what, ingest.Describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "", "%s: keys must be plain strings", what)
			continue
		}
		if v.Kind == yaml.AliasNode {
			d.errorf(v, "write the value out", "%s: aliases are not allowed in a policy", what)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			d.errorf(k, unknownHint(k.Value, allowed), "%s: unknown key %q", what, k.Value)
			continue
		}
		if seen[k.Value] {
			d.errorf(k, "", "%s: key %q given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
}

func unknownHint(s string, allowed []string) string {
	if c := suggest.Closest(s, allowed); c != "" {
		return "did you mean `" + c + "`?"
	}
	if len(allowed) == 0 {
		return "this rule takes no parameters: write {}"
	}
	return "known keys: " + strings.Join(allowed, ", ")
}

// rule decodes one `- type: {params}` entry.
func (d *decoder) rule(n *yaml.Node) (Rule, bool) {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		d.errorf(n, "write each rule as `- RULE: {parameters}`, e.g. `- max_source_age: {days: 365}`", "rules: expected a mapping with one rule, found %s", ingest.Describe(n))
		return Rule{}, false
	}
	k, v := n.Content[0], n.Content[1]
	r := Rule{Type: k.Value, Pos: d.pos(k)}
	allowed, ok := ruleKeys[r.Type]
	if k.Kind != yaml.ScalarNode || !ok {
		hint := "known rules: " + strings.Join(RuleTypes, ", ")
		if c := suggest.Closest(k.Value, RuleTypes); c != "" {
			hint = "did you mean `" + c + "`?"
		}
		d.errorf(k, hint, "unknown rule %q", k.Value)
		return Rule{}, false
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		v = &yaml.Node{Kind: yaml.MappingNode, Line: v.Line, Column: v.Column}
	}
	before := len(d.errs)
	seen := map[string]bool{}
	d.mapping(v, r.Type, allowed, func(key string, _, v *yaml.Node) {
		seen[key] = true
		what := r.Type + " " + key
		switch key {
		case "tags":
			r.Tags, r.TagPos = d.strList(v, what)
		case "allow":
			r.Allow, r.AllowPos = d.strList(v, what)
		case "kinds":
			kinds, poss := d.strList(v, what)
			for i, s := range kinds {
				kind := model.Kind(s)
				if !kind.Valid() {
					names := make([]string, len(model.Kinds))
					for j, k := range model.Kinds {
						names[j] = string(k)
					}
					hint := "known kinds: " + strings.Join(names, ", ")
					if c := suggest.Closest(s, names); c != "" {
						hint = "did you mean `" + c + "`?"
					}
					d.errs = append(d.errs, &ingest.Error{Pos: poss[i], Msg: fmt.Sprintf("%s: unknown kind %q", what, s), Hint: hint})
					continue
				}
				r.Kinds = append(r.Kinds, kind)
			}
		case "percent":
			var f float64
			if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") || v.Decode(&f) != nil {
				d.errorf(v, "", "%s: expected a number, found %s", what, ingest.Describe(v))
			} else if math.IsNaN(f) || f <= 0 || f > 100 {
				d.errorf(v, "a share of your services in percent: 50 means half", "%s %s is outside (0, 100]", what, v.Value)
			} else {
				r.Percent = f
			}
		case "days":
			var n int
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(&n) != nil {
				d.errorf(v, "", "%s: expected a whole number, found %s", what, ingest.Describe(v))
			} else if n < 1 {
				d.errorf(v, "", "%s %d: use at least 1", what, n)
			} else if n > MaxDays {
				d.errorf(v, "", "%s %d: use at most %d", what, n, MaxDays)
			} else {
				r.Days = n
			}
		case "each":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || v.Decode(&r.Each) != nil {
				d.errorf(v, "", "%s: expected true or false, found %s", what, ingest.Describe(v))
			}
		case "allow_unverified":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || v.Decode(&r.AllowUnverified) != nil {
				d.errorf(v, "", "%s: expected true or false, found %s", what, ingest.Describe(v))
			}
		}
	})
	switch {
	case r.Type == RuleMaxConcentration && !seen["percent"]:
		d.errorf(k, "e.g. `max_concentration: {tags: [tier-1], percent: 50}`", "%s: missing percent", r.Type)
	case r.Type == RuleMaxSourceAge && !seen["days"]:
		d.errorf(k, "e.g. `max_source_age: {days: 365}`", "%s: missing days", r.Type)
	}
	if r.Type == RuleMaxConcentration && len(r.Kinds) == 0 && !seen["kinds"] {
		r.Kinds = []model.Kind{model.KindProvider, model.KindRegion}
	}
	return r, len(d.errs) == before
}

// strList decodes a string or a list of strings with positions.
func (d *decoder) strList(v *yaml.Node, what string) ([]string, []model.Pos) {
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		return []string{v.Value}, []model.Pos{d.pos(v)}
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "", "%s: expected a list of strings, found %s", what, ingest.Describe(v))
		return nil, nil
	}
	var out []string
	var poss []model.Pos
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			d.errorf(item, "", "%s: expected a string, found %s", what, ingest.Describe(item))
			continue
		}
		out = append(out, item.Value)
		poss = append(poss, d.pos(item))
	}
	return out, poss
}

// sortErrors orders errors by position and message.
func sortErrors(l ingest.ErrorList) ingest.ErrorList {
	slices.SortStableFunc(l, func(a, b *ingest.Error) int {
		if c := strings.Compare(a.Pos.File, b.Pos.File); c != 0 {
			return c
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col - b.Pos.Col
		}
		return strings.Compare(a.Msg, b.Msg)
	})
	return l
}
