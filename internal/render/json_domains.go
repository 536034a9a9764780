package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/depgraph/depgraph/internal/domains"
)

// DomainsJSON writes r as JSON(w, r) does, byte for byte, one target at a
// time: the encoded result of hundreds of targets runs to a hundred
// megabytes, which JSON would hold in memory twice (encoded, then
// indented) before writing it.
func DomainsJSON(w io.Writer, r *domains.Result) error {
	// The frame: everything but the targets, encoded as JSON encodes it.
	frame := *r
	frame.Targets = []domains.Target{}
	var head bytes.Buffer
	if err := JSON(&head, frame); err != nil {
		return err
	}
	before, after, ok := bytes.Cut(head.Bytes(), []byte(`"targets": []`))
	if !ok {
		return errors.New("render: domains JSON has no targets field")
	}
	if len(r.Targets) == 0 {
		_, err := w.Write(head.Bytes())
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(before)
	bw.WriteString(`"targets": [`)
	// An element of the targets array sits two levels deep.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	for i := range r.Targets {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		buf.Reset()
		if err := enc.Encode(&r.Targets[i]); err != nil {
			return err
		}
		// Encode ends each value with a newline; inside the array the
		// separator follows instead.
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ]")
	bw.Write(after)
	return bw.Flush()
}
