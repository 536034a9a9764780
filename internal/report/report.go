package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/blast"
	"github.com/depgraph/depgraph/internal/count"
	"github.com/depgraph/depgraph/internal/domains"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/view"
)

// SchemaVersion is the version of Report's JSON form. Fields may be added
// without changing it; it changes when one changes meaning or goes away.
const SchemaVersion = 1

// Report is the risk report, computed once and rendered as HTML, Markdown
// or JSON. Every list is sorted and cut to the limits of Options; the
// counts beside a list give its full length.
type Report struct {
	// SchemaVersion is SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Generated says when and from which model the report was made.
	Generated Generated `json:"generated"`
	// Summary is the one-minute read.
	Summary Summary `json:"summary"`
	// Services holds one section per service of yours, worst first.
	Services []Service `json:"services"`
	// Concentration lists the providers, regions, zones, cloud services
	// and vendors the most of your services sit on, most first.
	Concentration Concentration `json:"concentration"`
	// Stale lists the sources older than the threshold.
	Stale Stale `json:"stale"`
	// Picture is what the graph picture draws.
	Picture Picture `json:"picture"`
	// Timeline is the incident history per node; nil when the report was
	// made without an incident store.
	Timeline *Timeline `json:"timeline"`
	// TimelineNote says why there is no timeline when the history could
	// not be read (no store, an unreadable one); empty otherwise.
	TimelineNote string `json:"timeline_note,omitempty"`
}

// Generated says when and from which model a report was made.
type Generated struct {
	// At is the generation time (UTC).
	At time.Time `json:"at"`
	// ModelHash identifies the loaded files (see model.Model.Hash).
	ModelHash string `json:"model_hash"`
	// Files are the model files read, catalogs included, sorted.
	Files []string `json:"files"`
	// Nodes and Edges size the model.
	Nodes int `json:"nodes"`
	Edges int `json:"edges"`
	// MaxOrder is the largest failure domain size analysed.
	MaxOrder int `json:"max_order"`
	// StaleDays is the age, in days, from which a source is stale.
	StaleDays int `json:"stale_days"`
}

// Summary is what a manager reads in a minute.
type Summary struct {
	// Services counts your services (nodes of kind service).
	Services int `json:"services"`
	// AtRisk lists the services an external node can take down alone,
	// worst first.
	AtRisk []string `json:"at_risk"`
	// DefeatedFailover counts, summed over the services, the failover
	// groups in each service's upstream that one node takes down entirely.
	DefeatedFailover int `json:"defeated_failover"`
	// WorstDomains are the shared failure domains (one node, or a set
	// that must fail together) taking down the most services, external
	// nodes only; at most half Options.Listed.
	WorstDomains []SharedDomain `json:"worst_domains"`
	// SPOFs are the external single points of failure, by the number of
	// services each takes down; at most Options.Listed. SPOFCount is the
	// number of distinct ones.
	SPOFs     []SharedDomain `json:"spofs"`
	SPOFCount int            `json:"spof_count"`
	// Downtime is the expected downtime of the services whose probability
	// is known, highest first.
	Downtime []Downtime `json:"downtime"`
	// StaleFacts counts the stale sources.
	StaleFacts int `json:"stale_facts"`
	// Unquantified lists the services with a dependency of unknown share
	// upstream (their failure domains and downtime leave it out).
	Unquantified []string `json:"unquantified"`
}

// SharedDomain is a failure domain and the services it takes down.
type SharedDomain struct {
	// Nodes must all fail for the services to go down (one node: a
	// single point of failure).
	Nodes []string `json:"nodes"`
	// Kinds are the nodes' kinds, index for index.
	Kinds []string `json:"kinds"`
	// Services are the services it takes down, sorted.
	Services []string `json:"services"`
	// DefeatsFailover is true when it takes down every member of one of
	// those services' failover groups.
	DefeatsFailover bool `json:"defeats_failover"`
}

// Downtime is one service's expected downtime.
type Downtime struct {
	// Service is the service's id.
	Service string `json:"service"`
	// Probability is the probability that it is down from upstream causes.
	Probability float64 `json:"probability"`
	// HoursPerYear is Probability × 8766.
	HoursPerYear float64 `json:"hours_per_year"`
}

