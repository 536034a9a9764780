package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/depgraph/depgraph/internal/model"
)

// DORA Register of Information column codes (xBRL-CSV headers c0010…),
// as the EBA's DORA 4.0 reporting framework lays out the templates. They
// were read, through the search tool's code index on 2026-12-01, from
// CISO Assistant's DORA 4.0 export (intuitem/ciso-assistant-community,
// backend/tprm/dora_export.py: "Write CSV headers (DORA 4.0 Layout)"),
// and cross-checked against a French RoI tool's column labels
// (b_05.02.0010 … b_06.01.0100, same numbering) and ITS 2024/2956 field
// summaries. The codes below are the ones both sources agree on; see
// docs/model.md "DORA Register of Information" for what was not confirmed.
const (
	// B_02.02 Contractual arrangements – specific information (ICT services).
	colB0202Contract = "0010" // contractual arrangement reference number
	colB0202Provider = "0030" // identification code of the ICT third-party service provider
	colB0202Function = "0050" // function identifier
	colB0202Service  = "0060" // type of ICT services
	// B_05.01 ICT third-party service providers.
	colB0501Code     = "0010" // identification code of the provider
	colB0501CodeType = "0020" // type of code (LEI, EUID, …)
	colB0501Name     = "0050" // legal name
	colB0501Latin    = "0060" // name in Latin alphabet
	colB0501Country  = "0080" // country of the provider's headquarters
	// B_05.02 ICT service supply chains.
	colB0502Contract  = "0010" // contractual arrangement reference number
	colB0502Service   = "0020" // type of ICT services
	colB0502Provider  = "0030" // identification code of the provider
	colB0502CodeType  = "0040" // type of code of the provider
	colB0502Rank      = "0050" // rank: 1 direct, ≥ 2 subcontractor
	colB0502Recipient = "0060" // identification code of the recipient of the sub-contracted ICT services
	// B_06.01 Functions identification.
	colB0601ID   = "0010" // function identifier
	colB0601Name = "0030" // function name
)

// doraTemplates are the templates the importer reads, by file stem.
var doraTemplates = []string{"b_02.01", "b_02.02", "b_05.01", "b_05.02", "b_06.01"}

// ReadDORA reads a Register of Information report package: dir is the
// package root (META-INF/ and reports/), the folder an archive unpacks to
// (one directory holding them), or a plain folder of the template CSVs.
// It returns the templates it reads (b_02.01.csv … b_06.01.csv) that are
// present, each at most ingest.MaxFileSize.
func ReadDORA(dir string) ([]Input, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("importer: %s is not a directory: give the report package's folder (unzip the package first)", dir)
	}
	candidates := []string{filepath.Join(dir, "reports"), dir}
	if es, err := os.ReadDir(dir); err == nil {
		var subdirs []string
		for _, e := range es {
			if e.IsDir() && e.Name() != "META-INF" && e.Name() != "reports" {
				subdirs = append(subdirs, e.Name())
			}
		}
		if len(subdirs) == 1 { // an archive wraps the package in one folder
			candidates = append(candidates, filepath.Join(dir, subdirs[0], "reports"))
		}
	}
	for _, c := range candidates {
		var paths []string
		for _, t := range doraTemplates {
			p := filepath.Join(c, t+".csv")
			if _, err := os.Stat(p); err == nil {
				paths = append(paths, p)
			}
		}
		if len(paths) > 0 {
			return ReadFiles(paths)
		}
	}
	return nil, fmt.Errorf("importer: %s: no register template found (b_05.01.csv, b_05.02.csv, b_06.01.csv … in reports/ or the folder itself)", dir)
}

// DORAProvider is one ICT third-party service provider of the register.
type DORAProvider struct {
	// Code and CodeType identify it in the register (B_05.01 c0010, c0020).
	Code, CodeType string
	// Name is its legal name (or the Latin-alphabet name).
	Name string
	// Country is its headquarters' country as the register writes it.
	Country string
	// Node is its node id; MappedTo is set when it is a catalog node.
	Node     string
	MappedTo *string
	// Contracts are the (contract, ICT service type) pairs it serves
	// directly (B_02.02, B_05.02 rank 1), sorted.
	Contracts []string
}

