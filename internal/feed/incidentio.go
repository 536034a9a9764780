package feed

import (
	"bytes"
	"encoding/json"
	"strings"
)

// incident.io hosted status pages. Their Statuspage-compatible
// /api/v2/*.json answers are read by the Statuspage parser; this file
// reads the widget API (https://<host>/proxy/<host>):
// {"summary": {id, name, components[{id, name, group_id?}],
// affected_components[{component_id, status}], ongoing_incidents[],
// scheduled_maintenances[]}}. A component absent from
// affected_components is operational. The shape comes from third-party
// clients (no real sample); unknown fields are ignored.

type iioDoc struct {
	Summary *iioSummary `json:"summary"`
}

type iioSummary struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	PublicURL             string         `json:"public_url"`
	Components            []iioComponent `json:"components"`
	AffectedComponents    []iioAffected  `json:"affected_components"`
	OngoingIncidents      []iioIncident  `json:"ongoing_incidents"`
	ScheduledMaintenances []iioIncident  `json:"scheduled_maintenances"`
}

type iioComponent struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	GroupID string `json:"group_id"`
}

type iioAffected struct {
	ComponentID string `json:"component_id"`
	Status      string `json:"status"`
}

type iioIncident struct {
	ID                 string        `json:"id"`
	Name               string        `json:"name"`
	Status             string        `json:"status"`
	URL                string        `json:"url"`
	PublishedAt        string        `json:"published_at"`
	StartsAt           string        `json:"starts_at"`
	EndsAt             string        `json:"ends_at"`
	LastUpdateAt       string        `json:"last_update_at"`
	CurrentWorstImpact string        `json:"current_worst_impact"`
	AffectedComponents []iioAffected `json:"affected_components"`
}

func parseIncidentIO(data []byte) (*Document, error) {
	s := bytes.TrimSpace(data)
	// Statuspage-compatible answers (page/components/incidents).
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(s, &probe); err != nil {
		return nil, err
	}
	if _, ok := probe["summary"]; !ok {
		doc, err := parseStatuspage(s)
		if err == nil {
			doc.Source.setExtra("layout", "statuspage-compatible")
		}
		return doc, err
	}
	var raw iioDoc
	if err := json.Unmarshal(s, &raw); err != nil {
		return nil, err
	}
	if raw.Summary == nil {
		return nil, malformed("summary is null")
	}
	sum := raw.Summary
	doc := &Document{}
	doc.Source.Page, doc.Source.URL = sum.Name, sum.PublicURL
	if sum.ID != "" {
		doc.Source.setExtra("page_id", sum.ID)
	}
	doc.Source.setExtra("layout", "widget")
	names := map[string]string{}
	for _, c := range sum.Components {
		names[c.ID] = c.Name
	}
	status := map[string]string{}
	for _, a := range sum.AffectedComponents {
		status[a.ComponentID] = a.Status
	}
	for _, c := range sum.Components {
		comp := Component{ID: c.ID, Name: c.Name, Status: StatusOperational}
		if c.GroupID != "" {
			if g, ok := names[c.GroupID]; ok {
				comp.Group = g
			} else {
				comp.setExtra("group_id", c.GroupID)
			}
		}
		if st, ok := status[c.ID]; ok {
			comp.Status = mapComponentStatus(st, &comp)
		}
		doc.Components = append(doc.Components, comp)
	}
	add := func(r iioIncident, maintenance bool) {
		in := Incident{ID: r.ID, Title: r.Name, Status: strings.ToLower(r.Status), URL: r.URL}
		bad := func(k string) func(string) { return func(v string) { in.setExtra("bad_"+k, v) } }
		in.StartedAt = parseTimeField(r.StartsAt, bad("starts_at"))
		if in.StartedAt.IsZero() {
			in.StartedAt = parseTimeField(r.PublishedAt, bad("published_at"))
		}
		in.UpdatedAt = parseTimeField(r.LastUpdateAt, bad("last_update_at"))
		if maintenance {
			in.Impact = ImpactMaintenance
			if doneStatuses[in.Status] || in.Status == "maintenance_complete" {
				in.ResolvedAt = timePtr(parseTimeField(r.EndsAt, bad("ends_at")))
			}
		} else {
			// current_worst_impact uses component words.
			var c Component
			switch mapComponentStatus(r.CurrentWorstImpact, &c) {
			case StatusDegradedPerformance:
				in.Impact = ImpactMinor
			case StatusPartialOutage:
				in.Impact = ImpactMajor
			case StatusMajorOutage:
				in.Impact = ImpactCritical
			case StatusOperational:
				in.Impact = ImpactNone
			default:
				in.Impact = ImpactUnknown
				if r.CurrentWorstImpact != "" {
					in.setExtra("impact_raw", r.CurrentWorstImpact)
				}
			}
		}
		for _, a := range r.AffectedComponents {
			name := names[a.ComponentID]
			if name == "" {
				name = a.ComponentID
			}
			in.Components = appendUnique(in.Components, name)
		}
		if in.ID == "" {
			in.ID = stableID(r.Name, r.StartsAt, r.PublishedAt)
		}
		doc.Incidents = append(doc.Incidents, in)
	}
	for _, r := range sum.OngoingIncidents {
		add(r, false)
	}
	for _, r := range sum.ScheduledMaintenances {
		add(r, true)
	}
	doc.Source.Indicator = worstIndicator(doc.Components)
	return doc, nil
}
