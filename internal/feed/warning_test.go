package feed

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// spIncident builds a one-incident Statuspage document.
func spOne(started, created, resolved string) string {
	q := func(s string) string {
		if s == "" {
			return "null"
		}
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf(`{"incident": {"id": "inc1", "name": "API errors", "status": "resolved", "impact": "major",
		"started_at": %s, "created_at": %s, "updated_at": null, "resolved_at": %s, "incident_updates": []}}`, q(started), q(created), q(resolved))
}

// rssItems builds an RSS feed of items (title, pubDate, description).
func rssItems(build string, items ...[3]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Example status</title><link>https://status.example.com</link>`)
	if build != "" {
		fmt.Fprintf(&b, "<lastBuildDate>%s</lastBuildDate>", build)
	}
	for i, it := range items {
		fmt.Fprintf(&b, "<item><guid>item%d</guid><title>%s</title>", i, it[0])
		if it[1] != "" {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it[1])
		}
		fmt.Fprintf(&b, "<description>%s</description></item>", it[2])
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// TestBadTimestampsSkipped: a bad or missing start never becomes year 1
// (issue 16 item 2); the incident is left out with a warning naming the
// incident and the field.
func TestBadTimestampsSkipped(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		format Format
		want   string // the warning's text
	}{
		{"impossible day", spOne("2019-02-30T10:00:00Z", "", ""), FormatStatuspage,
			`incident "inc1" ("API errors"): started_at "2019-02-30T10:00:00Z": not a valid time; incident skipped`},
		{"year 0000", spOne("0000-01-01T00:00:00Z", "", ""), FormatStatuspage,
			`incident "inc1" ("API errors"): started_at "0000-01-01T00:00:00Z": not a valid time; incident skipped`},
		{"both start fields bad", spOne("2019-02-30T10:00:00Z", "yesterday", ""), FormatStatuspage,
			`incident "inc1" ("API errors"): started_at "2019-02-30T10:00:00Z": not a valid time; incident skipped`},
		{"no start at all", spOne("", "", "2024-01-01T00:00:00Z"), FormatStatuspage,
			`incident "inc1" ("API errors"): started_at/created_at: missing; incident skipped`},
		{"resolved before start", spOne("2024-03-02T10:00:00Z", "", "2024-03-01T10:00:00Z"), FormatStatuspage,
			`incident "inc1" ("API errors"): resolved_at "2024-03-01T10:00:00Z": before the start (2024-03-02T10:00:00Z); incident skipped`},
		{"rss zone XYZ", rssItems("", [3]string{"API errors", "Tue, 05 Mar 2024 10:00:00 XYZ", "x"}), FormatRSS,
			`incident "item0" ("API errors"): pub_date "Tue, 05 Mar 2024 10:00:00 XYZ": not a valid time; incident skipped`},
		{"rss no pubDate", rssItems("", [3]string{"API errors", "", "x"}), FormatRSS,
			`incident "item0" ("API errors"): pubDate: missing; incident skipped`},
		{"atom bad updated", `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><id>e1</id><title>API errors</title><updated>2019-02-30T00:00:00Z</updated></entry></feed>`, FormatAtom,
			`incident "e1" ("API errors"): date "2019-02-30T00:00:00Z": not a valid time; incident skipped`},
		{"gcp year 0", `[{"id":"g1","external_desc":"API errors","begin":"0000-06-01T00:00:00Z","severity":"high","updates":[]}]`, FormatGCP,
			`incident "g1" ("API errors"): begin "0000-06-01T00:00:00Z": not a valid time; incident skipped`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse([]byte(tt.data), tt.format, "example")
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Incidents) != 0 {
				t.Errorf("kept %d incidents, first starting %v", len(doc.Incidents), doc.Incidents[0].StartedAt)
			}
			if len(doc.Warnings) != 1 {
				t.Fatalf("warnings = %v, want one", doc.Warnings)
			}
			if got := doc.Warnings[0].String(); got != tt.want {
				t.Errorf("warning\n got: %s\nwant: %s", got, tt.want)
			}
			checkRoundTrip(t, doc)
		})
	}
}

