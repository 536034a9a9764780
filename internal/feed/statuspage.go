package feed

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Statuspage API v2 (also served by Statuspage-compatible hosts such as
// incident.io pages). One parser reads every JSON shape of the public API:
// summary.json, status.json, components.json, incidents.json,
// incidents/unresolved.json, incidents/<id>.json and
// scheduled-maintenances*.json. The structs below hold only the fields
// depgraph maps, so encoding/json skips the rest quickly.

type spDoc struct {
	Page                  *spPage       `json:"page"`
	Status                *spStatus     `json:"status"`
	Components            []spComponent `json:"components"`
	Incidents             []spIncident  `json:"incidents"`
	Incident              *spIncident   `json:"incident"`
	ScheduledMaintenances []spIncident  `json:"scheduled_maintenances"`
	ScheduledMaintenance  *spIncident   `json:"scheduled_maintenance"`
}

type spPage struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	TimeZone  string `json:"time_zone"`
	UpdatedAt string `json:"updated_at"`
}

type spStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type spComponent struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	GroupID string `json:"group_id"`
	Group   bool   `json:"group"`
}

type spIncident struct {
	ID                string           `json:"id"`
	Name              string           `json:"name"`
	Status            string           `json:"status"`
	Impact            string           `json:"impact"`
	CreatedAt         string           `json:"created_at"`
	UpdatedAt         string           `json:"updated_at"`
	StartedAt         string           `json:"started_at"`
	ResolvedAt        string           `json:"resolved_at"`
	MonitoringAt      string           `json:"monitoring_at"`
	ScheduledFor      string           `json:"scheduled_for"`
	ScheduledUntil    string           `json:"scheduled_until"`
	Shortlink         string           `json:"shortlink"`
	PostmortemBody    string           `json:"postmortem_body"`
	PostmortemAt      string           `json:"postmortem_published_at"`
	Updates           []spUpdate       `json:"incident_updates"`
	Components        []spComponent    `json:"components"`
	ReminderIntervals *json.RawMessage `json:"reminder_intervals"`
}

type spUpdate struct {
	Status             string       `json:"status"`
	Body               string       `json:"body"`
	CreatedAt          string       `json:"created_at"`
	DisplayAt          string       `json:"display_at"`
	AffectedComponents []spAffected `json:"affected_components"`
}

type spAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	NewStatus string `json:"new_status"`
}

// spTopKeys are the top-level keys of the Statuspage shapes.
var spTopKeys = []string{"page", "status", "components", "incidents", "incident", "scheduled_maintenances", "scheduled_maintenance"}

var spImpacts = map[string]Impact{
	"none": ImpactNone, "minor": ImpactMinor, "major": ImpactMajor,
	"critical": ImpactCritical, "maintenance": ImpactMaintenance,
}

var spStatuses = map[string]ComponentStatus{
	"operational":          StatusOperational,
	"degraded_performance": StatusDegradedPerformance,
	"partial_outage":       StatusPartialOutage,
	"major_outage":         StatusMajorOutage,
	"under_maintenance":    StatusUnderMaintenance,
}

// maintenanceStatuses are Statuspage's scheduled-maintenance states.
var maintenanceStatuses = map[string]bool{"scheduled": true, "in_progress": true, "verifying": true, "completed": true}

// doneStatuses end an incident or maintenance.
var doneStatuses = map[string]bool{"resolved": true, "postmortem": true, "completed": true, "cancelled": true, "canceled": true}

func parseStatuspage(data []byte) (*Document, error) {
	var raw spDoc
	if err := json.Unmarshal(data, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, malformed("top level is a JSON %s, want an object with page, components or incidents", te.Value)
		}
		return nil, err
	}
	if raw.Page == nil && raw.Status == nil && raw.Components == nil && raw.Incidents == nil &&
		raw.Incident == nil && raw.ScheduledMaintenances == nil && raw.ScheduledMaintenance == nil {
		return nil, malformed("no Statuspage fields (%s)", strings.Join(spTopKeys, ", "))
	}
	return statuspageDocument(&raw), nil
}

// statuspageDocument maps a decoded Statuspage payload.
func statuspageDocument(raw *spDoc) *Document {
	doc := &Document{}
	src := &doc.Source
	if p := raw.Page; p != nil {
		src.Page = p.Name
		src.URL = p.URL
		src.UpdatedAt = timePtr(parseTimeField(p.UpdatedAt, func(s string) { src.setExtra("bad_updated_at", s) }))
		if p.ID != "" {
			src.setExtra("page_id", p.ID)
		}
		if p.TimeZone != "" {
			src.setExtra("time_zone", p.TimeZone)
		}
	}
	if s := raw.Status; s != nil {
		src.Indicator = strings.ToLower(s.Indicator)
		if s.Description != "" {
			src.setExtra("status_description", s.Description)
		}
	}

	// Component ids → names, for groups and for affected_components codes.
	names := make(map[string]string, len(raw.Components))
	for _, c := range raw.Components {
		names[c.ID] = c.Name
	}
	doc.Components = make([]Component, 0, len(raw.Components))
	for _, c := range raw.Components {
		comp := Component{ID: c.ID, Name: c.Name, IsGroup: c.Group}
		if comp.ID == "" {
			comp.ID = c.Name
		}
		comp.Status = mapComponentStatus(c.Status, &comp)
		if c.GroupID != "" {
			if g, ok := names[c.GroupID]; ok {
				comp.Group = g
			} else {
				comp.setExtra("group_id", c.GroupID)
			}
		}
		doc.Components = append(doc.Components, comp)
	}

	n := len(raw.Incidents) + len(raw.ScheduledMaintenances) + 2
	doc.Incidents = make([]Incident, 0, n)
	add := func(in *spIncident, maintenance bool) {
		doc.Incidents = append(doc.Incidents, statuspageIncident(in, maintenance, names))
	}
	for i := range raw.Incidents {
		add(&raw.Incidents[i], false)
	}
	if raw.Incident != nil {
		add(raw.Incident, false)
	}
	for i := range raw.ScheduledMaintenances {
		add(&raw.ScheduledMaintenances[i], true)
	}
	if raw.ScheduledMaintenance != nil {
		add(raw.ScheduledMaintenance, true)
	}
	return doc
}

