package importer

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/depgraph/depgraph/internal/model"
)

// SubprocessorOptions says whose list is read and what it maps onto.
type SubprocessorOptions struct {
	// Vendor is the id of the vendor that published the list.
	Vendor string
	// Source is the list's address; "" when not given.
	Source string
	// AsOf is the date the list states (or the day it was read),
	// YYYY-MM-DD; "" when not known.
	AsOf string
	// Known are the nodes entities are mapped onto (the catalogs' nodes):
	// by id, name and aliases.
	Known []*model.Node
}

// SubprocessorRow is one entity of a sub-processor list.
type SubprocessorRow struct {
	// Name is the entity as the list names it.
	Name string `json:"name"`
	// MappedTo is the known node it is, nil when none matched.
	MappedTo *string `json:"mapped_to"`
	// Purpose is what the vendor uses it for, "" when the list does not
	// say.
	Purpose string `json:"purpose"`
	// Locations are where it processes data, as the list says.
	Locations []string `json:"locations"`
	// Node is the id the model gives it: MappedTo, or a new node's.
	Node string `json:"-"`
	// Pos is where the row is.
	Pos model.Pos `json:"-"`
}

// SubprocessorResult is an imported sub-processor list.
type SubprocessorResult struct {
	// File is the list's name.
	File string
	// Options are the options it was read with.
	Options SubprocessorOptions
	// Rows are the list's entities in list order, one per distinct name.
	Rows []SubprocessorRow
	// VendorKnown is set when Vendor is one of the known nodes: the model
	// then extends it (an overlay) instead of defining it.
	VendorKnown bool
	// Includes are the catalogs the mapped nodes come from, sorted.
	Includes []string
	// Warnings are problems that did not stop the import.
	Warnings []string

	vendor *model.Node // the known vendor node, when VendorKnown
}

// Column names that identify a sub-processor table's columns, matched as
// words of the normalised header (see columnKind).
var (
	entityWords   = []string{"sub-processor", "subprocessor", "sub processor", "subprocessors", "entity", "name", "supplier", "vendor", "company", "provider", "third party", "processor", "organisation", "organization"}
	purposeWords  = []string{"purpose", "function", "service", "services", "processing", "description", "activity", "activities", "nature", "role"}
	locationWords = []string{"location", "locations", "country", "countries", "region", "regions", "jurisdiction", "headquarters", "address", "where"}
)

// columnKind classifies a header cell as "entity", "purpose", "location"
// or "". Location and purpose words win over entity words ("Entity
// Country" is a location, "Processing Purpose" a purpose).
func columnKind(h string) string {
	h = " " + strings.Join(strings.FieldsFunc(strings.ToLower(h), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '-')
	}), " ") + " "
	has := func(words []string) bool {
		for _, w := range words {
			if strings.Contains(h, " "+w+" ") {
				return true
			}
		}
		return false
	}
	switch {
	case has(locationWords):
		return "location"
	case has(purposeWords):
		return "purpose"
	case has(entityWords):
		return "entity"
	}
	return ""
}

// Subprocessors reads one vendor's published sub-processor list (CSV,
// TSV, a Markdown table or an HTML page with <table>s) and maps each
// entity onto a known node by name and aliases. Every table whose header
// has an entity column is read; the first purpose and location columns
// are used.
func Subprocessors(in Input, opts SubprocessorOptions) (*SubprocessorResult, error) {
	var e errs
	if !idPattern(opts.Vendor) {
		e.add(model.Pos{}, "a vendor id such as `zed` or `acme/payments`", "--vendor %q is not a valid id", opts.Vendor)
		return nil, e.list
	}
	tables, err := readTables(in.Name, in.Data)
	if err != nil {
		e.add(model.Pos{File: in.Name}, "", "%v", err)
		return nil, e.list
	}
	res := &SubprocessorResult{File: in.Name, Options: opts}
	idx := newNameIndex(opts.Known)
	res.vendor = idx.byID[opts.Vendor]
	res.VendorKnown = res.vendor != nil
	seen := map[string]bool{}
	read := 0
	for _, t := range tables {
		ent, pur, loc := -1, -1, -1
		for i, h := range t.header {
			switch columnKind(h) {
			case "entity":
				if ent < 0 {
					ent = i
				}
			case "purpose":
				if pur < 0 {
					pur = i
				}
			case "location":
				if loc < 0 {
					loc = i
				}
			}
		}
		if ent < 0 {
			continue
		}
		read++
		for _, row := range t.rows {
			at := func(i int) string {
				if i < 0 || i >= len(row) {
					return ""
				}
				return row[i].text
			}
			name := strings.ReplaceAll(at(ent), "\n", " ")
			if name == "" || strings.Trim(name, "-–— ") == "" {
				continue
			}
			key := strings.ToLower(name)
			if seen[key] {
				continue // the same entity listed for several purposes
			}
			seen[key] = true
			r := SubprocessorRow{Name: name, Purpose: strings.ReplaceAll(at(pur), "\n", "; "), Locations: splitLocations(at(loc)), Pos: model.Pos{File: in.Name, Line: row[min(ent, len(row)-1)].line}}
			if id, why := idx.match(name); id == opts.Vendor {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %q is %s itself: left out", r.Pos, name, id))
				continue
			} else if id != "" {
				r.MappedTo, r.Node = &id, id
			} else if why != "" {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %q not mapped: %s", r.Pos, name, why))
			}
			res.Rows = append(res.Rows, r)
		}
	}
	if read == 0 {
		e.add(model.Pos{File: in.Name}, "the list needs a header naming the entity column (Sub-processor, Entity, Name, Vendor, …)", "no sub-processor table found")
		return nil, e.list
	}
	if len(res.Rows) == 0 {
		e.add(model.Pos{File: in.Name}, "", "the sub-processor table has no rows")
		return nil, e.list
	}
	res.assignIDs(idx)
	return res, nil
}