// TestBackfilledStart: a record whose end comes before its started_at
// (Statuspage back-fill) keeps an earlier creation time as its start.
func TestBackfilledStart(t *testing.T) {
	doc, err := Parse([]byte(spOne("2020-11-16T09:55:00Z", "2020-11-10T20:00:00Z", "2020-11-10T20:00:00Z")), FormatStatuspage, "x")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Incidents) != 1 || !doc.Incidents[0].StartedAt.Equal(ts("2020-11-10T20:00:00Z")) {
		t.Fatalf("incidents = %+v", doc.Incidents)
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0].String(), "start taken from created_at") {
		t.Errorf("warnings = %v", doc.Warnings)
	}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestPlainItemResolution: plain RSS items end when the feed says so,
// and an old unresolved item is never live trouble (issue 16 item 2).
func TestPlainItemResolution(t *testing.T) {
	now := ts("2026-12-01T00:00:00Z")
	type want struct {
		resolved string // RFC 3339, "" for unresolved
		from     string // Extra["resolved_from"]
		until    string // Extra["live_until"]
		liveAt   string // a time it is live at, "" for none checked
	}
	tests := []struct {
		name  string
		items [][3]string
		want  []want // by item index
	}{
		{"resolved title", [][3]string{{"Resolved: API errors", "Tue, 05 Mar 2024 10:00:00 GMT", "Errors."}},
			[]want{{resolved: "2024-03-05T10:00:00Z", from: "title"}}},
		{"bracketed", [][3]string{{"[Resolved] API errors", "Tue, 05 Mar 2024 10:00:00 GMT", ""}},
			[]want{{resolved: "2024-03-05T10:00:00Z", from: "title"}}},
		{"suffix", [][3]string{{"API errors (Resolved)", "Tue, 05 Mar 2024 10:00:00 GMT", ""}},
			[]want{{resolved: "2024-03-05T10:00:00Z", from: "title"}}},
		{"latest update resolved", [][3]string{{"API errors", "Tue, 05 Mar 2024 10:00:00 GMT", "&lt;p&gt;This incident has been resolved.&lt;/p&gt;&lt;p&gt;We are investigating errors.&lt;/p&gt;"}},
			[]want{{resolved: "2024-03-05T10:00:00Z", from: "text"}}},
		{"latest update operational", [][3]string{{"Login issue", "Tue, 05 Mar 2024 10:00:00 GMT", "All systems are now fully operational."}},
			[]want{{resolved: "2024-03-05T10:00:00Z", from: "text"}}},
		{"older update resolved is not the latest", [][3]string{{"API errors", "Tue, 05 Mar 2024 10:00:00 GMT", "&lt;p&gt;We are investigating again.&lt;/p&gt;&lt;p&gt;This was resolved earlier.&lt;/p&gt;"}},
			[]want{{until: "2024-03-12T10:00:00Z", liveAt: "2024-03-05T11:00:00Z"}}},
		{"not operational stays open", [][3]string{{"API errors", "Tue, 05 Mar 2024 10:00:00 GMT", "The API is not operational."}},
			[]want{{until: "2024-03-12T10:00:00Z", liveAt: "2024-03-06T10:00:00Z"}}},
		{"later item resolves", [][3]string{
			{"Resolved: API errors", "Tue, 05 Mar 2024 12:00:00 GMT", "Fixed."},
			{"Investigating: API errors", "Tue, 05 Mar 2024 10:00:00 GMT", "Looking."}},
			[]want{{resolved: "2024-03-05T12:00:00Z", from: "title"}, {resolved: "2024-03-05T12:00:00Z", from: "later item item0"}}},
		{"daily feed: three days", [][3]string{
			{"Outage A", "Fri, 08 Mar 2024 10:00:00 GMT", ""},
			{"Outage B", "Thu, 07 Mar 2024 10:00:00 GMT", ""},
			{"Outage C", "Wed, 06 Mar 2024 10:00:00 GMT", ""}},
			[]want{{until: "2024-03-11T10:00:00Z"}, {until: "2024-03-10T10:00:00Z"}, {until: "2024-03-09T10:00:00Z"}}},
		{"hourly feed: at least a day", [][3]string{
			{"Outage A", "Tue, 05 Mar 2024 12:00:00 GMT", ""},
			{"Outage B", "Tue, 05 Mar 2024 11:00:00 GMT", ""},
			{"Outage C", "Tue, 05 Mar 2024 10:00:00 GMT", ""}},
			[]want{{until: "2024-03-06T12:00:00Z"}, {until: "2024-03-06T11:00:00Z"}, {until: "2024-03-06T10:00:00Z"}}},
		{"later mention extends", [][3]string{
			{"Update: API errors", "Fri, 08 Mar 2024 10:00:00 GMT", "Still looking."},
			{"API errors", "Tue, 05 Mar 2024 10:00:00 GMT", "Looking."}},
			[]want{{until: "2024-03-15T10:00:00Z"}, {until: "2024-03-15T10:00:00Z", liveAt: "2024-03-14T00:00:00Z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse([]byte(rssItems("", tt.items...)), FormatRSS, "example")
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]*Incident{}
			for i := range doc.Incidents {
				byID[doc.Incidents[i].ID] = &doc.Incidents[i]
			}
			for i, w := range tt.want {
				in := byID[fmt.Sprintf("item%d", i)]
				if in == nil {
					t.Fatalf("item%d missing", i)
				}
				got := ""
				if in.ResolvedAt != nil {
					got = in.ResolvedAt.Format(time.RFC3339)
				}
				wantEq(t, in.ID+" resolved", got, w.resolved)
				wantEq(t, in.ID+" resolved_from", fmt.Sprint(in.Extra["resolved_from"]), fmt.Sprint(orNil(w.from)))
				wantEq(t, in.ID+" live_until", fmt.Sprint(in.Extra["live_until"]), fmt.Sprint(orNil(w.until)))
				if in.LiveAt(now) {
					t.Errorf("%s (%s) is live trouble in 2026", in.ID, in.Title)
				}
				if w.liveAt != "" && !in.LiveAt(ts(w.liveAt)) {
					t.Errorf("%s is not live at %s", in.ID, w.liveAt)
				}
			}
			checkRoundTrip(t, doc)
			checkInvariants(t, doc)
		})
	}
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestAzureItemWithoutDate: an Azure item is live by definition; without
// a date it takes the channel's own, with a warning, instead of year 1.
func TestAzureItemWithoutDate(t *testing.T) {
	data := rssItems("Tue, 05 Mar 2024 10:00:00 GMT", [3]string{"Virtual Machines - West Europe", "", "Degraded."})
	doc, err := Parse([]byte(data), FormatAzureRSS, "azure")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Incidents) != 1 || !doc.Incidents[0].StartedAt.Equal(ts("2024-03-05T10:00:00Z")) {
		t.Fatalf("incidents = %+v", doc.Incidents)
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0].String(), "pubDate: missing; start taken from the channel's own date") {
		t.Errorf("warnings = %v", doc.Warnings)
	}
}

