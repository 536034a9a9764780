package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/depgraph/depgraph/internal/english"
	"github.com/depgraph/depgraph/internal/render"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed on first use, not at start-up (every command
// would pay for it).
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"chain":  func(ids []string) string { return strings.Join(ids, " → ") },
		"join":   func(ids []string) string { return strings.Join(ids, ", ") },
		"first":  firstN,
		"more":   func(s []string, n int) int { return max(0, len(s)-n) },
		"minus":  func(a, b int) int { return a - b },
		"pct":    func(f float64) string { return percent(f) },
		"prob":   func(f float64) string { return fmt.Sprintf("%.3g", f) },
		"hours":  hours,
		"date":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"day":    func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
		"plural": plural,
		"add":    func(a, b int) int { return a + b },
		"width":  func(f float64) string { return fmt.Sprintf("%.1f", math.Max(1, f*100)) },
		"short":  func(h string) string { return shortHash(h) },
		"sub":    func(a, b int) int { return a - b },
		"deref":  func(f *float64) float64 { return *f },
	}).Parse(htmlSource))
})

// HTMLOptions tunes WriteHTML.
type HTMLOptions struct {
	// NoPicture leaves the graph picture out (it needs go-graphviz).
	NoPicture bool
}

// htmlData is what the template sees.
type htmlData struct {
	*Report
	// SVG is the picture, produced by Graphviz from the view (whose text
	// Graphviz escapes), with the XML prolog removed; "" without one.
	SVG template.HTML
	// PictureError says why there is no picture.
	PictureError string
	// Timeline is the drawn incident timeline, nil without history.
	TimelineSVG *timelineSVG
}

// WriteHTML writes r as one self-contained HTML file: inline CSS, the
// picture and the timeline as inline SVG, no script and no network
// fetch; it prints on A4 or Letter.
func WriteHTML(w io.Writer, r *Report, opts HTMLOptions) error {
	d := htmlData{Report: r}
	if !opts.NoPicture && r.Picture.View != nil && len(r.Picture.View.Nodes) > 0 {
		svg, err := pictureSVG(r.Picture)
		if err != nil {
			d.PictureError = err.Error()
		} else {
			d.SVG = template.HTML(svg)
		}
	}
	if r.Timeline != nil {
		d.TimelineSVG = layoutTimeline(r.Timeline)
	}
	var buf bytes.Buffer
	if err := htmlTemplate().Execute(&buf, d); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// pictureSVG renders the picture through Graphviz and marks the failure
// domain nodes with a CSS class.
func pictureSVG(p Picture) (string, error) {
	var buf bytes.Buffer
	if err := render.Image(&buf, p.View, render.FormatSVG); err != nil {
		return "", err
	}
	s := buf.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("report: graphviz gave no <svg> element")
	}
	s = s[i:]
	s = strings.Replace(s, "<svg ", `<svg role="img" aria-label="dependency graph" `, 1)
	for _, id := range p.Domain {
		title := "<title>" + template.HTMLEscapeString(id) + "</title>"
		s = strings.ReplaceAll(s, "class=\"node\">\n"+title, "class=\"node domain\">\n"+title)
	}
	return s, nil
}

func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func members(m []string) string {
	switch len(m) {
	case 0:
		return ""
	case 1:
		return m[0]
	case 2:
		return m[0] + " or " + m[1]
	}
	return strings.Join(m[:len(m)-1], ", ") + " or " + m[len(m)-1]
}

func percent(f float64) string {
	p := f * 100
	if p > 0 && p < 0.05 {
		return "< 0.1 %"
	}
	if p >= 10 || p == math.Trunc(p) {
		return fmt.Sprintf("%.0f %%", p)
	}
	return fmt.Sprintf("%.1f %%", p)
}

// hours formats a number of hours for people.
func hours(h float64) string {
	switch {
	case h >= 100:
		return fmt.Sprintf("%.0f h", h)
	case h >= 1:
		return fmt.Sprintf("%.1f h", h)
	}
	return fmt.Sprintf("%.0f min", h*60)
}

func plural(n int, one, many string) string { return english.Count(n, one, many) }

func shortHash(h string) string {
	if i := strings.IndexByte(h, ':'); i >= 0 && len(h) > i+13 {
		return h[:i+13]
	}
	return h
}

