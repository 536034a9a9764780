package feed

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
)

// Google Cloud Service Health incidents.json: a JSON array of incidents,
// newest first, each with its updates newest first.

type gcpIncident struct {
	ID                 string        `json:"id"`
	Number             string        `json:"number"`
	Begin              string        `json:"begin"`
	Created            string        `json:"created"`
	End                string        `json:"end"`
	Modified           string        `json:"modified"`
	ExternalDesc       string        `json:"external_desc"`
	Updates            []gcpUpdate   `json:"updates"`
	MostRecentUpdate   *gcpUpdate    `json:"most_recent_update"`
	StatusImpact       string        `json:"status_impact"`
	Severity           string        `json:"severity"`
	ServiceKey         string        `json:"service_key"`
	ServiceName        string        `json:"service_name"`
	AffectedProducts   []gcpTitledID `json:"affected_products"`
	URI                string        `json:"uri"`
	CurrentlyAffected  []gcpTitledID `json:"currently_affected_locations"`
	PreviouslyAffected []gcpTitledID `json:"previously_affected_locations"`
}

type gcpUpdate struct {
	Created           string        `json:"created"`
	When              string        `json:"when"`
	Text              string        `json:"text"`
	Status            string        `json:"status"`
	AffectedLocations []gcpTitledID `json:"affected_locations"`
}

type gcpTitledID struct {
	Title string `json:"title"`
	ID    string `json:"id"`
}

// gcpSeverities maps severity (preferred) and status_impact to impacts.
var gcpSeverities = map[string]Impact{
	"low": ImpactMinor, "medium": ImpactMajor, "high": ImpactCritical,
	"service_information": ImpactMinor, "service_disruption": ImpactMajor, "service_outage": ImpactCritical,
}

// gcpImpactStatus maps an open incident's impact onto its products' state.
var gcpImpactStatus = map[Impact]ComponentStatus{
	ImpactMinor: StatusDegradedPerformance, ImpactMajor: StatusPartialOutage,
	ImpactCritical: StatusMajorOutage, ImpactUnknown: StatusUnknown,
}

// gcpBaseURL prefixes an incident's uri to make its page address.
const gcpBaseURL = "https://status.cloud.google.com/"

