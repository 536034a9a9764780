package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Detect recognises a feed's format from its content, for --format auto.
// It accepts the same encodings as Parse (UTF-8 with or without BOM,
// UTF-16). The rules, in order:
//
//   - XML: <rss> is aws-rss when its guids or generator are AWS's,
//     azure-rss when it comes from an Azure status host, rss otherwise;
//     <feed> is atom; an HTML page is an error (ErrHTML).
//   - JSON object: "summary" holding components → incidentio;
//     "activeIncidents"/"activeMaintenances", or a page whose status is
//     UP/HASISSUES/UNDERMAINTENANCE → instatus; "archive"/"current" →
//     aws-events; "active_incidents" → slack; schemaVersion+label+message →
//     upptime (badge); any of page, components, incidents, incident,
//     scheduled_maintenances, status → statuspage; an object whose values
//     are arrays of AWS events → aws-events.
//   - JSON array: judged by its first element: external_desc,
//     affected_products or most_recent_update → gcp; slug+uptime → upptime;
//     service with date/event_log/arn → aws-events; services+notes → slack.
//     An empty array is ambiguous (AWS and Slack both answer [] when
//     quiet) and is an error.
//   - YAML with url and status keys (and usually "generator: Upptime") →
//     upptime.
func Detect(data []byte) (Format, error) {
	data, err := decodeText(data)
	if err != nil {
		return "", err
	}
	s := bytes.TrimSpace(data)
	if len(s) == 0 {
		return "", ErrEmpty
	}
	switch s[0] {
	case '<':
		return detectXML(s)
	case '{':
		return detectJSONObject(s)
	case '[':
		return detectJSONArray(s)
	}
	if looksLikeUpptimeYAML(s) {
		return FormatUpptime, nil
	}
	return "", fmt.Errorf("%w: content is not JSON, XML or Upptime YAML (starts with %q); pass the format explicitly", ErrUnknownFormat, firstBytes(s, 16))
}

func detectXML(s []byte) (Format, error) {
	head := strings.ToLower(string(s[:min(len(s), 8192)]))
	switch {
	case strings.Contains(head, "<rss") || strings.Contains(head, "<rdf:rdf"):
		switch {
		case strings.Contains(head, "status.aws.amazon.com/#") || strings.Contains(head, "aws service health dashboard") ||
			strings.Contains(head, "health.aws.amazon.com"):
			return FormatAWSRSS, nil
		case strings.Contains(head, "azure.status.microsoft") || strings.Contains(head, "azure.microsoft.com/en-us/status") ||
			strings.Contains(head, "azurecomcdn") || strings.Contains(head, "status.azure.com"):
			return FormatAzureRSS, nil
		}
		return FormatRSS, nil
	case strings.Contains(head, "<feed"):
		return FormatAtom, nil
	case looksLikeHTML(s):
		return "", ErrHTML
	}
	return "", fmt.Errorf("%w: XML without <rss> or <feed>", ErrUnknownFormat)
}

func detectJSONObject(s []byte) (Format, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(s, &top); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnknownFormat, cleanJSONError(err))
	}
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("summary") && jsonObjectHasAny(top["summary"], "components", "affected_components", "ongoing_incidents"):
		return FormatIncidentIO, nil
	case has("activeIncidents") || has("activeMaintenances") || instatusPage(top["page"]):
		return FormatInstatus, nil
	case has("archive") || has("current"):
		return FormatAWSEvents, nil
	case has("active_incidents"):
		return FormatSlack, nil
	case has("schemaVersion") && has("label") && has("message"):
		return FormatUpptime, nil
	}
	for _, k := range spTopKeys {
		if has(k) {
			return FormatStatuspage, nil
		}
	}
	// currentevents keyed by service: {"codebuild-us-east-1": [ … ]}.
	if len(top) > 0 {
		aws := true
		for _, v := range top {
			if !jsonArrayFirstHasAny(v, "summary", "event_log", "arn", "date") {
				aws = false
				break
			}
		}
		if aws {
			return FormatAWSEvents, nil
		}
	}
	return "", fmt.Errorf("%w: JSON object with keys %s matches no known feed; pass the format explicitly", ErrUnknownFormat, keyList(top))
}

func detectJSONArray(s []byte) (Format, error) {
	first, err := firstArrayElement(s)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnknownFormat, cleanJSONError(err))
	}
	if first == nil {
		return "", fmt.Errorf("%w: empty JSON array (AWS events and Slack history both look like this when quiet); pass the format explicitly", ErrUnknownFormat)
	}
	has := func(k string) bool { _, ok := first[k]; return ok }
	switch {
	case has("external_desc") || has("affected_products") || has("most_recent_update"):
		return FormatGCP, nil
	case has("slug") && (has("uptime") || has("status")):
		return FormatUpptime, nil
	case has("service") && (has("date") || has("event_log") || has("arn")):
		return FormatAWSEvents, nil
	case has("services") || has("notes"):
		return FormatSlack, nil
	}
	return "", fmt.Errorf("%w: JSON array of objects with keys %s matches no known feed; pass the format explicitly", ErrUnknownFormat, keyList(first))
}

// firstArrayElement decodes only the first element of a JSON array; nil
// for an empty array.
func firstArrayElement(s []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(s))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if !dec.More() {
		return nil, nil
	}
	var first map[string]json.RawMessage
	if err := dec.Decode(&first); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("array of JSON %s, want objects", te.Value)
		}
		return nil, err
	}
	if first == nil {
		first = map[string]json.RawMessage{}
	}
	return first, nil
}

func jsonObjectHasAny(raw json.RawMessage, keys ...string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

func jsonArrayFirstHasAny(raw json.RawMessage, keys ...string) bool {
	first, err := firstArrayElement(raw)
	if err != nil || first == nil {
		return false
	}
	for _, k := range keys {
		if _, ok := first[k]; ok {
			return true
		}
	}
	return false
}

// instatusPage reports whether a "page" object carries an Instatus status word.
func instatusPage(raw json.RawMessage) bool {
	if raw == nil {
		return false
	}
	var p struct {
		Status any `json:"status"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return false
	}
	st, _ := p.Status.(string)
	_, ok := instatusIndicators[st]
	return ok
}

func keyList(m map[string]json.RawMessage) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	if len(keys) > 8 {
		keys = append(keys[:8], fmt.Sprintf("… (%d more)", len(keys)-8))
	}
	return "[" + strings.Join(keys, ", ") + "]"
}

// looksLikeUpptimeYAML reports whether s is an Upptime history/<slug>.yml.
func looksLikeUpptimeYAML(s []byte) bool {
	var url, status bool
	for _, line := range strings.Split(string(s[:min(len(s), 4096)]), "\n") {
		switch {
		case strings.HasPrefix(line, "url:"):
			url = true
		case strings.HasPrefix(line, "status:"):
			status = true
		case strings.HasPrefix(line, "generator: Upptime"):
			return true
		}
	}
	return url && status
}