// timelineSVG is the laid-out incident timeline.
type timelineSVG struct {
	Width, Height int
	// Left is where the plot starts; Plot its width.
	Left, Plot int
	Ticks      []tick
	Rows       []timelineRowSVG
	Legend     []legendItem
	Empty      bool
}

type tick struct {
	X     string
	Label string
}

type timelineRowSVG struct {
	Y, TextY int
	Label    string
	Full     string
	Bars     []bar
}

type bar struct {
	X, W  string
	Y, H  int
	Class string
	Title string
}

type legendItem struct {
	X     int
	Class string
	Label string
}

const (
	tlWidth  = 1000
	tlLeft   = 230
	tlRight  = 16
	tlTop    = 28
	tlRow    = 22
	tlBottom = 40
)

// layoutTimeline computes the geometry of the timeline: one row per node,
// a bar per incident on a shared time axis, month ticks.
func layoutTimeline(t *Timeline) *timelineSVG {
	plot := tlWidth - tlLeft - tlRight
	s := &timelineSVG{Width: tlWidth, Left: tlLeft, Plot: plot, Empty: len(t.Rows) == 0}
	span := t.To.Sub(t.From).Seconds()
	if span <= 0 {
		span = 1
	}
	x := func(at time.Time) float64 {
		f := at.Sub(t.From).Seconds() / span
		return float64(tlLeft) + math.Max(0, math.Min(1, f))*float64(plot)
	}
	step := tickStep(span, plot)
	for m := time.Date(t.From.Year(), t.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t.To); m = m.AddDate(0, 1, 0) {
		if m.Before(t.From) || (int(m.Month())-1)%min(step, 12) != 0 || (step >= 12 && m.Year()%(step/12) != 0) {
			continue
		}
		label := m.Format("Jan")
		switch {
		case step >= 12:
			label = m.Format("2006")
		case m.Month() == time.January || len(s.Ticks) == 0:
			label = m.Format("Jan 2006")
		}
		s.Ticks = append(s.Ticks, tick{X: fmt.Sprintf("%.1f", x(m)), Label: label})
	}
	for i, row := range t.Rows {
		y := tlTop + i*tlRow
		r := timelineRowSVG{Y: y, TextY: y + tlRow/2 + 4, Label: ellipsis(row.Node, 34), Full: row.Node}
		for _, in := range row.Incidents {
			end := t.To
			state := "open"
			if in.End != nil {
				end = *in.End
				state = "until " + in.End.UTC().Format("2006-01-02 15:04")
			}
			x0, x1 := x(in.Start), x(end)
			w := math.Max(3, x1-x0)
			title := fmt.Sprintf("%s: %s (%s), %s %s", row.Node, in.Title, in.Impact, in.Start.UTC().Format("2006-01-02 15:04"), state)
			r.Bars = append(r.Bars, bar{X: fmt.Sprintf("%.1f", x0), W: fmt.Sprintf("%.1f", w), Y: y + 4, H: tlRow - 8, Class: impactClass(in.Impact), Title: title})
		}
		s.Rows = append(s.Rows, r)
	}
	s.Height = tlTop + len(t.Rows)*tlRow + tlBottom
	lx := tlLeft
	for _, l := range []legendItem{{Class: "critical", Label: "critical"}, {Class: "major", Label: "major"}, {Class: "minor", Label: "minor"}, {Class: "other", Label: "no or unknown impact"}} {
		l.X = lx
		s.Legend = append(s.Legend, l)
		lx += 40 + 8*len(l.Label)
	}
	return s
}

// minTickGap is the least room, in px, between two month ticks: enough
// for a "Jan 2026" label at the tick font size.
const minTickGap = 64

// tickStep returns how many months apart the timeline's ticks are, so
// that their labels never overprint: 1, 2, 3 or 6 months, or a whole number
// of years (always starting on January). span is in seconds, plot in px.
func tickStep(span float64, plot int) int {
	months := span / (30.44 * 24 * 3600)
	for _, step := range []int{1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200} {
		if months <= 0 || float64(plot)*float64(step)/months >= minTickGap {
			return step
		}
	}
	return 1200
}

func impactClass(impact string) string {
	switch impact {
	case "critical", "major", "minor":
		return impact
	}
	return "other"
}

func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
