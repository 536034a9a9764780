package feed

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// zoneOffsets maps the zone abbreviations feeds use to their UTC offsets
// in seconds. time.Parse does not know them: for an abbreviation that is
// not the local zone's it silently assumes UTC, which would shift every
// AWS "PST" date by eight hours. Ambiguous abbreviations (IST, CST in
// China) take the reading status feeds use (India, US Central).
var zoneOffsets = map[string]int{
	"Z": 0, "UT": 0, "UTC": 0, "GMT": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600,
	"CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600,
	"PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600,
	"HST": -10 * 3600,
	"BST": 1 * 3600, "WET": 0, "WEST": 1 * 3600,
	"CET": 1 * 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600,
	"IST": 5*3600 + 1800, "SGT": 8 * 3600, "HKT": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600,
	"AEST": 10 * 3600, "AEDT": 11 * 3600,
}

// rfc822Layouts are the RFC 822/1123-like layouts tried after the weekday
// has been stripped and runs of spaces collapsed; the zone is always a
// numeric offset by then.
var rfc822Layouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"2 January 2006 15:04:05 -0700",
	"2 January 2006 15:04 -0700",
	"2-Jan-06 15:04:05 -0700",
	"2-Jan-2006 15:04:05 -0700",
	"Jan 2 15:04:05 2006 -0700",
	"Jan 2 15:04:05 -0700 2006",
	"Jan 2, 2006 15:04:05 -0700",
	"Jan 2, 2006 3:04 PM -0700",
	"January 2, 2006 15:04:05 -0700",
}

// isoLayouts are the ISO 8601-like layouts tried before the RFC 822 ones.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTime parses the timestamps status feeds use and returns them in
// UTC: RFC 3339 with any offset or fraction, ISO 8601 variants without
// a zone (read as UTC), Unix seconds or milliseconds (as digits, possibly
// quoted), and RFC 822/1123 dates with or without a weekday, with
// space-padded days, two-digit years, numeric zones or abbreviations
// (PST, PDT, Z, GMT…; see zoneOffsets). An empty string is an error.
func ParseTime(s string) (time.Time, error) {
	t, err := parseTimeZone(s)
	if err != nil {
		return time.Time{}, err
	}
	if !inRange(t) {
		return time.Time{}, fmt.Errorf("time %q out of range (years 1-9999)", s)
	}
	return t.UTC(), nil
}

// inRange reports whether t can be written as RFC 3339 (JSON).
func inRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// parseTimeZone is ParseTime keeping the zone offset the text gave.
func parseTimeZone(s string) (time.Time, error) {
	t, err := parseTimeZoneAny(s)
	if err == nil && !inRange(t) {
		return time.Time{}, fmt.Errorf("time %q out of range (years 1-9999)", s)
	}
	return t, err
}

