package ingest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/depgraph/depgraph/internal/model"
)

// Error is one problem in an input file.
type Error struct {
	// Pos is where the problem is.
	Pos model.Pos
	// Msg says what is wrong, lower case, no final period.
	Msg string
	// Hint says what to do about it; may be empty.
	Hint string
	// BuiltIn marks a position in a file built into depgraph (the example
	// model, an embedded catalog), so that it does not read as one of the
	// user's files.
	BuiltIn bool
}

// Error formats e as "file:line:col: message (hint)", with "built-in "
// before the position of a built-in file.
func (e *Error) Error() string {
	s := e.Msg
	if p := e.Where(); p != "" {
		s = p + ": " + s
	}
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Where formats e's position as file:line:col, with "built-in " before
// the position of a built-in file; "" when unknown.
func (e *Error) Where() string {
	p := e.Pos.String()
	if p != "" && e.BuiltIn {
		p = "built-in " + p
	}
	return p
}

// ErrorList is every problem found while loading, sorted by position.
type ErrorList []*Error

// maxListed bounds how many errors Error prints; the rest are counted.
const maxListed = 50

// Error formats the list one error per line, cut after maxListed with a
// count of the rest.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i == maxListed {
			fmt.Fprintf(&b, "\n... and %d more errors", len(l)-maxListed)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// sort orders the list by file, line, column and message, and drops exact
// duplicates.
func (l ErrorList) sort() ErrorList {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
}

// Warning is a problem that does not stop the model from loading.
type Warning = Error