// Service is one service's section.
type Service struct {
	// ID, Name, Owner and Tags come from the model.
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Owner string   `json:"owner"`
	Tags  []string `json:"tags"`
	// AtRisk is true when an external node can take it down alone.
	AtRisk bool `json:"at_risk"`
	// SPOFs are its single points of failure, external ones first, then
	// by the number of services each takes down, then id; at most
	// Options.ListedPerService. SPOFCount counts them all and
	// ExternalSPOFs the external ones.
	SPOFs         []SPOF `json:"spofs"`
	SPOFCount     int    `json:"spof_count"`
	ExternalSPOFs int    `json:"external_spofs"`
	// Defeated lists its failover groups (its own, then those upstream)
	// that a single node takes down entirely, the ones its own
	// dependencies hold first, then by number of causes; at most a third
	// of Options.ListedPerService. DefeatedCount counts them all.
	Defeated      []DefeatedGroup `json:"defeated_failover"`
	DefeatedCount int             `json:"defeated_failover_count"`
	// Domains are its larger shared failure domains (two nodes or more
	// that must fail together), at most Options.ListedPerService.
	Domains [][]string `json:"domains"`
	// DomainCount is the number of failure domains up to MaxOrder,
	// single points of failure included (a JSON number; a decimal
	// string beyond 2^53, see package count); Truncated says larger ones
	// may exist.
	DomainCount count.N `json:"domain_count"`
	Truncated   bool    `json:"truncated"`
	// Probability and DowntimeHoursPerYear are null when some node in
	// the service's upstream has no unavailability; Missing counts those.
	Probability          *float64 `json:"probability"`
	DowntimeHoursPerYear *float64 `json:"downtime_hours_per_year"`
	Missing              int      `json:"missing_probabilities"`
	// Contributors are the nodes contributing most to its risk
	// (Fussell–Vesely importance), only when Probability is known.
	Contributors []Contributor `json:"contributors"`
	// Unquantified lists its dependencies of unknown share (`impact:
	// unknown`) upstream: left out of its failure domains and downtime,
	// listed apart (blast.Unquantified).
	Unquantified []blast.Exposure `json:"unquantified_exposure"`
}

// SPOF is one single point of failure of a service.
type SPOF struct {
	// Node is its id, Kind its kind, Layer its layer seen from your
	// services.
	Node  string `json:"node"`
	Kind  string `json:"kind"`
	Layer string `json:"layer"`
	// External is true when it belongs to another organisation.
	External bool `json:"external"`
	// Via is a chain of hard dependencies from the service to it.
	Via []string `json:"via"`
}

// DefeatedGroup is one failover group and the single nodes that take all
// its members down.
type DefeatedGroup struct {
	// Owner is the node holding the group (the service or one of its
	// dependencies); Members are the alternatives.
	Owner   string   `json:"owner"`
	Members []string `json:"members"`
	// Causes are the nodes that take every member down, most specific
	// first (regions and zones, then cloud services, providers, vendors),
	// at most Options.ListedPerService; CauseCount counts them all.
	Causes     []Cause `json:"causes"`
	CauseCount int     `json:"cause_count"`
}

// Cause is a node that defeats a failover group, with the chains that
// show why.
type Cause struct {
	// Node is the cause's id and Kind its kind.
	Node string `json:"node"`
	Kind string `json:"kind"`
	// Chains hold one chain per member taken down, the member first and
	// the cause last; given for the group's first cause only.
	Chains [][]string `json:"chains,omitempty"`
}

// Contributor is a node's share of a service's risk.
type Contributor struct {
	// Node is the node's id.
	Node string `json:"node"`
	// FussellVesely is the share of the service's unavailability that
	// involves this node.
	FussellVesely float64 `json:"fussell_vesely"`
	// Birnbaum is how much the service's unavailability moves with this
	// node's.
	Birnbaum float64 `json:"birnbaum"`
}

// Concentration lists the nodes your services sit on.
type Concentration struct {
	// Nodes are the providers, regions, zones, cloud services and vendors
	// of other organisations, by the number of services that sit on them
	// (taken down or degraded), then taken down, then id; at most
	// Options.Listed. Count is how many such nodes reach a service.
	Nodes []ConcentrationNode `json:"nodes"`
	Count int                 `json:"count"`
}

