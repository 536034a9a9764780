// Package textsafe makes text from outside (status feeds, models, saved
// files) safe to print on a terminal.
//
// A status page controls the titles and bodies depgraph prints. Printed
// raw, an escape sequence in them moves the cursor, erases lines, sets the
// window title (OSC 0) or plants a hyperlink (OSC 8); a bidi override
// reorders what the reader sees. Every text output that prints such text
// passes it through Line (one table cell or one line) or Text (a block
// that may keep its line breaks).
//
// What is escaped: the C0 controls (U+0000–U+001F, tab and newline
// excepted by Text), DEL (U+007F), the C1 controls (U+0080–U+009F), the
// bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
// the marks U+200E, U+200F, U+061C, the line and paragraph separators
// U+2028 and U+2029, and bytes that are not UTF-8. Each becomes visible
// Go-style escape text (`\x1b`, `\u202e`), so nothing is silently lost and
// nothing acts on the terminal. Everything else passes unchanged; text
// with nothing to escape is returned as is, without allocating.
//
// JSON output needs none of this: encoding/json escapes control
// characters itself.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s safe to print as one line or one table cell: newlines
// and tabs become a single space (so a title with a line break cannot
// break a table's columns) and every other control is escaped.
func Line(s string) string { return clean(s, false) }

// Text returns s safe to print as a block: newlines and tabs are kept,
// carriage returns and every other control are escaped.
func Text(s string) string { return clean(s, true) }

// needs reports whether r must be escaped (keepBreaks: \n and \t pass).
func needs(r rune, keepBreaks bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !keepBreaks
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func clean(s string, keepBreaks bool) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || needs(r, keepBreaks) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	space := false // last written byte was a space from a folded break
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i-1])
		case !keepBreaks && (r == '\n' || r == '\t' || r == '\r' || r == 0x2028 || r == 0x2029):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case needs(r, keepBreaks):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
		space = false
	}
	return b.String()
}
