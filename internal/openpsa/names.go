package openpsa

import (
	"fmt"
	"strconv"
	"strings"
)

// MEF names (the schema's Identifier) are XML NCNames without a dot, with
// a hyphen only between two other characters: ids such as
// "cloudflare/cdn" or "azure.eastus" are not names. EncodeName maps any
// string to a valid MEF name, reversibly (DecodeName); Write also keeps
// the original in the definition's <label>. The mapping:
//
//	A-Z a-z 0-9       kept (a leading digit is preceded by "_N")
//	-                 kept between two kept characters, else "_H"
//	_                 "__"
//	/                 "_S"
//	.                 "_D"
//	any other byte    "_X" and its two upper-case hex digits
//
// so "cloudflare/cdn" is "cloudflare_Scdn", "azure.eastus" is
// "azure_Deastus" and "1password" is "_N1password". A string that is
// already a valid name without "_" is kept as it is.

// EncodeName returns the MEF name for s.
func EncodeName(s string) string {
	var sb strings.Builder
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' && i == 0:
			sb.WriteString("_N")
			sb.WriteByte(c)
		case alnum(c):
			sb.WriteByte(c)
		case c == '-' && i > 0 && i+1 < len(s) && alnum(s[i-1]) && alnum(s[i+1]):
			sb.WriteByte(c)
		case c == '-':
			sb.WriteString("_H")
		case c == '_':
			sb.WriteString("__")
		case c == '/':
			sb.WriteString("_S")
		case c == '.':
			sb.WriteString("_D")
		default:
			fmt.Fprintf(&sb, "_X%02X", c)
		}
	}
	if sb.Len() == 0 {
		return "_E" // the empty string
	}
	return sb.String()
}

// DecodeName inverts EncodeName; it reports false for a string EncodeName
// cannot have written.
func DecodeName(n string) (string, bool) {
	if n == "_E" {
		return "", true
	}
	var sb strings.Builder
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c != '_' {
			sb.WriteByte(c)
			continue
		}
		if i+1 >= len(n) {
			return "", false
		}
		i++
		switch n[i] {
		case '_':
			sb.WriteByte('_')
		case 'S':
			sb.WriteByte('/')
		case 'D':
			sb.WriteByte('.')
		case 'H':
			sb.WriteByte('-')
		case 'N':
			if i != 1 {
				return "", false
			}
		case 'X':
			if i+3 > len(n) || strings.ToUpper(n[i+1:i+3]) != n[i+1:i+3] {
				return "", false
			}
			b, err := strconv.ParseUint(n[i+1:i+3], 16, 8)
			if err != nil {
				return "", false
			}
			sb.WriteByte(byte(b))
			i += 2
		default:
			return "", false
		}
	}
	return sb.String(), true
}

// ValidName reports whether n matches the MEF schema's name pattern: an
// NCName without "." whose hyphens each sit between two other characters.
func ValidName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
		case c >= '0' && c <= '9' || c == '-':
			if i == 0 {
				return false
			}
			if c == '-' && (i+1 == len(n) || n[i+1] == '-') {
				return false
			}
		case c >= 0x80:
			// Non-ASCII letters are NCName characters; Encode never writes them.
		default:
			return false
		}
	}
	return true
}
