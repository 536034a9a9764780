package watch

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2021, 12, 7, 15, 30, 0, 0, time.UTC)

// cycle builds a Cycle at minute m with the given groups; every feed in
// feeds is read unless listed in blind.
func cycle(m int, groups []Group, blind ...string) Cycle {
	c := Cycle{At: t0.Add(time.Duration(m) * time.Minute), Groups: groups}
	for _, f := range []string{"aws", "chatco", "payco"} {
		c.Feeds = append(c.Feeds, CycleFeed{Key: f, Nodes: []string{f + "-node"}, Read: !slices.Contains(blind, f), Error: "boom"})
	}
	c.UnknownServices = func(ids []string) []string { return []string{"acme/" + strings.Join(ids, "+")} }
	return c
}

func group(root string, reporting ...string) Group {
	return Group{Finding: Finding{Roots: []string{root}, Probability: 0.8, Layer: "region", Reporting: reporting, AffectedServices: []string{"acme/shop"},
		Incidents: []Incident{{Node: reporting[0], ID: "i-" + reporting[0], Title: "trouble"}}}, Paths: [][]string{}}
}

// withP is g with another probability.
func withP(g Group, p float64) Group {
	g.Probability = p
	return g
}

// kinds writes events as "kind situation" strings.
func kinds(evs []Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Event+" "+e.Situation)
	}
	return out
}

