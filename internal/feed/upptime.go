package feed

import (
	"bytes"
	"encoding/json"
	"strings"

	"gopkg.in/yaml.v3"
)

// Upptime keeps its state in a GitHub repository. Three files are read:
//
//   - history/summary.json: an array of sites → one Component each
//     (up → operational, degraded → degraded_performance, down →
//     major_outage), with uptime figures in Component.Extra;
//   - history/<slug>.yml: one site's state → one Component, and
//     lastUpdated → Source.UpdatedAt;
//   - api/<slug>/*.json: a shields.io badge → Source.Extra only.
//
// Upptime's incidents are GitHub issues, not files, so documents have no
// incidents. Source.Indicator is the worst site: none, minor (degraded)
// or major (down).

type upptimeSite struct {
	Name             string             `json:"name"`
	URL              string             `json:"url"`
	Slug             string             `json:"slug"`
	Status           string             `json:"status"`
	Uptime           string             `json:"uptime"`
	UptimeDay        string             `json:"uptimeDay"`
	UptimeWeek       string             `json:"uptimeWeek"`
	UptimeMonth      string             `json:"uptimeMonth"`
	UptimeYear       string             `json:"uptimeYear"`
	Time             *float64           `json:"time"`
	DailyMinutesDown map[string]float64 `json:"dailyMinutesDown"`
}

type upptimeHistory struct {
	URL          string `yaml:"url"`
	Status       string `yaml:"status"`
	Code         int    `yaml:"code"`
	ResponseTime int    `yaml:"responseTime"`
	LastUpdated  string `yaml:"lastUpdated"`
	StartTime    string `yaml:"startTime"`
	Generator    string `yaml:"generator"`
}

type shieldsBadge struct {
	SchemaVersion *int   `json:"schemaVersion"`
	Label         string `json:"label"`
	Message       string `json:"message"`
	Color         string `json:"color"`
}

var upptimeStatuses = map[string]ComponentStatus{
	"up": StatusOperational, "degraded": StatusDegradedPerformance, "down": StatusMajorOutage,
}

func upptimeStatus(s string, c *Component) ComponentStatus {
	if st, ok := upptimeStatuses[strings.ToLower(s)]; ok {
		return st
	}
	if s != "" {
		c.setExtra("status_raw", s)
	}
	return StatusUnknown
}

func parseUpptime(data []byte) (*Document, error) {
	s := bytes.TrimSpace(data)
	doc := &Document{}
	switch {
	case len(s) > 0 && s[0] == '[':
		var sites []upptimeSite
		if err := json.Unmarshal(s, &sites); err != nil {
			return nil, err
		}
		for i, site := range sites {
			if site.Slug == "" && site.Name == "" {
				return nil, malformed("site %d has neither slug nor name", i)
			}
			c := Component{ID: site.Slug, Name: site.Name}
			if c.ID == "" {
				c.ID = site.Name
			}
			c.Status = upptimeStatus(site.Status, &c)
			for _, kv := range []struct{ k, v string }{
				{"url", site.URL}, {"uptime", site.Uptime}, {"uptime_day", site.UptimeDay},
				{"uptime_week", site.UptimeWeek}, {"uptime_month", site.UptimeMonth}, {"uptime_year", site.UptimeYear},
			} {
				if kv.v != "" {
					c.setExtra(kv.k, kv.v)
				}
			}
			if site.Time != nil {
				c.setExtra("response_time_ms", *site.Time)
			}
			if len(site.DailyMinutesDown) > 0 {
				m := make(map[string]any, len(site.DailyMinutesDown))
				for d, v := range site.DailyMinutesDown {
					m[d] = v
				}
				c.setExtra("daily_minutes_down", m)
			}
			doc.Components = append(doc.Components, c)
		}
		doc.Source.setExtra("layout", "history/summary.json")
	case len(s) > 0 && s[0] == '{':
		var b shieldsBadge
		if err := json.Unmarshal(s, &b); err != nil {
			return nil, err
		}
		if b.SchemaVersion == nil || b.Label == "" {
			return nil, malformed("JSON object is not a shields.io badge (schemaVersion, label, message)")
		}
		doc.Source.setExtra("layout", "api badge")
		doc.Source.setExtra("badge", map[string]any{"label": b.Label, "message": b.Message, "color": b.Color})
	default:
		var h upptimeHistory
		if err := yaml.Unmarshal(s, &h); err != nil {
			return nil, malformed("invalid Upptime history YAML: %v", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		if h.URL == "" || h.Status == "" {
			return nil, malformed("Upptime history YAML needs url and status")
		}
		c := Component{ID: h.URL, Name: h.URL}
		c.Status = upptimeStatus(h.Status, &c)
		if h.Code != 0 {
			c.setExtra("http_code", float64(h.Code))
		}
		c.setExtra("response_time_ms", float64(h.ResponseTime))
		doc.Components = []Component{c}
		bad := func(v string) { doc.Source.setExtra("bad_time", v) }
		doc.Source.UpdatedAt = timePtr(parseTimeField(h.LastUpdated, bad))
		if t := parseTimeField(h.StartTime, bad); !t.IsZero() {
			doc.Source.setExtra("start_time", t.Format("2006-01-02T15:04:05.999Z07:00"))
		}
		if h.Generator != "" {
			doc.Source.setExtra("generator", h.Generator)
		}
		doc.Source.setExtra("layout", "history/<slug>.yml")
	}
	doc.Source.Indicator = worstIndicator(doc.Components)
	return doc, nil
}

// worstIndicator summarizes component states as a Statuspage-style
// indicator ("" when there are no components).
func worstIndicator(cs []Component) string {
	if len(cs) == 0 {
		return ""
	}
	worst := "none"
	for _, c := range cs {
		switch c.Status {
		case StatusMajorOutage:
			return string(ImpactMajor)
		case StatusDegradedPerformance, StatusPartialOutage, StatusUnknown:
			worst = string(ImpactMinor)
		}
	}
	return worst
}
