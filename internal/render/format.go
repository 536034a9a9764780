package render

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Format names an output format.
type Format string

// The output formats.
const (
	FormatText Format = "text"
	FormatJSON Format = "json"
	FormatDOT  Format = "dot"
	FormatSVG  Format = "svg"
	FormatPNG  Format = "png"
)

// ParseFormat checks a --format value against the allowed ones.
func ParseFormat(s string, allowed ...Format) (Format, error) {
	for _, f := range allowed {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(allowed))
	for i, f := range allowed {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, strings.Join(names, ", "))
}

// FormatFromFile infers a format from an output file's extension, or ""
// when the extension says nothing.
func FormatFromFile(name string) Format {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	f := Format(strings.ToLower(name[i+1:]))
	if f == "gv" {
		return FormatDOT
	}
	if slices.Contains([]Format{FormatText, FormatJSON, FormatDOT, FormatSVG, FormatPNG}, f) {
		return f
	}
	if f == "txt" {
		return FormatText
	}
	return ""
}

// JSON writes v as indented JSON with a final newline.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