// TestRealFeedsNeverYearOne: no real sample gives an incident without a
// start or a plain item that is live now.
func TestRealFeedsNeverYearOne(t *testing.T) {
	if _, err := os.Stat(realDataDir); err != nil {
		t.Skipf("%s absent: skipping", realDataDir)
	}
	now := ts("2026-12-01T00:00:00Z")
	n := 0
	err := filepath.WalkDir(realDataDir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(p, ".md") || strings.Contains(p, historyDir) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := Parse(data, FormatAuto, filepath.Base(p))
		if err != nil {
			return nil // TestRealData checks which samples parse
		}
		for _, in := range doc.Incidents {
			n++
			if in.StartedAt.IsZero() || in.StartedAt.Year() < 1990 {
				t.Errorf("%s: incident %s starts %v", p, in.ID, in.StartedAt)
			}
			if _, ok := in.LiveUntil(); ok && in.LiveAt(now) {
				t.Errorf("%s: plain item %s live in 2026", p, in.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d incidents checked", n)
}

// TestParseErrorQuotesLittle: a parse error quotes at most a short,
// escaped excerpt of what the feed said (issue 16 item 9).
func TestParseErrorQuotesLittle(t *testing.T) {
	long := "\x1b]0;pwned\x07\x1b[2J" + strings.Repeat("secret ", 200)
	tests := []struct {
		name string
		data string
		f    Format
	}{
		{"upptime yaml", "url: x\nstatus: [" + long, FormatUpptime},
		{"rss not xml", long, FormatRSS},
		{"json", `{"page": {"name": "` + long + `"`, FormatStatuspage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data), tt.f, "x")
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\x1b\x07") || len(msg) > 400 {
				t.Errorf("error quotes too much or raw controls (%d bytes): %q", len(msg), msg)
			}
		})
	}
	e := &ParseError{Format: FormatRSS, Name: "n", Offset: -1, Err: fmt.Errorf("bad %s", long)}
	if msg := e.Error(); strings.ContainsAny(msg, "\x1b\x07") || len(msg) > 400 || !strings.Contains(msg, `\x1b]0;pwned`) {
		t.Errorf("ParseError.Error() = %q", msg)
	}
}
