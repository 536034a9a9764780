package iostreams

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// Progress shows how far a long run is, on one line of the error output
// that it rewrites, and only when that output is a terminal: a pipe, a file
// or a CI log never gets progress lines. The zero value and a Progress from
// a non-terminal do nothing. Safe for concurrent use.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer // nil: inactive
	width int       // of the last line written, to blank it out
}

// Progress returns a progress line on the error output, active only when
// it is a terminal.
func (s *IOStreams) Progress() *Progress {
	if !s.errTTY {
		return &Progress{}
	}
	return &Progress{w: s.ErrOut}
}

// Active reports whether the progress line is shown.
func (p *Progress) Active() bool { return p != nil && p.w != nil }

// Show replaces the progress line with "depgraph: " and the message.
func (p *Progress) Show(format string, args ...any) {
	if !p.Active() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	line := "depgraph: " + fmt.Sprintf(format, args...)
	pad := ""
	if n := p.width - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.width = len(line) + len(pad)
}

// Count shows "depgraph: what done/total".
func (p *Progress) Count(what string, done, total int) {
	p.Show("%s %d/%d", what, done, total)
}

// Done blanks the progress line and returns the cursor to its start, so
// what is printed next starts on a clean line.
func (p *Progress) Done() {
	if !p.Active() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	}
	p.width = 0
}
