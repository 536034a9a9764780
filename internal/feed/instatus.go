package feed

import (
	"encoding/json"
	"strings"
)

// Instatus public pages: /summary.json → page{name, url, status:
// UP|HASISSUES|UNDERMAINTENANCE}, activeIncidents[], activeMaintenances[];
// /v2/components.json → components[]. Shapes from third-party typings
// (no real sample): unknown fields are ignored, enum words are upper case.

type instatusDoc struct {
	Page *struct {
		Name   string `json:"name"`
		URL    string `json:"url"`
		Status string `json:"status"`
	} `json:"page"`
	ActiveIncidents    []instatusEvent     `json:"activeIncidents"`
	ActiveMaintenances []instatusEvent     `json:"activeMaintenances"`
	Components         []instatusComponent `json:"components"`
}

type instatusEvent struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Started  string     `json:"started"`
	Start    string     `json:"start"`
	Status   string     `json:"status"`
	Impact   string     `json:"impact"`
	URL      string     `json:"url"`
	Duration flexString `json:"duration"`
}

type instatusComponent struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Group  *struct {
		Name string `json:"name"`
	} `json:"group"`
}

var instatusImpacts = map[string]Impact{
	"OPERATIONAL": ImpactNone, "DEGRADEDPERFORMANCE": ImpactMinor, "MINOROUTAGE": ImpactMinor,
	"PARTIALOUTAGE": ImpactMajor, "MAJOROUTAGE": ImpactCritical, "UNDERMAINTENANCE": ImpactMaintenance,
}

var instatusStatuses = map[string]ComponentStatus{
	"OPERATIONAL": StatusOperational, "DEGRADEDPERFORMANCE": StatusDegradedPerformance,
	"MINOROUTAGE": StatusDegradedPerformance, "PARTIALOUTAGE": StatusPartialOutage,
	"MAJOROUTAGE": StatusMajorOutage, "UNDERMAINTENANCE": StatusUnderMaintenance,
}

var instatusIndicators = map[string]string{"UP": "none", "HASISSUES": "minor", "UNDERMAINTENANCE": "maintenance"}

func parseInstatus(data []byte) (*Document, error) {
	var raw instatusDoc
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw.Page == nil && raw.ActiveIncidents == nil && raw.ActiveMaintenances == nil && raw.Components == nil {
		return nil, malformed("no Instatus fields (page, activeIncidents, activeMaintenances, components)")
	}
	doc := &Document{}
	if p := raw.Page; p != nil {
		doc.Source.Page, doc.Source.URL = p.Name, p.URL
		if ind, ok := instatusIndicators[strings.ToUpper(p.Status)]; ok {
			doc.Source.Indicator = ind
		} else if p.Status != "" {
			doc.Source.Indicator = IndicatorUnknown
			doc.Source.setExtra("status_raw", p.Status)
		}
	}
	for _, c := range raw.Components {
		comp := Component{ID: c.ID, Name: c.Name}
		if comp.ID == "" {
			comp.ID = c.Name
		}
		if c.Group != nil {
			comp.Group = c.Group.Name
		}
		if st, ok := instatusStatuses[strings.ToUpper(c.Status)]; ok {
			comp.Status = st
		} else {
			comp.Status = StatusUnknown
			if c.Status != "" {
				comp.setExtra("status_raw", c.Status)
			}
		}
		doc.Components = append(doc.Components, comp)
	}
	add := func(e instatusEvent, maintenance bool) {
		in := Incident{ID: e.ID, Title: e.Name, Status: strings.ToLower(e.Status), URL: e.URL}
		if in.ID == "" {
			in.ID = e.URL
		}
		if in.ID == "" {
			in.ID = stableID(e.Name, e.Started, e.Start)
		}
		start := e.Started
		if start == "" {
			start = e.Start
		}
		in.StartedAt = parseTimeField(start, func(v string) { in.setExtra("bad_start", v) })
		switch imp, ok := instatusImpacts[strings.ToUpper(e.Impact)]; {
		case maintenance:
			in.Impact = ImpactMaintenance
		case ok:
			in.Impact = imp
		default:
			in.Impact = ImpactUnknown
			if e.Impact != "" {
				in.setExtra("impact_raw", e.Impact)
			}
		}
		if e.Duration != "" {
			in.setExtra("duration", string(e.Duration))
		}
		if e.Impact != "" {
			in.setExtra("impact_word", e.Impact)
		}
		doc.Incidents = append(doc.Incidents, in)
	}
	for _, e := range raw.ActiveIncidents {
		add(e, false)
	}
	for _, e := range raw.ActiveMaintenances {
		add(e, true)
	}
	return doc, nil
}
