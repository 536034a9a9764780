package catalogs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/golden"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/statusmap"
	"github.com/depgraph/depgraph/internal/store"
)

// The priors the catalogs ship (`unavailability:` on a node, with a source
// whose note starts with "prior:") are derived here from real status
// history in ../../shared/data, and checked: TestPriors fails when a
// catalog's number or note differs from what the data gives, and
// `go test ./catalogs -run TestPriors -update` rewrites them.
//
// Assumptions, stated in every note: an incident concerns a node when the
// node's own status block binds it (statusmap.Binding.Concerns); outage time
// is major/critical time plus half of minor time (store.DefaultMinorWeight),
// overlaps counted once, clipped to the window; months missing from a capture
// are no data and are cut out of the window, not counted as healthy; status
// posts understate (what a vendor never posted is not counted). A node with
// no incident in the window gets no number: zero posts bound nothing.

// priorSet is one real incident history and the window it covers.
type priorSet struct {
	name   string // short name used in notes
	path   string // under ../../shared/data
	format feed.Format
	url    string // the source cited
	asOf   string // the capture's own date
	// types and host select the status blocks that read this history.
	types   []string
	host    string
	from    time.Time
	to      time.Time
	gaps    []store.Interval // spans inside [from, to) with no data
	gapNote string
	// majorW and minorW are the share of an hour of a major or minor
	// incident counted as down (a critical hour counts whole).
	majorW, minorW float64
	weightNote     string
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var priorSets = []priorSet{
	{
		name: "AWS status history", path: "feeds/aws/legacy-data-json-2022-07-03-trimmed-excl-dec-2021.json", format: feed.FormatAWSEvents,
		url: "https://github.com/moritalous/cloud-status-history/blob/HEAD/app/public/data.json", asOf: "2022-07-03",
		types: []string{"aws-rss", "aws-events"},
		from:  day("2021-06-24"), to: day("2022-07-03"),
		gaps: []store.Interval{{Start: day("2021-12-01"), End: day("2022-01-01")}}, gapNote: "December 2021",
		majorW: 1, minorW: store.DefaultMinorWeight, weightNote: "outage hours = major + 0.5 x minor (every legacy post reads as minor)",
	},
	{
		name: "Google Cloud status history", path: "feeds/gcp/incidents-2022-07-03-trimmed-excl-nov-dec-2021.json", format: feed.FormatGCP,
		url: "https://github.com/moritalous/cloud-status-history/blob/HEAD/app/public/incidents.json", asOf: "2022-07-03",
		types: []string{"gcp"},
		from:  day("2021-07-07"), to: day("2022-07-03"),
		gaps: []store.Interval{{Start: day("2021-11-01"), End: day("2022-01-01")}}, gapNote: "November-December 2021",
		// Google keeps partial issues open as disruptions for weeks (one GKE
		// node-pool issue for 59 days): only outage hours count as down.
		majorW: 0, minorW: 0, weightNote: "outage hours = SERVICE_OUTAGE hours only; disruptions and information posts count in the incident rate, not as down time (Google keeps partial issues open for weeks)",
	},
	{
		name: "GitHub incident history", path: "feeds/statuspage/history/github", format: feed.FormatStatuspage,
		url: "https://github.com/GitHub-Incident-History/GitHub-Incident-History/blob/HEAD/incidents/", asOf: "2023-10-06",
		types: []string{"statuspage"}, host: "githubstatus.com",
		// The last three years of the capture: older records carry no
		// components and often no duration.
		from: day("2020-10-06"), to: day("2023-10-06"),
		majorW: 1, minorW: store.DefaultMinorWeight, weightNote: "outage hours = major or critical + 0.5 x minor",
	},
}

// priorData is where the shared data lives, relative to this package.
const priorData = "../../shared/data"

// prior is what one history gives one node.
type prior struct {
	node                       *model.Node
	set                        *priorSet
	incidents, crit, major, mn int
	critH, majorH, minorH      float64
	windowDays                 float64
	value                      string // unavailability, 2 significant digits
}

func (p prior) note() string {
	gap := ""
	if p.set.gapNote != "" {
		gap = "; " + p.set.gapNote + " missing from the capture: no data, cut out of the window"
	}
	return fmt.Sprintf("prior: %d incidents (%d critical, %d major, %d minor) concern this node in the %s %s to %s (%.0f days%s): %.1f incidents a year; %.1f h critical, %.1f h major, %.1f h minor; %s; unavailability = outage hours / window = %s. Status posts understate: what was never posted is not counted. Derived by catalogs/priors_test.go",
		p.incidents, p.crit, p.major, p.mn, p.set.name, p.set.from.Format(time.DateOnly), p.set.to.Format(time.DateOnly), p.windowDays, gap,
		float64(p.incidents)/p.windowDays*365.25, p.critH, p.majorH, p.minorH, p.set.weightNote, p.value)
}

func loadHistory(t *testing.T, s *priorSet) []feed.Incident {
	t.Helper()
	root := filepath.Join(priorData, s.path)
	st, err := os.Stat(root)
	if err != nil {
		t.Skipf("no shared data (%v): priors not checked", err)
	}
	files := []string{root}
	if st.IsDir() {
		files, _ = filepath.Glob(filepath.Join(root, "*.json"))
	}
	var out []feed.Incident
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := feed.Parse(data, s.format, f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, doc.Incidents...)
	}
	return out
}

