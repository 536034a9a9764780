package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed/rss"
)

// AWS Health: per service-region RSS (one item per update) and the events
// JSON (the retired status.aws.amazon.com/data.json {"archive","current"}
// and health.aws.amazon.com/public/currentevents, a flat array or an
// object keyed by service, served as UTF-16; Parse decodes that first).
//
// AWS's service keys ("ec2-us-east-1", "s3-us-standard", "cloudfront")
// are split into a service (an incident Component) and a region (an
// incident Location); global services have no region.

// awsKeyRe splits a service key into service and region.
var awsKeyRe = regexp.MustCompile(`^(.+?)-((?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso[a-z]*)?-[a-z]+(?:-\d+)?)$`)

// awsGUIDRe takes the service key and Unix time out of an RSS guid
// (http://status.aws.amazon.com/#s3-us-standard_1488319860).
var awsGUIDRe = regexp.MustCompile(`#([A-Za-z0-9.-]+)_(\d+)$`)

// splitAWSKey returns the service and region of a service key.
func splitAWSKey(key string) (service, region string) {
	if m := awsKeyRe.FindStringSubmatch(key); m != nil {
		return m[1], m[2]
	}
	return key, ""
}

// awsTitlePrefixes are the state prefixes of AWS RSS titles.
var awsTitlePrefixes = []struct {
	prefix, status string
	impact         Impact
}{
	{"service disruption:", "service_disruption", ImpactMajor},
	{"performance issues:", "performance_issues", ImpactMinor},
	{"informational message:", "informational", ImpactMinor},
	{"service is operating normally:", "operating_normally", ImpactNone},
}

// awsStatusImpact maps the events JSON status codes (the old dashboard's
// 0 normal, 1 informational, 2 performance issues, 3 disruption; the
// meaning is undocumented, facts §4).
var awsStatusImpact = map[string]Impact{"0": ImpactNone, "1": ImpactMinor, "2": ImpactMajor, "3": ImpactCritical}

var awsImpactStatus = map[Impact]ComponentStatus{
	ImpactNone: StatusOperational, ImpactMinor: StatusDegradedPerformance,
	ImpactMajor: StatusPartialOutage, ImpactCritical: StatusMajorOutage, ImpactUnknown: StatusUnknown,
}

// awsItem is one RSS item, classified.
type awsItem struct {
	key, title, status, body, url, guid string
	at                                  time.Time
	impact                              Impact
	resolved                            bool
}

func parseAWSRSS(data []byte) (*Document, error) {
	f, err := parseRSSXML(data)
	if err != nil {
		return nil, err
	}
	doc := &Document{Source: rssSource(f)}
	items := make([]awsItem, 0, len(f.Items))
	var bad []string
	for _, it := range f.Items {
		a, ok := classifyAWSItem(it)
		if !ok {
			bad = append(bad, it.PubDate)
			continue
		}
		items = append(items, a)
	}
	if len(bad) > 0 {
		doc.Source.setExtra("items_without_date", float64(len(bad)))
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].at.Before(items[j].at) })

	// Fold items into events: same service key and same title (state
	// prefix and [RESOLVED] removed), each within a day of the previous.
	type open struct {
		in   *Incident
		last time.Time
	}
	byKey := map[string]*open{}
	var incs []*Incident
	for _, a := range items {
		k := a.key + "\x00" + strings.ToLower(a.title)
		o := byKey[k]
		// Titles are edited in place: every item of a resolved event may
		// carry [RESOLVED], so resolution does not split events.
		if o == nil || a.at.Sub(o.last) > 24*time.Hour {
			svc, region := splitAWSKey(a.key)
			id := a.guid
			if a.key != "" {
				id = a.key + "_" + strconv.FormatInt(a.at.Unix(), 10)
			}
			in := &Incident{ID: id, Title: a.title, URL: a.url, StartedAt: a.at, Impact: a.impact}
			in.Components = appendUnique(nil, svc)
			in.Locations = appendUnique(nil, region)
			if a.key != "" {
				in.setExtra("service", a.key)
			}
			o = &open{in: in}
			byKey[k] = o
			incs = append(incs, in)
		}
		in := o.in
		o.last = a.at
		in.Updates = append(in.Updates, Update{At: a.at.UTC(), Status: a.status, Body: a.body})
		in.Status, in.UpdatedAt = a.status, a.at
		if a.impact.Impairment(0) > in.Impact.Impairment(0) && a.impact != ImpactUnknown || in.Impact == ImpactUnknown {
			in.Impact = a.impact
		}
		in.ResolvedAt = nil
		if a.resolved {
			in.ResolvedAt = timePtr(a.at)
		}
	}
	comps := map[string]ComponentStatus{}
	for _, in := range incs {
		doc.Incidents = append(doc.Incidents, *in)
		key, _ := in.Extra["service"].(string)
		if key == "" {
			continue
		}
		st := StatusOperational
		if in.ResolvedAt == nil {
			st = awsImpactStatus[in.Impact]
		}
		if old, ok := comps[key]; !ok || st.Impairment(0) > old.Impairment(0) {
			comps[key] = st
		}
	}
	doc.Components = awsComponents(comps, nil)
	return doc, nil
}