// ConcentrationNode is one node and the services its failure reaches.
type ConcentrationNode struct {
	// Node, Name, Kind and Layer describe it.
	Node  string `json:"node"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Layer string `json:"layer"`
	// TakesDown lists the services its failure alone takes down; Degrades
	// those it reaches without taking down.
	TakesDown []string `json:"takes_down"`
	Degrades  []string `json:"degrades"`
	// Share is the share of your services it reaches, in [0, 1].
	Share float64 `json:"share"`
}

// Stale lists the sources older than the threshold.
type Stale struct {
	// Days is the threshold.
	Days int `json:"days"`
	// Facts are the stale sources of the nodes your services use, oldest
	// first, then by node; at most Options.ListedStale. Count counts them
	// all.
	Facts []StaleFact `json:"facts"`
	Count int         `json:"count"`
	// Undated counts the used nodes of other organisations that carry no
	// source at all.
	Undated int `json:"undated"`
	// Unverified counts the sources behind used nodes and their
	// dependencies marked verified: false or carrying no date: their age
	// is unknown, which is never fresh.
	Unverified int `json:"unverified"`
}

// StaleFact is one stale source.
type StaleFact struct {
	// Node is the node the source backs, or "node → dependency" for a
	// dependency's own source.
	Node string `json:"node"`
	// URL, AsOf and Note are the source's.
	URL  string `json:"url"`
	AsOf string `json:"as_of"`
	Note string `json:"note"`
	// AgeDays is its age at generation time.
	AgeDays int `json:"age_days"`
	// Pos is where the source is declared, file:line.
	Pos string `json:"pos"`
}

// Picture is what the graph picture draws.
type Picture struct {
	// View holds the nodes and edges drawn, single points of failure
	// marked; failure-domain members are listed in Domain.
	View *view.View `json:"view"`
	// Domain lists the drawn nodes that defeat a failover group or belong
	// to one of the worst shared domains of two nodes or more, sorted.
	Domain []string `json:"domain"`
	// Upstream counts your services and every node they depend on;
	// Omitted how many of them are not drawn, by kind in OmittedKinds.
	Upstream     int         `json:"upstream"`
	Omitted      int         `json:"omitted"`
	OmittedKinds []KindCount `json:"omitted_kinds"`
}

// KindCount is a number of nodes of one kind.
type KindCount struct {
	// Kind is the node kind.
	Kind string `json:"kind"`
	// Count is the number of nodes.
	Count int `json:"count"`
}

// Options tunes Build. Zero values mean the defaults.
type Options struct {
	// Now is the generation time; the zero time means time.Now.
	Now time.Time
	// ModelHash is the model's hash (model.Model.Hash).
	ModelHash string
	// StaleDays is the age from which a source is stale; 0 means 365.
	StaleDays int
	// MaxOrder bounds the failure domains analysed; 0 means 2 (single
	// points of failure and pairs, which is what defeats a failover pair).
	MaxOrder int
	// Listed caps the summary and concentration lists; 0 means 10.
	Listed int
	// ListedPerService caps the lists in each service section; 0 means 15.
	ListedPerService int
	// ListedStale caps the stale facts; 0 means 100.
	ListedStale int
	// PictureNodes caps the nodes drawn; 0 means 150.
	PictureNodes int
	// Progress, when not nil, is called after the failure domains of each
	// service with the number done and the total.
	Progress func(done, total int)
	// Incidents, when not nil, is the incident history to draw (see
	// Incidents); TimelineFrom and TimelineTo bound it.
	Incidents    []Incident
	TimelineFrom time.Time
	TimelineTo   time.Time
	// TimelineNote, when set, says why there is no incident history (see
	// Report.TimelineNote).
	TimelineNote string
	// NodeLimit bounds the decision diagrams of domains.Find.
	NodeLimit int
}

func (o *Options) defaults() {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC()
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.StaleDays, 365)
	def(&o.MaxOrder, 2)
	def(&o.Listed, 10)
	def(&o.ListedPerService, 15)
	def(&o.ListedStale, 100)
	def(&o.PictureNodes, 150)
}

// ErrNoServices is returned by Build for a model without a service.
var ErrNoServices = errors.New("report: the model has no service (kind: service) to report on")

// Build computes the report of g's services.
func Build(ctx context.Context, m *model.Model, g *graph.Graph, opts Options) (*Report, error) {
	opts.defaults()
	services := g.Services()
	if len(services) == 0 {
		return nil, ErrNoServices
	}
	dom, err := domains.Find(ctx, g, services, domains.Options{MaxOrder: opts.MaxOrder, MaxSets: 4 * opts.ListedPerService, NodeLimit: opts.NodeLimit, Progress: opts.Progress})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	byNode := blast.ByNode(g, services, 1)
	r := &Report{
		SchemaVersion: SchemaVersion,
		Generated: Generated{
			At: opts.Now, ModelHash: opts.ModelHash, Files: sortedCopy(m.Files),
			Nodes: g.Len(), Edges: g.EdgeCount(), MaxOrder: dom.MaxOrder, StaleDays: opts.StaleDays,
		},
		Services: []Service{},
	}
	b := &builder{g: g, opts: opts, takesDown: map[string]int{}}
	for _, ni := range byNode {
		b.takesDown[ni.Node] = len(ni.TakesDown)
	}
	for _, td := range dom.Targets {
		r.Services = append(r.Services, b.service(td))
	}
	slices.SortFunc(r.Services, func(a, c Service) int {
		return cmp.Or(
			cmp.Compare(c.DefeatedCount, a.DefeatedCount),
			cmp.Compare(c.ExternalSPOFs, a.ExternalSPOFs),
			cmp.Compare(prob(c.Probability), prob(a.Probability)),
			cmp.Compare(a.ID, c.ID))
	})
	r.Summary = b.summary(r.Services, dom)
	r.Concentration = b.concentration(byNode, len(services))
	r.Stale = b.stale()
	r.Summary.StaleFacts = r.Stale.Count
	r.Picture = b.picture(services, r)
	if opts.Incidents != nil {
		r.Timeline = buildTimeline(g, opts.Incidents, opts.TimelineFrom, opts.TimelineTo, opts.Now)
	} else {
		r.TimelineNote = opts.TimelineNote
	}
	return r, nil
}

func prob(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

type builder struct {
	g    *graph.Graph
	opts Options
	// takesDown counts the services each node takes down alone.
	takesDown map[string]int
}

func (b *builder) node(id string) (int32, *model.Node) {
	i, ok := b.g.Lookup(id)
	if !ok {
		return -1, &model.Node{ID: id}
	}
	return i, b.g.ModelNode(i)
}

func (b *builder) external(id string) bool {
	i, ok := b.g.Lookup(id)
	return ok && b.g.Party(i) != 1
}

func (b *builder) kind(id string) string {
	_, n := b.node(id)
	return string(n.Kind)
}

// specificity orders the causes of a defeated group: the narrowest shared
// infrastructure first.
var specificity = map[model.Kind]int{
	model.KindZone: 0, model.KindRegion: 1, model.KindCloudService: 2, model.KindProvider: 3,
	model.KindComponent: 4, model.KindVendor: 5, model.KindUnknown: 6, model.KindService: 7,
}

func (b *builder) service(td domains.Target) Service {
	_, n := b.node(td.Target)
	s := Service{
		ID: n.ID, Name: n.Name, Owner: n.Owner, Tags: sortedCopy(n.Tags),
		SPOFs: []SPOF{}, Defeated: []DefeatedGroup{}, Domains: [][]string{}, Contributors: []Contributor{},
		Unquantified: orEmptyExposure(td.Unquantified),
		DomainCount:  td.Count, Truncated: td.Truncated, Missing: td.Missing,
		Probability: td.Probability, DowntimeHoursPerYear: td.DowntimeHoursPerYear,
	}
	var spofs []SPOF
	for _, id := range td.SPOFs {
		i, sn := b.node(id)
		layer := ""
		if i >= 0 {
			layer = b.g.Layer(i)
		}
		sp := SPOF{Node: id, Kind: string(sn.Kind), Layer: layer, External: b.external(id), Via: orEmpty(td.Paths[id])}
		if sp.External {
			s.ExternalSPOFs++
		}
		spofs = append(spofs, sp)
	}
	slices.SortFunc(spofs, func(a, c SPOF) int {
		return cmp.Or(boolFirst(a.External, c.External), cmp.Compare(b.takesDown[c.Node], b.takesDown[a.Node]), cmp.Compare(a.Node, c.Node))
	})
	s.SPOFCount = len(spofs)
	s.AtRisk = s.ExternalSPOFs > 0
	s.SPOFs = append(s.SPOFs, spofs[:min(len(spofs), b.opts.ListedPerService)]...)

	// Group the defeated failover groups: one entry per group, its causes
	// most specific first.
	groups := map[string]*DefeatedGroup{}
	var keys []string
	for _, d := range td.Defeated {
		key := d.Owner + "\x00" + strings.Join(d.Members, "\x00")
		dg := groups[key]
		if dg == nil {
			dg = &DefeatedGroup{Owner: d.Owner, Members: sortedCopy(d.Members)}
			groups[key] = dg
			keys = append(keys, key)
		}
		dg.Causes = append(dg.Causes, Cause{Node: d.Cause, Kind: b.kind(d.Cause), Chains: d.Chains})
	}
	var all []DefeatedGroup
	for _, k := range keys {
		dg := groups[k]
		slices.SortFunc(dg.Causes, func(a, c Cause) int {
			return cmp.Or(cmp.Compare(specificity[model.Kind(a.Kind)], specificity[model.Kind(c.Kind)]), cmp.Compare(a.Node, c.Node))
		})
		dg.CauseCount = len(dg.Causes)
		dg.Causes = dg.Causes[:min(len(dg.Causes), b.opts.ListedPerService)]
		for i := 1; i < len(dg.Causes); i++ {
			dg.Causes[i].Chains = nil
		}
		all = append(all, *dg)
	}
	slices.SortFunc(all, func(x, y DefeatedGroup) int {
		return cmp.Or(boolFirst(x.Owner == s.ID, y.Owner == s.ID), cmp.Compare(y.CauseCount, x.CauseCount),
			cmp.Compare(x.Owner, y.Owner), slices.Compare(x.Members, y.Members))
	})
	s.DefeatedCount = len(all)
	s.Defeated = append(s.Defeated, all[:min(len(all), max(1, b.opts.ListedPerService/3))]...)
	for _, cs := range td.CutSets {
		if len(cs) > 1 && len(s.Domains) < b.opts.ListedPerService {
			s.Domains = append(s.Domains, cs)
		}
	}
	for _, imp := range td.Importance {
		if len(s.Contributors) == 5 {
			break
		}
		s.Contributors = append(s.Contributors, Contributor{Node: imp.Node, FussellVesely: imp.FussellVesely, Birnbaum: imp.Birnbaum})
	}
	return s
}

// boolFirst orders true before false.
func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

func (b *builder) summary(svcs []Service, dom *domains.Result) Summary {
	s := Summary{Services: len(svcs), AtRisk: []string{}, WorstDomains: []SharedDomain{}, SPOFs: []SharedDomain{}, Downtime: []Downtime{}, Unquantified: []string{}}
	for _, sv := range svcs {
		if len(sv.Unquantified) > 0 {
			s.Unquantified = append(s.Unquantified, sv.ID)
		}
	}
	slices.Sort(s.Unquantified)
	type agg struct {
		nodes    []string
		services []string
		defeats  bool
	}
	domains := map[string]*agg{}
	add := func(nodes []string, svc string, defeats bool) {
		key := strings.Join(nodes, "\x00")
		a := domains[key]
		if a == nil {
			a = &agg{nodes: nodes}
			domains[key] = a
		}
		if !slices.Contains(a.services, svc) {
			a.services = append(a.services, svc)
		}
		a.defeats = a.defeats || defeats
	}
	for _, td := range dom.Targets {
		defeating := map[string]bool{}
		for _, d := range td.Defeated {
			defeating[d.Cause] = true
		}
		for _, id := range td.SPOFs {
			if b.external(id) {
				add([]string{id}, td.Target, defeating[id])
			}
		}
		for _, cs := range td.CutSets {
			if len(cs) < 2 {
				continue
			}
			ext := true
			for _, id := range cs {
				ext = ext && b.external(id)
			}
			if ext {
				add(slices.Clone(cs), td.Target, false)
			}
		}
	}
	all := make([]*agg, 0, len(domains))
	for _, a := range domains {
		slices.Sort(a.services)
		all = append(all, a)
	}
	slices.SortFunc(all, func(x, y *agg) int {
		return cmp.Or(cmp.Compare(len(y.services), len(x.services)), boolFirst(x.defeats, y.defeats),
			cmp.Compare(len(x.nodes), len(y.nodes)), slices.Compare(x.nodes, y.nodes))
	})
	shared := func(a *agg) SharedDomain {
		sd := SharedDomain{Nodes: a.nodes, Services: a.services, DefeatsFailover: a.defeats}
		for _, id := range a.nodes {
			sd.Kinds = append(sd.Kinds, b.kind(id))
		}
		return sd
	}
	for _, a := range all {
		if len(s.WorstDomains) < max(1, b.opts.Listed/2) {
			s.WorstDomains = append(s.WorstDomains, shared(a))
		}
		if len(a.nodes) == 1 {
			s.SPOFCount++
			if len(s.SPOFs) < b.opts.Listed {
				s.SPOFs = append(s.SPOFs, shared(a))
			}
		}
	}
	for _, sv := range svcs {
		if sv.AtRisk {
			s.AtRisk = append(s.AtRisk, sv.ID)
		}
		s.DefeatedFailover += sv.DefeatedCount
		if sv.Probability != nil {
			s.Downtime = append(s.Downtime, Downtime{Service: sv.ID, Probability: *sv.Probability, HoursPerYear: *sv.DowntimeHoursPerYear})
		}
	}
	slices.SortFunc(s.Downtime, func(x, y Downtime) int {
		return cmp.Or(cmp.Compare(y.Probability, x.Probability), cmp.Compare(x.Service, y.Service))
	})
	return s
}

// concentrated are the kinds the concentration section ranks.
var concentrated = map[model.Kind]bool{
	model.KindProvider: true, model.KindRegion: true, model.KindZone: true,
	model.KindCloudService: true, model.KindVendor: true,
}

func (b *builder) concentration(byNode []blast.NodeImpact, services int) Concentration {
	c := Concentration{Nodes: []ConcentrationNode{}}
	var all []ConcentrationNode
	for _, ni := range byNode {
		i, n := b.node(ni.Node)
		if i < 0 || !concentrated[n.Kind] || b.g.Party(i) == 1 {
			continue
		}
		reach := len(ni.TakesDown) + len(ni.Degrades)
		all = append(all, ConcentrationNode{
			Node: n.ID, Name: n.Name, Kind: string(n.Kind), Layer: ni.Layer,
			TakesDown: sortedCopy(ni.TakesDown), Degrades: sortedCopy(ni.Degrades),
			Share: math.Round(float64(reach)/float64(services)*1e4) / 1e4,
		})
	}
	slices.SortFunc(all, func(x, y ConcentrationNode) int {
		return cmp.Or(cmp.Compare(len(y.TakesDown)+len(y.Degrades), len(x.TakesDown)+len(x.Degrades)),
			cmp.Compare(len(y.TakesDown), len(x.TakesDown)), cmp.Compare(x.Node, y.Node))
	})
	c.Count = len(all)
	c.Nodes = append(c.Nodes, all[:min(len(all), b.opts.Listed)]...)
	return c
}

func (b *builder) stale() Stale {
	st := Stale{Days: b.opts.StaleDays, Facts: []StaleFact{}}
	var all []StaleFact
	for i := range int32(b.g.Len()) {
		if b.g.Party(i) == 0 {
			continue
		}
		n := b.g.ModelNode(i)
		if len(n.Sources) == 0 && n.Kind != model.KindService && b.g.Party(i) != 1 {
			st.Undated++
		}
		facts := []struct {
			what string
			srcs []model.Source
		}{{n.ID, n.Sources}}
		for _, d := range n.DependsOn {
			if len(d.Sources) > 0 {
				facts = append(facts, struct {
					what string
					srcs []model.Source
				}{n.ID + " → " + strings.Join(d.Targets(), " | "), d.Sources})
			}
		}
		for _, f := range facts {
			for _, src := range f.srcs {
				d, err := time.Parse(time.DateOnly, src.AsOf)
				if err != nil || src.Unverified {
					st.Unverified++
					continue
				}
				age := int(b.opts.Now.Sub(d).Hours() / 24)
				if age < b.opts.StaleDays {
					continue
				}
				pos := src.Pos
				if pos.Line == 0 {
					pos = n.Pos
				}
				all = append(all, StaleFact{Node: f.what, URL: src.URL, AsOf: src.AsOf, Note: src.Note, AgeDays: age, Pos: fileLine(pos)})
			}
		}
	}
	slices.SortFunc(all, func(x, y StaleFact) int {
		return cmp.Or(cmp.Compare(y.AgeDays, x.AgeDays), cmp.Compare(x.Node, y.Node), cmp.Compare(x.URL, y.URL))
	})
	st.Count = len(all)
	st.Facts = append(st.Facts, all[:min(len(all), b.opts.ListedStale)]...)
	return st
}

// fileLine formats a position as file:line.
func fileLine(p model.Pos) string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orEmptyExposure returns xs, or an empty list for nil (JSON []).
func orEmptyExposure(xs []blast.Exposure) []blast.Exposure {
	if xs == nil {
		return []blast.Exposure{}
	}
	return xs
}
