package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/depgraph/depgraph/internal/collect"
	"github.com/depgraph/depgraph/internal/fetch"
)

// TestFeedProgressCountsFeeds: progress counts feeds, as the summary does,
// not requests (issue 16: "3/3 feeds" then "1 of 2 feeds failed").
func TestFeedProgressCountsFeeds(t *testing.T) {
	feeds := []collect.Feed{
		{Key: "statuspage https://a", Requests: []string{"https://a/api/v2/summary.json", "https://a/api/v2/incidents.json"}},
		{Key: "rss https://b/feed.rss", Requests: []string{"https://b/feed.rss"}},
	}
	var buf bytes.Buffer
	p := feedProgress(&buf, feeds)
	for i, key := range []string{"statuspage https://a", "rss https://b/feed.rss", "statuspage https://a"} {
		p(fetch.Progress{Done: i + 1, Total: 3, Result: &fetch.Result{Key: key}})
	}
	got := strings.Split(strings.TrimSpace(buf.String()), "\r")
	want := []string{"depgraph: fetched 0/2 feeds", "depgraph: fetched 1/2 feeds", "depgraph: fetched 2/2 feeds"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("progress = %q, want %q", got, want)
	}
}
