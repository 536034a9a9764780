package feed

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Plain RSS and Atom items (not Statuspage history, not GCP, not AWS)
// carry a date, a title and a text, and never a field saying the trouble
// is over. settlePlain reads the end from what the feed says, in order:
//
//  1. The title says so: it starts with "Resolved", "[Resolved]",
//     "Fixed", "Completed", "Restored", "Recovered", "Closed" (followed
//     by ':', '-', ']' or a space), or ends with "(Resolved)",
//     "[Resolved]" or "- Resolved". The item is resolved at its own date.
//  2. The latest update says so: the first paragraph of the text (feeds
//     put the newest update first) starts with one of those words, or says
//     "has been resolved/fixed/restored/mitigated", "is (now) resolved",
//     "is (now/fully) operational", "operating normally", "back to
//     normal". Resolved at the item's date.
//  3. A later item about the same subject (the title without its status
//     prefix, e.g. "Investigating: API errors" and "Resolved: API
//     errors") is resolved: the earlier one is resolved at the later
//     one's date. A later unresolved item on the subject is a later
//     mention.
//  4. Otherwise the item stays unresolved, but it is live only for a
//     while after its last mention: the horizon is three times the median
//     gap between the feed's item dates, at least one day and at most
//     seven days (seven days when the feed has fewer than two dated
//     items). Extra["live_until"] holds the last mention plus the
//     horizon; Incident.LiveAt is false after it, and the store counts no
//     outage time after it. An old item is never live trouble.
//
// Each settled item records the rule in Extra["resolved_from"] ("title",
// "text", "later item <id>") or, for rule 4, Extra["live_until"].

const plainMarker = "plain_item"

// titleResolvedRe matches a title that announces the end.
var titleResolvedRe = regexp.MustCompile(`(?i)^\s*\[?\s*(?:resolved|fixed|completed|restored|recovered|closed)\b\s*(?:[\]:\-–—]|\s|$)|(?:[\[(]\s*resolved\s*[\])]|[-–—:]\s*resolved)\s*\.?\s*$`)

// textResolvedRe matches a latest update that announces the end.
var textResolvedRe = regexp.MustCompile(`(?i)^\s*(?:resolved|fixed|completed|restored|recovered)\b|\b(?:has|have) been (?:resolved|fixed|restored|mitigated|completed)\b|\b(?:is|are) (?:now )?resolved\b|\b(?:is|are) (?:now |fully |now fully )?operational\b|\boperating normally\b|\bback to normal\b`)

// statusPrefixRe strips a status word from the start of a title.
var statusPrefixRe = regexp.MustCompile(`(?i)^\s*\[?\s*(?:resolved|investigating|identified|monitoring|update[sd]?|fixed|completed|closed|restored|recovered|degraded|outage|ongoing|scheduled|in progress)\s*[\]:\-–—]\s*`)

// statusSuffixRe strips a trailing "(Resolved)".
var statusSuffixRe = regexp.MustCompile(`(?i)\s*(?:[\[(]\s*resolved\s*[\])]|[-–—:]\s*resolved)\s*\.?\s*$`)

