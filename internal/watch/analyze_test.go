package watch

import (
	"slices"
	"testing"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/live"
	"github.com/depgraph/depgraph/internal/testmodel"
)

const analyzeModel = `
  - {id: aws, kind: provider}
  - {id: aws/use1, kind: region, depends_on: [aws]}
  - {id: aws/use1/ec2, kind: cloud-service, depends_on: [aws/use1], status: {type: aws-rss, url: "https://s.example/ec2.rss"}}
  - {id: aws/use1/sts, kind: cloud-service, depends_on: [aws/use1], status: {type: aws-rss, url: "https://s.example/sts.rss"}}
  - {id: aws/use1/s3, kind: cloud-service, depends_on: [aws/use1]}
  - {id: chatco, kind: vendor, depends_on: [aws/use1/ec2], status: {type: statuspage, url: "https://chatco.example"}}
  - {id: payco, kind: vendor, status: {type: statuspage, url: "https://payco.example"}}
  - {id: acme/chat, kind: service, depends_on: [chatco]}
  - {id: acme/shop, kind: service, depends_on: [aws/use1/sts, payco]}
  - {id: acme/files, kind: service, depends_on: [aws/use1/s3]}
`

func report(node string, x float64, started time.Time, title string) live.Report {
	return live.Report{Node: node, Impairment: x, Incidents: []live.Incident{{Node: node, ID: node + "-1", Title: title, Impact: feed.ImpactMajor, StartedAt: started, Text: title}}}
}

func TestAnalyze(t *testing.T) {
	g := testmodel.Graph(t, analyzeModel)
	at := time.Date(2021, 12, 7, 16, 40, 0, 0, time.UTC)
	tests := []struct {
		name      string
		reporting []live.Report
		want      [][]string // per group: roots, then "|", then reporting
	}{
		{
			name:      "two services of a region and a vendor on one of them: one group, rooted at the region",
			reporting: []live.Report{report("aws/use1/ec2", 0.5, at.Add(-30*time.Minute), "Increased API error rates"), report("aws/use1/sts", 0.5, at.Add(-28*time.Minute), "Increased error rates"), report("chatco", 0.5, at.Add(-15*time.Minute), "Outage caused by our cloud provider")},
			want:      [][]string{{"aws/use1", "|", "aws/use1/ec2", "aws/use1/sts", "chatco"}},
		},
		{
			name:      "an unrelated vendor is a group of its own",
			reporting: []live.Report{report("aws/use1/ec2", 0.5, at.Add(-30*time.Minute), "Increased API error rates"), report("chatco", 0.5, at.Add(-15*time.Minute), "Outage caused by our cloud provider"), report("payco", 1, at.Add(-10*time.Minute), "Payments failing after a deploy")},
			want:      [][]string{{"aws/use1/ec2", "|", "aws/use1/ec2", "chatco"}, {"payco", "|", "payco"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := &live.State{At: at, Reporting: tt.reporting, Watched: []string{"aws/use1/ec2", "aws/use1/sts", "chatco", "payco"}}
			groups := Analyze(g, ls, AnalyzeOptions{})
			var got [][]string
			for _, gr := range groups {
				got = append(got, append(append(slices.Clone(gr.Roots), "|"), gr.Reporting...))
				if gr.Probability <= 0 || gr.Probability > 1 {
					t.Errorf("group %v: probability %v", gr.Roots, gr.Probability)
				}
				if len(gr.AffectedServices) == 0 {
					t.Errorf("group %v: no affected service", gr.Roots)
				}
			}
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Fatalf("groups %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAnalyzeServicesAndPaths(t *testing.T) {
	g := testmodel.Graph(t, analyzeModel)
	at := time.Date(2021, 12, 7, 16, 40, 0, 0, time.UTC)
	ls := &live.State{At: at, Reporting: []live.Report{report("chatco", 1, at.Add(-time.Hour), "API down")}, Watched: []string{"chatco"}}
	groups := Analyze(g, ls, AnalyzeOptions{})
	if len(groups) != 1 {
		t.Fatalf("groups %+v", groups)
	}
	gr := groups[0]
	if !slices.Equal(gr.AffectedServices, []string{"acme/chat"}) {
		t.Errorf("affected %v", gr.AffectedServices)
	}
	if !slices.ContainsFunc(gr.Paths, func(p []string) bool { return slices.Equal(p, []string{"acme/chat", "chatco"}) }) {
		t.Errorf("paths %v, want acme/chat → chatco", gr.Paths)
	}
	if len(gr.Incidents) != 1 || gr.Incidents[0].ID != "chatco-1" {
		t.Errorf("incidents %+v", gr.Incidents)
	}
	if got := UnknownServices(g, []string{"aws/use1"}); !slices.Equal(got, []string{"acme/chat", "acme/files", "acme/shop"}) {
		t.Errorf("unknown services %v", got)
	}
}
