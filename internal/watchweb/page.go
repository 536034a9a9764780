package watchweb

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The page is assembled from three embedded files: the HTML, its style
// and its script, which go inline so the page is one request with no
// external asset.
var (
	//go:embed page.html
	pageHTML string
	//go:embed page.css
	pageStyle string
	//go:embed page.js
	pageScript string
	//go:embed favicon.svg
	favicon []byte
)

// pageCSP is the page's Content-Security-Policy: nothing but its own
// inline style and script (by hash, so the page needs no per-response
// nonce) and fetches to its own origin. It is hashed on first use, not
// in every command's start-up.
var pageCSP = sync.OnceValue(func() string {
	return "default-src 'none'; script-src " + cspHash(pageScript) +
		"; style-src " + cspHash(pageStyle) +
		"; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
})

// cspHash is the CSP source expression of an inline element's content.
func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// buildPage returns the page for a model name and an interval (zero when
// the snapshot will tell).
func buildPage(model string, interval time.Duration) []byte {
	if model == "" {
		model = "model"
	}
	r := strings.NewReplacer(
		"{{MODEL}}", html.EscapeString(model),
		"{{INTERVAL_MS}}", strconv.FormatInt(interval.Milliseconds(), 10),
		"{{STYLE}}", pageStyle,
		"{{SCRIPT}}", pageScript,
	)
	return []byte(r.Replace(pageHTML))
}
