package model

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SchemaVersion is the model file format version this build reads
// (`depgraph: 1` at the top of every file).
const SchemaVersion = 1

// Pos is a position in an input file. Line and Col are 1-based; zero means
// unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col, leaving out the unknown parts.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Kind says what a node stands for. Kinds drive the layer names in reports
// ("region" rather than "fourth party") and the default kind of nested
// entries.
type Kind string

// The node kinds a model may use.
const (
	KindService      Kind = "service"       // one of your own services
	KindVendor       Kind = "vendor"        // a third-party company
	KindComponent    Kind = "component"     // a part of a vendor or service (an API, a console)
	KindProvider     Kind = "provider"      // a cloud or infrastructure provider as a whole
	KindRegion       Kind = "region"        // a provider's region
	KindZone         Kind = "zone"          // an availability zone inside a region
	KindCloudService Kind = "cloud-service" // a provider's service (S3 in us-east-1, a global control plane)
	KindUnknown      Kind = "unknown"       // a placeholder for hosting nobody has verified
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{KindService, KindVendor, KindComponent, KindProvider, KindRegion, KindZone, KindCloudService, KindUnknown}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Infrastructure reports whether k is a provider-side kind, named as such
// in layer reports rather than by party number.
func (k Kind) Infrastructure() bool {
	switch k {
	case KindProvider, KindRegion, KindZone, KindCloudService:
		return true
	}
	return false
}

// FeedTypes are the status feed formats a status block may name. They are
// the format names of internal/feed (a test there keeps the two in step);
// the model keeps its own copy so that loading a model does not pull in the
// feed parsers.
var FeedTypes = []string{"statuspage", "incidentio", "gcp", "aws-rss", "aws-events", "azure-rss", "rss", "atom", "slack", "upptime", "instatus"}

// Org returns the organisation of a node id: its first path segment
// ("aws" for "aws/us-east-1"). Layers count organisation boundaries.
func Org(id string) string {
	if i := strings.IndexByte(id, '/'); i >= 0 {
		return id[:i]
	}
	return id
}

// Confidence levels a catalog entry may carry, from ../shared/facts.
var Confidences = []string{"high", "medium", "low", "unknown"}

// Model is a loaded, validated model: the nodes of every file and every
// included catalog.
type Model struct {
	// Files lists the files read, in load order (catalogs included).
	Files []string
	// Nodes are all nodes, in load order.
	Nodes []*Node
	// Catalogs names the catalogs that were included, sorted.
	Catalogs []string
	// Digests are the SHA-256 digests of the files as they were read, in
	// load order (see Hash).
	Digests []FileDigest
	// Overlays are the `extend:` entries applied to nodes defined
	// elsewhere (usually catalog nodes), in load order.
	Overlays []*Overlay
}

// Overlay extends a node defined in another file without copying it: an
// `extend: ID` entry in a model's nodes list. Lists (dependencies, tags,
// aliases, sources) and meta keys are added to the node's; single values
// (status, unavailability, owner, confidence) are set where the node has
// none.
// Fields named in Replace replace the node's own instead, which needs a
// Reason.
type Overlay struct {
	// Target is the id of the node extended.
	Target string
	// Pos is where the overlay was declared.
	Pos Pos
	// Fields holds what the overlay gives, as a node (its ID, Kind, Name
	// and Parent are unused).
	Fields Node
	// Given lists the fields the overlay sets, in file order, each with
	// its position: "depends_on", "status", "tags", "aliases",
	// "unavailability", "sources", "owner", "confidence", "meta".
	Given []OverlayField
	// Replace lists the fields that replace the node's own.
	Replace []string
	// Reason says why the node's own facts are replaced.
	Reason string
	// Changes says what applying the overlay changed, in words
	// ("depends_on +aws/eu-west-1"), filled when the model loads.
	Changes []string
}

// OverlayField is one field an overlay sets.
type OverlayField struct {
	Name string
	Pos  Pos
}

// FileDigest is the digest of one loaded file.
type FileDigest struct {
	File   string
	Size   int
	SHA256 [sha256.Size]byte
}

// Hash identifies the model's inputs: "sha256:" and the hex SHA-256 of the
// files' sizes and digests in file-name order, so it changes when any
// byte of any file does, not when files load in another order. It is
// computed from what the loader actually read (the embedded catalogs, not
// files on disk that happen to share their names).
func (m *Model) Hash() string {
	ds := slices.Clone(m.Digests)
	slices.SortFunc(ds, func(a, b FileDigest) int { return strings.Compare(a.File, b.File) })
	ds = slices.CompactFunc(ds, func(a, b FileDigest) bool { return a.File == b.File })
	h := sha256.New()
	var n [8]byte
	for _, d := range ds {
		binary.BigEndian.PutUint64(n[:], uint64(d.Size))
		h.Write(n[:])
		h.Write(d.SHA256[:])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Node is one node of the model.
type Node struct {
	// ID is the unique, path-like id, e.g. "aws/us-east-1/use1-az1".
	ID string
	// Kind is what the node stands for.
	Kind Kind
	// Name is a human name; defaults to the ID.
	Name string
	// Aliases are other names the node goes by in vendors' words: legal
	// names, region codes, airport codes ("Amazon Web Services, Inc.",
	// "us-east-1", "IAD", "N. Virginia"). Imports and the diagnosis match
	// names through them; catalog lint checks that no two nodes claim one.
	Aliases []string
	// Parent is the id of the node this one was nested under, "" if none.
	Parent string
	// DependsOn lists the node's dependencies, including the implicit one
	// on its Parent.
	DependsOn []Dependency
	// Status says how the node's status feed is read; nil when it has none.
	Status *Status
	// Sources back the facts in the node (catalog entries must have one).
	Sources []Source
	// Confidence is high, medium, low or unknown ("" when not given).
	Confidence string
	// Unavailability is the probability that the node is down by itself
	// (a basic event's probability); nil when unknown.
	Unavailability *float64
	// Tags are free labels (tier-1, pci, …).
	Tags []string
	// Owner is the team or person responsible.
	Owner string
	// Meta holds free key/value data.
	Meta map[string]any
	// Origin is "catalog:NAME" for catalog nodes, the file otherwise.
	Origin string
	// Pos is where the node was declared.
	Pos Pos
}

// Dependency is one entry of a node's depends_on list: a single dependency
// (ID set) or a failover group (AnyOf set).
type Dependency struct {
	// ID is the dependency's id for a single dependency.
	ID string
	// AnyOf lists a failover group's members.
	AnyOf []string
	// Min is how many members of a failover group must work (>= 1).
	Min int
	// Impact is the share of the dependent lost when this dependency (or
	// the group) is fully down, in [0, 1]. Hard dependencies have 1. It is
	// 0 when ImpactUnknown is set.
	Impact float64
	// ImpactUnknown marks a dependency whose share nobody has published
	// (`impact: unknown`): the dependent is at risk when the dependency
	// fails, by an amount nobody can state.
	ImpactUnknown bool
	// PartOf marks the implicit dependency of a nested node on its parent.
	PartOf bool
	// Pos is where the entry was declared.
	Pos Pos
	// MemberPos holds the positions of AnyOf members, index for index.
	MemberPos []Pos
	// Sources back this dependency in particular (its existence and its
	// share); empty when it rests on its node's sources. A share strictly
	// between 0 and 1 must have one (catalog lint).
	Sources []Source
}

// Basis returns the sources dependency d of node n rests on: its own
// when it has some, else the node's.
func (d Dependency) Basis(n *Node) []Source {
	if len(d.Sources) > 0 {
		return d.Sources
	}
	return n.Sources
}

// ImpactText writes d's impact the way the model spells it: "unknown" for
// `impact: unknown`, else the number in the shortest form (%g).
func (d Dependency) ImpactText() string {
	if d.ImpactUnknown {
		return "unknown"
	}
	return strconv.FormatFloat(d.Impact, 'g', -1, 64)
}

// IsGroup reports whether d is a failover group.
func (d Dependency) IsGroup() bool { return len(d.AnyOf) > 0 }

// Targets returns the ids d points at: the single id or the group members.
func (d Dependency) Targets() []string {
	if d.IsGroup() {
		return d.AnyOf
	}
	return []string{d.ID}
}

// Status says how a node's status feed is read.
type Status struct {
	// Type is a feed format name (see internal/feed.Formats).
	Type string
	// URL is the feed's address or the page's base address.
	URL string
	// Components are the feed's component names that stand for this node.
	Components []string
	// Locations are the feed's regions or zones that stand for this node.
	Locations []string
	// Maintenance is the impairment given to the node while under planned
	// maintenance; nil means the default.
	Maintenance *float64
	// HostedOn names the nodes the status page itself runs on: when they
	// fail, the page's silence proves nothing (a status site on the same
	// cloud as the service showed "no incidents" during Heroku's 2025-06-10
	// outage).
	HostedOn []string
	// HostedOnPos holds the positions of HostedOn, index for index.
	HostedOnPos []Pos
	// Pos is where the block was declared.
	Pos Pos
}

// Source is where a fact came from. Its facts are as old as AsOf: the date
// the source itself states (Published) when it states one, else the day
// it was read (Read). A source nobody has read (a list compiled from
// memory) has no date and is Unverified.
type Source struct {
	// URL is the address (or repo:path) of the source.
	URL string
	// AsOf is the date the facts hold as of, YYYY-MM-DD: the source's own
	// date when it states one, else the day it was read; "" for an
	// unverified source. It defaults to Published, then to Read.
	AsOf string
	// Published is the date the source itself states (published or last
	// updated), "" when it states none or it was not recorded.
	Published string
	// Read is the day the source was actually read, "" when not recorded.
	Read string
	// Unverified marks a source nobody has read for this fact
	// (`verified: false`): a list compiled from memory or from notes.
	Unverified bool
	// Note says what the source shows.
	Note string
	// Pos is where the source was declared.
	Pos Pos
}

// The tags that put a node on a control plane or a data plane, and the
// planes PlaneOf returns.
const (
	TagControlPlane = "control-plane"
	TagDataPlane    = "data-plane"
	PlaneControl    = "control"
	PlaneData       = "data"
)

// PlaneOf says which plane a node is on: PlaneControl when it is tagged
// control-plane or its id's last segment is "control-plane" (the catalogs'
// convention: heroku/control-plane), PlaneData when it is tagged
// data-plane, "" otherwise. A control-plane failure means you can't
// deploy, scale or change configuration; a data-plane failure means what
// is running stops serving.
func PlaneOf(n *Node) string {
	switch {
	case slices.Contains(n.Tags, TagControlPlane):
		return PlaneControl
	case slices.Contains(n.Tags, TagDataPlane):
		return PlaneData
	case n.ID == TagControlPlane || strings.HasSuffix(n.ID, "/"+TagControlPlane):
		return PlaneControl
	}
	return ""
}

// Index maps ids to nodes.
func (m *Model) Index() map[string]*Node {
	idx := make(map[string]*Node, len(m.Nodes))
	for _, n := range m.Nodes {
		idx[n.ID] = n
	}
	return idx
}
