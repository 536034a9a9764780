package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// realDataDir holds the real captures described in its README.md. It is
// outside the repository; tests skip when it is absent.
const realDataDir = "../../../shared/data/feeds"

func realData(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(realDataDir, rel))
	if os.IsNotExist(err) {
		t.Skipf("real sample %s absent (shared/data is not in a plain clone): skipping", rel)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// realTests are the real samples with facts from their README table (and
// values read off the payloads).
var realTests = []struct {
	file   string
	format Format
	check  func(t *testing.T, d *Document)
}{
	{"statuspage/components/github-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "page", d.Source.Page, "GitHub")
		wantEq(t, "updated", d.Source.UpdatedAt.Format(time.RFC3339), "2021-12-01T08:05:47Z")
		wantCounts(t, d, 10, 0, map[ComponentStatus]int{StatusOperational: 10})
		wantEq(t, "first", d.Components[0].Name, "Git Operations")
	}},
	{"statuspage/components/github-components-with-problem.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "updated", d.Source.UpdatedAt.Format(time.RFC3339), "2021-12-10T14:56:24Z")
		wantCounts(t, d, 10, 0, map[ComponentStatus]int{StatusOperational: 9, StatusPartialOutage: 1})
	}},
	{"statuspage/components/linode-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantCounts(t, d, 68, 6, map[ComponentStatus]int{StatusOperational: 68})
	}},
	{"statuspage/components/linode-components-problems.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantCounts(t, d, 68, 6, map[ComponentStatus]int{StatusOperational: 60, StatusPartialOutage: 8})
		c := findComponent(t, d, "US-East (Newark)")
		wantEq(t, "Newark group", c.Group, "Regions")
		wantEq(t, "Newark status", c.Status, StatusPartialOutage)
		r := findComponent(t, d, "Regions")
		wantEq(t, "Regions is a group", r.IsGroup, true)
		wantEq(t, "Regions status", r.Status, StatusPartialOutage)
	}},
	{"statuspage/components/box-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "offset -08:00 to UTC", d.Source.UpdatedAt.Format(time.RFC3339), "2021-12-01T08:08:16Z")
		wantCounts(t, d, 52, 7, map[ComponentStatus]int{StatusOperational: 52})
	}},
	{"statuspage/components/box-components-with-problem.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "updated", d.Source.UpdatedAt.Format(time.RFC3339), "2021-12-27T15:26:27Z")
		wantCounts(t, d, 52, 7, map[ComponentStatus]int{StatusOperational: 50, StatusDegradedPerformance: 2})
	}},
	{"statuspage/components/coinbase-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantCounts(t, d, 139, 3, map[ComponentStatus]int{StatusOperational: 135, StatusPartialOutage: 3, StatusUnderMaintenance: 1})
		wantEq(t, "Bitcoin group", findComponent(t, d, "Bitcoin").Group, "Digital Currencies")
		wantEq(t, "group rolled up", findComponent(t, d, "Digital Currencies").Status, StatusPartialOutage)
	}},
	{"statuspage/components/twilio-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantCounts(t, d, 85, 10, map[ComponentStatus]int{StatusOperational: 83, StatusDegradedPerformance: 2})
	}},
	{"statuspage/components/digitalocean-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantCounts(t, d, 37, 2, map[ComponentStatus]int{StatusOperational: 37})
		wantEq(t, "AMS2 group", findComponent(t, d, "AMS2").Group, "Regions")
	}},
	{"statuspage/components/duo-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "offset -05:00", d.Source.UpdatedAt.Format(time.RFC3339), "2021-12-04T00:08:50Z")
		wantCounts(t, d, 539, 69, map[ComponentStatus]int{StatusOperational: 539})
		n, groups := 0, map[string]bool{}
		for _, c := range d.Components {
			if c.Name == "Core Authentication Service" {
				n++
				groups[c.Group] = true
			}
		}
		wantEq(t, "duplicate names kept", n, 68)
		wantEq(t, "one per group", len(groups), 68)
		wantEq(t, "DUO1 is a group", groups["DUO1"], true)
	}},
	{"statuspage/components/lastpass-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantCounts(t, d, 3, 0, map[ComponentStatus]int{StatusDegradedPerformance: 3})
	}},
	{"statuspage/components/dropbox-components.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantCounts(t, d, 7, 0, map[ComponentStatus]int{StatusOperational: 7})
	}},
	{"statuspage/summary/github-summary-2022-11-25.json", FormatStatuspage, func(t *testing.T, d *Document) {
		wantEq(t, "indicator", d.Source.Indicator, "minor")
		wantEq(t, "updated", d.Source.UpdatedAt.Format(time.RFC3339Nano), "2022-11-25T15:50:05.892Z")
		wantEq(t, "incidents", len(d.Incidents), 1)
		in := d.Incidents[0]
		wantEq(t, "title", in.Title, "Incident with Packages and Pages")
		wantEq(t, "id", in.ID, "ljwdk6qml8z8")
		wantEq(t, "impact", in.Impact, ImpactMajor)
		wantEq(t, "unresolved", in.ResolvedAt == nil, true)
		wantEq(t, "updates", len(in.Updates), 7)
		wantEq(t, "first update", in.Updates[0].Body, "We are investigating reports of degraded performance for Packages.")
		wantEq(t, "components", strings.Join(in.Components, ","), "Packages,Pages")
		wantEq(t, "started", in.StartedAt.Format(time.RFC3339Nano), "2022-11-25T14:39:09.542Z")
		wantEq(t, "components listed", len(d.Components), 11)
	}},
	{"statuspage/incident/github-incident-6swlsy1h3wy9.json", FormatStatuspage, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "impact", in.Impact, ImpactMajor)
		wantEq(t, "back-filled: no duration", in.ResolvedAt.Equal(in.StartedAt), true)
		wantEq(t, "flagged", in.Extra["zero_duration"], any(true))
		wantEq(t, "started", in.StartedAt.Format(time.RFC3339), "2018-10-21T23:09:19Z")
		if !strings.Contains(in.Updates[0].Body, "2018-10-21 23:13:31 - We are investigating reports of service unavailability.") || strings.Contains(in.Updates[0].Body, "<li>") {
			t.Errorf("HTML body not reduced to text: %.200q", in.Updates[0].Body)
		}
	}},
	{"statuspage/incident/github-incident-gqx5l06jjxhp.json", FormatStatuspage, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "impact", in.Impact, ImpactCritical)
		wantEq(t, "components", len(in.Components), 10)
		wantEq(t, "updates", len(in.Updates), 8)
		wantEq(t, "resolved", in.ResolvedAt.Format(time.RFC3339), "2023-06-29T18:36:19Z")
		wantEq(t, "last update status", in.Updates[7].Status, "resolved")
		wantEq(t, "first component", in.Components[0], "Git Operations")
	}},
	{"statuspage/incident/github-incident-c2jg911dtkjb.json", FormatStatuspage, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "impact", in.Impact, ImpactMajor)
		wantEq(t, "components", len(in.Components), 9)
		wantEq(t, "updates", len(in.Updates), 20)
		wantEq(t, "created 2023-05-04", in.StartedAt.Format("2006-01-02"), "2023-05-04")
	}},
	{"statuspage/incident/github-incident-1cdsggtd2q5k.json", FormatStatuspage, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "impact none", in.Impact, ImpactNone)
		wantEq(t, "no components", len(in.Components), 0)
		wantEq(t, "date", in.StartedAt.Format("2006-01-02"), "2023-02-02")
	}},
	{"statuspage/incident/github-incident-rcwk6twq397d.json", FormatStatuspage, func(t *testing.T, d *Document) {
		in := d.Incidents[0]
		wantEq(t, "impact", in.Impact, ImpactMinor)
		wantEq(t, "one update", len(in.Updates), 1)
		wantEq(t, "no components", len(in.Components), 0)
		wantEq(t, "oldest", in.StartedAt.Format(time.RFC3339), "2010-02-07T06:00:00Z")
	}},
	{"statuspage/rss/parse-history-2014-01-09.rss", FormatRSS, func(t *testing.T, d *Document) {
		wantEq(t, "channel pubDate", d.Source.UpdatedAt.Format(time.RFC3339), "2014-01-10T00:00:23Z")
		wantEq(t, "items", len(d.Incidents), 17)
		in := d.Incidents[0]
		wantEq(t, "newest", in.Title, "Elevated error rates")
		wantEq(t, "id", in.ID, "http://status.parse.com/incidents/lzf7mjchpy20")
		wantEq(t, "updates", len(in.Updates), 3)
		wantEq(t, "investigating Jan 1 08:17 PST", in.StartedAt.Format(time.RFC3339), "2014-01-01T16:17:00Z")
		wantEq(t, "resolved 09:09 PST", in.ResolvedAt.Format(time.RFC3339), "2014-01-01T17:09:00Z")
		wantEq(t, "status", in.Status, "resolved")
		last := d.Incidents[len(d.Incidents)-1]
		wantEq(t, "oldest", last.Title, "Parse Hosting Issue")
		wantEq(t, "oldest year from pubDate", last.StartedAt.Year(), 2013)
		for _, in := range d.Incidents {
			if in.Title == "Elevated error rates and latency" {
				wantEq(t, "postmortem kept", in.Updates[len(in.Updates)-1].Status, "postmortem")
				if in.ResolvedAt == nil || in.ResolvedAt.After(in.Updates[len(in.Updates)-1].At) {
					t.Errorf("resolved time should be the resolved update, before the postmortem")
				}
			}
		}
	}},
	{"gcp/incidents-2022-07-03-trimmed-excl-nov-dec-2021.json", FormatGCP, func(t *testing.T, d *Document) {
		wantEq(t, "incidents", len(d.Incidents), 136)
		in := d.Incidents[0]
		wantEq(t, "newest id", in.ID, "TaA75H7XA1DQyM2ReK2f")
		wantEq(t, "newest begin", in.StartedAt.Format(time.RFC3339), "2022-07-01T13:37:44Z")
		wantEq(t, "severity low", in.Impact, ImpactMinor)
		wantEq(t, "product", strings.Join(in.Components, ","), "Google BigQuery")
		wantEq(t, "locations", len(in.Locations), 29)
		wantEq(t, "updates", len(in.Updates), 5)
		old := d.Incidents[135]
		wantEq(t, "oldest", old.ID, "WXwFb7tx1XvHyGaxwdYs")
		wantEq(t, "oldest end", old.ResolvedAt.Format(time.RFC3339), "2021-07-07T23:40:00Z")
		wantEq(t, "severity high", old.Impact, ImpactCritical)
		wantEq(t, "multi product", strings.Join(old.Components, ","), "Google Cloud Datastore,Cloud Firestore")
		imp := map[Impact]int{}
		locs := map[string]bool{}
		multi := 0
		for _, in := range d.Incidents {
			imp[in.Impact]++
			for _, l := range in.Locations {
				locs[l] = true
			}
			if in.Extra["service_name"] == "Multiple Products" {
				multi++
			}
			if in.ResolvedAt == nil {
				t.Errorf("%s: every sample incident has an end", in.ID)
			}
		}
		wantEq(t, "low", imp[ImpactMinor], 19)
		wantEq(t, "medium", imp[ImpactMajor], 98)
		wantEq(t, "high", imp[ImpactCritical], 19)
		wantEq(t, "distinct locations", len(locs), 36)
		wantEq(t, "Multiple Products", multi, 70)
		for _, c := range d.Components {
			if c.Status != StatusOperational {
				t.Errorf("product %s: %s, want operational (all resolved)", c.Name, c.Status)
			}
		}
	}},
	{"gcp/atom/feed-2022-04-01-excerpt.atom", FormatAtom, func(t *testing.T, d *Document) {
		wantEq(t, "updated", d.Source.UpdatedAt.Format(time.RFC3339), "2022-04-01T20:13:25Z")
		in := d.Incidents[0]
		wantEq(t, "incident id from tag", in.ID, "B1hD4KAtcxiyAWkcANfV")
		wantEq(t, "status", in.Status, "resolved")
		wantEq(t, "products", strings.Join(in.Components, "|"), "Cloud Monitoring|Operations|Google Cloud Pub/Sub")
		wantEq(t, "locations", strings.Join(in.Locations, "|"), "Global")
	}},
	{"aws/legacy-data-json-2022-07-03-trimmed-excl-dec-2021.json", FormatAWSEvents, func(t *testing.T, d *Document) {
		wantEq(t, "records", len(d.Incidents), 66)
		in := d.Incidents[0]
		wantEq(t, "newest", in.ID, "billingconsole_1655342154")
		wantEq(t, "global service no location", len(in.Locations), 0)
		last := d.Incidents[65]
		wantEq(t, "oldest", last.ID, "internetconnectivity-us-east-2_1624564393")
		wantEq(t, "service", strings.Join(last.Components, ","), "internetconnectivity")
		wantEq(t, "region", strings.Join(last.Locations, ","), "us-east-2")
		wantEq(t, "12:53 PM PDT", last.Updates[0].At.Format(time.RFC3339), "2021-06-24T19:53:00Z")
		imp := map[Impact]int{}
		for _, in := range d.Incidents {
			imp[in.Impact]++
			if in.ResolvedAt == nil || in.ResolvedAt.Before(in.StartedAt) {
				t.Errorf("%s: archive record must be resolved after it starts: %v %v", in.ID, in.StartedAt, in.ResolvedAt)
			} else if dur := in.ResolvedAt.Sub(in.StartedAt); dur > 7*24*time.Hour { // directconnect-ap-northeast-1 has a dated update 5 days on
				t.Errorf("%s: implausible duration %v", in.ID, dur)
			}
		}
		wantEq(t, "status 1", imp[ImpactMinor], 59)
		wantEq(t, "status 2", imp[ImpactMajor], 4)
		wantEq(t, "status 3", imp[ImpactCritical], 3)
		for _, in := range d.Incidents {
			if in.ID == "certificatemanager-us-east-1_1624993969" {
				wantEq(t, "acm updates", len(in.Updates), 10)
				wantEq(t, "acm resolved 7:46 PM PDT", in.ResolvedAt.Format(time.RFC3339), "2021-06-30T02:46:00Z")
			}
		}
	}},
	{"aws/rss/s3-us-standard-2017-03-08-excerpt.rss", FormatAWSRSS, func(t *testing.T, d *Document) {
		wantEq(t, "PST channel date", d.Source.UpdatedAt.Format(time.RFC3339), "2017-03-08T21:16:09Z")
		wantEq(t, "two items, one event", len(d.Incidents), 1)
		in := d.Incidents[0]
		wantEq(t, "id", in.ID, "s3-us-standard_1488316380")
		wantEq(t, "start 13:13 PST", in.StartedAt.Format(time.RFC3339), "2017-02-28T21:13:00Z")
		wantEq(t, "resolved 14:11 PST", in.ResolvedAt.Format(time.RFC3339), "2017-02-28T22:11:00Z")
		wantEq(t, "service", strings.Join(in.Components, ","), "s3")
		wantEq(t, "region", strings.Join(in.Locations, ","), "us-standard")
		wantEq(t, "impact", in.Impact, ImpactMajor)
		wantEq(t, "title", in.Title, "Increased Error Rates")
	}},
	{"slack/current-ok-docs-example.json", FormatSlack, func(t *testing.T, d *Document) {
		wantEq(t, "indicator", d.Source.Indicator, "none")
		wantEq(t, "no incidents", len(d.Incidents), 0)
		wantEq(t, "updated -07:00", d.Source.UpdatedAt.Format(time.RFC3339), "2018-09-08T01:34:15Z")
	}},
	{"upptime/manticore-history-summary-2026-08-21T1540Z-with-down.json", FormatUpptime, func(t *testing.T, d *Document) {
		wantCounts(t, d, 18, 0, map[ComponentStatus]int{StatusOperational: 15, StatusMajorOutage: 3})
		wantEq(t, "indicator", d.Source.Indicator, "major")
		wantEq(t, "first", d.Components[0].ID, "slack-community")
	}},
	{"upptime/manticore-history-summary-2026-08-22.json", FormatUpptime, func(t *testing.T, d *Document) {
		wantCounts(t, d, 18, 0, map[ComponentStatus]int{StatusOperational: 18})
		wantEq(t, "indicator", d.Source.Indicator, "none")
		if _, ok := findComponent(t, d, "Manual").Extra["daily_minutes_down"]; !ok {
			t.Errorf("dailyMinutesDown not kept")
		}
	}},
	{"upptime/manticore-history-catalog-autocomplete-2026-08-21T1540Z-down.yml", FormatUpptime, func(t *testing.T, d *Document) {
		wantEq(t, "down", d.Components[0].Status, StatusMajorOutage)
		wantEq(t, "code", d.Components[0].Extra["http_code"], any(504.0))
		wantEq(t, "lastUpdated", d.Source.UpdatedAt.Format(time.RFC3339Nano), "2026-08-21T15:40:35.958Z")
	}},
	{"upptime/manticore-history-catalog-autocomplete-2026-08-22-up.yml", FormatUpptime, func(t *testing.T, d *Document) {
		wantEq(t, "up", d.Components[0].Status, StatusOperational)
		wantEq(t, "code", d.Components[0].Extra["http_code"], any(200.0))
	}},
	{"upptime/manticore-api-catalog-autocomplete-uptime.json", FormatUpptime, func(t *testing.T, d *Document) {
		b, _ := d.Source.Extra["badge"].(map[string]any)
		wantEq(t, "badge message", b["message"], any("98.4%"))
	}},
	{"upptime/manticore-api-catalog-autocomplete-response-time.json", FormatUpptime, func(t *testing.T, d *Document) {
		b, _ := d.Source.Extra["badge"].(map[string]any)
		wantEq(t, "badge message", b["message"], any("1493 ms"))
	}},
}

