package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/model"
)

// cdxOrg is a CycloneDX organizationalEntity.
type cdxOrg struct {
	Name string   `json:"name"`
	URL  []string `json:"url"`
}

type cdxProperty struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type cdxComponent struct {
	BOMRef       string         `json:"bom-ref"`
	Type         string         `json:"type"`
	Name         string         `json:"name"`
	Group        string         `json:"group"`
	Version      string         `json:"version"`
	Description  string         `json:"description"`
	Publisher    string         `json:"publisher"`
	Supplier     *cdxOrg        `json:"supplier"`
	Manufacturer *cdxOrg        `json:"manufacturer"`
	Components   []cdxComponent `json:"components"`
}

type cdxService struct {
	BOMRef        string        `json:"bom-ref"`
	Provider      *cdxOrg       `json:"provider"`
	Group         string        `json:"group"`
	Name          string        `json:"name"`
	Version       string        `json:"version"`
	Description   string        `json:"description"`
	Endpoints     []string      `json:"endpoints"`
	Authenticated *bool         `json:"authenticated"`
	TrustBoundary *bool         `json:"x-trust-boundary"`
	TrustZone     string        `json:"trustZone"`
	Data          []cdxData     `json:"data"`
	Properties    []cdxProperty `json:"properties"`
	Tags          []string      `json:"tags"`
	Services      []cdxService  `json:"services"`
}

type cdxData struct {
	Classification string `json:"classification"`
	Flow           string `json:"flow"`
}

type cdxBOM struct {
	BOMFormat    string `json:"bomFormat"`
	SpecVersion  string `json:"specVersion"`
	SerialNumber string `json:"serialNumber"`
	Version      int    `json:"version"`
	Metadata     *struct {
		Component    *cdxComponent `json:"component"`
		Manufacturer *cdxOrg       `json:"manufacturer"`
		Manufacture  *cdxOrg       `json:"manufacture"` // 1.2–1.5 name
		Supplier     *cdxOrg       `json:"supplier"`
	} `json:"metadata"`
	Components   []cdxComponent `json:"components"`
	Services     []cdxService   `json:"services"`
	Dependencies []struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	} `json:"dependencies"`
}