// DORAEdge is a supply-chain link: Recipient sub-contracts to Provider.
type DORAEdge struct {
	// From and To are node ids (recipient, subcontractor).
	From, To string
	// Rank is the subcontractor's rank in the chain (≥ 2).
	Rank int
}

// DORAResult is an imported register.
type DORAResult struct {
	// Files are the templates read.
	Files []string
	// Functions are the register's functions as services.
	Functions []*model.Node
	// Providers are the register's providers, in B_05.01 order.
	Providers []*DORAProvider
	// Chain are the supply-chain edges, sorted.
	Chain []DORAEdge
	// Includes are the catalogs mapped providers come from, sorted.
	Includes []string
	// Warnings are problems that did not stop the import.
	Warnings []string

	deps  map[string][]string // provider node → subcontractor nodes
	known map[string]*model.Node
}

// doraTable is one template: rows of cells by column code, with the line
// each row starts on.
type doraTable struct {
	name  string
	rows  []map[string]string
	lines []int
}

// readDORATable reads one template CSV. Headers may be written c0010,
// 0010 or B_05.01.0010 (case-insensitive); all name the same column.
func readDORATable(in Input) (*doraTable, error) {
	data := bytes.TrimPrefix(in.Data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	t := &doraTable{name: in.Name}
	var header []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %s", model.Pos{File: in.Name, Line: pe.Line, Col: pe.Column}, pe.Err)
			}
			return nil, fmt.Errorf("%s: %v", in.Name, err)
		}
		line, _ := r.FieldPos(0)
		if header == nil {
			for _, h := range rec {
				header = append(header, columnCode(h))
			}
			continue
		}
		row := map[string]string{}
		for i, v := range rec {
			if i < len(header) && header[i] != "" {
				row[header[i]] = strings.TrimSpace(v)
			}
		}
		t.rows = append(t.rows, row)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// columnCode turns a header cell into its four-digit column code, "" when
// it is not one.
func columnCode(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.LastIndexByte(h, '.'); i >= 0 {
		h = h[i+1:]
	}
	h = strings.TrimPrefix(h, "c")
	if len(h) != 4 {
		return ""
	}
	if _, err := strconv.Atoi(h); err != nil {
		return ""
	}
	return h
}