func parseGCP(data []byte) (*Document, error) {
	var raw []gcpIncident
	if err := json.Unmarshal(data, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, malformed("top level is a JSON %s, want the array of incidents.json", te.Value)
		}
		return nil, err
	}
	doc := &Document{Incidents: make([]Incident, 0, len(raw))}
	type product struct {
		name   string
		status ComponentStatus
	}
	products := map[string]*product{}
	for i := range raw {
		r := &raw[i]
		if r.ID == "" {
			return nil, malformed("incident %d has no id", i)
		}
		in := gcpIncidentDoc(r)
		doc.Incidents = append(doc.Incidents, in)
		for _, p := range r.AffectedProducts {
			key := p.ID
			if key == "" {
				key = p.Title
			}
			pr, ok := products[key]
			if !ok {
				pr = &product{name: p.Title, status: StatusOperational}
				products[key] = pr
			}
			if in.ResolvedAt == nil {
				st := gcpImpactStatus[in.Impact]
				if st.Impairment(0) > pr.status.Impairment(0) {
					pr.status = st
				}
			}
		}
	}
	// Products named by incidents become components: operational unless
	// an open incident affects them (incidents.json lists no others).
	doc.Components = make([]Component, 0, len(products))
	for id, p := range products {
		doc.Components = append(doc.Components, Component{ID: id, Name: p.name, Status: p.status})
	}
	sort.Slice(doc.Components, func(i, j int) bool {
		a, b := doc.Components[i], doc.Components[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	return doc, nil
}

func gcpIncidentDoc(r *gcpIncident) Incident {
	in := Incident{ID: r.ID, Title: strings.TrimSpace(r.ExternalDesc)}
	bad := func(field string) func(string) { return func(s string) { in.setExtra("bad_"+field, s) } }
	in.StartedAt = parseTimeField(r.Begin, bad("begin"))
	if in.StartedAt.IsZero() {
		in.StartedAt = parseTimeField(r.Created, bad("created"))
	}
	in.ResolvedAt = timePtr(parseTimeField(r.End, bad("end")))
	in.UpdatedAt = parseTimeField(r.Modified, bad("modified"))
	if r.URI != "" {
		in.URL = gcpBaseURL + strings.TrimPrefix(r.URI, "/")
	}
	sev := strings.ToLower(r.Severity)
	imp, ok := gcpSeverities[sev]
	if !ok {
		imp, ok = gcpSeverities[strings.ToLower(r.StatusImpact)]
	}
	if !ok {
		imp = ImpactUnknown
	}
	in.Impact = imp
	switch {
	case r.MostRecentUpdate != nil && r.MostRecentUpdate.Status != "":
		in.Status = strings.ToLower(r.MostRecentUpdate.Status)
	case len(r.Updates) > 0 && r.Updates[0].Status != "":
		in.Status = strings.ToLower(r.Updates[0].Status)
	case in.ResolvedAt != nil:
		in.Status = "resolved"
	default:
		in.Status = "ongoing"
	}

	productIDs := make([]string, 0, len(r.AffectedProducts))
	for _, p := range r.AffectedProducts {
		in.Components = appendUnique(in.Components, p.Title)
		productIDs = append(productIDs, p.ID)
	}
	if len(in.Components) == 0 && r.ServiceName != "" {
		in.Components = []string{r.ServiceName}
	}

	// Locations: every location the incident ever named, by region id.
	titles := map[string]any{}
	addLocs := func(ls []gcpTitledID) {
		for _, l := range ls {
			id := l.ID
			if id == "" {
				id = l.Title
			}
			in.Locations = appendUnique(in.Locations, id)
			if l.Title != "" {
				titles[id] = l.Title
			}
		}
	}
	current := make([]string, 0, len(r.CurrentlyAffected))
	for _, l := range r.CurrentlyAffected {
		current = append(current, l.ID)
	}
	if r.MostRecentUpdate != nil {
		addLocs(r.MostRecentUpdate.AffectedLocations)
	}
	addLocs(r.CurrentlyAffected)
	addLocs(r.PreviouslyAffected)
	for i := range r.Updates {
		addLocs(r.Updates[i].AffectedLocations)
	}
	sort.Strings(in.Locations)

	in.Updates = make([]Update, 0, len(r.Updates))
	for i := len(r.Updates) - 1; i >= 0; i-- {
		u := &r.Updates[i]
		at := parseTimeField(u.When, bad("update_when"))
		if at.IsZero() {
			at = parseTimeField(u.Created, bad("update_created"))
		}
		in.Updates = append(in.Updates, Update{At: at, Status: strings.ToLower(u.Status), Body: htmlToText(u.Text)})
	}

	for _, kv := range []struct{ k, v string }{
		{"number", r.Number}, {"severity", r.Severity}, {"status_impact", r.StatusImpact},
		{"service_key", r.ServiceKey}, {"service_name", r.ServiceName}, {"uri", r.URI},
	} {
		if kv.v != "" {
			in.setExtra(kv.k, kv.v)
		}
	}
	if t := parseTimeField(r.Created, bad("created")); !t.IsZero() {
		in.setExtra("created", t.Format("2006-01-02T15:04:05Z07:00"))
	}
	if len(productIDs) > 0 {
		in.setExtra("product_ids", stringsToAny(productIDs))
	}
	if len(titles) > 0 {
		in.setExtra("location_titles", titles)
	}
	in.setExtra("currently_affected_locations", stringsToAny(current))
	if !ok && (r.Severity != "" || r.StatusImpact != "") {
		in.setExtra("impact_raw", r.Severity+"/"+r.StatusImpact)
	}
	return in
}
