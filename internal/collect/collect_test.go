package collect

import (
	"slices"
	"testing"

	"github.com/depgraph/depgraph/internal/model"
)

func TestPlan(t *testing.T) {
	m := &model.Model{Nodes: []*model.Node{
		{ID: "gh/git", Status: &model.Status{Type: "statuspage", URL: "https://www.githubstatus.com", Components: []string{"Git Operations"}}},
		{ID: "gh/api", Status: &model.Status{Type: "statuspage", URL: "https://www.githubstatus.com", Components: []string{"API Requests"}}},
		{ID: "aws/us-east-1/s3", Status: &model.Status{Type: "aws-rss", URL: "https://status.aws.amazon.com/rss/s3-us-standard.rss"}},
		{ID: "unused", Status: &model.Status{Type: "rss", URL: "https://example.com/feed.rss"}},
		{ID: "no-url", Status: &model.Status{Type: "rss"}},
	}}
	feeds := Plan(m, func(id string) bool { return id != "unused" })
	if len(feeds) != 2 {
		t.Fatalf("got %d feeds, want 2: %+v", len(feeds), feeds)
	}
	aws, gh := feeds[0], feeds[1]
	if aws.Key != "aws-rss https://status.aws.amazon.com/rss/s3-us-standard.rss" || !slices.Equal(aws.Requests, []string{"https://status.aws.amazon.com/rss/s3-us-standard.rss"}) {
		t.Errorf("aws feed: %+v", aws)
	}
	if !slices.Equal(gh.Requests, []string{"https://www.githubstatus.com/api/v2/summary.json", "https://www.githubstatus.com/api/v2/incidents.json"}) {
		t.Errorf("statuspage requests: %v", gh.Requests)
	}
	if !slices.Equal(gh.Nodes, []string{"gh/api", "gh/git"}) {
		t.Errorf("statuspage nodes: %v", gh.Nodes)
	}
	if all := Plan(m, nil); len(all) != 3 {
		t.Errorf("without a filter: got %d feeds, want 3", len(all))
	}
}
