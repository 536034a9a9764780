package feed

import (
	"strings"
)

// Azure status RSS (azure.status.microsoft/en-us/status/feed/). The
// channel lists only incidents that are active now and has no items
// otherwise, and it has been seen empty while the region serving it was
// down. So an empty channel does not prove health: the document's
// Source.Indicator is "unknown" and Source.Extra["empty_channel"] is true.
// With items, the indicator is "major" (the public page shows only
// broad incidents) and each item is an open incident whose title
// "<service(s)> - <region>" gives Components and Locations; <category>
// elements, when present, add to both.

// IndicatorUnknown is the Source.Indicator of a feed that says nothing
// about the page's health (an empty Azure channel).
const IndicatorUnknown = "unknown"

func parseAzureRSS(data []byte) (*Document, error) {
	f, err := parseRSSXML(data)
	if err != nil {
		return nil, err
	}
	doc := &Document{Source: rssSource(f)}
	if len(f.Items) == 0 {
		doc.Source.Indicator = IndicatorUnknown
		doc.Source.setExtra("empty_channel", true)
		return doc, nil
	}
	doc.Source.Indicator = string(ImpactMajor)
	for _, it := range f.Items {
		in := rssItemIncident(it)
		delete(in.Extra, plainMarker)
		if len(in.Extra) == 0 {
			in.Extra = nil
		}
		// The whole item is one statement; the feed has no update history.
		in.Impact = ImpactMajor
		in.Status = "active"
		in.ResolvedAt = nil
		title := in.Title
		if i := strings.LastIndex(title, " - "); i > 0 {
			svcs, region := title[:i], strings.TrimSpace(title[i+3:])
			for _, s := range strings.Split(svcs, "/") {
				in.Components = appendUnique(in.Components, strings.TrimSpace(s))
			}
			in.Locations = appendUnique(in.Locations, region)
		}
		for _, c := range it.Categories {
			if c == nil || strings.TrimSpace(c.Value) == "" {
				continue
			}
			v := strings.TrimSpace(c.Value)
			switch strings.ToLower(c.Domain) {
			case "region", "location":
				in.Locations = appendUnique(in.Locations, v)
			default:
				in.Components = appendUnique(in.Components, v)
			}
		}
		doc.Incidents = append(doc.Incidents, in)
	}
	return doc, nil
}
