package feed

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Slack status API (slack-status.com/api/v2.0.0/current and …/history):
// current is {status: ok|active, active_incidents[], date_created,
// date_updated}; history is a JSON array of the same incident objects.
// Incident type outage → major, incident → minor, notice → none; status
// scheduled/completed (or a maintenance type) → maintenance.

type slackCurrent struct {
	Status          string          `json:"status"`
	ActiveIncidents []slackIncident `json:"active_incidents"`
	DateCreated     string          `json:"date_created"`
	DateUpdated     string          `json:"date_updated"`
}

type slackIncident struct {
	ID          flexString  `json:"id"`
	Title       string      `json:"title"`
	Type        string      `json:"type"`
	Status      string      `json:"status"`
	URL         string      `json:"url"`
	DateCreated string      `json:"date_created"`
	DateUpdated string      `json:"date_updated"`
	Services    []string    `json:"services"`
	Notes       []slackNote `json:"notes"`
}

type slackNote struct {
	DateCreated string `json:"date_created"`
	Body        string `json:"body"`
}

var slackTypes = map[string]Impact{"outage": ImpactMajor, "incident": ImpactMinor, "notice": ImpactNone, "maintenance": ImpactMaintenance}

func parseSlack(data []byte) (*Document, error) {
	s := bytes.TrimSpace(data)
	doc := &Document{}
	var incs []slackIncident
	if len(s) > 0 && s[0] == '[' {
		if err := json.Unmarshal(s, &incs); err != nil {
			return nil, err
		}
		doc.Source.setExtra("layout", "history")
	} else {
		var cur slackCurrent
		if err := json.Unmarshal(s, &cur); err != nil {
			return nil, err
		}
		if cur.Status == "" && cur.ActiveIncidents == nil {
			return nil, malformed("no Slack status fields (status, active_incidents)")
		}
		incs = cur.ActiveIncidents
		switch st := strings.ToLower(cur.Status); st {
		case "ok":
			doc.Source.Indicator = string(ImpactNone)
		case "active":
			doc.Source.Indicator = string(ImpactMinor)
		default:
			doc.Source.Indicator = IndicatorUnknown
			doc.Source.setExtra("status_raw", cur.Status)
		}
		doc.Source.UpdatedAt = timePtr(parseTimeField(cur.DateUpdated, func(v string) { doc.Source.setExtra("bad_date_updated", v) }))
	}
	for i := range incs {
		in := slackIncidentDoc(&incs[i])
		if doc.Source.Indicator == string(ImpactMinor) && in.ResolvedAt == nil && in.Impact == ImpactMajor {
			doc.Source.Indicator = string(ImpactMajor)
		}
		doc.Incidents = append(doc.Incidents, in)
	}
	return doc, nil
}

func slackIncidentDoc(r *slackIncident) Incident {
	in := Incident{ID: string(r.ID), Title: strings.TrimSpace(r.Title), Status: strings.ToLower(r.Status), URL: r.URL}
	bad := func(k string) func(string) { return func(v string) { in.setExtra("bad_"+k, v) } }
	if in.ID == "" {
		in.ID = stableID(r.URL, r.Title, r.DateCreated)
	}
	typ := strings.ToLower(r.Type)
	imp, ok := slackTypes[typ]
	switch {
	case in.Status == "scheduled" || in.Status == "completed":
		imp = ImpactMaintenance
	case !ok:
		imp = ImpactUnknown
		if r.Type != "" {
			in.setExtra("impact_raw", r.Type)
		}
	}
	in.Impact = imp
	if r.Type != "" {
		in.setExtra("type", r.Type)
	}
	in.StartedAt = parseTimeField(r.DateCreated, bad("date_created"))
	in.UpdatedAt = parseTimeField(r.DateUpdated, bad("date_updated"))
	for _, s := range r.Services {
		in.Components = appendUnique(in.Components, strings.TrimSpace(s))
	}
	for _, n := range r.Notes {
		in.Updates = append(in.Updates, Update{At: parseTimeField(n.DateCreated, bad("note_date_created")), Body: htmlToText(n.Body)})
	}
	if doneStatuses[in.Status] {
		end := in.UpdatedAt
		for _, u := range in.Updates {
			if u.At.After(end) {
				end = u.At
			}
		}
		in.ResolvedAt = timePtr(end)
	}
	return in
}
