package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/depgraph/depgraph/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fixtureTests lists the constructed fixtures, the format Detect must
// find, and facts the golden file must keep.
var fixtureTests = []struct {
	file   string
	format Format
	check  func(t *testing.T, d *Document)
}{
	{"statuspage-summary.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "indicator", d.Source.Indicator, "major")
		wantEq(t, "updated_at", d.Source.UpdatedAt.Format(time.RFC3339), "2024-03-10T16:30:00Z")
		wantEq(t, "components", len(d.Components), 8)
		wantEq(t, "c1 group", d.Components[1].Group, "Regions")
		wantEq(t, "c3 group", d.Components[4].Group, "DEPLOY2")
		wantEq(t, "dup name kept", d.Components[4].Name, "US-East")
		wantEq(t, "unknown status", d.Components[5].Status, StatusUnknown)
		wantEq(t, "unknown status raw", d.Components[5].Extra["status_raw"], any("sparkling"))
		wantEq(t, "unknown group", d.Components[6].Extra["group_id"], any("gone"))
		wantEq(t, "group row", d.Components[0].IsGroup, true)
		wantEq(t, "incidents (dup merged)", len(d.Incidents), 3)
		wantEq(t, "merged count", d.Source.Extra["duplicate_incidents_merged"], any(1.0))
		m := d.Incidents[0]
		wantEq(t, "maintenance first", m.ID, "mnt1")
		wantEq(t, "maintenance impact", m.Impact, ImpactMaintenance)
		wantEq(t, "maintenance start", m.StartedAt.Format(time.RFC3339), "2024-03-20T02:00:00Z")
		in := d.Incidents[1]
		wantEq(t, "inc1 start", in.StartedAt.Format(time.RFC3339), "2024-03-10T16:00:00Z")
		wantEq(t, "inc1 open", in.ResolvedAt == nil, true)
		wantEq(t, "inc1 components", strings.Join(in.Components, "|"), "US-East|Ghost")
		wantEq(t, "inc1 html body", in.Updates[0].Body, "We are investigating errors & latency.")
		old := d.Incidents[2]
		wantEq(t, "unknown impact", old.Impact, ImpactUnknown)
		wantEq(t, "impact raw", old.Extra["impact_raw"], any("apocalyptic"))
		wantEq(t, "resolved from updates", old.ResolvedAt.Format(time.RFC3339), "2024-03-01T00:45:00Z")
		wantEq(t, "merged components", strings.Join(old.Components, "|"), "API")
	}},
	{"statuspage-unresolved.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "never resolves", d.Incidents[0].ResolvedAt == nil, true)
		wantEq(t, "offset start", d.Incidents[0].StartedAt.Format(time.RFC3339), "2024-04-30T21:00:00Z")
		wantEq(t, "impact", d.Incidents[0].Impact, ImpactCritical)
	}},
	{"statuspage-scheduled-maintenances.json", FormatStatuspage, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "impact", in.Impact, ImpactMaintenance)
		wantEq(t, "resolved", in.ResolvedAt.Format(time.RFC3339), "2024-04-02T03:05:00Z")
		wantEq(t, "impact raw kept", in.Extra["impact_raw"], any("none"))
	}},
	{"gcp-incidents.json", FormatGCP, func(t *testing.T, d *Document) {
		open := d.Incidents[0]
		wantEq(t, "open", open.ResolvedAt == nil, true)
		wantEq(t, "impact", open.Impact, ImpactCritical)
		wantEq(t, "locations", strings.Join(open.Locations, ","), "global,us-central1")
		wantEq(t, "products", strings.Join(open.Components, ","), "Cloud Run,Cloud SQL")
		wantEq(t, "unknown severity", d.Incidents[1].Impact, ImpactUnknown)
		wantEq(t, "components", len(d.Components), 2)
		wantEq(t, "Cloud Run down", d.Components[0].Status, StatusMajorOutage)
	}},
	{"aws-legacy-data.json", FormatAWSEvents, func(t *testing.T, d *Document) {
		wantEq(t, "incidents", len(d.Incidents), 3)
		open := d.Incidents[0]
		wantEq(t, "current open", open.ResolvedAt == nil, true)
		wantEq(t, "s3 location", strings.Join(open.Locations, ","), "us-east-1")
		ec2 := d.Incidents[1]
		wantEq(t, "ec2 component", strings.Join(ec2.Components, ","), "ec2")
		// 1700000000 = 2023-11-14T22:13:20Z = 14:13 PST; stamps 11:50 PM
		// and 12:40 AM PST fall on the 14th and the 15th.
		wantEq(t, "ec2 first update", ec2.Updates[0].At.Format(time.RFC3339), "2023-11-15T07:50:00Z")
		wantEq(t, "ec2 resolved", ec2.ResolvedAt.Format(time.RFC3339), "2023-11-15T08:40:00Z")
		wantEq(t, "global service", len(d.Incidents[2].Locations), 0)
	}},
	{"aws-events-utf16le.json", FormatAWSEvents, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "arn id", in.ID, "arn:aws:health:us-east-1::event/CODEBUILD/AWS_CODEBUILD_OPERATIONAL_ISSUE/abc")
		wantEq(t, "component from key", strings.Join(in.Components, ","), "codebuild")
		wantEq(t, "updates", len(in.Updates), 2)
		wantEq(t, "open", in.ResolvedAt == nil, true)
	}},
	{"aws-events-utf16be.json", FormatAWSEvents, func(t *testing.T, d *Document) {
		wantEq(t, "resolved", d.Incidents[0].ResolvedAt.Format(time.RFC3339), "2024-07-15T01:33:20Z")
		wantEq(t, "title", d.Incidents[0].Title, "Invocation errors")
	}},
	{"aws-rss.rss", FormatAWSRSS, func(t *testing.T, d *Document) {
		wantEq(t, "events folded", len(d.Incidents), 2)
		in := d.Incidents[0]
		wantEq(t, "start PDT", in.StartedAt.Format(time.RFC3339), "2024-07-01T15:30:00Z")
		wantEq(t, "resolved", in.ResolvedAt.Format(time.RFC3339), "2024-07-01T17:05:00Z")
		wantEq(t, "impact", in.Impact, ImpactMajor)
		wantEq(t, "region", strings.Join(in.Locations, ","), "us-west-2")
		wantEq(t, "PST", d.Incidents[1].StartedAt.Format(time.RFC3339), "2023-12-13T07:15:00Z")
	}},
	{"azure-constructed.rss", FormatAzureRSS, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "components", strings.Join(in.Components, "|"), "Virtual Machines|VM Scale Sets")
		wantEq(t, "locations", strings.Join(in.Locations, "|"), "East US 2")
		wantEq(t, "bare Z", d.Source.UpdatedAt.Format(time.RFC3339), "2026-08-06T01:09:00Z")
	}},
	{"azure-empty.rss", FormatAzureRSS, func(t *testing.T, d *Document) {
		wantEq(t, "indicator", d.Source.Indicator, IndicatorUnknown)
		wantEq(t, "incidents", len(d.Incidents), 0)
	}},
	{"rss-statuspage-history.rss", FormatRSS, func(t *testing.T, d *Document) {
		wantEq(t, "items", len(d.Incidents), 3)
		var y Incident
		for _, in := range d.Incidents {
			if in.Title == "Year-crossing incident" {
				y = in
			}
		}
		wantEq(t, "year crossing start", y.StartedAt.Format(time.RFC3339), "2024-12-31T23:10:00Z")
		wantEq(t, "resolved", y.ResolvedAt.Format(time.RFC3339), "2025-01-01T01:30:00Z")
		wantEq(t, "maintenance", d.Incidents[0].Impact, ImpactMaintenance)
		wantEq(t, "status", d.Incidents[0].Status, "in_progress")
	}},
	{"atom-statuspage.atom", FormatAtom, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "start", in.StartedAt.Format(time.RFC3339), "2024-08-10T07:17:00Z")
		wantEq(t, "code", in.Extra["incident_code"], any("q1w2e3r4t5y6"))
		wantEq(t, "status", in.Status, "monitoring")
	}},
	{"atom-gcp.atom", FormatAtom, func(t *testing.T, d *Document) {
		wantEq(t, "folded", len(d.Incidents), 1)
		in := d.Incidents[0]
		wantEq(t, "updates", len(in.Updates), 2)
		wantEq(t, "status", in.Status, "resolved")
		wantEq(t, "products", strings.Join(in.Components, "|"), "Cloud Storage|Cloud CDN")
		wantEq(t, "start", in.StartedAt.Format(time.RFC3339), "2024-06-01T09:30:00Z")
	}},
	{"slack-active.json", FormatSlack, func(t *testing.T, d *Document) {
		wantEq(t, "indicator", d.Source.Indicator, "major")
		wantEq(t, "numeric id", d.Incidents[0].ID, "5678")
		wantEq(t, "maintenance", d.Incidents[0].Impact, ImpactMaintenance)
		wantEq(t, "outage", d.Incidents[1].Impact, ImpactMajor)
		wantEq(t, "start", d.Incidents[1].StartedAt.Format(time.RFC3339), "2024-04-02T16:10:00Z")
	}},
	{"slack-history.json", FormatSlack, func(t *testing.T, d *Document) {
		wantEq(t, "unknown type", d.Incidents[0].Impact, ImpactUnknown)
		wantEq(t, "resolved", d.Incidents[1].ResolvedAt.Format(time.RFC3339), "2023-11-01T16:30:00Z")
	}},
	{"upptime-summary.json", FormatUpptime, func(t *testing.T, d *Document) {
		wantEq(t, "degraded", d.Components[1].Status, StatusDegradedPerformance)
		wantEq(t, "unknown", d.Components[2].Status, StatusUnknown)
		wantEq(t, "indicator", d.Source.Indicator, "minor")
	}},
	{"upptime-history.yml", FormatUpptime, func(t *testing.T, d *Document) {
		wantEq(t, "down", d.Components[0].Status, StatusMajorOutage)
		wantEq(t, "indicator", d.Source.Indicator, "major")
	}},
	{"instatus-summary.json", FormatInstatus, func(t *testing.T, d *Document) {
		wantEq(t, "indicator", d.Source.Indicator, "minor")
		wantEq(t, "maintenance", d.Incidents[0].Impact, ImpactMaintenance)
		wantEq(t, "partial", d.Incidents[1].Impact, ImpactMajor)
		wantEq(t, "unknown", d.Incidents[2].Impact, ImpactUnknown)
	}},
	{"incidentio-widget.json", FormatIncidentIO, func(t *testing.T, d *Document) {
		wantEq(t, "chat", d.Components[1].Status, StatusPartialOutage)
		wantEq(t, "chat group", d.Components[1].Group, "APIs")
		wantEq(t, "images operational", d.Components[2].Status, StatusOperational)
		wantEq(t, "unknown", d.Components[3].Status, StatusUnknown)
		wantEq(t, "incident impact", d.Incidents[1].Impact, ImpactMajor)
	}},
}

func wantEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got:%v want:%v", what, got, want)
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestGolden parses each fixture with --format auto, checks the detected
// format and the facts above, compares the JSON with the golden file and
// checks that an explicit format gives the same document.
func TestGolden(t *testing.T) {
	for _, tt := range fixtureTests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, tt.file)
			f, err := Detect(data)
			if err != nil || f != tt.format {
				t.Fatalf("Detect: got:%v, %v want:%v", f, err, tt.format)
			}
			doc, err := Parse(data, FormatAuto, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, doc)
			got, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Compare(t, filepath.Join("testdata", "golden", tt.file+".json"), got)
			explicit, err := Parse(data, tt.format, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(doc, explicit); diff != "" {
				t.Errorf("explicit format differs (-auto +explicit):\n%s", diff)
			}
			checkRoundTrip(t, doc)
			checkInvariants(t, doc)
		})
	}
}

// checkRoundTrip encodes doc to JSON, decodes it and wants the same value.
func checkRoundTrip(t testing.TB, doc *Document) {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if diff := cmp.Diff(doc, &back); diff != "" {
		t.Fatalf("JSON round trip changed the document (-before +after):\n%s", diff)
	}
	b2, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Fatalf("second encoding differs")
	}
}

// checkInvariants checks what every document promises.
func checkInvariants(t testing.TB, doc *Document) {
	t.Helper()
	if doc.SchemaVersion != SchemaVersion {
		t.Errorf("schema_version %d", doc.SchemaVersion)
	}
	ids := map[string]bool{}
	for i, in := range doc.Incidents {
		if ids[in.ID] {
			t.Errorf("duplicate incident id %q", in.ID)
		}
		ids[in.ID] = true
		if in.StartedAt.Location() != time.UTC || in.UpdatedAt.Location() != time.UTC {
			t.Errorf("incident %q: non-UTC time", in.ID)
		}
		if i > 0 {
			p := doc.Incidents[i-1]
			if p.StartedAt.Before(in.StartedAt) || (p.StartedAt.Equal(in.StartedAt) && p.ID > in.ID) {
				t.Errorf("incidents not sorted newest first at %d", i)
			}
		}
		for j := 1; j < len(in.Updates); j++ {
			if in.Updates[j].At.Before(in.Updates[j-1].At) {
				t.Errorf("incident %q: updates not oldest first", in.ID)
			}
		}
		if in.Impact == "" {
			t.Errorf("incident %q: empty impact", in.ID)
		}
		if in.StartedAt.IsZero() {
			t.Errorf("incident %q: no start (would read as year 1)", in.ID)
		}
		if in.ResolvedAt != nil && in.ResolvedAt.Before(in.StartedAt) {
			t.Errorf("incident %q: resolved before it started", in.ID)
		}
		for _, u := range in.Updates {
			if u.At.IsZero() {
				t.Errorf("incident %q: update without a time", in.ID)
			}
		}
	}
}

