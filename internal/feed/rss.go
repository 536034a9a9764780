package feed

import (
	"bytes"
	"regexp"
	"strings"
	"time"

	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
)

// Generic RSS 2.0 and Atom, read with gofeed's format parsers (not its
// universal translator, whose date parsing reads "PST" as UTC). Each item
// or entry becomes one incident. Two generators get extra care:
//
//   - Statuspage history.rss / history.atom put every update of an
//     incident in the item's HTML as
//     <p><small>Jan  1, 09:09 PST</small><br><strong>Resolved</strong> - …</p>;
//     those become Updates, with the year and offset taken from the
//     item's own date.
//   - GCP's feed.atom has one entry per update with ids
//     tag:…:feed:<incident>.<update>; entries are folded per incident and
//     the "Affected products/locations:" lines become Components and
//     Locations.

// spUpdateRe finds one Statuspage update header inside an item's HTML.
var spUpdateRe = regexp.MustCompile(`(?is)<small>(.*?)</small>\s*(?:<br\s*/?>)?\s*<strong>(.*?)</strong>`)

// spCodeRe finds a Statuspage incident code in an incident link.
var spCodeRe = regexp.MustCompile(`/incidents/([a-z0-9]+)/?$`)

// gcpAtomIDRe splits a GCP feed.atom entry id into incident and update.
var gcpAtomIDRe = regexp.MustCompile(`^tag:[^,]+,\d+:feed:([A-Za-z0-9]+)\.([A-Za-z0-9]+)$`)

// gcpAtomTitleRe splits "RESOLVED: Global: text" titles.
var gcpAtomTitleRe = regexp.MustCompile(`^([A-Z][A-Z _]+):\s*([^:]*):\s*(.*)$`)

func parseRSS(data []byte) (*Document, error) {
	f, err := parseRSSXML(data)
	if err != nil {
		return nil, err
	}
	doc := &Document{Source: rssSource(f)}
	for _, it := range f.Items {
		doc.Incidents = append(doc.Incidents, rssItemIncident(it))
	}
	settlePlain(doc.Incidents)
	return doc, nil
}

// parseRSSXML runs gofeed's RSS parser and rewords its errors.
func parseRSSXML(data []byte) (*rss.Feed, error) {
	if err := expectXMLRoot(data, "rss", "rdf:rdf"); err != nil {
		return nil, err
	}
	f, err := (&rss.Parser{}).Parse(bytes.NewReader(data))
	if err != nil {
		return nil, malformed("invalid RSS: %v", err)
	}
	return f, nil
}

// expectXMLRoot checks that data is XML whose root element is one of
// roots, so that JSON or text given with an RSS format fails clearly.
func expectXMLRoot(data []byte, roots ...string) error {
	s := bytes.TrimSpace(data)
	if len(s) == 0 || s[0] != '<' {
		return malformed("not XML (starts with %q), want <%s>", firstBytes(s, 12), roots[0])
	}
	head := strings.ToLower(string(s[:min(len(s), 4096)]))
	for _, r := range roots {
		if strings.Contains(head, "<"+r) {
			return nil
		}
	}
	return malformed("no <%s> element in the first 4 KiB", roots[0])
}

func firstBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func rssSource(f *rss.Feed) Source {
	src := Source{Page: strings.TrimSpace(f.Title), URL: strings.TrimSpace(f.Link)}
	var bad []string
	for _, s := range []string{f.LastBuildDate, f.PubDate} {
		if s == "" {
			continue
		}
		if t, err := ParseTime(s); err == nil {
			src.UpdatedAt = &t
			break
		}
		bad = append(bad, s)
	}
	if len(bad) > 0 {
		src.setExtra("bad_dates", stringsToAny(bad))
	}
	if f.Generator != "" {
		src.setExtra("generator", f.Generator)
	}
	if f.Description != "" && f.Description != f.Title {
		src.setExtra("description", htmlToText(f.Description))
	}
	return src
}

// rssItemIncident maps one RSS item.
func rssItemIncident(it *rss.Item) Incident {
	in := Incident{Title: htmlToText(it.Title), URL: strings.TrimSpace(it.Link)}
	if it.GUID != nil {
		in.ID = strings.TrimSpace(it.GUID.Value)
	}
	if in.ID == "" {
		in.ID = in.URL
	}
	body := it.Description
	if body == "" {
		body = it.Content
	}
	if in.ID == "" {
		in.ID = stableID(in.Title, body)
	}
	var pub time.Time
	if it.PubDate != "" {
		t, err := parseTimeZone(it.PubDate)
		if err != nil {
			in.setExtra("bad_pub_date", it.PubDate)
		} else {
			pub = t
		}
	}
	var cats []string
	for _, c := range it.Categories {
		if c != nil && strings.TrimSpace(c.Value) != "" {
			cats = append(cats, strings.TrimSpace(c.Value))
		}
	}
	if len(cats) > 0 {
		in.setExtra("categories", stringsToAny(cats))
	}
	fillFromHTML(&in, body, pub)
	return in
}

