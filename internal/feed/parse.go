package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/textsafe"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// MaxSize is the largest feed Parse and ParseReader accept, in bytes (64 MiB).
// A year of GCP incidents is about 1.3 MB; anything near this limit is not a
// status feed.
const MaxSize = 64 << 20

// FormatAuto asks Parse to recognise the format from the content (see Detect).
// It is not a format of its own and is not listed in Formats.
const FormatAuto Format = "auto"

// Errors that Parse wraps in a *ParseError; test for them with errors.Is.
var (
	// ErrTooLarge reports input over MaxSize.
	ErrTooLarge = errors.New("feed is larger than the 64 MiB limit")
	// ErrHTML reports an HTML page where a feed was expected (status pages
	// often serve their web page or an error page with status 200).
	ErrHTML = errors.New("looks like an HTML page")
	// ErrEmpty reports an empty or blank input.
	ErrEmpty = errors.New("empty input")
	// ErrUnknownFormat reports a format name that is not in Formats, or
	// content Detect cannot recognise.
	ErrUnknownFormat = errors.New("unknown feed format")
)

// ParseError is the error Parse returns. Its message names the feed and
// says what was wrong, e.g.
//
//	feed: parse statuspage feed "github": unexpected end of JSON at offset 812
type ParseError struct {
	// Format is the format that was being parsed ("auto" while detecting).
	Format Format
	// Name is the feed's name as given to Parse.
	Name string
	// Offset is the byte offset of a syntax or type error in the decoded
	// input, or -1 when there is no position.
	Offset int64
	// Err is the underlying problem.
	Err error
}

// Error implements error.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("feed: parse ")
	if e.Format != "" && e.Format != FormatAuto {
		b.WriteString(string(e.Format))
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "feed %q: ", cut(e.Name, 120))
	switch {
	case errors.Is(e.Err, ErrHTML):
		what := "feed"
		if e.Format != "" && e.Format != FormatAuto {
			what = string(e.Format) + " feed"
		}
		fmt.Fprintf(&b, "%v, not a %s (check the URL; the page may be an error page served with status 200)", e.Err, what)
	default:
		// Underlying messages may quote the feed: keep them short and
		// free of terminal controls.
		b.WriteString(textsafe.Line(cut(e.Err.Error(), maxErrorText)))
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at offset %d", e.Offset)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// maxErrorText caps, in characters, the underlying message a ParseError
// prints.
const maxErrorText = 200

// ParseReader reads at most MaxSize bytes from r and parses them like Parse.
func ParseReader(r io.Reader, format Format, name string) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &ParseError{Format: format, Name: name, Offset: -1, Err: fmt.Errorf("read: %w", err)}
	}
	return Parse(data, format, name)
}

// Parse parses one feed in the given format into a normalized Document.
// With FormatAuto or "" it first calls Detect; an explicit format always
// wins over detection. name names the feed in errors and in Source.Name.
//
// Input may be UTF-8 (with or without a byte-order mark) or UTF-16 with a
// byte-order mark, as AWS serves its events JSON. All times in the result
// are UTC; incidents are sorted newest first, then by id; incidents with
// the same id are merged (see Document). On error the document is nil and
// the error is a *ParseError.
func Parse(data []byte, format Format, name string) (*Document, error) {
	fail := func(f Format, off int64, err error) (*Document, error) {
		return nil, &ParseError{Format: f, Name: name, Offset: off, Err: err}
	}
	if len(data) > MaxSize {
		return fail(format, -1, ErrTooLarge)
	}
	data, err := decodeText(data)
	if err != nil {
		return fail(format, -1, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail(format, -1, ErrEmpty)
	}
	if format == "" || format == FormatAuto {
		format, err = Detect(data)
		if err != nil {
			return fail(FormatAuto, -1, err)
		}
	}
	p, ok := parsers[format]
	if !ok {
		return fail("", -1, unknownFormatError(string(format)))
	}
	if looksLikeHTML(data) {
		return fail(format, -1, ErrHTML)
	}
	doc, err := p(data)
	if err != nil {
		return fail(format, errOffset(err), cleanJSONError(err))
	}
	doc.SchemaVersion = SchemaVersion
	doc.Source.Format = format
	doc.Source.Name = name
	doc.normalize()
	return doc, nil
}

// parsers maps each format to its parser. A parser returns an error that
// is not yet wrapped in a ParseError.
var parsers = map[Format]func([]byte) (*Document, error){
	FormatStatuspage: parseStatuspage,
	FormatIncidentIO: parseIncidentIO,
	FormatGCP:        parseGCP,
	FormatAWSRSS:     parseAWSRSS,
	FormatAWSEvents:  parseAWSEvents,
	FormatAzureRSS:   parseAzureRSS,
	FormatRSS:        parseRSS,
	FormatAtom:       parseAtom,
	FormatSlack:      parseSlack,
	FormatUpptime:    parseUpptime,
	FormatInstatus:   parseInstatus,
}

// ParseFormat returns the Format named s ("auto" included). For an unknown
// name the error suggests the closest known one.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if f == FormatAuto {
		return f, nil
	}
	if _, ok := parsers[f]; ok {
		return f, nil
	}
	return "", fmt.Errorf("feed: %w", unknownFormatError(s))
}