// DORA reads a Register of Information's templates (as ReadDORA returns
// them) into functions (B_06.01, kind service, ids ORG/NAME), providers
// (B_05.01, vendors; mapped onto known nodes by name and aliases), the
// functions' dependencies on direct providers (B_02.02) and the
// supply-chain edges recipient → subcontractor (B_05.02, rank ≥ 2). Every
// edge is of unknown share: the register says who serves whom, not how
// much fails with them.
func DORA(inputs []Input, opts Options) (*DORAResult, error) {
	var e errs
	tables := map[string]*doraTable{}
	res := &DORAResult{deps: map[string][]string{}, known: map[string]*model.Node{}}
	for _, in := range inputs {
		stem := strings.ToLower(strings.TrimSuffix(filepath.Base(in.Name), filepath.Ext(in.Name)))
		if !slices.Contains(doraTemplates, stem) {
			e.add(model.Pos{File: in.Name}, "b_05.01.csv, b_05.02.csv, b_06.01.csv, b_02.02.csv", "not a register template the importer reads")
			continue
		}
		t, err := readDORATable(in)
		if err != nil {
			e.add(model.Pos{}, "", "%v", err)
			continue
		}
		tables[stem] = t
		res.Files = append(res.Files, in.Name)
	}
	if len(e.list) > 0 {
		return nil, sorted(e.list)
	}
	if tables["b_05.01"] == nil {
		e.add(model.Pos{}, "", "the register has no b_05.01.csv (ICT third-party service providers): nothing to import")
		return nil, e.list
	}
	org := opts.Org
	if org == "" {
		org = "register"
	}
	if !idPattern(org) || strings.Contains(org, "/") {
		e.add(model.Pos{}, "an organisation id such as `acme`", "--org %q is not a valid id segment", org)
		return nil, e.list
	}
	idx := newNameIndex(opts.Known)
	for _, n := range opts.Known {
		res.known[n.ID] = n
	}
	used := map[string]bool{}
	unique := func(base string) string {
		if base == "" {
			base = "provider"
		}
		id := base
		for k := 2; used[id] || idx.byID[id] != nil; k++ {
			id = fmt.Sprintf("%s-%d", base, k)
		}
		used[id] = true
		return id
	}
	pos := func(t *doraTable, i int, _ string) model.Pos {
		return model.Pos{File: t.name, Line: t.lines[i]}
	}
	byCode := map[string]*DORAProvider{}
	t := tables["b_05.01"]
	for i, row := range t.rows {
		code := row[colB0501Code]
		if code == "" {
			e.add(pos(t, i, colB0501Code), "the provider's LEI or EUID", "provider without identification code (c%s)", colB0501Code)
			continue
		}
		if byCode[code] != nil {
			e.add(pos(t, i, colB0501Code), "", "provider %q is listed twice", code)
			continue
		}
		p := &DORAProvider{Code: code, CodeType: row[colB0501CodeType], Name: row[colB0501Name], Country: row[colB0501Country]}
		if p.Name == "" {
			p.Name = row[colB0501Latin]
		}
		var mapped string
		for _, name := range []string{row[colB0501Name], row[colB0501Latin]} {
			if name == "" {
				continue
			}
			id, why := idx.match(name)
			if why != "" {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %q not mapped: %s", pos(t, i, colB0501Name), name, why))
			}
			if id != "" {
				mapped = id
				break
			}
		}
		if mapped != "" && !used[mapped] {
			used[mapped] = true
			p.Node, p.MappedTo = mapped, &mapped
		} else {
			name := p.Name
			if name == "" {
				name = code
			}
			p.Node = unique(slug(name))
		}
		byCode[code] = p
		res.Providers = append(res.Providers, p)
	}
	fnByID := map[string]*model.Node{}
	if t := tables["b_06.01"]; t != nil {
		for i, row := range t.rows {
			fid := row[colB0601ID]
			if fid == "" {
				e.add(pos(t, i, colB0601ID), "", "function without identifier (c%s)", colB0601ID)
				continue
			}
			if fnByID[fid] != nil {
				continue // one function, listed per entity
			}
			name := row[colB0601Name]
			base := slug(name)
			if base == "" {
				base = slug(fid)
			}
			n := &model.Node{ID: unique(org + "/" + base), Kind: model.KindService, Name: name,
				Meta: map[string]any{"dora": map[string]any{"function_id": fid}}}
			if n.Name == "" {
				n.Name = fid
			}
			fnByID[fid] = n
			res.Functions = append(res.Functions, n)
		}
	}
	contracts := map[string]map[string]bool{}
	addContract := func(p *DORAProvider, contract, service string) {
		if contract == "" {
			return
		}
		if contracts[p.Code] == nil {
			contracts[p.Code] = map[string]bool{}
		}
		contracts[p.Code][contract+" "+service] = true
	}
	if t := tables["b_02.02"]; t != nil {
		for i, row := range t.rows {
			p := byCode[row[colB0202Provider]]
			if p == nil {
				e.add(pos(t, i, colB0202Provider), "every provider is listed in b_05.01", "provider %q is not in b_05.01", row[colB0202Provider])
				continue
			}
			addContract(p, row[colB0202Contract], row[colB0202Service])
			fid := row[colB0202Function]
			if fid == "" {
				continue
			}
			fn := fnByID[fid]
			if fn == nil {
				e.add(pos(t, i, colB0202Function), "every function is listed in b_06.01", "function %q is not in b_06.01", fid)
				continue
			}
			if !slices.ContainsFunc(fn.DependsOn, func(d model.Dependency) bool { return d.ID == p.Node }) {
				fn.DependsOn = append(fn.DependsOn, model.Dependency{ID: p.Node, ImpactUnknown: true})
			}
		}
	}
	if t := tables["b_05.02"]; t != nil {
		seen := map[[2]string]bool{}
		for i, row := range t.rows {
			p := byCode[row[colB0502Provider]]
			if p == nil {
				e.add(pos(t, i, colB0502Provider), "every provider is listed in b_05.01", "provider %q is not in b_05.01", row[colB0502Provider])
				continue
			}
			rank, err := strconv.Atoi(row[colB0502Rank])
			if err != nil || rank < 1 {
				e.add(pos(t, i, colB0502Rank), "1 for a direct provider, 2 or more for a subcontractor", "rank %q is not a natural number", row[colB0502Rank])
				continue
			}
			if rank == 1 {
				addContract(p, row[colB0502Contract], row[colB0502Service])
				continue
			}
			r := byCode[row[colB0502Recipient]]
			if r == nil {
				e.add(pos(t, i, colB0502Recipient), "the provider that sub-contracts, listed in b_05.01", "recipient %q of rank-%d provider %q is not in b_05.01", row[colB0502Recipient], rank, p.Code)
				continue
			}
			if r == p {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: provider %q sub-contracts to itself: skipped", pos(t, i, colB0502Recipient), p.Code))
				continue
			}
			k := [2]string{r.Node, p.Node}
			if !seen[k] {
				seen[k] = true
				res.Chain = append(res.Chain, DORAEdge{From: r.Node, To: p.Node, Rank: rank})
				res.deps[r.Node] = append(res.deps[r.Node], p.Node)
			}
		}
	}
	if len(e.list) > 0 {
		return nil, sorted(e.list)
	}
	for _, p := range res.Providers {
		for c := range contracts[p.Code] {
			p.Contracts = append(p.Contracts, c)
		}
		slices.Sort(p.Contracts)
	}
	slices.SortFunc(res.Chain, func(a, b DORAEdge) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	})
	cats := map[string]bool{}
	for _, p := range res.Providers {
		if p.MappedTo != nil {
			if name, ok := strings.CutPrefix(res.known[p.Node].Origin, "catalog:"); ok {
				cats[name] = true
			}
		}
	}
	for c := range cats {
		res.Includes = append(res.Includes, c)
	}
	slices.Sort(res.Includes)
	return res, nil
}

