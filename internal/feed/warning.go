package feed

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Warning is one thing Parse dropped or doubted because the feed said
// something that cannot be used: an incident without a valid start time,
// an end before its start, an update without a time. A warned-about
// incident is not in Document.Incidents: it is never counted as trouble
// or as history (unknown is not a date in year 1).
type Warning struct {
	// Incident is the incident's id; Title its title.
	Incident string `json:"incident"`
	Title    string `json:"title,omitempty"`
	// Field names the feed field at fault as the feed spells it
	// (started_at, pubDate, begin…).
	Field string `json:"field"`
	// Value is the field's raw text, cut to 80 characters; empty when the
	// field was missing.
	Value string `json:"value,omitempty"`
	// Problem says what was wrong; Action what Parse did about it
	// ("incident skipped", "update dropped").
	Problem string `json:"problem"`
	Action  string `json:"action"`
}

// String renders the warning for people, without the feed's name:
//
//	incident "abc" ("API errors"): started_at "2019-02-30": not a valid time; incident skipped
//
// Feed text in it is not escaped for a terminal: see package textsafe.
func (w Warning) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "incident %q", w.Incident)
	if w.Title != "" {
		fmt.Fprintf(&b, " (%q)", w.Title)
	}
	fmt.Fprintf(&b, ": %s", w.Field)
	if w.Value != "" {
		fmt.Fprintf(&b, " %q", w.Value)
	}
	fmt.Fprintf(&b, ": %s; %s", w.Problem, w.Action)
	return b.String()
}

// startFields names, per format, the fields an incident's start comes
// from, for warnings about a missing one.
var startFields = map[Format]string{
	FormatStatuspage: "started_at/created_at",
	FormatIncidentIO: "starts_at/published_at",
	FormatGCP:        "begin/created",
	FormatAWSRSS:     "pubDate",
	FormatAWSEvents:  "date",
	FormatAzureRSS:   "pubDate",
	FormatRSS:        "pubDate",
	FormatAtom:       "updated/published",
	FormatSlack:      "date_created",
	FormatUpptime:    "start",
	FormatInstatus:   "started",
}

// cut shortens s for a warning.
func cut(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// badFields returns the incident's Extra["bad_…"] entries as field and
// raw value, sorted by field.
func (in *Incident) badFields() (fields []string, values []string) {
	var keys []string
	for k := range in.Extra {
		if strings.HasPrefix(k, "bad_") && k != "bad_time" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fields = append(fields, strings.TrimPrefix(k, "bad_"))
		values = append(values, fmt.Sprint(in.Extra[k]))
	}
	return fields, values
}

// validate drops from d what cannot be used and records a Warning for
// each: incidents with no valid start time, incidents that end before
// they start, updates with no valid time. An Azure item (live now by
// definition) without a date takes the channel's own date instead, with a
// warning.
func (d *Document) validate() {
	out := d.Incidents[:0]
	for _, in := range d.Incidents {
		warn := func(field, value, problem, action string) {
			d.Warnings = append(d.Warnings, Warning{Incident: in.ID, Title: cut(in.Title, 80), Field: field,
				Value: cut(value, 80), Problem: problem, Action: action})
		}
		if in.StartedAt.IsZero() {
			fields, values := in.badFields()
			field, value, problem := startFields[d.Source.Format], "", "missing"
			if field == "" {
				field = "start"
			}
			if len(fields) > 0 {
				// Name the format's main start field when it is among the bad.
				k := 0
			pick:
				for _, name := range strings.Split(field, "/") {
					for j, f := range fields {
						if f == name || f == strings.ReplaceAll(strings.ToLower(name), "pubdate", "pub_date") {
							k = j
							break pick
						}
					}
				}
				field, value, problem = fields[k], values[k], "not a valid time"
			} else if in.Extra["bad_time"] == true {
				problem = "outside years 1-9999"
			}
			if d.Source.Format == FormatAzureRSS && d.Source.UpdatedAt != nil {
				in.StartedAt = *d.Source.UpdatedAt
				if in.UpdatedAt.IsZero() {
					in.UpdatedAt = in.StartedAt
				}
				for i := range in.Updates {
					if in.Updates[i].At.IsZero() {
						in.Updates[i].At = in.StartedAt
					}
				}
				warn(field, value, problem, "start taken from the channel's own date (the item is live now)")
			} else {
				warn(field, value, problem, "incident skipped")
				continue
			}
		}
		if in.ResolvedAt != nil && in.ResolvedAt.Before(in.StartedAt) {
			// Back-filled records (Statuspage) carry the entry time as
			// started_at; an earlier creation or update time is the start.
			problem := "before the start (" + in.StartedAt.Format(time.RFC3339) + ")"
			if from, at, ok := in.earlierStart(); ok {
				in.StartedAt = at
				warn("resolved_at", in.ResolvedAt.Format(time.RFC3339), problem, "start taken from "+from)
			} else {
				warn("resolved_at", in.ResolvedAt.Format(time.RFC3339), problem, "incident skipped")
				continue
			}
		}
		ups := in.Updates[:0]
		for _, u := range in.Updates {
			if u.At.IsZero() {
				warn("update time", "", "missing or not a valid time", "update dropped")
				continue
			}
			ups = append(ups, u)
		}
		in.Updates = ups
		out = append(out, in)
	}
	clear(d.Incidents[len(out):])
	d.Incidents = out
}

// earlierStart returns the earliest of the incident's creation time
// (Extra["created_at"]) and update times that is not after its end.
func (in *Incident) earlierStart() (from string, at time.Time, ok bool) {
	consider := func(name string, t time.Time) {
		if !t.IsZero() && !t.After(*in.ResolvedAt) && (!ok || t.Before(at)) {
			from, at, ok = name, t, true
		}
	}
	if s, isStr := in.Extra["created_at"].(string); isStr {
		if t, err := ParseTime(s); err == nil {
			consider("created_at", t)
		}
	}
	for _, u := range in.Updates {
		consider("the first update", u.At)
	}
	return from, at, ok
}