// mapComponentStatus maps a Statuspage component status; an unknown word
// becomes StatusUnknown with the raw word in c.Extra["status_raw"].
func mapComponentStatus(s string, c *Component) ComponentStatus {
	if st, ok := spStatuses[strings.ToLower(s)]; ok {
		return st
	}
	if s != "" {
		c.setExtra("status_raw", s)
	}
	return StatusUnknown
}

func statuspageIncident(r *spIncident, maintenance bool, names map[string]string) Incident {
	in := Incident{
		ID:     r.ID,
		Title:  r.Name,
		Status: strings.ToLower(r.Status),
		URL:    r.Shortlink,
	}
	bad := func(field string) func(string) {
		return func(s string) { in.setExtra("bad_"+field, s) }
	}
	if r.ScheduledFor != "" || maintenanceStatuses[in.Status] {
		maintenance = true
	}
	switch imp, ok := spImpacts[strings.ToLower(r.Impact)]; {
	case maintenance:
		in.Impact = ImpactMaintenance
		if r.Impact != "" && r.Impact != "maintenance" {
			in.setExtra("impact_raw", r.Impact)
		}
	case ok:
		in.Impact = imp
	default:
		in.Impact = ImpactUnknown
		if r.Impact != "" {
			in.setExtra("impact_raw", r.Impact)
		}
	}
	created := parseTimeField(r.CreatedAt, bad("created_at"))
	in.StartedAt = parseTimeField(r.StartedAt, bad("started_at"))
	scheduledFor := parseTimeField(r.ScheduledFor, bad("scheduled_for"))
	if maintenance && !scheduledFor.IsZero() {
		in.StartedAt = scheduledFor
	}
	if in.StartedAt.IsZero() {
		in.StartedAt = created
	}
	in.UpdatedAt = parseTimeField(r.UpdatedAt, bad("updated_at"))
	in.ResolvedAt = timePtr(parseTimeField(r.ResolvedAt, bad("resolved_at")))

	for _, s := range []struct{ k, v string }{
		{"monitoring_at", r.MonitoringAt}, {"scheduled_for", r.ScheduledFor},
		{"scheduled_until", r.ScheduledUntil}, {"postmortem_body", r.PostmortemBody},
		{"postmortem_published_at", r.PostmortemAt},
	} {
		if s.v == "" {
			continue
		}
		if strings.HasSuffix(s.k, "_at") || strings.HasPrefix(s.k, "scheduled_") {
			if t, err := ParseTime(s.v); err == nil {
				in.setExtra(s.k, t.Format(time.RFC3339Nano))
				continue
			}
		}
		in.setExtra(s.k, s.v)
	}
	if !created.IsZero() && !created.Equal(in.StartedAt) {
		in.setExtra("created_at", created.Format(time.RFC3339Nano))
	}

	// Affected components: the incident's own list, then every update's
	// affected_components joined on code (names there may be "Group -
	// Name"), de-duplicated by id.
	seen := make(map[string]bool, len(r.Components))
	for _, c := range r.Components {
		key := c.ID
		if key == "" {
			key = "name:" + c.Name
		}
		if seen[key] || c.Name == "" {
			continue
		}
		seen[key] = true
		in.Components = append(in.Components, c.Name)
	}
	in.Updates = make([]Update, 0, len(r.Updates))
	var lastDone time.Time
	for i := len(r.Updates) - 1; i >= 0; i-- { // the API lists newest first
		u := &r.Updates[i]
		at := parseTimeField(u.DisplayAt, bad("display_at"))
		if at.IsZero() {
			at = parseTimeField(u.CreatedAt, bad("update_created_at"))
		}
		st := strings.ToLower(u.Status)
		in.Updates = append(in.Updates, Update{At: at, Status: st, Body: htmlToText(u.Body)})
		if doneStatuses[st] && (lastDone.IsZero() || at.Before(lastDone)) {
			lastDone = at
		}
		for _, a := range u.AffectedComponents {
			key := a.Code
			if key == "" {
				key = "name:" + a.Name
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			name := a.Name
			if n, ok := names[a.Code]; ok {
				name = n
			}
			in.Components = appendUnique(in.Components, name)
		}
	}
	if in.ResolvedAt == nil && doneStatuses[in.Status] {
		// Resolved without resolved_at: use the first closing update.
		if !lastDone.IsZero() {
			in.ResolvedAt = timePtr(lastDone)
		} else if maintenance {
			in.ResolvedAt = timePtr(parseTimeField(r.ScheduledUntil, bad("scheduled_until")))
		}
	}
	if in.ResolvedAt != nil && in.ResolvedAt.Equal(in.StartedAt) {
		// Back-filled record: no real duration (Statuspage quirk 5).
		in.setExtra("zero_duration", true)
	}
	if r.ReminderIntervals != nil && string(*r.ReminderIntervals) != "null" {
		var v any
		if json.Unmarshal(*r.ReminderIntervals, &v) == nil {
			in.setExtra("reminder_intervals", v)
		}
	}
	return in
}