func classifyAWSItem(it *rss.Item) (awsItem, bool) {
	a := awsItem{url: strings.TrimSpace(it.Link), body: htmlToText(it.Description), impact: ImpactUnknown}
	if it.GUID != nil {
		a.guid = strings.TrimSpace(it.GUID.Value)
	}
	t, err := ParseTime(it.PubDate)
	if err != nil {
		if m := awsGUIDRe.FindStringSubmatch(a.guid); m != nil {
			sec, _ := strconv.ParseInt(m[2], 10, 64)
			t = time.Unix(sec, 0).UTC()
		} else {
			return a, false
		}
	}
	a.at = t
	if m := awsGUIDRe.FindStringSubmatch(a.guid); m != nil {
		a.key = m[1]
	}
	if a.guid == "" {
		a.guid = stableID(it.Title, it.PubDate)
	}
	title := htmlToText(it.Title)
	low := strings.ToLower(title)
	a.status = "open"
	for _, p := range awsTitlePrefixes {
		if strings.HasPrefix(low, p.prefix) {
			title = strings.TrimSpace(title[len(p.prefix):])
			a.status, a.impact = p.status, p.impact
			if p.impact == ImpactNone {
				a.resolved = true
			}
			break
		}
	}
	if rest, ok := cutPrefixFold(title, "[RESOLVED]"); ok {
		title = strings.TrimSpace(rest)
		a.resolved = true
	}
	if a.resolved {
		a.status = "resolved"
	}
	a.title = title
	return a, true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// awsComponents lists one component per service key.
func awsComponents(states map[string]ComponentStatus, names map[string]string) []Component {
	out := make([]Component, 0, len(states))
	for key, st := range states {
		name := names[key]
		if name == "" {
			name = key
		}
		c := Component{ID: key, Name: name, Status: st}
		if svc, region := splitAWSKey(key); region != "" {
			c.Group = region
			c.setExtra("service", svc)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// flexString accepts a JSON string, number, bool or null as text: AWS
// sends dates and status codes as strings in one payload and numbers in
// another.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '{' || b[0] == '[':
		return malformed("want a string or number, got %s", firstBytes(b, 20))
	default:
		*f = flexString(b)
	}
	return nil
}

type awsEvent struct {
	ServiceName      string        `json:"service_name"`
	Service          string        `json:"service"`
	RegionName       string        `json:"region_name"`
	Summary          string        `json:"summary"`
	Date             flexString    `json:"date"`
	Status           flexString    `json:"status"`
	Details          string        `json:"details"`
	Description      string        `json:"description"`
	ARN              string        `json:"arn"`
	EventLog         []awsEventLog `json:"event_log"`
	ImpactedServices any           `json:"impacted_services"`
}

type awsEventLog struct {
	Summary   string     `json:"summary"`
	Message   string     `json:"message"`
	Status    flexString `json:"status"`
	Timestamp flexString `json:"timestamp"`
}

// awsSpanRe finds the per-update time stamps of the legacy description.
var awsSpanRe = regexp.MustCompile(`(?is)<span class="yellowfg">(.*?)</span>`)

func parseAWSEvents(data []byte) (*Document, error) {
	s := bytes.TrimSpace(data)
	if len(s) == 0 || (s[0] != '{' && s[0] != '[') {
		return nil, malformed("not JSON (starts with %q), want AWS events JSON", firstBytes(s, 12))
	}
	type tagged struct {
		ev      awsEvent
		current bool
	}
	var events []tagged
	doc := &Document{}
	if s[0] == '[' {
		var list []awsEvent
		if err := json.Unmarshal(s, &list); err != nil {
			return nil, err
		}
		for _, e := range list {
			events = append(events, tagged{e, true})
		}
	} else {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(s, &top); err != nil {
			return nil, err
		}
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		legacy := top["archive"] != nil || top["current"] != nil
		for _, k := range keys {
			if legacy && k != "archive" && k != "current" {
				doc.Source.setExtra("unknown_key_"+k, true)
				continue
			}
			var list []awsEvent
			if err := json.Unmarshal(top[k], &list); err != nil {
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) {
					return nil, malformed("key %q: want an array of events, got JSON %s", k, te.Value)
				}
				return nil, err
			}
			for _, e := range list {
				if !legacy && e.Service == "" {
					e.Service = k // {"codebuild-us-east-1": [ … ]}
				}
				events = append(events, tagged{e, !legacy || k == "current"})
			}
		}
		if legacy {
			doc.Source.setExtra("layout", "legacy data.json")
		}
	}
	comps := map[string]ComponentStatus{}
	names := map[string]string{}
	for i, t := range events {
		in, err := awsEventIncident(&t.ev, t.current)
		if err != nil {
			return nil, malformed("event %d (%s): %v", i, t.ev.Service, err)
		}
		doc.Incidents = append(doc.Incidents, in)
		if key := t.ev.Service; key != "" {
			if t.ev.ServiceName != "" {
				names[key] = t.ev.ServiceName
			}
			st := StatusOperational
			if in.ResolvedAt == nil {
				st = awsImpactStatus[in.Impact]
			}
			if old, ok := comps[key]; !ok || st.Impairment(0) > old.Impairment(0) {
				comps[key] = st
			}
		}
	}
	doc.Components = awsComponents(comps, names)
	return doc, nil
}

func awsEventIncident(e *awsEvent, current bool) (Incident, error) {
	start, err := ParseTime(string(e.Date))
	if err != nil {
		return Incident{}, err
	}
	svc, region := splitAWSKey(e.Service)
	if region == "" && e.RegionName != "" {
		region = e.RegionName
	}
	in := Incident{Title: strings.TrimSpace(e.Summary), StartedAt: start}
	in.ID = e.ARN
	if in.ID == "" {
		in.ID = e.Service + "_" + strconv.FormatInt(start.Unix(), 10)
	}
	in.Components = appendUnique(nil, svc)
	in.Locations = appendUnique(nil, region)
	code := string(e.Status)
	if imp, ok := awsStatusImpact[code]; ok {
		in.Impact = imp
	} else {
		in.Impact = ImpactUnknown
		if code != "" {
			in.setExtra("impact_raw", code)
		}
	}
	if code != "" {
		in.setExtra("status_code", code)
	}
	for _, kv := range []struct{ k, v string }{{"service", e.Service}, {"service_name", e.ServiceName}, {"details", e.Details}, {"region_name", e.RegionName}} {
		if kv.v != "" {
			in.setExtra(kv.k, kv.v)
		}
	}
	if e.ImpactedServices != nil {
		in.setExtra("impacted_services", e.ImpactedServices)
	}

	// Updates: event_log when present, else the legacy description's
	// <span class="yellowfg">12:53 PM PDT</span>&nbsp;text blocks, whose
	// stamps have no date: they follow the event date in order.
	resolved := false
	if rest, ok := cutPrefixFold(in.Title, "[RESOLVED]"); ok {
		resolved = true
		in.Title = strings.TrimSpace(rest)
	}
	for _, l := range e.EventLog {
		at, err := ParseTime(string(l.Timestamp))
		if err != nil {
			return Incident{}, err
		}
		body := htmlToText(l.Message)
		if body == "" {
			body = htmlToText(l.Summary)
		}
		in.Updates = append(in.Updates, Update{At: at, Status: string(l.Status), Body: body})
	}
	if len(e.EventLog) == 0 && e.Description != "" {
		in.Updates = awsDescriptionUpdates(e.Description, start)
	}
	sort.SliceStable(in.Updates, func(i, j int) bool { return in.Updates[i].At.Before(in.Updates[j].At) })
	if n := len(in.Updates); n > 0 {
		in.UpdatedAt = in.Updates[n-1].At
		if in.Updates[0].At.Before(in.StartedAt) {
			// The stamps have minute precision, the event date seconds.
			in.StartedAt = in.Updates[0].At
		}
	}
	if !current || resolved {
		resolved = true
		end := start
		if !in.UpdatedAt.IsZero() {
			end = in.UpdatedAt
		}
		in.ResolvedAt = timePtr(end)
		in.Status = "resolved"
	} else {
		in.Status = "open"
	}
	return in, nil
}

// awsDescriptionUpdates splits the legacy HTML description into updates,
// dating each undated stamp at or after the previous one.
func awsDescriptionUpdates(desc string, start time.Time) []Update {
	locs := awsSpanRe.FindAllStringSubmatchIndex(desc, -1)
	if len(locs) == 0 {
		return []Update{{At: start, Body: htmlToText(desc)}}
	}
	ups := make([]Update, 0, len(locs))
	prev := start
	for i, m := range locs {
		end := len(desc)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := htmlToText(desc[m[1]:end])
		at := prev
		if c, ok := parseClockStamp(htmlToText(desc[m[2]:m[3]])); ok {
			// A minute of slack: the event date has seconds, stamps don't.
			at = c.after(prev, 2*time.Minute).UTC()
		}
		ups = append(ups, Update{At: at, Body: body})
		prev = at
	}
	return ups
}