func unknownFormatError(s string) error {
	names := make([]string, len(Formats))
	best, bestD := "", 1<<30
	for i, f := range Formats {
		names[i] = string(f)
		if d := editDistance(strings.ToLower(s), string(f)); d < bestD {
			best, bestD = string(f), d
		}
	}
	msg := fmt.Sprintf("%q (known: %s, auto)", s, strings.Join(names, ", "))
	if bestD <= 3 {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return fmt.Errorf("%w %s", ErrUnknownFormat, msg)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// decodeText removes a UTF-8 byte-order mark and converts UTF-16 (with a
// byte-order mark, or recognisable by its zero bytes) to UTF-8.
func decodeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16Decode(data, unicode.LittleEndian, unicode.ExpectBOM)
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		return utf16Decode(data, unicode.BigEndian, unicode.IgnoreBOM)
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return utf16Decode(data, unicode.LittleEndian, unicode.IgnoreBOM)
	}
	return data, nil
}

func utf16Decode(data []byte, e unicode.Endianness, bom unicode.BOMPolicy) ([]byte, error) {
	if len(data)%2 != 0 {
		return nil, errors.New("truncated UTF-16 input (odd number of bytes)")
	}
	out, _, err := transform.Bytes(unicode.UTF16(e, bom).NewDecoder(), data)
	if err != nil {
		return nil, fmt.Errorf("decode UTF-16: %w", err)
	}
	return out, nil
}

// looksLikeHTML reports whether data starts like an HTML document rather
// than a feed.
func looksLikeHTML(data []byte) bool {
	head := bytes.TrimSpace(data)
	if len(head) == 0 || head[0] != '<' {
		return false
	}
	if len(head) > 1024 {
		head = head[:1024]
	}
	h := strings.ToLower(string(head))
	if strings.Contains(h, "<rss") || strings.Contains(h, "<feed") || strings.Contains(h, "<rdf:rdf") {
		return false
	}
	return strings.Contains(h, "<!doctype html") || strings.Contains(h, "<html") ||
		strings.Contains(h, "<head") || strings.Contains(h, "<body")
}

// errOffset returns the input offset a JSON error carries, or -1.
func errOffset(err error) int64 {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Offset
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Offset
	}
	return -1
}

// cleanJSONError rewrites encoding/json's messages into the feed's words;
// the position is printed by ParseError.
func cleanJSONError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg := strings.TrimPrefix(se.Error(), "json: ")
		msg = strings.Replace(msg, "end of JSON input", "end of JSON", 1)
		return &malformedError{msg}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "top level"
		}
		return &malformedError{fmt.Sprintf("field %s: want %s, got JSON %s", field, te.Type, te.Value)}
	}
	return err
}

// ErrMalformed matches (with errors.Is) every error about input that is
// not valid JSON, XML or YAML of the expected shape.
var ErrMalformed = errors.New("malformed feed")

// malformedError is a syntax or type error, reworded; it matches
// ErrMalformed.
type malformedError struct{ msg string }

func (e *malformedError) Error() string        { return e.msg }
func (e *malformedError) Is(target error) bool { return target == ErrMalformed }

// malformed returns an error matching ErrMalformed.
func malformed(format string, args ...any) error {
	return &malformedError{fmt.Sprintf(format, args...)}
}