// computePriors returns the prior of every node one history concerns.
func computePriors(t *testing.T, m *model.Model) map[string]prior {
	out := map[string]prior{}
	for i := range priorSets {
		s := &priorSets[i]
		incs := loadHistory(t, s)
		windows := store.SubtractIntervals([]store.Interval{{Start: s.from, End: s.to}}, s.gaps)
		var windowH float64
		for _, w := range windows {
			windowH += w.Duration().Hours()
		}
		inWindow := func(at time.Time) bool {
			return slices.ContainsFunc(windows, func(w store.Interval) bool { return !at.Before(w.Start) && at.Before(w.End) })
		}
		for _, n := range m.Nodes {
			st := n.Status
			if st == nil || !slices.Contains(s.types, st.Type) || (s.host != "" && !strings.Contains(st.URL, s.host)) {
				continue
			}
			b := statusmap.Binding{Node: n, Status: st}
			p := prior{node: n, set: s, windowDays: windowH / 24}
			var crit, major, minor []store.Interval
			for j := range incs {
				in := &incs[j]
				if in.Impact == feed.ImpactMaintenance || in.StartedAt.IsZero() || !inWindow(in.StartedAt) || !b.Concerns(in) {
					continue
				}
				end := s.to
				if in.ResolvedAt != nil {
					end = *in.ResolvedAt
				}
				iv := store.Interval{Start: in.StartedAt, End: end}
				p.incidents++
				switch in.Impact {
				case feed.ImpactCritical:
					p.crit++
					crit = append(crit, iv)
				case feed.ImpactMajor:
					p.major++
					major = append(major, iv)
				case feed.ImpactMinor:
					p.mn++
					minor = append(minor, iv)
				}
			}
			if p.incidents == 0 {
				continue
			}
			var critD, majorD, minorD time.Duration
			for _, w := range windows {
				cm := store.OutageIn(crit, major, w.Start, w.End) // major time not under a critical incident
				critD += cm.Major
				majorD += cm.Minor
				above := store.MergeIntervals(store.ClipIntervals(append(slices.Clone(crit), major...), w.Start, w.End))
				minorD += store.TotalDuration(store.SubtractIntervals(store.ClipIntervals(minor, w.Start, w.End), above))
			}
			p.critH, p.majorH, p.minorH = critD.Hours(), majorD.Hours(), minorD.Hours()
			u := (p.critH + s.majorW*p.majorH + s.minorW*p.minorH) / windowH
			if u <= 0 {
				continue
			}
			u = min(u, 1)
			p.value = twoDigits(u)
			if _, dup := out[n.ID]; dup {
				t.Fatalf("%s: two histories give it a prior", n.ID)
			}
			out[n.ID] = p
		}
	}
	return out
}

// priorSource returns the node's prior source, if any.
func priorSource(n *model.Node) (model.Source, bool) {
	for _, s := range n.Sources {
		if strings.HasPrefix(s.Note, "prior:") {
			return s, true
		}
	}
	return model.Source{}, false
}

