// Package feed parses vendor status feeds into one normalized Document:
// the incidents and maintenances a feed reports and the components it
// lists with their state.
//
// # Formats
//
// Parse reads one payload in one Format (or detects it with FormatAuto;
// see Detect). One parser per format, one file each:
//
//   - statuspage (statuspage.go): Atlassian Statuspage API v2 JSON — every
//     public shape (summary, status, components, incidents, unresolved,
//     one incident, scheduled maintenances). Component groups are resolved
//     from group_id; group rows stay in the list with IsGroup set.
//     Incident components come from incident.components and from every
//     update's affected_components, joined on the component id.
//     Duplicate component names (one per group) are kept as given.
//   - incidentio (incidentio.go): incident.io widget JSON; its
//     Statuspage-compatible answers go through the statuspage parser.
//   - gcp (gcp.go): Google Cloud incidents.json. Products become
//     components, location ids become locations, severity low/medium/high
//     becomes minor/major/critical.
//   - aws-events (aws.go): the legacy data.json and the current events
//     JSON, including UTF-16 with a byte-order mark. Legacy descriptions
//     are split into dated updates.
//   - aws-rss (aws.go): per service-region RSS; one item per update,
//     folded into events; the guid's service-region key gives the
//     component (service) and location (region).
//   - azure-rss (azure.go): Azure status RSS. An empty channel is
//     IndicatorUnknown, never healthy.
//   - rss, atom (rss.go): generic RSS 2.0 and Atom via gofeed, with
//     Statuspage history feeds' HTML updates and GCP feed.atom entries
//     folded per incident.
//   - slack (slack.go), upptime (upptime.go), instatus (instatus.go).
//
// # Normalization
//
// All times are UTC (ParseTime reads RFC 3339 with offsets, Unix seconds
// and RFC 822 dates with zone abbreviations such as PST, which the
// standard library would silently read as UTC). Incidents are sorted newest
// first, then by id; records with the same id are merged (the one updated
// last wins, updates and components are united) and the number merged is
// recorded in Source.Extra["duplicate_incidents_merged"]. Updates are
// oldest first, with HTML reduced to text. An incident still open has a
// nil ResolvedAt. Values the parser does not know are kept, not dropped:
// an unknown impact becomes ImpactUnknown with the raw word in
// Extra["impact_raw"], an unknown component state becomes StatusUnknown
// with Extra["status_raw"], an unparsable time is left zero with the raw
// text in Extra["bad_<field>"]. Fields of a format that have no place in
// Document are kept in the Extra maps (each parser's file lists them).
//
// # Bad times and warnings
//
// Unknown is not a date. An incident without a valid start (a missing
// field, 2019-02-30, year 0000, an unknown zone such as XYZ, an RSS item
// without pubDate) is left out of Incidents, and so is one that ends
// before it starts unless an earlier creation or update time can be its
// start (Statuspage back-fills); an update without a valid time is
// dropped. Each gives a Warning in Document.Warnings naming the incident,
// the field as the feed spells it and the raw value, so that callers can
// show it; nothing left out is ever counted as trouble or as history. An
// Azure item, live by definition, takes the channel's own date instead.
//
// # When plain RSS and Atom items end
//
// Plain RSS and Atom items carry no end. Their end is read from the feed:
// a title that says so ("Resolved: …", "[Resolved] …", "… (Resolved)"),
// a latest update (the text's first paragraph) that says "resolved",
// "completed", "restored", "is operational"…, or a later item on the same
// subject that is resolved. An item with none of these is live only for a
// horizon after its last mention: three times the median gap between the
// feed's item dates, between one and seven days (seven with fewer than two
// dated items), recorded in Extra["live_until"]; Incident.LiveAt applies
// it. An old item is never live trouble. resolution.go has the details.
//
// # Errors
//
// Every error is a *ParseError naming the format and the feed, e.g.
//
//	feed: parse statuspage feed "github": unexpected end of JSON at offset 812
//	feed: parse statuspage feed "github": looks like an HTML page, not a statuspage feed (…)
//
// and matches ErrMalformed, ErrHTML, ErrEmpty, ErrTooLarge (input over
// MaxSize, 64 MiB) or ErrUnknownFormat with errors.Is. On error the
// document is nil.
//
// # Impairment
//
// ComponentStatus.Impairment and Impact.Impairment map states onto one
// scale from 0 (working) to 1 (down), following Statuspage's rule for
// deriving impact from component states: operational/none 0,
// degraded/minor 0.25, partial/major 0.5, major outage/critical 1,
// maintenance a caller-chosen value, unknown 0.5.
//
// # Performance
//
// Parsers decode into lean structs holding only mapped fields; Statuspage
// JSON parses at about 80 MB/s and GCP at about 50 MB/s on one core of
// the development machine (BenchmarkParse).
package feed