// subject returns what a title is about, without status words.
func subject(title string) string {
	s := statusSuffixRe.ReplaceAllString(statusPrefixRe.ReplaceAllString(title, ""), "")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// latestUpdateText returns the first paragraph of an item's text.
func latestUpdateText(in *Incident) string {
	if len(in.Updates) == 0 {
		return ""
	}
	body := in.Updates[len(in.Updates)-1].Body
	if i := strings.Index(body, "\n\n"); i >= 0 {
		body = body[:i]
	}
	return body
}

// Horizon bounds for rule 4.
const (
	minHorizon = 24 * time.Hour
	maxHorizon = 7 * 24 * time.Hour
)

// plainHorizon is rule 4's horizon for items dated dates.
func plainHorizon(dates []time.Time) time.Duration {
	ds := slices.Clone(dates)
	slices.SortFunc(ds, func(a, b time.Time) int { return a.Compare(b) })
	var gaps []time.Duration
	for i := 1; i < len(ds); i++ {
		if g := ds[i].Sub(ds[i-1]); g > 0 {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) == 0 {
		return maxHorizon
	}
	slices.Sort(gaps)
	return min(max(3*gaps[len(gaps)/2], minHorizon), maxHorizon)
}

// settlePlain applies the rules above to the plain items among incs.
func settlePlain(incs []Incident) {
	var plain []int
	var dates []time.Time
	for i := range incs {
		if incs[i].Extra[plainMarker] != true {
			continue
		}
		delete(incs[i].Extra, plainMarker)
		if len(incs[i].Extra) == 0 {
			incs[i].Extra = nil
		}
		plain = append(plain, i)
		if !incs[i].StartedAt.IsZero() {
			dates = append(dates, incs[i].StartedAt)
		}
	}
	if len(plain) == 0 {
		return
	}
	horizon := plainHorizon(dates)
	resolve := func(in *Incident, at time.Time, from string) {
		in.ResolvedAt = timePtr(at)
		in.Status = "resolved"
		in.setExtra("resolved_from", from)
		if in.ResolvedAt != nil && in.ResolvedAt.Equal(in.StartedAt) {
			in.setExtra("zero_duration", true)
		}
	}
	// Rules 1 and 2.
	for _, i := range plain {
		in := &incs[i]
		if in.StartedAt.IsZero() {
			continue // Parse skips it with a warning
		}
		switch {
		case titleResolvedRe.MatchString(in.Title):
			resolve(in, in.StartedAt, "title")
		case textResolvedRe.MatchString(latestUpdateText(in)):
			resolve(in, in.StartedAt, "text")
		}
	}
	// Rules 3 and 4.
	for _, i := range plain {
		in := &incs[i]
		if in.StartedAt.IsZero() || in.ResolvedAt != nil {
			continue
		}
		subj := subject(in.Title)
		last := in.StartedAt
		var end *Incident
		for _, j := range plain {
			o := &incs[j]
			if j == i || subj == "" || subject(o.Title) != subj || !o.StartedAt.After(in.StartedAt) {
				continue
			}
			if o.ResolvedAt != nil {
				if end == nil || o.StartedAt.Before(end.StartedAt) {
					end = o
				}
			} else if o.StartedAt.After(last) {
				last = o.StartedAt
			}
		}
		if end != nil {
			resolve(in, end.StartedAt, "later item "+end.ID)
			continue
		}
		in.Status = "unknown"
		in.setExtra("live_until", last.Add(horizon).UTC().Format(time.RFC3339))
	}
}

// LiveUntil returns the time after which an unresolved incident is no
// longer taken as live (Extra["live_until"], set for plain RSS and Atom
// items, whose feeds never say when trouble ends), and false when the
// feed states its incidents' ends.
func (in *Incident) LiveUntil() (time.Time, bool) {
	s, ok := in.Extra["live_until"].(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// LiveAt reports whether the incident is live trouble at now: started by
// then, not resolved by then, and, for an item whose feed never says when
// trouble ends, not past its LiveUntil.
func (in *Incident) LiveAt(now time.Time) bool {
	if in.StartedAt.After(now) || (in.ResolvedAt != nil && !in.ResolvedAt.After(now)) {
		return false
	}
	if until, ok := in.LiveUntil(); ok && !now.Before(until) {
		return false
	}
	return true
}

// Text is the incident's title and the bodies of its updates, one per
// line: what the vendor said about it (the diagnosis reads its words).
func (in *Incident) Text() string {
	var b strings.Builder
	b.WriteString(in.Title)
	for _, u := range in.Updates {
		b.WriteString("\n")
		b.WriteString(u.Body)
	}
	return b.String()
}
