package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/model"
)

// FormatDORA writes the DORA Register of Information's supply-chain
// templates (B_05.01, B_05.02) as an xBRL-CSV report package folder.
const FormatDORA Format = "dora"

// doraReportJSON and doraPackageJSON are the package's metadata files, as
// the EBA's DORA 4.0 xBRL-CSV packages carry them (document types and the
// taxonomy entry point as open RoI tools write them; see
// internal/importer/dora.go for the sources).
const (
	doraPackageJSON = `{
  "documentInfo": {
    "documentType": "https://xbrl.org/report-package/2023"
  }
}
`
	doraReportJSON = `{
  "documentInfo": {
    "documentType": "https://xbrl.org/2021/xbrl-csv",
    "extends": [
      "http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json"
    ]
  }
}
`
)

// DORAProvider is one row of B_05.01 as the export derives it.
type DORAProvider struct {
	Node, Code, CodeType, Name, Country string
	Rank                                int
	contracts                           [][2]string // (contract, ICT service type)
}

// DORAChain is one row of B_05.02.
type DORAChain struct {
	Contract, Service, Provider, CodeType string
	Rank                                  int
	Recipient, RecipientType              string
}

// DORARegister is what DORA export writes.
type DORARegister struct {
	Providers []DORAProvider
	Chain     []DORAChain
	// Warnings are gaps the register needs filled (a provider without an
	// identification code, a chain without a contract).
	Warnings []string
}