func TestStep(t *testing.T) {
	aws := group("aws-node", "aws-node")
	awsChat := group("aws-node", "aws-node", "chatco-node")
	chat := group("chatco-node", "chatco-node")
	tests := []struct {
		name   string
		cycles []Cycle
		want   [][]string // events per cycle
	}{
		{
			name:   "open, update when a vendor reports, resolve",
			cycles: []Cycle{cycle(0, []Group{aws}), cycle(1, []Group{awsChat}), cycle(2, []Group{awsChat}), cycle(3, nil), cycle(4, nil)},
			want:   [][]string{{"opened s1"}, {"updated s1"}, {}, {"resolved s1"}, {}},
		},
		{
			name: "a probability drifting by small steps is updated once it has moved by 0.1 since the last event",
			cycles: []Cycle{cycle(0, []Group{withP(aws, 0.5)}), cycle(1, []Group{withP(aws, 0.55)}), cycle(2, []Group{withP(aws, 0.6)}),
				cycle(3, []Group{withP(aws, 0.65)}), cycle(4, []Group{withP(aws, 0.69)}), cycle(5, []Group{withP(aws, 0.7)})},
			want: [][]string{{"opened s1"}, {}, {"updated s1"}, {}, {}, {"updated s1"}},
		},
		{
			name:   "a move of exactly 0.1 is an update",
			cycles: []Cycle{cycle(0, []Group{withP(aws, 0.4)}), cycle(1, []Group{withP(aws, 0.5)}), cycle(2, []Group{withP(aws, 0.41)})},
			want:   [][]string{{"opened s1"}, {"updated s1"}, {}},
		},
		{
			name:   "two roots, two situations",
			cycles: []Cycle{cycle(0, []Group{aws, group("payco-node", "payco-node")}), cycle(1, []Group{aws}), cycle(2, nil)},
			want:   [][]string{{"opened s1", "opened s2"}, {"resolved s2"}, {"resolved s1"}},
		},
		{
			name: "a flapping feed opens once, resolves once, then must be seen twice in a row",
			cycles: []Cycle{cycle(0, []Group{aws}), cycle(1, nil), cycle(2, []Group{aws}), cycle(3, nil), cycle(4, []Group{aws}), cycle(5, nil),
				cycle(6, []Group{aws}), cycle(7, []Group{aws}), cycle(8, nil)},
			want: [][]string{{"opened s1"}, {"resolved s1"}, {}, {}, {}, {}, {}, {"opened s2"}, {"resolved s2"}},
		},
		{
			name:   "trouble again after the flap window opens at once",
			cycles: []Cycle{cycle(0, []Group{aws}), cycle(1, nil), cycle(40, []Group{aws})},
			want:   [][]string{{"opened s1"}, {"resolved s1"}, {"opened s2"}},
		},
		{
			name: "a blind member keeps the situation open; blind is said once",
			cycles: []Cycle{cycle(0, []Group{awsChat}), cycle(1, []Group{aws}, "chatco"), cycle(2, nil, "chatco"), cycle(3, nil, "chatco"),
				cycle(4, nil)},
			want: [][]string{{"opened s1"}, {"blind s1"}, {}, {}, {"resolved s1"}},
		},
		{
			name:   "blind on the first cycle, with no situation",
			cycles: []Cycle{cycle(0, nil, "payco"), cycle(1, nil, "payco"), cycle(2, nil), cycle(3, nil, "payco")},
			want:   [][]string{{"blind "}, {}, {}, {"blind "}},
		},
		{
			name:   "a root revised merges two situations",
			cycles: []Cycle{cycle(0, []Group{chat}), cycle(1, []Group{chat, aws}), cycle(2, []Group{awsChat})},
			want:   [][]string{{"opened s1"}, {"opened s2"}, {"resolved s1", "updated s2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each cycle runs on a state that went through JSON, as a
			// restart between cycles does.
			var st State
			for i, c := range tt.cycles {
				b, err := json.Marshal(&st)
				if err != nil {
					t.Fatal(err)
				}
				st = State{}
				if err := json.Unmarshal(b, &st); err != nil {
					t.Fatal(err)
				}
				got := kinds(st.Step(c))
				if !slices.Equal(got, tt.want[i]) {
					t.Fatalf("cycle %d: events %v, want %v", i, got, tt.want[i])
				}
			}
		})
	}
}

func TestStepMerge(t *testing.T) {
	var st State
	st.Step(cycle(0, []Group{group("chatco-node", "chatco-node")}))
	st.Step(cycle(1, []Group{group("chatco-node", "chatco-node"), group("aws-node", "aws-node")}))
	evs := st.Step(cycle(2, []Group{group("aws-node", "aws-node", "chatco-node")}))
	// s2 (aws) shares the root and takes the group: updated with chatco
	// reporting; s1's reports are now explained by aws-node: resolved as
	// merged.
	got := map[string]Event{}
	for _, e := range evs {
		got[e.Event+" "+e.Situation] = e
	}
	up, ok := got["updated s2"]
	if !ok {
		t.Fatalf("no update of s2: %v", kinds(evs))
	}
	if !slices.Contains(up.Changes, "now reporting: chatco-node") {
		t.Errorf("changes %v", up.Changes)
	}
	res, ok := got["resolved s1"]
	if !ok {
		t.Fatalf("s1 not resolved: %v", kinds(evs))
	}
	if len(res.Changes) != 1 || !strings.Contains(res.Changes[0], "merged") {
		t.Errorf("resolved s1 changes %v, want merged", res.Changes)
	}
}

func TestStepUpdates(t *testing.T) {
	base := group("aws-node", "aws-node")
	tests := []struct {
		name   string
		next   Group
		change string // "" for no update
	}{
		{"nothing new", base, ""},
		{"small probability move", func() Group { g := base; g.Probability = 0.85; return g }(), ""},
		{"probability moves 10 points", func() Group { g := base; g.Probability = 0.95; return g }(), "probability 80% → 95%"},
		{"root revised", func() Group {
			g := base
			g.Roots = []string{"aws-region"}
			g.Reporting = []string{"aws-node"}
			return g
		}(), "root revised: aws-node → aws-region"},
		{"more services", func() Group { g := base; g.AffectedServices = []string{"acme/chat", "acme/shop"}; return g }(), "services now affected: acme/chat"},
		{"new incident", func() Group {
			g := base
			g.Incidents = append(slices.Clone(g.Incidents), Incident{Node: "aws-node", ID: "i2", Title: "more"})
			return g
		}(), "new incidents: aws-node: more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st State
			st.Step(cycle(0, []Group{base}))
			evs := st.Step(cycle(1, []Group{tt.next}))
			if tt.change == "" {
				if len(evs) != 0 {
					t.Fatalf("events %v, want none", kinds(evs))
				}
				return
			}
			if len(evs) != 1 || evs[0].Event != Updated || !slices.Contains(evs[0].Changes, tt.change) {
				t.Fatalf("events %v (changes %v), want updated with %q", kinds(evs), changes(evs), tt.change)
			}
		})
	}
}

func changes(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Changes...)
	}
	return out
}

// TestEventShape: every event has every field, lists as [] never null.
func TestEventShape(t *testing.T) {
	var st State
	evs := st.Step(cycle(0, []Group{group("aws-node", "aws-node")}, "payco"))
	evs = append(evs, st.Step(cycle(1, nil))...)
	if len(evs) != 3 {
		t.Fatalf("events %v", kinds(evs))
	}
	for _, e := range evs {
		b, _ := json.Marshal(e)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"schema_version", "event", "situation", "at", "roots", "probability", "layer", "affected_services", "reporting", "incidents", "unknown", "unreadable_feeds", "unknown_services", "changes"} {
			v, ok := m[k]
			if !ok || v == nil {
				t.Errorf("%s event: %q is %v", e.Event, k, v)
			}
		}
		if e.Event == Blind && fmt.Sprint(e.UnknownServices) != "[acme/payco-node]" {
			t.Errorf("blind unknown services %v", e.UnknownServices)
		}
	}
}
