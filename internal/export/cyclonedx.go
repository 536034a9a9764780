package export

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// CycloneDX format constants.
const (
	// CycloneDXSpecVersion is the specification version written.
	CycloneDXSpecVersion = "1.6"
	// CycloneDXSchema is the JSON schema the output follows.
	CycloneDXSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	// PropertyPrefix namespaces depgraph's CycloneDX properties
	// (https://cyclonedx.org/docs/1.6/json/#services_items_properties).
	PropertyPrefix = "depgraph:"
)

// cdxBOM is the part of a CycloneDX 1.6 BOM that CycloneDX writes.
type cdxBOM struct {
	Schema       string          `json:"$schema"`
	BOMFormat    string          `json:"bomFormat"`
	SpecVersion  string          `json:"specVersion"`
	SerialNumber string          `json:"serialNumber"`
	Version      int             `json:"version"`
	Metadata     cdxMetadata     `json:"metadata"`
	Services     []cdxService    `json:"services"`
	Dependencies []cdxDependency `json:"dependencies"`
}

type cdxMetadata struct {
	Tools cdxTools `json:"tools"`
}

type cdxTools struct {
	Components []cdxTool `json:"components"`
}

type cdxTool struct {
	Type        string `json:"type"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type cdxService struct {
	BOMRef             string        `json:"bom-ref"`
	Provider           *cdxOrg       `json:"provider,omitempty"`
	Name               string        `json:"name"`
	ExternalReferences []cdxExtRef   `json:"externalReferences,omitempty"`
	Properties         []cdxProperty `json:"properties,omitempty"`
	Tags               []string      `json:"tags,omitempty"`
}

type cdxOrg struct {
	Name string `json:"name"`
}

type cdxExtRef struct {
	URL     string `json:"url"`
	Comment string `json:"comment,omitempty"`
	Type    string `json:"type"`
}

type cdxProperty struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type cdxDependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn"`
}

// CycloneDX writes a CycloneDX 1.6 JSON BOM (https://cyclonedx.org/docs/1.6/json/)
// that lists every node as a service and the dependency graph under
// "dependencies".
//
// Mapping: bom-ref is the node id, name its name, provider the
// organisation (named by its root node when the model has one); a status
// feed becomes an external reference of type "other", each source one of
// type "documentation"; tags are carried as they are. CycloneDX
// dependencies have no weights or failover: dependsOn lists every distinct
// dependency, and depgraph's own semantics go into properties named
// depgraph:kind, depgraph:layer, depgraph:owner, depgraph:confidence,
// depgraph:unavailability, depgraph:parent, depgraph:failover ("min 1 of
// a, b") and depgraph:impact ("zendesk/api 0.3"). Every node appears in
// "dependencies", with an empty dependsOn when it has none, as the
// specification asks.
//
// The output has no timestamp, and the serial number is a name-based
// (version 5) UUID of the SHA-256 of the rest of the document, so the same
// model always gives the same bytes.
func CycloneDX(w io.Writer, g *graph.Graph, opts Options) error {
	bom := cdxBOM{
		Schema:      CycloneDXSchema,
		BOMFormat:   "CycloneDX",
		SpecVersion: CycloneDXSpecVersion,
		Version:     1,
		Metadata: cdxMetadata{Tools: cdxTools{Components: []cdxTool{{
			Type: "application", Name: "depgraph", Description: "fourth-party dependency model (https://github.com/depgraph/depgraph)",
		}}}},
		Services:     []cdxService{},
		Dependencies: []cdxDependency{},
	}
	for _, i := range Selected(g, opts) {
		n := g.ModelNode(i)
		bom.Services = append(bom.Services, cdxServiceOf(g, i))
		deps := []string{}
		for _, j := range g.Dependencies(i) {
			deps = append(deps, g.ModelNode(j).ID)
		}
		bom.Dependencies = append(bom.Dependencies, cdxDependency{Ref: n.ID, DependsOn: deps})
	}
	body, err := json.Marshal(bom)
	if err != nil {
		return fmt.Errorf("export: cyclonedx: %w", err)
	}
	sum := sha256.Sum256(body)
	bom.SerialNumber = "urn:uuid:" + uuidV5(namespaceURL, []byte("depgraph:cyclonedx:"+hex.EncodeToString(sum[:])))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(bom); err != nil {
		return fmt.Errorf("export: cyclonedx: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// cdxServiceOf maps one node to a CycloneDX service.
func cdxServiceOf(g *graph.Graph, i int32) cdxService {
	n := g.ModelNode(i)
	s := cdxService{BOMRef: n.ID, Name: n.Name, Provider: &cdxOrg{Name: orgName(g, model.Org(n.ID))}, Tags: n.Tags}
	if s.Name == "" {
		s.Name = n.ID
	}
	if n.Status != nil && n.Status.URL != "" {
		s.ExternalReferences = append(s.ExternalReferences, cdxExtRef{URL: n.Status.URL, Type: "other", Comment: "status feed (" + n.Status.Type + ")"})
	}
	for _, src := range n.Sources {
		if src.URL == "" {
			continue
		}
		var c []string
		if src.AsOf != "" {
			c = append(c, "as of "+src.AsOf)
		}
		if src.Note != "" {
			c = append(c, src.Note)
		}
		s.ExternalReferences = append(s.ExternalReferences, cdxExtRef{URL: src.URL, Type: "documentation", Comment: strings.Join(c, ": ")})
	}
	prop := func(name, value string) {
		if value != "" {
			s.Properties = append(s.Properties, cdxProperty{Name: PropertyPrefix + name, Value: value})
		}
	}
	prop("kind", string(n.Kind))
	prop("layer", g.Layer(i))
	prop("owner", n.Owner)
	prop("confidence", n.Confidence)
	if n.Unavailability != nil {
		prop("unavailability", formatFloat(*n.Unavailability))
	}
	prop("parent", n.Parent)
	for _, d := range n.DependsOn {
		switch {
		case d.IsGroup():
			v := fmt.Sprintf("min %d of %s", d.Min, strings.Join(d.AnyOf, ", "))
			if d.ImpactUnknown {
				v += ", impact unknown"
			} else if d.Impact < 1 {
				v += ", impact " + formatFloat(d.Impact)
			}
			prop("failover", v)
		case d.ImpactUnknown:
			prop("impact", d.ID+" unknown")
		case d.Impact < 1:
			prop("impact", d.ID+" "+formatFloat(d.Impact))
		}
	}
	slices.SortStableFunc(s.Properties, func(a, b cdxProperty) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Value, b.Value))
	})
	return s
}

// namespaceURL is RFC 9562's name space ID for URLs.
var namespaceURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuidV5 returns the name-based, SHA-1 UUID (RFC 9562 §5.5) of name in
// namespace ns. CycloneDX's schema accepts UUID versions 1 to 5 only.
func uuidV5(ns [16]byte, name []byte) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write(name)
	s := h.Sum(nil)
	s[6] = s[6]&0x0f | 0x50
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}