func parseTimeZoneAny(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty time")
	}
	if isDigits(s) || (len(s) > 1 && s[0] == '-' && isDigits(s[1:])) || isDecimal(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			return unixTime(f), nil
		}
	}
	if s[0] >= '0' && s[0] <= '9' && len(s) >= 10 && s[4] == '-' {
		for _, l := range isoLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, nil
			}
		}
	}
	norm, ok := normalizeRFC822(s)
	if ok {
		for _, l := range rfc822Layouts {
			if t, err := time.Parse(l, norm); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}

// unixTime reads f as Unix seconds, or milliseconds when it is too large
// to be seconds (after the year 5138).
func unixTime(f float64) time.Time {
	if f > 1e11 || f < -1e11 {
		f /= 1000
	}
	sec := int64(f)
	nsec := int64((f - float64(sec)) * 1e9)
	return time.Unix(sec, nsec).UTC()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isDecimal(s string) bool {
	i := strings.IndexByte(s, '.')
	return i > 0 && isDigits(s[:i]) && isDigits(s[i+1:])
}

// normalizeRFC822 strips a leading weekday ("Tue," or "Tuesday,"),
// collapses runs of spaces, turns a trailing zone abbreviation into a
// numeric offset and adds "+0000" when there is no zone at all.
func normalizeRFC822(s string) (string, bool) {
	f := strings.Fields(s)
	if len(f) < 3 {
		return "", false
	}
	if w := f[0]; strings.HasSuffix(w, ",") && isLetters(w[:len(w)-1]) {
		f = f[1:]
	} else if isLetters(w) && len(w) > 3 && len(f) > 4 {
		// "Tuesday 28 Feb …" without the comma.
		if _, err := time.Parse("Monday", w); err == nil {
			f = f[1:]
		}
	}
	if len(f) < 3 {
		return "", false
	}
	last := f[len(f)-1]
	switch {
	case isLetters(last) && !isMonth(last):
		off, ok := zoneOffsets[strings.ToUpper(last)]
		if !ok {
			return "", false
		}
		f[len(f)-1] = formatOffset(off)
	case (last[0] == '+' || last[0] == '-') && len(last) == 6 && last[3] == ':':
		f[len(f)-1] = last[:3] + last[4:]
	case (last[0] == '+' || last[0] == '-') && len(last) == 5:
	case strings.HasPrefix(last, "GMT") || strings.HasPrefix(last, "UTC"):
		if o := last[3:]; len(o) == 5 && (o[0] == '+' || o[0] == '-') {
			f[len(f)-1] = o
		} else {
			return "", false
		}
	default:
		f = append(f, "+0000")
	}
	// "PM -0700": keep the meridiem adjacent to the clock.
	return strings.Join(f, " "), true
}

func formatOffset(sec int) string {
	sign := byte('+')
	if sec < 0 {
		sign = '-'
		sec = -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec%3600/60)
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isMonth(s string) bool {
	if len(s) < 3 {
		return false
	}
	_, err := time.Parse("Jan", s[:3])
	return err == nil && len(s) <= 9
}

// parseTimeField parses s and records a bad value under key in extra
// instead of failing: a feed with one odd timestamp still parses.
func parseTimeField(s string, bad func(string)) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	t, err := ParseTime(s)
	if err != nil {
		bad(s)
		return time.Time{}
	}
	return t
}

// clockStamp is a yearless time as feeds print it inside update text:
// "Jan  1, 09:09 PST", "Aug 10, 00:17 UTC", "12:53 PM PDT",
// "Sep 12,  9:30 AM PDT".
type clockStamp struct {
	month, day   int // 0 when the stamp has no date
	hour, minute int
	offset       int // seconds east of UTC
	hasZone      bool
}

// parseClockStamp parses a yearless stamp; ok is false when s is not one.
func parseClockStamp(s string) (c clockStamp, ok bool) {
	f := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if n := len(f); n > 0 {
		if off, known := zoneOffsets[strings.ToUpper(f[n-1])]; known {
			c.offset, c.hasZone = off, true
			f = f[:n-1]
		}
	}
	pm, am := false, false
	if n := len(f); n > 0 {
		switch strings.ToUpper(f[n-1]) {
		case "PM":
			pm = true
			f = f[:n-1]
		case "AM":
			am = true
			f = f[:n-1]
		}
	}
	if len(f) != 1 && len(f) != 3 {
		return c, false
	}
	clock := f[len(f)-1]
	i := strings.IndexByte(clock, ':')
	if i < 1 || !isDigits(clock[:i]) || len(clock) != i+3 || !isDigits(clock[i+1:]) {
		return c, false
	}
	c.hour, _ = strconv.Atoi(clock[:i])
	c.minute, _ = strconv.Atoi(clock[i+1:])
	if (am || pm) && (c.hour < 1 || c.hour > 12) || c.hour > 23 || c.minute > 59 {
		return c, false
	}
	if pm && c.hour != 12 {
		c.hour += 12
	} else if am && c.hour == 12 {
		c.hour = 0
	}
	if len(f) == 3 {
		m, err := time.Parse("Jan", f[0][:min(3, len(f[0]))])
		if err != nil || !isDigits(f[1]) {
			return c, false
		}
		c.month = int(m.Month())
		c.day, _ = strconv.Atoi(f[1])
		if c.day < 1 || c.day > 31 {
			return c, false
		}
	}
	return c, true
}

// near returns the time c denotes that lies closest to ref, trying the
// years (or, for undated stamps, the days) around it. loc is used when c
// has no zone, or always when force is set.
func (c clockStamp) near(ref time.Time, loc *time.Location, force bool) time.Time {
	if c.hasZone && !force {
		loc = time.FixedZone("", c.offset)
	}
	r := ref.In(loc)
	var best time.Time
	var cands []time.Time
	if c.month != 0 {
		for y := r.Year() - 1; y <= r.Year()+1; y++ {
			cands = append(cands, time.Date(y, time.Month(c.month), c.day, c.hour, c.minute, 0, 0, loc))
		}
	} else {
		for d := -1; d <= 1; d++ {
			cands = append(cands, time.Date(r.Year(), r.Month(), r.Day()+d, c.hour, c.minute, 0, 0, loc))
		}
	}
	for _, t := range cands {
		if best.IsZero() || absDur(t.Sub(ref)) < absDur(best.Sub(ref)) {
			best = t
		}
	}
	return best
}

// after returns the first time c denotes at or after ref minus slack
// (updates are listed in order; a clock earlier than the previous one
// means the next day).
func (c clockStamp) after(ref time.Time, slack time.Duration) time.Time {
	loc := time.UTC
	if c.hasZone {
		loc = time.FixedZone("", c.offset)
	}
	r := ref.In(loc)
	if c.month != 0 {
		for y := r.Year(); y <= r.Year()+1; y++ {
			t := time.Date(y, time.Month(c.month), c.day, c.hour, c.minute, 0, 0, loc)
			if !t.Before(ref.Add(-slack)) {
				return t
			}
		}
		return time.Date(r.Year()+1, time.Month(c.month), c.day, c.hour, c.minute, 0, 0, loc)
	}
	t := time.Date(r.Year(), r.Month(), r.Day(), c.hour, c.minute, 0, 0, loc)
	for t.Before(ref.Add(-slack)) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