// providerMeta is what the model keeps of a provider for the register's
// round trip (meta.dora).
func providerMeta(p *DORAProvider) map[string]any {
	m := map[string]any{"code": p.Code}
	if p.CodeType != "" {
		m["code_type"] = p.CodeType
	}
	if p.Country != "" {
		m["country"] = p.Country
	}
	if len(p.Contracts) > 0 {
		var cs []any
		for _, c := range p.Contracts {
			contract, service, _ := strings.Cut(c, " ")
			e := map[string]any{"contract": contract}
			if service != "" {
				e["service_type"] = service
			}
			cs = append(cs, e)
		}
		m["contracts"] = cs
	}
	return map[string]any{"dora": m}
}

// WriteYAML writes the register as a model file: the functions (your
// services), the providers (catalog nodes extended, the others new
// vendors) with their register codes in meta.dora, and every edge of
// unknown share.
func (r *DORAResult) WriteYAML(w io.Writer) error {
	mapped := 0
	for _, p := range r.Providers {
		if p.MappedTo != nil {
			mapped++
		}
	}
	header := []string{
		"Imported by `depgraph import dora` from " + strings.Join(r.Files, ", ") + ".",
		fmt.Sprintf("%d functions (B_06.01), %d ICT third-party service providers (B_05.01): %d mapped to catalog nodes;", len(r.Functions), len(r.Providers), mapped),
		fmt.Sprintf("%d supply-chain links recipient -> subcontractor (B_05.02, rank >= 2).", len(r.Chain)),
		"Every edge is of unknown share (impact: unknown): the register says who serves whom,",
		"not how much of a function fails with them. Check with `depgraph validate -m FILE`.",
	}
	var ys []*yaml.Node
	for _, n := range r.Functions {
		y, err := nodeYAML(n)
		if err != nil {
			return err
		}
		ys = append(ys, y)
	}
	for _, p := range r.Providers {
		n := &model.Node{ID: p.Node, Kind: model.KindVendor, Name: p.Name, Meta: providerMeta(p)}
		for _, to := range r.deps[p.Node] {
			n.DependsOn = append(n.DependsOn, model.Dependency{ID: to, ImpactUnknown: true})
		}
		if p.MappedTo != nil {
			if k := r.known[p.Node]; k != nil {
				n.DependsOn = slices.DeleteFunc(n.DependsOn, func(d model.Dependency) bool {
					return slices.ContainsFunc(k.DependsOn, func(kd model.Dependency) bool { return slices.Contains(kd.Targets(), d.ID) })
				})
			}
			y, err := overlayYAML(n)
			if err != nil {
				return err
			}
			ys = append(ys, y)
			continue
		}
		y, err := nodeYAML(n)
		if err != nil {
			return err
		}
		ys = append(ys, y)
	}
	return writeFile(w, header, r.Includes, ys)
}
