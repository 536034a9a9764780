package feed

import (
	"encoding/json"
	"testing"
	"time"
)

// fuzzParse checks the parser invariants for one input: no panic, an
// error means a nil document, and a document survives a JSON round trip.
func fuzzParse(t *testing.T, data []byte, format Format) {
	doc, err := Parse(data, format, "fuzz")
	if err != nil {
		if doc != nil {
			t.Fatalf("error %v with a non-nil document", err)
		}
		return
	}
	if doc == nil {
		t.Fatal("nil document without error")
	}
	checkRoundTrip(t, doc)
	checkInvariants(t, doc)
	if _, err := json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
}

// seedFuzz adds the fixtures and small strings.
func seedFuzz(f *testing.F, files []string, small ...string) {
	for _, name := range files {
		f.Add(readFixture(f, name))
	}
	for _, s := range small {
		f.Add([]byte(s))
	}
}

func FuzzStatuspage(f *testing.F) {
	seedFuzz(f, []string{"statuspage-summary.json", "statuspage-unresolved.json", "statuspage-scheduled-maintenances.json", "truncated-statuspage.json"},
		`{}`, `{"page":null}`, `{"incident":{"id":"a","incident_updates":[{"status":"resolved"}]}}`, `{"components":[{"id":"a","group_id":"a"}]}`,
		// Bad timestamps (issue 16): never year 1.
		`{"incident":{"id":"a","started_at":"2019-02-30T10:00:00Z"}}`, `{"incident":{"id":"a","started_at":"0000-01-01T00:00:00Z"}}`,
		`{"incident":{"id":"a","started_at":"2024-03-02T10:00:00 XYZ"}}`, `{"incident":{"id":"a","resolved_at":"2024-01-01T00:00:00Z"}}`,
		`{"incident":{"id":"a","started_at":"2024-03-02T10:00:00Z","resolved_at":"2024-03-01T10:00:00Z"}}`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatStatuspage) })
}

func FuzzGCP(f *testing.F) {
	seedFuzz(f, []string{"gcp-incidents.json"}, `[]`, `[{"id":"x"}]`, `[{"id":"x","begin":"1","end":"0"}]`, `[{"id":"x","begin":"0000-06-01T00:00:00Z"}]`, `[{"id":"x","begin":"2019-02-30T00:00:00Z"}]`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatGCP) })
}

func FuzzAWSEvents(f *testing.F) {
	seedFuzz(f, []string{"aws-legacy-data.json", "aws-events-utf16le.json", "aws-events-utf16be.json"},
		`{"archive":[]}`, `[{"service":"a-us-east-1","date":1}]`, `{"x":[{"date":"1","description":"<span class=\"yellowfg\">1:00 PM PST</span>"}]}`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatAWSEvents) })
}

func FuzzAWSRSS(f *testing.F) {
	seedFuzz(f, []string{"aws-rss.rss"}, `<rss><channel></channel></rss>`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatAWSRSS) })
}

func FuzzAzureRSS(f *testing.F) {
	seedFuzz(f, []string{"azure-constructed.rss", "azure-empty.rss"}, `<rss><channel><item><title>a - b</title></item></channel></rss>`,
		`<rss><channel><lastBuildDate>Tue, 05 Mar 2024 10:00:00 GMT</lastBuildDate><item><title>a - b</title></item></channel></rss>`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatAzureRSS) })
}

func FuzzRSS(f *testing.F) {
	seedFuzz(f, []string{"rss-statuspage-history.rss", "aws-rss.rss"},
		`<rss><channel><item><description>&lt;small&gt;Jan 1, 1:00 PM&lt;/small&gt;&lt;strong&gt;x&lt;/strong&gt;</description></item></channel></rss>`,
		// Bad timestamps and plain items (issue 16).
		`<rss><channel><item><title>x</title><pubDate>Sat, 30 Feb 2019 10:00:00 GMT</pubDate></item></channel></rss>`,
		`<rss><channel><item><title>x</title><pubDate>Tue, 05 Mar 0000 10:00:00 GMT</pubDate></item></channel></rss>`,
		`<rss><channel><item><title>x</title><pubDate>Tue, 05 Mar 2024 10:00:00 XYZ</pubDate></item></channel></rss>`,
		`<rss><channel><item><title>x</title></item></channel></rss>`,
		`<rss><channel><item><title>Resolved: API errors</title><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item><item><title>API errors</title><pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate></item></channel></rss>`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatRSS) })
}

func FuzzAtom(f *testing.F) {
	seedFuzz(f, []string{"atom-gcp.atom", "atom-statuspage.atom"}, `<feed><entry><id>tag:x,1:feed:a.b</id></entry></feed>`,
		`<feed><entry><id>e</id><updated>2019-02-30T00:00:00Z</updated></entry></feed>`, `<feed><entry><id>e</id><title>[Resolved] x</title><updated>0000-01-01T00:00:00Z</updated></entry></feed>`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatAtom) })
}

func FuzzSlack(f *testing.F) {
	seedFuzz(f, []string{"slack-active.json", "slack-history.json"}, `{"status":"ok"}`, `[{"id":1,"status":"completed"}]`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatSlack) })
}

func FuzzUpptime(f *testing.F) {
	seedFuzz(f, []string{"upptime-summary.json", "upptime-history.yml"}, `url: x\nstatus: up\n`, `{"schemaVersion":1,"label":"l","message":"m"}`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatUpptime) })
}

func FuzzInstatus(f *testing.F) {
	seedFuzz(f, []string{"instatus-summary.json"}, `{"page":{"status":"UP"}}`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatInstatus) })
}

func FuzzIncidentIO(f *testing.F) {
	seedFuzz(f, []string{"incidentio-widget.json", "statuspage-unresolved.json"}, `{"summary":{}}`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, FormatIncidentIO) })
}

// FuzzAuto runs detection and parsing on anything.
func FuzzAuto(f *testing.F) {
	for _, tt := range fixtureTests {
		f.Add(readFixture(f, tt.file))
	}
	f.Add([]byte("<html><body>x</body></html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if fm, err := Detect(data); err == nil {
			if _, ok := parsers[fm]; !ok {
				t.Fatalf("Detect returned unknown format %q", fm)
			}
		}
		fuzzParse(t, data, FormatAuto)
	})
}

// FuzzParseTime checks that ParseTime never panics and returns UTC.
func FuzzParseTime(f *testing.F) {
	for _, tt := range timeTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTime(s)
		if err == nil && tm.Location() != time.UTC {
			t.Fatalf("ParseTime(%q) not UTC", s)
		}
	})
}