func wantCounts(t *testing.T, d *Document, n, groups int, statuses map[ComponentStatus]int) {
	t.Helper()
	wantEq(t, "components", len(d.Components), n)
	g := 0
	got := map[ComponentStatus]int{}
	for _, c := range d.Components {
		if c.IsGroup {
			g++
		}
		got[c.Status]++
	}
	wantEq(t, "groups", g, groups)
	for st, want := range statuses {
		wantEq(t, "status "+string(st), got[st], want)
	}
	for st, v := range got {
		if statuses[st] == 0 {
			t.Errorf("unexpected %d components %s", v, st)
		}
	}
}

func findComponent(t *testing.T, d *Document, name string) Component {
	t.Helper()
	for _, c := range d.Components {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no component %q", name)
	return Component{}
}

// TestRealData parses every real sample with --format auto.
func TestRealData(t *testing.T) {
	if _, err := os.Stat(realDataDir); err != nil {
		t.Skipf("%s absent (shared/data is not in a plain clone): skipping real-sample tests", realDataDir)
	}
	seen := map[string]bool{}
	for _, tt := range realTests {
		seen[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			data := realData(t, tt.file)
			f, err := Detect(data)
			if err != nil || f != tt.format {
				t.Fatalf("Detect: got:%v, %v want:%v", f, err, tt.format)
			}
			doc, err := Parse(data, FormatAuto, filepath.Base(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, doc)
			checkRoundTrip(t, doc)
			checkInvariants(t, doc)
		})
	}
	// Every sample in the folder must be in the table.
	err := filepath.WalkDir(realDataDir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(realDataDir, p)
		if strings.HasPrefix(filepath.ToSlash(rel), historyDir+"/") {
			return nil // TestRealHistory reads every record there
		}
		if !seen[filepath.ToSlash(rel)] {
			t.Errorf("real sample %s is not in realTests", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// historyDir holds one vendor's whole incident history, one record a file.
const historyDir = "statuspage/history/github"

// TestRealHistory parses every record of GitHub's real incident history
// (1,279 Statuspage incident files): each is detected as Statuspage, gives
// one incident with a start, and survives the round trip.
func TestRealHistory(t *testing.T) {
	dir := filepath.Join(realDataDir, historyDir)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("%s absent (shared/data is not in a plain clone): skipping the history test", dir)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if f, err := Detect(data); err != nil || f != FormatStatuspage {
			t.Errorf("%s: Detect: got:%v, %v want:%v", filepath.Base(file), f, err, FormatStatuspage)
			continue
		}
		doc, err := Parse(data, FormatAuto, filepath.Base(file))
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(file), err)
			continue
		}
		if len(doc.Incidents) != 1 {
			t.Errorf("%s: got:%d incidents want:1", filepath.Base(file), len(doc.Incidents))
			continue
		}
		if doc.Incidents[0].StartedAt.IsZero() {
			t.Errorf("%s: incident has no start", filepath.Base(file))
		}
		checkRoundTrip(t, doc)
		checkInvariants(t, doc)
	}
}