func TestPriors(t *testing.T) {
	res, _ := loadAll(t)
	want := computePriors(t, res.Model)
	if len(want) == 0 {
		t.Fatal("no node got a prior from the shared data: are the status blocks bound?")
	}
	if *golden.Update {
		updatePriors(t, res.Model, want)
		return
	}
	for _, n := range res.Model.Nodes {
		p, ok := want[n.ID]
		src, has := priorSource(n)
		switch {
		case !ok && (has || n.Unavailability != nil && has):
			t.Errorf("%s: ships a prior the data does not give (run go test ./catalogs -run TestPriors -update)", n.ID)
		case ok && n.Unavailability == nil:
			t.Errorf("%s: the data gives unavailability %s, the catalog ships none (-update)", n.ID, p.value)
		case ok:
			if got := twoDigits(*n.Unavailability); got != p.value {
				t.Errorf("%s: unavailability %s, the data gives %s (-update)", n.ID, got, p.value)
			}
			if !has || src.Note != p.note() || src.URL != p.set.url || src.AsOf != p.set.asOf {
				t.Errorf("%s: prior source differs from the data's:\n got %+v\nwant {URL:%s AsOf:%s Note:%s}", n.ID, src, p.set.url, p.set.asOf, p.note())
			}
		}
	}
	t.Logf("%d nodes carry a prior", len(want))
}

// updatePriors rewrites the catalogs: every node the data gives a prior gets
// `unavailability:` right after its id line and the prior source first in
// its sources; nodes that carry a prior the data no longer gives lose both.
func updatePriors(t *testing.T, m *model.Model, want map[string]prior) {
	type edit struct {
		n *model.Node
		p *prior
	}
	byFile := map[string][]edit{}
	for _, n := range m.Nodes {
		_, has := priorSource(n)
		p, ok := want[n.ID]
		if !ok && !has {
			continue
		}
		e := edit{n: n}
		if ok {
			e.p = &p
		}
		f := filepath.Base(n.Pos.File)
		byFile[f] = append(byFile[f], e)
	}
	for f, edits := range byFile {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		// Bottom-up, so earlier line numbers stay valid.
		slices.SortFunc(edits, func(a, b edit) int { return b.n.Pos.Line - a.n.Pos.Line })
		for _, e := range edits {
			lines = rewriteNode(t, lines, e.n, e.p)
		}
		if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s (%d nodes)", f, len(edits))
	}
}

func rewriteNode(t *testing.T, lines []string, n *model.Node, p *prior) []string {
	start := n.Pos.Line - 1
	indent := strings.Repeat(" ", n.Pos.Col-1)
	if !strings.Contains(lines[start], "id: "+lastSegment(n.ID)) {
		t.Fatalf("%s: line %d is not its id line: %q", n.ID, n.Pos.Line, lines[start])
	}
	end := start + 1
	for end < len(lines) && (strings.TrimSpace(lines[end]) == "" || strings.HasPrefix(lines[end], indent) && !strings.HasPrefix(lines[end], indent[:len(indent)-2]+"- ")) {
		end++
	}
	var block []string
	inSources := false
	for i := start + 1; i < end; i++ {
		l := lines[i]
		if len(l) > len(indent) && strings.HasPrefix(l, indent) && l[len(indent)] != ' ' {
			inSources = l == indent+"sources:" // a key of this node
		}
		if strings.HasPrefix(l, indent+"unavailability:") || inSources && strings.HasPrefix(l, indent+"  - ") && strings.Contains(l, `note: "prior:`) {
			continue
		}
		block = append(block, l)
		if p != nil && l == indent+"sources:" {
			block = append(block, fmt.Sprintf("%s  - {url: %q, as_of: %s, note: %q}", indent, p.set.url, p.set.asOf, p.note()))
		}
	}
	if p != nil {
		if !slices.Contains(block, indent+"sources:") {
			t.Fatalf("%s: no block-style sources: list to add the prior to", n.ID)
		}
		block = append([]string{indent + "unavailability: " + p.value}, block...)
	}
	out := append([]string{}, lines[:start+1]...)
	out = append(out, block...)
	return append(out, lines[end:]...)
}

func lastSegment(id string) string {
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[i+1:]
	}
	return id
}

// twoDigits rounds to two significant digits, written in plain decimals
// (YAML reads 1e-05 as a string under some schemas).
func twoDigits(u float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(u, 'g', 2, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
