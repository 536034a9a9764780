// Package collect gathers the status feeds a model names: it plans which
// addresses to fetch from the nodes' status blocks, fetches them (package
// fetch), parses them (package feed) and records them (package store), one
// feed at a time so that one broken feed never stops or spoils the others.
package collect

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/feed"
	"github.com/depgraph/depgraph/internal/fetch"
	"github.com/depgraph/depgraph/internal/model"
	"github.com/depgraph/depgraph/internal/store"
)

// Feed is one feed a model reads: a format and a page or feed address,
// with the nodes whose status blocks name it.
type Feed struct {
	// Key identifies the feed in the store: "format url". All its
	// requests are recorded under it, so an incident seen in both a
	// summary and the history is one incident.
	Key string
	// Format is the feed format.
	Format feed.Format
	// URL is the address the status blocks give.
	URL string
	// Requests are the addresses fetched for it: a Statuspage-compatible
	// page gives its summary (components, open incidents) and its
	// incident history; other formats are fetched as given.
	Requests []string
	// Nodes are the ids of the nodes that read it, sorted.
	Nodes []string
}

// Plan lists the feeds the model's status blocks name, sorted by key.
// Status blocks without a URL are skipped, and so are the nodes for which
// used returns false (nil: every node), so that a model including a whole
// cloud catalog reads the feeds of what it uses, not of every region.
func Plan(m *model.Model, used func(id string) bool) []Feed {
	byKey := map[string]*Feed{}
	for _, n := range m.Nodes {
		st := n.Status
		if st == nil || st.URL == "" || (used != nil && !used(n.ID)) {
			continue
		}
		f := feed.Format(st.Type)
		key := string(f) + " " + st.URL
		if byKey[key] == nil {
			byKey[key] = &Feed{Key: key, Format: f, URL: st.URL, Requests: requests(f, st.URL)}
		}
		byKey[key].Nodes = append(byKey[key].Nodes, n.ID)
	}
	out := make([]Feed, 0, len(byKey))
	for _, f := range byKey {
		slices.Sort(f.Nodes)
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b Feed) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// requests expands a status block's address into the addresses to fetch.
func requests(f feed.Format, url string) []string {
	if (f == feed.FormatStatuspage || f == feed.FormatIncidentIO) && !strings.Contains(url, "/api/") &&
		!strings.HasSuffix(url, ".rss") && !strings.HasSuffix(url, ".atom") && !strings.HasSuffix(url, ".json") {
		base := strings.TrimSuffix(url, "/")
		return []string{base + "/api/v2/summary.json", base + "/api/v2/incidents.json"}
	}
	return []string{url}
}

// Result is what one feed's collection did.
type Result struct {
	// Feed is the feed collected.
	Feed Feed
	// Documents are the parsed documents, one per successful request.
	Documents []*feed.Document
	// New and Updated count incidents the store did not have, or had
	// older; NotModified counts requests answered 304.
	New, Updated, NotModified int
	// Errors lists what went wrong, one per failed request, naming the
	// address.
	Errors []string
	// Duration is the slowest request's time.
	Duration time.Duration
}

// Failed reports whether any request of the feed failed.
func (r *Result) Failed() bool { return len(r.Errors) > 0 }

// Run fetches every feed, parses what came and records it in st (nil:
// record nothing, as `depgraph status` does). Results come in the order of
// feeds. Fetching is concurrent within the fetcher's bounds; each feed is
// recorded in its own transaction, so a failure loses nothing stored.
func Run(ctx context.Context, fe *fetch.Fetcher, st *store.Store, feeds []Feed) ([]Result, error) {
	var reqs []fetch.Request
	owner := []int{}
	for i, f := range feeds {
		for _, u := range f.Requests {
			r := fetch.Request{Key: f.Key, URL: u}
			// The store keeps one set of validators per feed: send them
			// only when the feed is a single address.
			if st != nil && len(f.Requests) == 1 {
				etag, lm, err := st.Validators(ctx, r.Key)
				if err != nil {
					return nil, err
				}
				r.ETag, r.LastModified = etag, lm
			}
			reqs = append(reqs, r)
			owner = append(owner, i)
		}
	}
	fetched := fe.FetchAll(ctx, reqs)
	results := make([]Result, len(feeds))
	for i := range feeds {
		results[i].Feed = feeds[i]
	}
	for k, fr := range fetched {
		res := &results[owner[k]]
		f := feeds[owner[k]]
		res.Duration = max(res.Duration, fr.Duration)
		rec := store.FetchRecord{URL: fr.URL, Format: f.Format, FetchedAt: fr.FetchedAt, Duration: fr.Duration,
			Status: fr.Status, Bytes: int64(len(fr.Body)), ETag: fr.ETag, LastModified: fr.LastModified,
			NotModified: fr.NotModified, Attempts: fr.Attempts}
		var doc *feed.Document
		switch {
		case fr.Err != nil:
			rec.Error = fr.Err.Error()
		case fr.NotModified:
			res.NotModified++
		default:
			var err error
			doc, err = feed.Parse(fr.Body, f.Format, fr.URL)
			if err != nil {
				rec.Error = err.Error()
			}
		}
		if rec.Error != "" {
			res.Errors = append(res.Errors, fmt.Sprintf("%s: %s", fr.URL, rec.Error))
		}
		if doc != nil {
			res.Documents = append(res.Documents, doc)
			// A saved feed was seen when it was captured, not now.
			if fe.Offline != "" && doc.Source.UpdatedAt != nil {
				rec.FetchedAt = *doc.Source.UpdatedAt
			}
		}
		if st == nil {
			continue
		}
		stats, err := st.Record(ctx, reqs[k].Key, doc, rec)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return results, err
			}
			res.Errors = append(res.Errors, fmt.Sprintf("%s: record: %v", fr.URL, err))
			continue
		}
		res.New += stats.IncidentsNew
		res.Updated += stats.IncidentsUpdated
	}
	return results, nil
}
