package notify

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/depgraph/depgraph/internal/textsafe"
	"github.com/depgraph/depgraph/internal/watch"
)

// Text is an event's one-paragraph summary, the webhook's "text" field
// (Slack shows it). Feed text in it has its control characters escaped.
func Text(ev watch.Event) string {
	var b strings.Builder
	roots := list(ev.Roots, 3)
	switch ev.Event {
	case watch.Opened:
		fmt.Fprintf(&b, "Opened %s: %s (%s) likely root, p=%.0f%%", ev.Situation, roots, ev.Layer, 100*ev.Probability)
	case watch.Updated:
		fmt.Fprintf(&b, "Updated %s: root %s (%s), p=%.0f%%", ev.Situation, roots, ev.Layer, 100*ev.Probability)
	case watch.Resolved:
		fmt.Fprintf(&b, "Resolved %s: %s", ev.Situation, roots)
	case watch.Blind:
		fmt.Fprintf(&b, "Blind: %s could not be read; the state of %s is unknown, not healthy",
			list(ev.UnreadableFeeds, 3), list(ev.Unknown, 5))
		if len(ev.UnknownServices) > 0 {
			fmt.Fprintf(&b, " (your services depending on it: %s)", list(ev.UnknownServices, 5))
		}
		return textsafe.Line(b.String())
	}
	if len(ev.AffectedServices) > 0 {
		fmt.Fprintf(&b, "; your services: %s", list(ev.AffectedServices, 5))
	}
	if len(ev.Reporting) > 0 {
		fmt.Fprintf(&b, "; reporting: %s", list(ev.Reporting, 5))
	}
	if len(ev.Changes) > 0 {
		fmt.Fprintf(&b, "; %s", strings.Join(ev.Changes, "; "))
	}
	if len(ev.Unknown) > 0 {
		fmt.Fprintf(&b, "; unknown: %s", list(ev.Unknown, 5))
	}
	return textsafe.Line(b.String())
}

// WebhookBody is the event's JSON with the "text" field added.
func WebhookBody(ev watch.Event) ([]byte, error) {
	type body struct {
		watch.Event
		Text string `json:"text"`
	}
	return json.Marshal(body{Event: ev, Text: Text(ev)})
}

func list(ids []string, n int) string {
	if len(ids) == 0 {
		return "none"
	}
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:n], ", "), len(ids)-n)
}