// errorTests are inputs that must fail, with a fragment of the message.
var errorTests = []struct {
	name   string
	data   string
	format Format
	want   string
	is     error
}{
	{"truncated", "", FormatStatuspage, `feed: parse statuspage feed "truncated": unexpected end of JSON at offset 900`, ErrMalformed},
	{"html", "", FormatStatuspage, `feed: parse statuspage feed "html": looks like an HTML page, not a statuspage feed`, ErrHTML},
	{"html-auto", "", FormatAuto, `feed: parse feed "html-auto": looks like an HTML page, not a feed`, ErrHTML},
	{"empty", "  \n", FormatAuto, `feed: parse feed "empty": empty input`, ErrEmpty},
	{"bad-format", "{}", Format("statuspge"), `did you mean "statuspage"?`, ErrUnknownFormat},
	{"array-for-statuspage", `[1,2]`, FormatStatuspage, `top level is a JSON array, want an object`, ErrMalformed},
	{"object-for-gcp", `{"a":1}`, FormatGCP, `top level is a JSON object, want the array of incidents.json`, ErrMalformed},
	{"no-fields", `{"foo":1}`, FormatStatuspage, `no Statuspage fields`, ErrMalformed},
	{"type-error", `{"page":{"name":5}}`, FormatStatuspage, `field page.name: want string, got JSON number at offset 17`, ErrMalformed},
	{"json-for-rss", `{"a":1}`, FormatRSS, `not XML`, ErrMalformed},
	{"bad-xml", `<rss><channel><item><title>x</title></item>`, FormatRSS, `invalid RSS`, ErrMalformed},
	{"aws-bad-date", `{"archive":[{"service":"ec2-us-east-1","date":"yesterday"}]}`, FormatAWSEvents, `unrecognised time "yesterday"`, ErrMalformed},
	{"undetectable", `{"hello":"world"}`, FormatAuto, `matches no known feed`, ErrUnknownFormat},
	{"empty-array", `[]`, FormatAuto, `empty JSON array`, ErrUnknownFormat},
	{"odd-utf16", "\xff\xfe{\x00}", FormatAuto, `truncated UTF-16`, nil},
	{"upptime-bad-yaml", "url: [\n", FormatUpptime, `invalid Upptime history YAML`, ErrMalformed},
}

func TestErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.data)
			switch tt.name {
			case "truncated":
				data = readFixture(t, "truncated-statuspage.json")
			case "html", "html-auto":
				data = readFixture(t, "html-error.html")
			}
			doc, err := Parse(data, tt.format, tt.name)
			if err == nil {
				t.Fatalf("no error; got document with %d incidents", len(doc.Incidents))
			}
			if doc != nil {
				t.Errorf("error with non-nil document")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got:%q want substring:%q", err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Name != tt.name {
				t.Errorf("not a *ParseError naming the feed: %#v", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v) false for %q", tt.is, err)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	big := make([]byte, MaxSize+1)
	_, err := Parse(big, FormatStatuspage, "big")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got:%v want:ErrTooLarge", err)
	}
	_, err = ParseReader(bytes.NewReader(big), FormatStatuspage, "big")
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "64 MiB") {
		t.Fatalf("ParseReader: got:%v want:ErrTooLarge", err)
	}
}

func TestParseReader(t *testing.T) {
	data := readFixture(t, "statuspage-unresolved.json")
	a, err := ParseReader(bytes.NewReader(data), FormatAuto, "x")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(data, FormatAuto, "x")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Error(diff)
	}
}

// TestExplicitFormatWins parses Statuspage-compatible JSON as incidentio:
// the explicit format is used even though Detect says statuspage.
func TestExplicitFormatWins(t *testing.T) {
	data := readFixture(t, "statuspage-unresolved.json")
	doc, err := Parse(data, FormatIncidentIO, "x")
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "format", doc.Source.Format, FormatIncidentIO)
	wantEq(t, "layout", doc.Source.Extra["layout"], any("statuspage-compatible"))
	wantEq(t, "incident", doc.Incidents[0].ID, "open1")
}

