package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var offlineNameTests = []struct {
	in, want string
}{
	{"github", "github"},
	{"https://www.githubstatus.com/api/v2/summary.json", "www.githubstatus.com_api_v2_summary.json"},
	{"http://status.aws.amazon.com/rss/s3-us-east-1.rss", "status.aws.amazon.com_rss_s3-us-east-1.rss"},
	{"vendor/api:prod", "vendor_api_prod"},
	{"a b?c=d&e#f", "a_b_c_d_e_f"},
	{"../../etc/passwd", ".._.._etc_passwd"},
	{"..", "_.."},
	{"", "_"},
	{"ünï", "__n__"}, // bytes, not runes: each UTF-8 byte becomes _
}

func TestOfflineName(t *testing.T) {
	for _, tt := range offlineNameTests {
		if got := OfflineName(tt.in); got != tt.want {
			t.Errorf("OfflineName(%q) got:%q want:%q", tt.in, got, tt.want)
		}
	}
}

// offlineDir is laid out by TestOffline.
var offlineFiles = map[string]string{
	"github":     "by key",
	"slack.json": "by key with extension",
	"www.githubstatus.com_api_v2_summary.json": "by url",
	"status.example.com_feed.atom":             "by url with extension",
	"dup.json":                                 "one",
	"dup.rss":                                  "two",
}

var offlineTests = []struct {
	name     string
	req      Request
	wantBody string
	wantErr  string
}{
	{"exact key", Request{Key: "github", URL: "https://www.githubstatus.com/api/v2/summary.json"}, "by key", ""},
	{"key plus extension", Request{Key: "slack"}, "by key with extension", ""},
	{"url", Request{Key: "gh", URL: "https://www.githubstatus.com/api/v2/summary.json"}, "by url", ""},
	{"url plus extension", Request{Key: "x", URL: "https://status.example.com/feed"}, "by url with extension", ""},
	{"ambiguous", Request{Key: "dup"}, "", "2 files match dup.*"},
	{"missing", Request{Key: "nope", URL: "https://nope.example/x"}, "", `no saved feed for "nope"`},
	{"too large", Request{Key: "big"}, "", "response larger than 64 bytes"},
}

func TestOffline(t *testing.T) {
	dir := t.TempDir()
	for name, body := range offlineFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "big"), []byte(strings.Repeat("x", 65)), 0o644); err != nil {
		t.Fatal(err)
	}
	// The network must not be touched.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("offline fetcher made a request to %s", r.URL)
	}))
	defer srv.Close()
	f := &Fetcher{Offline: dir, MaxBytes: 64, Client: srv.Client()}
	for _, tt := range offlineTests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.Fetch(context.Background(), tt.req)
			if tt.wantErr != "" {
				if res.Err == nil || !strings.Contains(res.Err.Error(), tt.wantErr) || !strings.HasPrefix(res.Err.Error(), "fetch: ") {
					t.Fatalf("err got:%v want one containing %q", res.Err, tt.wantErr)
				}
				return
			}
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if string(res.Body) != tt.wantBody || res.Status != 200 || res.File == "" || res.Attempts != 1 {
				t.Errorf("got %+v, want body %q", res, tt.wantBody)
			}
		})
	}
	if res := f.Fetch(context.Background(), Request{Key: "nope", URL: srv.URL}); res.Err == nil {
		t.Error("offline fetcher fell back to the network")
	}
}

func TestSaveThenOffline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			w.Write([]byte("feed a"))
		case "/same":
			w.WriteHeader(http.StatusNotModified)
		default:
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()
	reqs := []Request{
		{Key: "node/a", URL: srv.URL + "/a"},
		{Key: "gone", URL: srv.URL + "/gone"},
		{Key: "same", URL: srv.URL + "/same", ETag: `"x"`},
	}
	online := (&Fetcher{}).FetchAll(context.Background(), reqs)
	dir := filepath.Join(t.TempDir(), "saved")
	if err := Save(dir, online); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "node_a" {
		t.Fatalf("saved %v, want only node_a", entries)
	}
	offline := (&Fetcher{Offline: dir}).FetchAll(context.Background(), reqs)
	if offline[0].Err != nil || string(offline[0].Body) != "feed a" {
		t.Errorf("replay of node/a: %+v", offline[0])
	}
	if offline[1].Err == nil || offline[2].Err == nil {
		t.Errorf("feeds never saved replayed: %+v", offline[1:])
	}
}

// TestOfflineRealFeeds replays the real development payloads in
// shared/data/feeds by key, as `depgraph --offline DIR` would.
func TestOfflineRealFeeds(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "feeds", "statuspage", "components")
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		t.Skipf("real feed data not found at %s (it lives outside the repo)", dir)
	}
	reqs := []Request{
		{Key: "github-components", URL: "https://www.githubstatus.com/api/v2/components.json"},
		{Key: "linode-components-problems"},
		{Key: "github"}, // github-components.json and …-with-problem.json do not match github.*: github-components.* is not github.*
	}
	res := (&Fetcher{Offline: dir}).FetchAll(context.Background(), reqs)
	for i, r := range res[:2] {
		if r.Err != nil || !strings.HasPrefix(strings.TrimSpace(string(r.Body)), "{") || filepath.Base(r.File) != reqs[i].Key+".json" {
			t.Errorf("%s: %v, file %s, %d bytes", reqs[i].Key, r.Err, r.File, len(r.Body))
		}
	}
	if res[2].Err == nil {
		t.Errorf("key github matched %s", res[2].File)
	}
}

// FuzzOfflineName checks that any key maps to one plain file name inside
// the offline directory.
func FuzzOfflineName(f *testing.F) {
	for _, tt := range offlineNameTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name := OfflineName(s)
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
			t.Fatalf("OfflineName(%q) = %q: not a plain file name", s, name)
		}
		if filepath.Base(name) != name {
			t.Fatalf("OfflineName(%q) = %q escapes its directory", s, name)
		}
		if OfflineName(name) != name {
			t.Fatalf("OfflineName not idempotent on %q: %q", name, OfflineName(name))
		}
	})
}

// TestOfflineRefusesFIFO: a FIFO saved under a feed's name fails at once
// instead of blocking the ingest.
func TestOfflineRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "status.example.com_feed.json"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan Result, 1)
	go func() {
		done <- (&Fetcher{Offline: dir}).Fetch(context.Background(), Request{Key: "k", URL: "https://status.example.com/feed.json"})
	}()
	select {
	case res := <-done:
		if res.Err == nil || !strings.Contains(res.Err.Error(), "not a regular file (a FIFO or device)") {
			t.Fatalf("err = %v, want a refused FIFO", res.Err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("offline read of a FIFO blocked")
	}
}
