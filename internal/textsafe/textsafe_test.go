package textsafe

import (
	"strings"
	"testing"
)

func TestLineAndText(t *testing.T) {
	tests := []struct {
		name, in, line, text string
	}{
		{"plain", "API errors – résolu 日本", "API errors – résolu 日本", "API errors – résolu 日本"},
		{"clear screen", "a\x1b[2Jb", `a\x1b[2Jb`, `a\x1b[2Jb`},
		{"cursor and erase line", "\x1b[1A\x1b[2Kok", `\x1b[1A\x1b[2Kok`, `\x1b[1A\x1b[2Kok`},
		{"osc 0 window title", "\x1b]0;pwned\x07x", `\x1b]0;pwned\x07x`, `\x1b]0;pwned\x07x`},
		{"osc 8 hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", `\x1b]8;;http://evil\x1b\click\x1b]8;;\x1b\`, `\x1b]8;;http://evil\x1b\click\x1b]8;;\x1b\`},
		{"c1 csi", "a\u009b2Jb", `a\x9b2Jb`, `a\x9b2Jb`},
		{"del and nul", "a\x7fb\x00c", `a\x7fb\x00c`, `a\x7fb\x00c`},
		{"bidi override", "abc\u202edef", `abc\u202edef`, `abc\u202edef`},
		{"bidi isolate", "\u2066x\u2069", `\u2066x\u2069`, `\u2066x\u2069`},
		{"newlines fold in a line, stay in text", "Resolved:\nAPI\r\n\terrors", "Resolved: API errors", "Resolved:\nAPI\\x0d\n\terrors"},
		{"carriage return overwrite", "ok\rFAIL", "ok FAIL", `ok\x0dFAIL`},
		{"line separator", "a\u2028b", "a b", `a\u2028b`},
		{"invalid utf-8", "a\xffb", `a\xffb`, `a\xffb`},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
			if got := Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
			for _, out := range []string{Line(tt.in), Text(tt.in)} {
				if strings.ContainsAny(out, "\x1b\x07\x00\x7f\r\u009b\u202e") {
					t.Errorf("output %q still holds a control", out)
				}
			}
		})
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"a\x1b[2J", "\x1b]0;t\x07", "\u202e", "a\nb", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s), Text(s)} {
			for _, r := range out {
				if needs(r, true) {
					t.Fatalf("%q: output %q holds %U", s, out, r)
				}
			}
		}
		if strings.ContainsAny(Line(s), "\n\t") {
			t.Fatalf("Line(%q) holds a break", s)
		}
	})
}