var parseFormatTests = []struct {
	in      string
	want    Format
	wantErr string
}{
	{"statuspage", FormatStatuspage, ""},
	{" AWS-RSS ", FormatAWSRSS, ""},
	{"auto", FormatAuto, ""},
	{"gpc", "", `did you mean "gcp"?`},
	{"nonsense-format-name", "", "known: statuspage"},
}

func TestParseFormat(t *testing.T) {
	for _, tt := range parseFormatTests {
		got, err := ParseFormat(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "feed: ") {
				t.Errorf("ParseFormat(%q): got err %v want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q): got:%v,%v want:%v", tt.in, got, err, tt.want)
		}
	}
	for _, f := range Formats {
		if _, ok := parsers[f]; !ok {
			t.Errorf("format %q has no parser", f)
		}
	}
}

var timeTests = []struct {
	in, want string
}{
	{"2022-11-25T15:50:05.892Z", "2022-11-25T15:50:05.892Z"},
	{"2021-12-01T00:08:16.398-08:00", "2021-12-01T08:08:16.398Z"},
	{"2022-07-01T13:37:44+00:00", "2022-07-01T13:37:44Z"},
	{"1624564393", "2021-06-24T19:53:13Z"},
	{"1624564393000", "2021-06-24T19:53:13Z"},
	{"Wed,  8 Mar 2017 13:16:09 PST", "2017-03-08T21:16:09Z"},
	{"Tue, 28 Feb 2017 14:11:00 PDT", "2017-02-28T21:11:00Z"},
	{"Thu, 06 Aug 2026 01:09:00 Z", "2026-08-06T01:09:00Z"},
	{"Thu, 09 Jan 2014 16:00:23 -0800", "2014-01-10T00:00:23Z"},
	{"Mon, 02 Jan 2006 15:04:05 GMT", "2006-01-02T15:04:05Z"},
	{"02 Jan 06 15:04 +0100", "2006-01-02T14:04:00Z"},
	{"Monday, 02-Jan-06 15:04:05 EST", "2006-01-02T20:04:05Z"},
	{"2024-05-01 10:00:00", "2024-05-01T10:00:00Z"},
	{"2024-05-01", "2024-05-01T00:00:00Z"},
	{"Sat, 01 Jun 2024 12:00:00 +05:30", "2024-06-01T06:30:00Z"},
}

func TestParseTime(t *testing.T) {
	for _, tt := range timeTests {
		got, err := ParseTime(tt.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tt.in, err)
			continue
		}
		if s := got.Format(time.RFC3339Nano); s != tt.want || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q): got:%s want:%s", tt.in, s, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "Wed, 8 Mar 2017 13:16:09 XYZ", "2024-13-45"} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q): no error", bad)
		}
	}
}

var impairmentTests = []struct {
	status ComponentStatus
	impact Impact
	want   float64
}{
	{StatusOperational, ImpactNone, 0},
	{StatusDegradedPerformance, ImpactMinor, 0.25},
	{StatusPartialOutage, ImpactMajor, 0.5},
	{StatusMajorOutage, ImpactCritical, 1},
	{StatusUnderMaintenance, ImpactMaintenance, 0.1},
	{StatusUnknown, ImpactUnknown, 0.5},
	{"bogus", "bogus", 0.5},
}

func TestImpairment(t *testing.T) {
	for _, tt := range impairmentTests {
		if got := tt.status.Impairment(0.1); got != tt.want {
			t.Errorf("%s: got:%v want:%v", tt.status, got, tt.want)
		}
		if got := tt.impact.Impairment(0.1); got != tt.want {
			t.Errorf("%s: got:%v want:%v", tt.impact, got, tt.want)
		}
	}
	if got := StatusUnderMaintenance.Impairment(7); got != 1 {
		t.Errorf("clamp: got:%v want:1", got)
	}
	if got := ImpactMaintenance.Impairment(-1); got != 0 {
		t.Errorf("clamp: got:%v want:0", got)
	}
}
