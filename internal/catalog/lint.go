package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/depgraph/depgraph/internal/model"
)

// Severity says how serious a finding is.
type Severity string

// The severities Lint reports.
const (
	SeverityError   Severity = "error"   // the catalog breaks a rule
	SeverityWarning Severity = "warning" // the catalog should be looked at (stale facts)
)

// StaleAfter is the age beyond which a source's as_of date is reported as
// stale.
const StaleAfter = 365 * 24 * time.Hour

// dateLayout is the as_of format.
const dateLayout = "2006-01-02"

// Finding is one problem Lint found.
type Finding struct {
	// Pos is where the problem is: the source, status block or node.
	Pos model.Pos
	// Severity is error or warning.
	Severity Severity
	// Message says what is wrong, in lower case.
	Message string
}

// String formats f as "file:line:col: severity: message".
func (f Finding) String() string {
	if p := f.Pos.String(); p != "" {
		return fmt.Sprintf("%s: %s: %s", p, f.Severity, f.Message)
	}
	return fmt.Sprintf("%s: %s", f.Severity, f.Message)
}

// Lint checks every node of m against the catalog rules (catalogs/README.md)
// and returns the findings sorted by position, then message. now is the reference date for
// future and stale as_of dates (only its calendar day counts, in UTC).
func Lint(m *model.Model, now time.Time) []Finding {
	today := now.UTC().Truncate(24 * time.Hour)
	staleBefore := today.Add(-StaleAfter)
	l := &linter{}
	add := l.add
	checkSource := func(s model.Source, owner string, ownerPos model.Pos) {
		pos := s.Pos
		if pos == (model.Pos{}) {
			pos = ownerPos
		}
		if s.URL == "" {
			add(pos, SeverityError, "source of %s has no url", owner)
		}
		for _, f := range []struct{ name, date string }{{"published", s.Published}, {"read", s.Read}} {
			if d, err := time.Parse(dateLayout, f.date); err == nil && d.After(today) {
				add(pos, SeverityError, "source %s of %s: %s %s is in the future", s.URL, owner, f.name, f.date)
			}
		}
		if s.Published != "" && s.Read != "" && s.Read < s.Published {
			add(pos, SeverityError, "source %s of %s: read %s before it was published (%s)", s.URL, owner, s.Read, s.Published)
		}
		if s.Unverified {
			if s.AsOf != "" {
				add(pos, SeverityError, "source %s of %s is marked verified: false but has as_of %s: an unverified source has no date", s.URL, owner, s.AsOf)
			} else {
				add(pos, SeverityWarning, "source %s of %s is unverified (verified: false): nobody has read it for this fact", s.URL, owner)
			}
			return
		}
		if s.AsOf == "" {
			add(pos, SeverityError, "source %s of %s has no as_of date: give the date it states (published) or the day it was read (read), or mark it verified: false", s.URL, owner)
			return
		}
		d, err := time.Parse(dateLayout, s.AsOf)
		switch {
		case err != nil:
			add(pos, SeverityError, "source %s of %s: as_of %q is not a YYYY-MM-DD date", s.URL, owner, s.AsOf)
		case s.Published != "" && s.AsOf > s.Published:
			add(pos, SeverityError, "source %s of %s: as_of %s is after the date the source states (published %s): its facts date from %s", s.URL, owner, s.AsOf, s.Published, s.Published)
		case d.After(today):
			add(pos, SeverityError, "source %s of %s: as_of %s is in the future", s.URL, owner, s.AsOf)
		case d.Before(staleBefore):
			add(pos, SeverityWarning, "source %s of %s: as_of %s is more than a year old: re-check it", s.URL, owner, s.AsOf)
		}
	}
	for _, n := range m.Nodes {
		if len(n.Sources) == 0 {
			add(n.Pos, SeverityError, "node %s has no source: add sources: [{url: ..., as_of: YYYY-MM-DD, note: ...}]", n.ID)
		}
		if n.Confidence == "" {
			add(n.Pos, SeverityWarning, "node %s has no confidence (high, medium, low or unknown)", n.ID)
		}
		for _, s := range n.Sources {
			checkSource(s, n.ID, n.Pos)
		}
		for _, d := range n.DependsOn {
			for _, s := range d.Sources {
				checkSource(s, n.ID+" → "+strings.Join(d.Targets(), " | "), d.Pos)
			}
		}
		l.partialShares(n)
		if st := n.Status; st != nil {
			pos := st.Pos
			if pos == (model.Pos{}) {
				pos = n.Pos
			}
			if !slices.Contains(model.FeedTypes, st.Type) {
				add(pos, SeverityError, "status of %s: unknown feed type %q (known: %s)", n.ID, st.Type, strings.Join(model.FeedTypes, ", "))
			}
			if st.URL == "" {
				add(pos, SeverityError, "status of %s has no url", n.ID)
			}
		}
	}
	l.placeholders(m)
	l.statusBlocks(m)
	l.aliases(m)
	out := l.out
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return out
}

// Errors counts the findings of severity error.
func Errors(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}
