package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// table is one table read from a document: a header row and data rows,
// each cell as plain text (lines kept apart with "\n") with the line it
// starts on.
type table struct {
	header []string
	rows   [][]cell
	line   int // the header's line
}

type cell struct {
	text string
	line int
}

// Table formats readTables understands.
const (
	tableCSV      = "csv"
	tableTSV      = "tsv"
	tableMarkdown = "markdown"
	tableHTML     = "html"
)

// tableFormat guesses a document's table format from its name and
// content: HTML when it holds a <table> element, Markdown when it has
// pipe-table lines, TSV when its first line has a tab, CSV otherwise.
func tableFormat(name string, data []byte) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".html"), strings.HasSuffix(lower, ".htm"), bytes.Contains(bytes.ToLower(data), []byte("<table")):
		return tableHTML
	case strings.HasSuffix(lower, ".tsv"):
		return tableTSV
	case strings.HasSuffix(lower, ".md"), strings.HasSuffix(lower, ".markdown"), mdTableLine.Match(data):
		return tableMarkdown
	case strings.HasSuffix(lower, ".csv"):
		return tableCSV
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Contains(first, []byte("\t")) {
		return tableTSV
	}
	return tableCSV
}

// mdTableLine matches a Markdown table's separator row.
var mdTableLine = regexp.MustCompile(`(?m)^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$`)

// readTables reads every table of a document. A document with both
// Markdown tables and HTML tables (Markdown pages often embed HTML) gives
// both.
func readTables(name string, data []byte) ([]table, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8 text")
	}
	switch tableFormat(name, data) {
	case tableHTML:
		ts, err := htmlTables(data)
		if err != nil {
			return nil, err
		}
		return append(ts, markdownTables(data)...), nil
	case tableMarkdown:
		return markdownTables(data), nil
	case tableTSV:
		return delimitedTable(data, '\t')
	}
	return delimitedTable(data, ',')
}

// delimitedTable reads CSV or TSV: the first non-empty record is the
// header.
func delimitedTable(data []byte, comma rune) ([]table, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte-order mark from spreadsheet exports
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var t table
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if t.header == nil {
			if strings.TrimSpace(strings.Join(rec, "")) == "" {
				continue
			}
			t.header, t.line = trimAll(rec), line
			continue
		}
		row := make([]cell, len(rec))
		for i, f := range rec {
			row[i] = cell{text: strings.TrimSpace(f), line: line}
		}
		t.rows = append(t.rows, row)
	}
	if t.header == nil {
		return nil, nil
	}
	return []table{t}, nil
}

func trimAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// markdownTables reads GitHub-flavoured pipe tables: a header row, a
// separator row of dashes, then rows until a line without a pipe.
// Inline Markdown (links, emphasis, code) and inline HTML in cells are
// reduced to text; <br> and list items become line breaks.
func markdownTables(data []byte) []table {
	lines := strings.Split(string(data), "\n")
	var out []table
	for i := 0; i+1 < len(lines); i++ {
		if !strings.Contains(lines[i], "|") || !mdTableLine.MatchString(lines[i+1]) {
			continue
		}
		t := table{header: splitPipes(lines[i]), line: i + 1}
		for k := range t.header {
			t.header[k] = inlineText(t.header[k])
		}
		j := i + 2
		for ; j < len(lines) && strings.Contains(lines[j], "|"); j++ {
			var row []cell
			for _, c := range splitPipes(lines[j]) {
				row = append(row, cell{text: inlineText(c), line: j + 1})
			}
			t.rows = append(t.rows, row)
		}
		out = append(out, t)
		i = j - 1
	}
	return out
}

// splitPipes splits a pipe-table row into cells, honouring `\|`.
func splitPipes(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			b.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(b.String()))
}

var (
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdEmphasis = regexp.MustCompile("(\\*\\*|__|\\*|`)")
)

// inlineText reduces a Markdown cell to plain text.
func inlineText(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdEmphasis.ReplaceAllString(s, "")
	if strings.Contains(s, "<") {
		s = htmlFragmentText(s)
	}
	return cleanLines(s)
}

// htmlFragmentText renders an HTML fragment's text, <br>, <p> and <li>
// as line breaks.
func htmlFragmentText(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "td", DataAtom: atom.Td})
	if err != nil {
		return s
	}
	var b strings.Builder
	for _, n := range nodes {
		nodeText(&b, n)
	}
	return b.String()
}

// htmlTables reads every <table> of an HTML document. The header is the
// first row (its <th> or <td> cells); nested tables are read on their own.
func htmlTables(data []byte) ([]table, error) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read HTML: %w", err)
	}
	lineOf := lineFinder(data)
	var out []table
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Table {
			var t table
			for _, tr := range rowsOf(n) {
				var cells []cell
				for c := tr.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
						var b strings.Builder
						nodeText(&b, c)
						text := cleanLines(b.String())
						cells = append(cells, cell{text: text, line: lineOf(text)})
					}
				}
				if len(cells) == 0 {
					continue
				}
				if t.header == nil {
					for _, c := range cells {
						t.header = append(t.header, strings.ReplaceAll(c.text, "\n", " "))
					}
					t.line = cells[0].line
					continue
				}
				t.rows = append(t.rows, cells)
			}
			if t.header != nil {
				out = append(out, t)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out, nil
}

// rowsOf lists a table's own rows (inside thead, tbody, tfoot or
// directly), not those of tables nested in it.
func rowsOf(t *html.Node) []*html.Node {
	var rows []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				rows = append(rows, c)
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walk(c)
			}
		}
	}
	walk(t)
	return rows
}

// nodeText writes n's text; <br>, <p>, <div> and <li> break lines, and
// script and style content is skipped.
func nodeText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style:
			return
		case atom.Br:
			b.WriteByte('\n')
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		nodeText(b, c)
	}
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.P, atom.Div, atom.Li:
			b.WriteByte('\n')
		}
	}
}

// cleanLines collapses white space inside each line and drops empty
// lines.
func cleanLines(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// lineFinder returns a function giving the line on which a cell's text
// first appears in data (searching on from the previous match), 0 when
// it is not found verbatim.
func lineFinder(data []byte) func(text string) int {
	src := string(data)
	from := 0
	return func(text string) int {
		first, _, _ := strings.Cut(text, "\n")
		if first == "" {
			return 0
		}
		i := strings.Index(src[from:], first)
		if i < 0 {
			return 0
		}
		from += i
		return strings.Count(src[:from], "\n") + 1
	}
}
