package watchweb_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/depgraph/depgraph/internal/watch"
	"github.com/depgraph/depgraph/internal/watchweb"
)

// The watch command's wiring: one server, updated after each cycle,
// serving on a loopback listener.
func Example() {
	cycle := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return cycle.Add(20 * time.Second) } // time.Now in the CLI
	srv := watchweb.New(watchweb.Options{Interval: 30 * time.Second, Model: "shop", Now: now})
	ts := httptest.NewServer(srv.Handler()) // the CLI: srv.HTTPServer().Serve(ln)
	defer ts.Close()

	health := func() {
		res, err := http.Get(ts.URL + "/healthz")
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		fmt.Printf("%d %s", res.StatusCode, b)
	}
	health()
	srv.Update(&watch.Snapshot{SchemaVersion: watch.SchemaVersion, At: cycle, Cycle: 1})
	health()
	// Output:
	// 503 no cycle yet: the watch has not completed its first cycle
	// 200 ok
}