// cdxSpecVersions are the specification versions read.
var cdxSpecVersions = []string{"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}

// cdxEntry is one imported BOM element.
type cdxEntry struct {
	ref    string // bom-ref
	path   string // JSON path, for messages
	org    string
	name   string
	kind   model.Kind
	node   *model.Node
	svc    *cdxService // nil for components
	parent *cdxEntry
	// thirdParty marks a nested service across a trust boundary: a node
	// of its own organisation (org is its name), kind vendor.
	thirdParty bool
}

// CycloneDX imports CycloneDX JSON BOMs. See the package documentation
// for the mapping. Several files are imported side by side; bom-refs are
// scoped to their file. On failure the error is an ingest.ErrorList.
func CycloneDX(inputs []Input, opts Options) (*Result, error) {
	res := &Result{Format: "cyclonedx"}
	var e, warns errs
	if opts.Org != "" && !idSegment.MatchString(opts.Org) {
		e.add(model.Pos{}, "an organisation is one id segment: letters, digits, '.', '_' and '-'", "invalid organisation %q", opts.Org)
	}
	ids := map[string]string{} // node id → file:path that took it
	for _, in := range inputs {
		res.Files = append(res.Files, in.Name)
		res.Nodes = append(res.Nodes, cdxImport(in, opts, ids, &e, &warns)...)
	}
	if len(e.list) > 0 {
		return nil, sorted(e.list)
	}
	sortNodes(res.Nodes)
	res.Warnings = sorted(warns.list)
	return res, nil
}

// cdxImport imports one BOM.
func cdxImport(in Input, opts Options, ids map[string]string, e, warns *errs) []*model.Node {
	file := model.Pos{File: in.Name}
	if t := bytes.TrimLeft(in.Data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '<' {
		e.add(file, "convert it first, e.g. `cyclonedx convert --input-file bom.xml --output-format json`", "CycloneDX XML is not read; use the JSON form")
		return nil
	}
	var bom cdxBOM
	dec := json.NewDecoder(bytes.NewReader(in.Data))
	if err := dec.Decode(&bom); err != nil {
		e.add(file, "", "invalid CycloneDX JSON: %v", err)
		return nil
	}
	if bom.BOMFormat != "CycloneDX" {
		e.add(file, "a CycloneDX JSON BOM has `\"bomFormat\": \"CycloneDX\"`", "not a CycloneDX BOM: bomFormat %q", bom.BOMFormat)
		return nil
	}
	if !slices.Contains(cdxSpecVersions, bom.SpecVersion) {
		warns.add(file, "", "specVersion %q: read as 1.6", bom.SpecVersion)
	}
	own := cdxOwnOrg(&bom, opts)
	byRef := map[string]*cdxEntry{}
	var entries []*cdxEntry
	addEntry := func(en *cdxEntry) {
		if en.ref == "" {
			en.ref = "#" + en.path // unreferenced; still imported
		}
		if first, dup := byRef[en.ref]; dup {
			e.add(file, "", "%s: bom-ref %q already used at %s", en.path, en.ref, first.path)
			return
		}
		byRef[en.ref] = en
		entries = append(entries, en)
	}
	// The trust zones each provider's own services are in.
	zones := map[string]map[string]bool{}
	var collect func(ss []cdxService)
	collect = func(ss []cdxService) {
		for i := range ss {
			if p := ss[i].Provider; p != nil && slug(p.Name) != "" && ss[i].TrustZone != "" {
				if zones[slug(p.Name)] == nil {
					zones[slug(p.Name)] = map[string]bool{}
				}
				zones[slug(p.Name)][ss[i].TrustZone] = true
			}
			collect(ss[i].Services)
		}
	}
	collect(bom.Services)
	var walk func(ss []cdxService, parent *cdxEntry, path string)
	walk = func(ss []cdxService, parent *cdxEntry, path string) {
		for i := range ss {
			s := &ss[i]
			p := fmt.Sprintf("%s[%d]", path, i)
			en := &cdxEntry{ref: s.BOMRef, path: p, name: s.Name, kind: model.KindComponent, svc: s, parent: parent}
			switch {
			case s.Provider != nil && slug(s.Provider.Name) != "":
				en.org = slug(s.Provider.Name)
			case parent != nil && cdxCrosses(s, zones[parent.org]):
				// A nested service across a trust boundary (Amazon S3
				// under a SaaS) is a third party, not a part of the
				// enclosing organisation: its own top-level node.
				en.org, en.thirdParty, en.kind = cmpOr(slug(s.Name), "service"), true, model.KindVendor
			case parent != nil:
				en.org = parent.org
			default:
				en.org = own
			}
			if s.Name == "" {
				e.add(file, "", "%s: service without a name (required)", p)
				continue
			}
			addEntry(en)
			walk(s.Services, en, p+".services")
		}
	}
	walk(bom.Services, nil, "services")
	isService := map[string]bool{}
	for _, en := range entries {
		isService[en.ref] = true
	}
	// Components enter when the dependency graph links them with a service.
	linked := map[string]bool{}
	for _, d := range bom.Dependencies {
		for _, t := range d.DependsOn {
			t = cdxLocalRef(t)
			if isService[t] {
				linked[d.Ref] = true
			}
			if isService[d.Ref] {
				linked[t] = true
			}
		}
	}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		c := bom.Metadata.Component
		addEntry(&cdxEntry{ref: c.BOMRef, path: "metadata.component", name: c.Name, kind: model.KindService, org: cdxComponentOrg(c, own)})
	}
	components := map[string]bool{} // every component's bom-ref
	var walkC func(cs []cdxComponent, path string)
	walkC = func(cs []cdxComponent, path string) {
		for i := range cs {
			c := &cs[i]
			p := fmt.Sprintf("%s[%d]", path, i)
			components[c.BOMRef] = true
			if c.BOMRef != "" && linked[c.BOMRef] && c.Name != "" {
				kind := model.KindComponent
				if c.Type == "application" {
					kind = model.KindService
				}
				addEntry(&cdxEntry{ref: c.BOMRef, path: p, name: c.Name, kind: kind, org: cdxComponentOrg(c, own)})
			}
			walkC(c.Components, p+".components")
		}
	}
	walkC(bom.Components, "components")

	// Ids.
	for _, en := range entries {
		id := ""
		if en.svc != nil && cdxProp(en.svc, "kind") != "" && idPattern(en.ref) {
			id = en.ref // a depgraph export: keep its ids
		}
		if id == "" && en.thirdParty {
			id = cmpOr(slug(en.name), slug(en.ref), "service")
			for k := 2; ids[id] != ""; k++ {
				id = fmt.Sprintf("%s-%d", cmpOr(slug(en.name), "service"), k)
			}
		}
		if id == "" {
			id = en.org + "/" + cmpOr(slug(en.name), slug(en.ref), "service")
			if _, taken := ids[id]; taken {
				if alt := en.org + "/" + slug(en.ref); slug(en.ref) != "" {
					id = alt
				}
			}
			for k := 2; ; k++ {
				if _, taken := ids[id]; !taken {
					break
				}
				id = fmt.Sprintf("%s/%s-%d", en.org, cmpOr(slug(en.name), "service"), k)
			}
		} else if first, taken := ids[id]; taken {
			e.add(file, "", "%s: id %q already taken by %s", en.path, id, first)
			continue
		}
		ids[id] = in.Name + ":" + en.path
		en.node = cdxNode(en, id)
	}

	// Dependencies.
	var refs []string
	for r := range byRef {
		refs = append(refs, r)
	}
	slices.Sort(refs)
	for i, d := range bom.Dependencies {
		p := fmt.Sprintf("dependencies[%d]", i)
		from := byRef[cdxLocalRef(d.Ref)]
		if from == nil || from.node == nil {
			if d.Ref == "" {
				e.add(file, "", "%s: dependency without a ref", p)
			}
			continue // the software part of the BOM: components among themselves
		}
		var weighted []model.Dependency
		if from.svc != nil {
			weighted = cdxSemantics(from.svc, from.node, ids)
		}
		for k, t := range d.DependsOn {
			to := byRef[cdxLocalRef(t)]
			switch {
			case to != nil && to.node != nil:
				if !slices.ContainsFunc(weighted, func(w model.Dependency) bool { return slices.Contains(w.Targets(), to.node.ID) }) {
					addDep(from.node, to.node.ID, model.Pos{File: in.Name})
				}
			case to == nil && !components[cdxLocalRef(t)]:
				if opts.Placeholders {
					id := own + "/" + cmpOr(slug(t), "unknown")
					if _, taken := ids[id]; !taken {
						ids[id] = in.Name + ":" + p
						entries = append(entries, &cdxEntry{node: &model.Node{ID: id, Kind: model.KindUnknown, Name: t, Meta: map[string]any{"cyclonedx_bom_ref": t, "placeholder": "referenced in dependencies but defined nowhere in the BOM"}}})
						warns.add(file, "", "%s.dependsOn[%d]: unknown bom-ref %q: added as a placeholder node %s of kind unknown", p, k, t, id)
					}
					addDep(from.node, id, model.Pos{File: in.Name})
					continue
				}
				e.add(file, didYouMean(t, refs), "%s.dependsOn[%d]: unknown bom-ref %q", p, k, t)
			}
		}
		for _, w := range weighted {
			if !slices.ContainsFunc(from.node.DependsOn, func(x model.Dependency) bool { return slices.Equal(x.Targets(), w.Targets()) }) {
				from.node.DependsOn = append(from.node.DependsOn, w)
			}
		}
	}
	var out []*model.Node
	for _, en := range entries {
		if en.node != nil {
			out = append(out, en.node)
		}
	}
	return out
}

// cdxCrosses reports whether a nested service without a provider lies
// across a trust boundary from the organisation it is nested in: it says
// so (x-trust-boundary), or names a trust zone that none of that
// organisation's own services is in (S3 in "Public Internet" under Acme's
// services in "Acme Public Zone" and "Acme Private Zone").
func cdxCrosses(s *cdxService, orgZones map[string]bool) bool {
	if s.TrustBoundary != nil && *s.TrustBoundary {
		return true
	}
	return s.TrustZone != "" && len(orgZones) > 0 && !orgZones[s.TrustZone]
}

// cdxOwnOrg picks your own organisation (see the package documentation).
func cdxOwnOrg(bom *cdxBOM, opts Options) string {
	if opts.Org != "" {
		return opts.Org
	}
	if m := bom.Metadata; m != nil {
		for _, o := range []*cdxOrg{m.Manufacturer, m.Manufacture, m.Supplier} {
			if o != nil && slug(o.Name) != "" {
				return slug(o.Name)
			}
		}
		if c := m.Component; c != nil {
			for _, o := range []*cdxOrg{c.Manufacturer, c.Supplier} {
				if o != nil && slug(o.Name) != "" {
					return slug(o.Name)
				}
			}
		}
	}
	provider := ""
	for _, s := range bom.Services {
		if s.Provider == nil || slug(s.Provider.Name) == "" {
			continue
		}
		if provider != "" && provider != slug(s.Provider.Name) {
			return "bom"
		}
		provider = slug(s.Provider.Name)
	}
	return cmpOr(provider, "bom")
}

// cdxComponentOrg is a component's organisation: its manufacturer,
// supplier or publisher, else own.
func cdxComponentOrg(c *cdxComponent, own string) string {
	for _, o := range []*cdxOrg{c.Manufacturer, c.Supplier} {
		if o != nil && slug(o.Name) != "" {
			return slug(o.Name)
		}
	}
	return cmpOr(slug(c.Publisher), own)
}

// cdxNode maps one entry to a node.
func cdxNode(en *cdxEntry, id string) *model.Node {
	n := &model.Node{ID: id, Kind: en.kind, Name: en.name, Meta: map[string]any{}}
	if !strings.HasPrefix(en.ref, "#") {
		n.Meta["cyclonedx_bom_ref"] = en.ref
	}
	s := en.svc
	if s == nil {
		return n
	}
	if k := model.Kind(cdxProp(s, "kind")); k.Valid() {
		n.Kind = k
	}
	n.Owner = cdxProp(s, "owner")
	n.Confidence = cdxProp(s, "confidence")
	if !slices.Contains(model.Confidences, n.Confidence) {
		n.Confidence = ""
	}
	if u, err := strconv.ParseFloat(cdxProp(s, "unavailability"), 64); err == nil && u >= 0 && u <= 1 {
		n.Unavailability = &u
	}
	n.Tags = slices.Clone(s.Tags)
	if cdxProp(s, "kind") != "" {
		n.Meta = map[string]any{} // a depgraph export: the id is the bom-ref
	}
	set := func(k string, v any) {
		switch x := v.(type) {
		case string:
			if x == "" {
				return
			}
		case []string:
			if len(x) == 0 {
				return
			}
			v = slices.Clone(x)
		}
		n.Meta[k] = v
	}
	if s.Provider != nil {
		set("provider", s.Provider.Name)
	}
	set("group", s.Group)
	set("version", s.Version)
	set("description", s.Description)
	set("endpoints", s.Endpoints)
	set("trust_zone", s.TrustZone)
	if s.TrustBoundary != nil {
		n.Meta["trust_boundary"] = *s.TrustBoundary
	}
	var classes []string
	for _, d := range s.Data {
		if d.Classification != "" && !slices.Contains(classes, d.Classification) {
			classes = append(classes, d.Classification)
		}
	}
	set("data_classification", classes)
	if en.parent != nil && en.parent.node != nil {
		set("part_of", en.parent.node.ID)
	}
	if len(n.Meta) == 0 {
		n.Meta = nil
	}
	return n
}

// cdxProp returns the value of the depgraph:NAME property, "" if absent.
func cdxProp(s *cdxService, name string) string {
	for _, p := range s.Properties {
		if p.Name == "depgraph:"+name {
			return p.Value
		}
	}
	return ""
}

// cdxSemantics reads back the failover groups and impacts a depgraph
// export keeps in properties ("min 1 of a, b[, impact 0.5]", "a 0.3",
// "a unknown" for `impact: unknown`).
// Entries naming unknown ids are dropped (the plain dependency stays).
func cdxSemantics(s *cdxService, n *model.Node, ids map[string]string) []model.Dependency {
	var out []model.Dependency
	known := func(id string) bool { _, ok := ids[id]; return ok }
	for _, p := range s.Properties {
		switch p.Name {
		case "depgraph:failover":
			rest, ok := strings.CutPrefix(p.Value, "min ")
			num, rest, ok2 := strings.Cut(rest, " of ")
			k, err := strconv.Atoi(num)
			if !ok || !ok2 || err != nil {
				continue
			}
			impact, unknown := 1.0, false
			if before, imp, found := strings.Cut(rest, ", impact "); found {
				if imp == "unknown" {
					rest, impact, unknown = before, 0, true
				} else if f, err := strconv.ParseFloat(imp, 64); err == nil && f >= 0 && f <= 1 {
					rest, impact = before, f
				}
			}
			members := strings.Split(rest, ", ")
			if k < 1 || k > len(members) || !allFunc(members, known) || slices.Contains(members, n.ID) {
				continue
			}
			out = append(out, model.Dependency{AnyOf: members, Min: k, Impact: impact, ImpactUnknown: unknown, MemberPos: make([]model.Pos, len(members))})
		case "depgraph:impact":
			id, imp, ok := strings.Cut(p.Value, " ")
			if ok && imp == "unknown" && known(id) && id != n.ID {
				out = append(out, model.Dependency{ID: id, ImpactUnknown: true})
				continue
			}
			f, err := strconv.ParseFloat(imp, 64)
			if ok && err == nil && f >= 0 && f <= 1 && known(id) && id != n.ID {
				out = append(out, model.Dependency{ID: id, Impact: f})
			}
		}
	}
	return out
}

func allFunc(s []string, f func(string) bool) bool {
	for _, x := range s {
		if !f(x) {
			return false
		}
	}
	return true
}

// cdxLocalRef strips a BOM-Link prefix ("urn:cdx:SERIAL/VERSION#ref").
func cdxLocalRef(ref string) string {
	if strings.HasPrefix(ref, "urn:cdx:") {
		if _, after, ok := strings.Cut(ref, "#"); ok {
			return after
		}
	}
	return ref
}

// idPattern reports whether s is a valid node id.
func idPattern(s string) bool {
	for seg := range strings.SplitSeq(s, "/") {
		if !idSegment.MatchString(seg) {
			return false
		}
	}
	return s != ""
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