// BuildDORA derives B_05.01 and B_05.02 from the graph. The providers
// are the organisations (an id's first segment) your services depend on
// directly (rank 1) and the organisations those depend on, directly or
// not (rank = the shortest chain). An organisation counts as a provider
// when its node is a vendor or a provider (a cloud), or carries meta.dora
// (from import dora).
// Codes, code types, countries and contracts come from meta.dora; a
// provider without a code is written with its node id as code and a
// warning. A subcontractor's rows carry the contracts of the rank-1
// providers its chain starts from.
func BuildDORA(g *graph.Graph) *DORARegister {
	org := func(i int32) int32 {
		id := g.ModelNode(i).ID
		if k := strings.IndexByte(id, '/'); k > 0 {
			if j, ok := g.Lookup(id[:k]); ok {
				return j
			}
		}
		return i
	}
	isProvider := func(i int32) bool {
		n := g.ModelNode(i)
		return n.Kind == model.KindVendor || n.Kind == model.KindProvider || doraMeta(n) != nil
	}
	services := map[int32]bool{}
	for _, s := range g.Services() {
		services[s] = true
	}
	// rank-1 providers, then breadth-first down the supply chain.
	rank := map[int32]int{}
	contracts := map[int32]map[[2]string]bool{}
	type link struct{ from, to int32 }
	var queue []int32
	links := map[link]bool{}
	// upstream gives the provider organisations p's nodes depend on.
	upstream := func(members func(yield func(int32) bool)) []int32 {
		seen := map[int32]bool{}
		var out []int32
		for m := range members {
			for _, d := range g.Dependencies(m) {
				o := org(d)
				if services[o] || !isProvider(o) || seen[o] {
					continue
				}
				seen[o] = true
				out = append(out, o)
			}
		}
		return out
	}
	orgMembers := func(o int32) func(yield func(int32) bool) {
		prefix := g.ModelNode(o).ID + "/"
		return func(yield func(int32) bool) {
			for i := range int32(g.Len()) {
				if (i == o || strings.HasPrefix(g.ModelNode(i).ID, prefix)) && !yield(i) {
					return
				}
			}
		}
	}
	for _, s := range g.Services() {
		for _, p := range upstream(func(yield func(int32) bool) { yield(s) }) {
			if p == org(s) {
				continue
			}
			if _, ok := rank[p]; !ok {
				rank[p] = 1
				queue = append(queue, p)
				contracts[p] = map[[2]string]bool{}
				for _, c := range metaContracts(g.ModelNode(p)) {
					contracts[p][c] = true
				}
			}
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, s := range upstream(orgMembers(p)) {
			if s == p {
				continue
			}
			l := link{p, s}
			if links[l] {
				continue
			}
			links[l] = true
			if _, ok := rank[s]; !ok {
				rank[s] = rank[p] + 1
				queue = append(queue, s)
			}
			if contracts[s] == nil {
				contracts[s] = map[[2]string]bool{}
			}
		}
	}
	// A subcontractor's chain contracts are its recipients': propagate
	// down the links until nothing changes. A link's rows carry the
	// recipient's contracts.
	for changed := true; changed; {
		changed = false
		for l := range links {
			if rank[l.to] == 1 {
				continue
			}
			for c := range contracts[l.from] {
				if !contracts[l.to][c] {
					contracts[l.to][c] = true
					changed = true
				}
			}
		}
	}
	reg := &DORARegister{}
	byNode := map[int32]*DORAProvider{}
	for p, r := range rank {
		n := g.ModelNode(p)
		dp := DORAProvider{Node: n.ID, Name: n.Name, Rank: r, Code: n.ID}
		if dp.Name == "" {
			dp.Name = n.ID
		}
		if m := doraMeta(n); m != nil {
			if s, _ := m["code"].(string); s != "" {
				dp.Code = s
			}
			dp.CodeType, _ = m["code_type"].(string)
			dp.Country, _ = m["country"].(string)
		}
		if dp.Code == n.ID {
			reg.Warnings = append(reg.Warnings, fmt.Sprintf("%s has no register identification code (meta.dora.code): written with its id", n.ID))
		}
		for c := range contracts[p] {
			dp.contracts = append(dp.contracts, c)
		}
		slices.SortFunc(dp.contracts, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
		reg.Providers = append(reg.Providers, dp)
	}
	slices.SortFunc(reg.Providers, func(a, b DORAProvider) int {
		if a.Rank != b.Rank {
			return a.Rank - b.Rank
		}
		return strings.Compare(a.Node, b.Node)
	})
	for i := range reg.Providers {
		p := &reg.Providers[i]
		j, _ := g.Lookup(p.Node)
		byNode[j] = p
	}
	for _, p := range reg.Providers {
		if p.Rank != 1 {
			continue
		}
		p.contracts = metaContracts(g.ModelNode(mustLookup(g, p.Node)))
		if len(p.contracts) == 0 {
			reg.Warnings = append(reg.Warnings, fmt.Sprintf("%s: no contract in meta.dora.contracts: its B_05.02 row has an empty reference", p.Node))
			reg.Chain = append(reg.Chain, DORAChain{Provider: p.Code, CodeType: p.CodeType, Rank: 1, Recipient: p.Code, RecipientType: p.CodeType})
		}
		for _, c := range p.contracts {
			reg.Chain = append(reg.Chain, DORAChain{Contract: c[0], Service: c[1], Provider: p.Code, CodeType: p.CodeType, Rank: 1, Recipient: p.Code, RecipientType: p.CodeType})
		}
	}
	for l := range links {
		from, to := byNode[l.from], byNode[l.to]
		cs := from.contracts
		if len(cs) == 0 {
			cs = [][2]string{{"", ""}}
		}
		for _, c := range cs {
			reg.Chain = append(reg.Chain, DORAChain{Contract: c[0], Service: c[1], Provider: to.Code, CodeType: to.CodeType, Rank: from.Rank + 1, Recipient: from.Code, RecipientType: from.CodeType})
		}
	}
	slices.SortFunc(reg.Chain, func(a, b DORAChain) int {
		ka := fmt.Sprintf("%s\x00%s\x00%09d\x00%s\x00%s", a.Contract, a.Service, a.Rank, a.Provider, a.Recipient)
		kb := fmt.Sprintf("%s\x00%s\x00%09d\x00%s\x00%s", b.Contract, b.Service, b.Rank, b.Provider, b.Recipient)
		return strings.Compare(ka, kb)
	})
	slices.Sort(reg.Warnings)
	return reg
}

func doraMeta(n *model.Node) map[string]any {
	m, _ := n.Meta["dora"].(map[string]any)
	if m == nil {
		return nil
	}
	if _, ok := m["code"]; !ok {
		return nil
	}
	return m
}

func metaContracts(n *model.Node) [][2]string {
	m := doraMeta(n)
	if m == nil {
		return nil
	}
	list, _ := m["contracts"].([]any)
	var out [][2]string
	for _, e := range list {
		em, _ := e.(map[string]any)
		c, _ := em["contract"].(string)
		s, _ := em["service_type"].(string)
		if c != "" {
			out = append(out, [2]string{c, s})
		}
	}
	return out
}

// Files returns the package's files by path.
func (r *DORARegister) Files() (map[string][]byte, error) {
	var b501, b502 bytes.Buffer
	w := csv.NewWriter(&b501)
	_ = w.Write([]string{"c0010", "c0020", "c0030", "c0040", "c0050", "c0060", "c0070", "c0080", "c0090", "c0100", "c0110", "c0120"})
	for _, p := range r.Providers {
		// Unknown cells stay empty: the export does not know the person
		// type, currency, expense or parent undertaking.
		_ = w.Write([]string{p.Code, p.CodeType, "", "", csvSafe(p.Name), csvSafe(p.Name), "", p.Country, "", "", "", ""})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	w = csv.NewWriter(&b502)
	_ = w.Write([]string{"c0010", "c0020", "c0030", "c0040", "c0050", "c0060", "c0070"})
	for _, c := range r.Chain {
		_ = w.Write([]string{csvSafe(c.Contract), c.Service, c.Provider, c.CodeType, strconv.Itoa(c.Rank), c.Recipient, c.RecipientType})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return map[string][]byte{
		"META-INF/reportPackage.json": []byte(doraPackageJSON),
		"reports/report.json":         []byte(doraReportJSON),
		"reports/b_05.01.csv":         b501.Bytes(),
		"reports/b_05.02.csv":         b502.Bytes(),
	}, nil
}

// csvSafe keeps a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteDORADir writes the register as a package folder at dir, atomically:
// into a temporary folder beside it, then renamed. dir must not exist.
func WriteDORADir(dir string, r *DORARegister) error {
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("export dora: %s exists: give a new folder", dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("export dora: %w", err)
	}
	files, err := r.Files()
	if err != nil {
		return fmt.Errorf("export dora: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("export dora: %w", err)
	}
	fail := func(err error) error {
		os.RemoveAll(tmp)
		return fmt.Errorf("export dora: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fail(err)
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return fail(err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fail(err)
	}
	return nil
}

func mustLookup(g *graph.Graph, id string) int32 {
	i, _ := g.Lookup(id)
	return i
}