// splitLocations splits a location cell: an address written over several
// lines gives its last line (the country); otherwise the cell is split at
// commas, semicolons, slashes and " and ".
func splitLocations(s string) []string {
	if s == "" {
		return []string{}
	}
	if lines := strings.Split(s, "\n"); len(lines) > 1 {
		return []string{strings.TrimRight(lines[len(lines)-1], ",. ")}
	}
	var out []string
	for _, p := range locationSep.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

var locationSep = regexp.MustCompile(`\s*(?:[,;/]|\band\b)\s*`)

// assignIDs gives each unmapped entity a new node id: its name as an id
// segment, made unique against the known ids and each other.
func (r *SubprocessorResult) assignIDs(idx *nameIndex) {
	used := map[string]bool{r.Options.Vendor: true}
	for _, row := range r.Rows {
		if row.MappedTo != nil {
			used[row.Node] = true
		}
	}
	cats := map[string]bool{}
	for i := range r.Rows {
		row := &r.Rows[i]
		if row.MappedTo != nil {
			if n := idx.byID[row.Node]; n != nil {
				if name, ok := strings.CutPrefix(n.Origin, "catalog:"); ok {
					cats[name] = true
				}
			}
			continue
		}
		base := slug(row.Name)
		if base == "" {
			base = "subprocessor"
		}
		id := base
		for k := 2; used[id] || idx.byID[id] != nil; k++ {
			id = fmt.Sprintf("%s-%d", base, k)
		}
		used[id] = true
		row.Node = id
	}
	if r.vendor != nil {
		if name, ok := strings.CutPrefix(r.vendor.Origin, "catalog:"); ok {
			cats[name] = true
		}
	}
	for c := range cats {
		r.Includes = append(r.Includes, c)
	}
	slices.Sort(r.Includes)
}

// nameIndex finds known nodes by normalised id, name and alias.
type nameIndex struct {
	byID  map[string]*model.Node
	byKey map[string][]string // normalised name → node ids
}

func newNameIndex(nodes []*model.Node) *nameIndex {
	x := &nameIndex{byID: map[string]*model.Node{}, byKey: map[string][]string{}}
	add := func(key, id string) {
		if key = normName(key); key != "" && !slices.Contains(x.byKey[key], id) {
			x.byKey[key] = append(x.byKey[key], id)
		}
	}
	for _, n := range nodes {
		x.byID[n.ID] = n
		if n.Parent == "" { // organisations: by id and name
			add(n.ID, n.ID)
			add(n.Name, n.ID)
		}
		for _, a := range n.Aliases {
			add(a, n.ID)
		}
	}
	return x
}

// match finds the node an entity name stands for: the whole name, else
// each part in or outside parentheses ("Amazon Web Services (AWS)"). It
// returns "" and a reason when the name matches several nodes.
func (x *nameIndex) match(name string) (id, why string) {
	candidates := []string{name}
	if open := strings.IndexByte(name, '('); open > 0 {
		if end := strings.IndexByte(name[open:], ')'); end > 0 {
			candidates = append(candidates, name[:open], name[open+1:open+end])
		}
	}
	for _, c := range candidates {
		ids := x.byKey[normName(c)]
		switch len(ids) {
		case 0:
			continue
		case 1:
			return ids[0], ""
		default:
			return "", "it matches " + strings.Join(ids, ", ")
		}
	}
	return "", ""
}

// legalWords are dropped from names before matching ("Amazon Web
// Services, Inc." matches "Amazon Web Services").
var legalWords = map[string]bool{"inc": true, "incorporated": true, "llc": true, "ltd": true, "limited": true, "gmbh": true,
	"corp": true, "corporation": true, "co": true, "company": true, "plc": true, "sa": true, "ag": true, "bv": true, "nv": true,
	"sarl": true, "sas": true, "srl": true, "sro": true, "as": true, "ab": true, "oy": true, "aps": true, "pty": true, "pte": true,
	"kk": true, "llp": true, "lp": true, "se": true, "spa": true, "the": true}

// normName lower-cases a name, turns '&' into "and", drops punctuation
// and legal-form words, and collapses spaces.
func normName(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	out := words[:0]
	for _, w := range words {
		if !legalWords[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// WriteYAML writes the list as a model file: the vendor (defined, or
// extended when it is a known node) depends on every sub-processor with
// an unknown share; mapped entities are the catalogs' nodes (included),
// the others new vendors of low confidence. The list is the source of
// every edge, and each entity's purpose and locations are kept in the
// vendor's meta.subprocessors.
func (r *SubprocessorResult) WriteYAML(w io.Writer) error {
	o := r.Options
	mapped := 0
	for _, row := range r.Rows {
		if row.MappedTo != nil {
			mapped++
		}
	}
	from := r.File
	if o.Source != "" {
		from += " (" + o.Source + ")"
	}
	asOf := o.AsOf
	if asOf == "" {
		asOf = "date unknown"
	}
	header := []string{
		fmt.Sprintf("Imported by `depgraph import subprocessors` from %s, %s.", from, asOf),
		fmt.Sprintf("%d sub-processors of %s: %d mapped to catalog nodes, %d new (confidence: low).", len(r.Rows), o.Vendor, mapped, len(r.Rows)-mapped),
		"Every edge is of unknown share (impact: unknown): the list says who processes data,",
		"not how much of the service fails with them. Refine what you know, then check with",
		"`depgraph validate -m FILE`.",
	}
	var src []model.Source
	if o.Source != "" {
		src = []model.Source{{URL: o.Source, AsOf: o.AsOf, Note: "sub-processor list of " + o.Vendor}}
	}
	vendor := &model.Node{ID: o.Vendor, Kind: model.KindVendor, Sources: src}
	var subs []any
	var nodes []*model.Node
	for _, row := range r.Rows {
		if r.vendor == nil || !slices.ContainsFunc(r.vendor.DependsOn, func(d model.Dependency) bool { return slices.Contains(d.Targets(), row.Node) }) {
			vendor.DependsOn = append(vendor.DependsOn, model.Dependency{ID: row.Node, ImpactUnknown: true})
		}
		entry := mapping(pair("name", str(row.Name)), pair("node", str(row.Node)))
		if row.Purpose != "" {
			entry.Content = append(entry.Content, str("purpose"), str(row.Purpose))
		}
		if len(row.Locations) > 0 {
			entry.Content = append(entry.Content, str("locations"), strList(row.Locations, true))
		}
		subs = append(subs, entry)
		if row.MappedTo == nil {
			meta := map[string]any{}
			if row.Purpose != "" {
				meta["purpose"] = row.Purpose
			}
			if len(row.Locations) > 0 {
				meta["locations"] = row.Locations
			}
			n := &model.Node{ID: row.Node, Kind: model.KindVendor, Name: row.Name, Confidence: "low", Meta: meta}
			if o.Source != "" {
				n.Sources = []model.Source{{URL: o.Source, AsOf: o.AsOf, Note: "named in the sub-processor list of " + o.Vendor}}
			}
			nodes = append(nodes, n)
		}
	}
	vendor.Meta = map[string]any{"subprocessors": subs}
	var vendorYAML *yaml.Node
	var err error
	if r.VendorKnown {
		vendorYAML, err = overlayYAML(vendor)
	} else {
		vendorYAML, err = nodeYAML(vendor)
	}
	if err != nil {
		return err
	}
	rest := make([]*yaml.Node, 0, len(nodes))
	for _, n := range nodes {
		m, err := nodeYAML(n)
		if err != nil {
			return err
		}
		rest = append(rest, m)
	}
	return writeFile(w, header, r.Includes, append([]*yaml.Node{vendorYAML}, rest...))
}

// overlayYAML writes n as an `extend:` entry adding its dependencies,
// sources and meta to the known node of the same id.
func overlayYAML(n *model.Node) (*yaml.Node, error) {
	m, err := nodeYAML(n)
	if err != nil {
		return nil, err
	}
	out := mapping(pair("extend", str(n.ID)))
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch m.Content[i].Value {
		case "depends_on", "sources", "meta":
			out.Content = append(out.Content, m.Content[i], m.Content[i+1])
		}
	}
	return out, nil
}

// JSONReport is `import subprocessors --json`'s output.
type JSONReport struct {
	// SchemaVersion is 1.
	SchemaVersion int `json:"schema_version"`
	// Vendor is the vendor whose list it is.
	Vendor string `json:"vendor"`
	// Rows are the list's entities.
	Rows []SubprocessorRow `json:"rows"`
}

// Report returns the JSON form of the result.
func (r *SubprocessorResult) Report() JSONReport {
	return JSONReport{SchemaVersion: 1, Vendor: r.Options.Vendor, Rows: r.Rows}
}