// normalize puts a parsed document in canonical form: UTC times, non-nil
// slices, merged duplicate incidents, incidents newest first.
func (d *Document) normalize() {
	if d.Source.UpdatedAt != nil {
		t := d.Source.UpdatedAt.UTC()
		d.Source.UpdatedAt = &t
	}
	if d.Components == nil {
		d.Components = []Component{}
	}
	byID := make(map[string]int, len(d.Incidents))
	out := d.Incidents[:0]
	dups := 0
	for _, in := range d.Incidents {
		in.normalize()
		if j, ok := byID[in.ID]; ok {
			dups++
			out[j] = mergeIncidents(out[j], in)
			continue
		}
		byID[in.ID] = len(out)
		out = append(out, in)
	}
	clear(d.Incidents[len(out):])
	d.Incidents = out
	d.validate()
	if d.Incidents == nil {
		d.Incidents = []Incident{}
	}
	if dups > 0 {
		d.Source.setExtra("duplicate_incidents_merged", float64(dups))
	}
	sort.SliceStable(d.Incidents, func(i, j int) bool {
		a, b := &d.Incidents[i], &d.Incidents[j]
		if !a.StartedAt.Equal(b.StartedAt) {
			return a.StartedAt.After(b.StartedAt)
		}
		return a.ID < b.ID
	})
}

func (in *Incident) normalize() {
	in.StartedAt = in.checkTime(in.StartedAt)
	in.UpdatedAt = in.checkTime(in.UpdatedAt)
	if in.ResolvedAt != nil {
		in.ResolvedAt = timePtr(in.checkTime(*in.ResolvedAt))
	}
	if in.Components == nil {
		in.Components = []string{}
	}
	if in.Locations == nil {
		in.Locations = []string{}
	}
	if in.Updates == nil {
		in.Updates = []Update{}
	}
	for i := range in.Updates {
		in.Updates[i].At = in.checkTime(in.Updates[i].At)
	}
	sort.SliceStable(in.Updates, func(i, j int) bool { return in.Updates[i].At.Before(in.Updates[j].At) })
	if in.Impact == "" {
		in.Impact = ImpactUnknown
	}
	if in.UpdatedAt.IsZero() {
		in.UpdatedAt = in.StartedAt
		if n := len(in.Updates); n > 0 && in.Updates[n-1].At.After(in.UpdatedAt) {
			in.UpdatedAt = in.Updates[n-1].At
		}
	}
}

// checkTime returns t in UTC, or the zero time (recorded in
// Extra["bad_time"]) when a derived time fell outside years 1-9999, which
// JSON cannot carry.
func (in *Incident) checkTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	if !inRange(t) {
		in.setExtra("bad_time", true)
		return time.Time{}
	}
	return t.UTC()
}

// mergeIncidents folds two records with the same id: the one updated last
// wins, updates are united (by time and status and body), and so are
// components and locations.
func mergeIncidents(a, b Incident) Incident {
	if b.UpdatedAt.After(a.UpdatedAt) {
		a, b = b, a
	}
	a.Components = unionStrings(a.Components, b.Components)
	a.Locations = unionStrings(a.Locations, b.Locations)
	seen := make(map[Update]bool, len(a.Updates))
	for _, u := range a.Updates {
		seen[u] = true
	}
	for _, u := range b.Updates {
		if !seen[u] {
			seen[u] = true
			a.Updates = append(a.Updates, u)
		}
	}
	sort.SliceStable(a.Updates, func(i, j int) bool { return a.Updates[i].At.Before(a.Updates[j].At) })
	if !b.StartedAt.IsZero() && (a.StartedAt.IsZero() || b.StartedAt.Before(a.StartedAt)) {
		a.StartedAt = b.StartedAt
	}
	return a
}

func unionStrings(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			seen[s] = true
			a = append(a, s)
		}
	}
	return a
}

// appendUnique appends s to list unless it is empty or already present.
func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func (s *Source) setExtra(k string, v any) {
	if s.Extra == nil {
		s.Extra = map[string]any{}
	}
	s.Extra[k] = v
}

func (in *Incident) setExtra(k string, v any) {
	if in.Extra == nil {
		in.Extra = map[string]any{}
	}
	in.Extra[k] = v
}

func (c *Component) setExtra(k string, v any) {
	if c.Extra == nil {
		c.Extra = map[string]any{}
	}
	c.Extra[k] = v
}

// timePtr returns a pointer to t, or nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// stringsToAny converts a string list to the []any a JSON round trip gives.
func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
