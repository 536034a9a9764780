package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/depgraph/depgraph/internal/testenv"
)

// TestWatchLivePageInBrowser is issue 14's browser test from the command
// down: `watch --listen` against a feed server, its page open in headless
// chromium, shows the open situation, and shows it resolved once the next
// cycle finds the vendor's incident gone, without reloading. Skipped
// unless DEPGRAPH_HEAVY=1 or DEPGRAPH_BROWSER_TESTS=1 (internal/watchweb's
// browser tests cover the page itself).
func TestWatchLivePageInBrowser(t *testing.T) {
	chromiumPath := testenv.Chromium(t)
	fs := &feedServer{}
	fs.set(summary(openIncident))
	d := startWatch(t, fs, "")
	defer func() {
		if err := d.stop(); err != nil {
			t.Error(err)
		}
	}()
	addr := d.addr

	actx, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()))
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel3()
	waitText := func(want string) {
		t.Helper()
		pred := fmt.Sprintf(`document.body.innerText.includes(%q)`, want)
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](pred, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
			t.Fatalf("the page never showed %q: %v\n%s", want, err, body)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+addr+"/?refresh=200")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__mark = 1`)); err != nil {
		t.Fatal(err)
	}
	waitText("1 open situation")
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	for _, want := range []string{"chatco", "acme/chat", "Messages failing"} {
		if !strings.Contains(body, want) {
			t.Errorf("the open situation does not show %q:\n%s", want, body)
		}
	}
	fs.set(summary(""))
	waitText("No open situation")
	if mark, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__mark || 0`)); err != nil || mark != 1 {
		t.Errorf("the page reloaded (mark %d, %v)", mark, err)
	}
}