// fillFromHTML sets the incident's updates, status and times from an
// item body and the item's date (pub, zero when absent).
func fillFromHTML(in *Incident, body string, pub time.Time) {
	if m := spCodeRe.FindStringSubmatch(in.URL); m != nil {
		in.setExtra("incident_code", m[1])
	}
	if ups := statuspageHTMLUpdates(body, pub); len(ups) > 0 {
		in.Updates = ups
		first, last := ups[0], ups[len(ups)-1]
		in.StartedAt = first.At
		in.UpdatedAt = last.At
		if !pub.IsZero() && pub.After(in.UpdatedAt) {
			in.UpdatedAt = pub
		}
		in.Status = last.Status
		if doneStatuses[last.Status] {
			in.ResolvedAt = timePtr(ups[firstDone(ups)].At)
		}
		in.Impact = ImpactUnknown
		for _, u := range ups {
			if maintenanceStatuses[u.Status] {
				in.Impact = ImpactMaintenance
			}
		}
		return
	}
	// A plain item: settlePlain reads its end (see resolution.go).
	in.setExtra(plainMarker, true)
	in.StartedAt = pub
	in.UpdatedAt = pub
	in.Impact = ImpactUnknown
	if text := htmlToText(body); text != "" || !pub.IsZero() {
		in.Updates = []Update{{At: pub.UTC(), Body: text}}
	}
}

// firstDone returns the index of the first update of the final closing
// run (a postmortem after "resolved" keeps the resolved time).
func firstDone(ups []Update) int {
	i := len(ups) - 1
	for i > 0 && doneStatuses[ups[i-1].Status] {
		i--
	}
	return i
}

// statuspageHTMLUpdates extracts Statuspage-style updates (oldest first)
// from an item's HTML; nil when the body has none.
func statuspageHTMLUpdates(body string, pub time.Time) []Update {
	locs := spUpdateRe.FindAllStringSubmatchIndex(body, -1)
	if len(locs) == 0 {
		return nil
	}
	ref, loc, force := pub, time.UTC, false
	if !pub.IsZero() {
		loc, force = pub.Location(), true
	} else {
		ref = time.Now().UTC()
	}
	ups := make([]Update, 0, len(locs))
	for i, m := range locs {
		stamp := htmlToText(body[m[2]:m[3]])
		c, ok := parseClockStamp(stamp)
		if !ok {
			return nil
		}
		end := len(body)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		text := htmlToText(body[m[1]:end])
		text = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "-"))
		status := strings.ToLower(strings.Join(strings.Fields(htmlToText(body[m[4]:m[5]])), "_"))
		ups = append(ups, Update{At: c.near(ref, loc, force).UTC(), Status: status, Body: text})
	}
	// Items list updates newest first.
	for i, j := 0, len(ups)-1; i < j; i, j = i+1, j-1 {
		ups[i], ups[j] = ups[j], ups[i]
	}
	return ups
}

func parseAtom(data []byte) (*Document, error) {
	if err := expectXMLRoot(data, "feed"); err != nil {
		return nil, err
	}
	f, err := (&atom.Parser{}).Parse(bytes.NewReader(data))
	if err != nil {
		return nil, malformed("invalid Atom: %v", err)
	}
	doc := &Document{Source: Source{Page: strings.TrimSpace(f.Title), URL: atomLink(f.Links)}}
	if f.Updated != "" {
		if t, err := ParseTime(f.Updated); err == nil {
			// Often the request time, not the content's (facts §6).
			doc.Source.UpdatedAt = &t
		} else {
			doc.Source.setExtra("bad_updated", f.Updated)
		}
	}
	if f.Generator != nil && f.Generator.Value != "" {
		doc.Source.setExtra("generator", f.Generator.Value)
	}
	for _, e := range f.Entries {
		doc.Incidents = append(doc.Incidents, atomEntryIncident(e))
	}
	settlePlain(doc.Incidents)
	return doc, nil
}

func atomLink(links []*atom.Link) string {
	for _, l := range links {
		if l != nil && (l.Rel == "" || l.Rel == "alternate") {
			return strings.TrimSpace(l.Href)
		}
	}
	return ""
}

func atomEntryIncident(e *atom.Entry) Incident {
	in := Incident{ID: strings.TrimSpace(e.ID), Title: htmlToText(e.Title), URL: atomLink(e.Links)}
	body := e.Summary
	if e.Content != nil && e.Content.Value != "" {
		body = e.Content.Value
	}
	var at time.Time
	for _, s := range []string{e.Updated, e.Published} {
		if s == "" {
			continue
		}
		if t, err := parseTimeZone(s); err == nil {
			at = t
			break
		}
		in.setExtra("bad_date", s)
	}
	if in.ID == "" {
		in.ID = in.URL
	}
	if in.ID == "" {
		in.ID = stableID(in.Title, body)
	}
	if m := gcpAtomIDRe.FindStringSubmatch(in.ID); m != nil {
		gcpAtomEntry(&in, m[1], m[2], body, at)
		return in
	}
	fillFromHTML(&in, body, at)
	return in
}

// gcpAtomEntry maps one update entry of GCP's feed.atom; Parse merges the
// entries of one incident (same ID) afterwards.
func gcpAtomEntry(in *Incident, incidentID, updateID, body string, at time.Time) {
	in.ID = incidentID
	in.setExtra("update_ids", []any{updateID})
	in.StartedAt, in.UpdatedAt = at, at
	in.Impact = ImpactUnknown
	status := ""
	if m := gcpAtomTitleRe.FindStringSubmatch(in.Title); m != nil {
		status = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(m[1]), " ", "_"))
		in.Title = strings.TrimSpace(m[3])
	}
	in.Status = status
	text := htmlToText(body)
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, "Affected products:"); ok {
			for _, p := range strings.Split(v, ",") {
				in.Components = appendUnique(in.Components, strings.TrimSpace(p))
			}
		} else if v, ok := strings.CutPrefix(line, "Affected locations:"); ok {
			for _, p := range strings.Split(v, ",") {
				in.Locations = appendUnique(in.Locations, strings.TrimSpace(p))
			}
		}
	}
	if doneStatuses[status] {
		in.ResolvedAt = timePtr(at)
	}
	in.Updates = []Update{{At: at.UTC(), Status: status, Body: text}}
}
