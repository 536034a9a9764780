package workbook

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/depgraph/depgraph/internal/export"
	"github.com/depgraph/depgraph/internal/graph"
	"github.com/depgraph/depgraph/internal/ingest"
	"github.com/depgraph/depgraph/internal/report"
)

var clock = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// build writes the workbook of testdata/risk.yaml and returns its path.
func build(t *testing.T) string {
	t.Helper()
	res, err := ingest.Load(ingest.Options{Paths: []string{"testdata/risk.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Build(res.Model)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), res.Model, g, report.Options{Now: clock, ModelHash: "sha256:test"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, Edges(g, export.Options{})); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "risk.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// cell is what a reader saw in one cell: its type and text.
type cell struct {
	Type  string `json:"type"` // "s" string, "n" number, "b" Boolean, "d" date, "" empty
	Value string `json:"value"`
}

// sheetView is what a reader saw in one sheet.
type sheetView struct {
	Header []string          `json:"header"`
	Rows   int               `json:"rows"`
	Frozen string            `json:"frozen"` // the top-left cell of the unfrozen pane
	Cells  map[string][]cell `json:"cells"`  // first data row's cells by header
}

// wantCells are typed cells the workbook must have: sheet, column header,
// row (1 = the first data row), type and value.
var wantCells = []struct {
	sheet, col string
	row        int
	typ, value string
}{
	{SheetServices, "service", 1, "s", ""},
	{SheetServices, "at_risk", 1, "b", "true"},
	{SheetServices, "spofs", 1, "n", ""},
	{SheetServices, "failure_domains", 1, "n", ""},
	{SheetServices, "unavailability", 1, "n", ""},
	{SheetSPOFs, "external", 1, "b", "true"},
	{SheetStale, "as_of", 1, "d", "2020-01-01"},
	{SheetStale, "age_days", 1, "n", "2526"},
	{SheetConcentration, "share_of_services", 1, "n", ""},
	{SheetEdges, "impact", 1, "n", ""},
	{SheetAtRisk, "vendor", 1, "s", ""},
}

// readExcelize reads the workbook back with excelize.
func readExcelize(t *testing.T, p string) map[string]sheetView {
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]sheetView{}
	if got := f.GetSheetList(); !slices.Equal(got, Sheets) {
		t.Fatalf("sheets %q, want %q", got, Sheets)
	}
	for _, s := range Sheets {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		panes, err := f.GetPanes(s)
		if err != nil {
			t.Fatal(err)
		}
		v := sheetView{Header: rows[0], Rows: len(rows) - 1, Cells: map[string][]cell{}}
		if panes.Freeze {
			v.Frozen = panes.TopLeftCell
		}
		for i, h := range rows[0] {
			for r := 2; r <= min(len(rows), 4); r++ {
				name, _ := excelize.CoordinatesToCellName(i+1, r)
				typ, _ := f.GetCellType(s, name)
				val, _ := f.GetCellValue(s, name, excelize.Options{RawCellValue: true})
				c := cell{Value: val}
				switch typ {
				case excelize.CellTypeBool:
					c.Type = "b"
					c.Value = map[string]string{"1": "true", "0": "false"}[val]
				case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
					c.Type = "s"
				case excelize.CellTypeNumber, excelize.CellTypeUnset:
					if val != "" {
						c.Type = "n"
						if styled, _ := f.GetCellValue(s, name); len(styled) == 10 && styled[4] == '-' && styled[7] == '-' {
							c.Type, c.Value = "d", styled
						}
					}
				}
				v.Cells[h] = append(v.Cells[h], c)
			}
		}
		out[s] = v
	}
	return out
}

func check(t *testing.T, reader string, got map[string]sheetView) {
	t.Helper()
	for _, s := range Sheets {
		v, ok := got[s]
		if !ok {
			t.Errorf("%s: no sheet %q", reader, s)
			continue
		}
		if v.Frozen != "A2" {
			t.Errorf("%s: %s: header not frozen (top-left cell %q)", reader, s, v.Frozen)
		}
		if len(v.Header) == 0 || v.Rows == 0 {
			t.Errorf("%s: %s: header %q, %d rows", reader, s, v.Header, v.Rows)
		}
	}
	for _, w := range wantCells {
		cs := got[w.sheet].Cells[w.col]
		if len(cs) < w.row {
			t.Errorf("%s: %s/%s: no row %d", reader, w.sheet, w.col, w.row)
			continue
		}
		c := cs[w.row-1]
		if c.Type != w.typ || w.value != "" && c.Value != w.value {
			t.Errorf("%s: %s/%s row %d: %s %q, want %s %q", reader, w.sheet, w.col, w.row, c.Type, c.Value, w.typ, w.value)
		}
	}
	// The vendor named as a formula is text, never a formula.
	found := false
	for _, c := range got[SheetEdges].Cells["dependency_org"] {
		found = found || c.Type == "s"
	}
	if !found {
		t.Errorf("%s: edges' dependency_org is not text", reader)
	}
}

// TestReadBackExcelize reads the workbook back with excelize itself.
func TestReadBackExcelize(t *testing.T) {
	p := build(t)
	got := readExcelize(t, p)
	check(t, "excelize", got)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range Sheets {
		rows, _ := f.GetRows(s)
		for r, row := range rows {
			for c := range row {
				name, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(s, name); fm != "" {
					t.Errorf("%s!%s holds a formula %q", s, name, fm)
				}
			}
		}
	}
}

// readOpenpyxl is the second reader: Python's openpyxl (Debian package
// python3-openpyxl) prints what it sees as JSON.
const readOpenpyxl = `
import datetime, json, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    cells = {}
    for i, h in enumerate(header):
        cells[h] = []
        for r in rows[1:4]:
            c = r[i]
            v = c.value
            if v is None:
                cells[h].append({"type": "", "value": ""})
            elif isinstance(v, bool):
                cells[h].append({"type": "b", "value": "true" if v else "false"})
            elif isinstance(v, datetime.datetime):
                cells[h].append({"type": "d", "value": v.strftime("%Y-%m-%d")})
            elif isinstance(v, (int, float)):
                cells[h].append({"type": "n", "value": ("%d" % v) if float(v).is_integer() else repr(v)})
            else:
                if c.data_type == "f":
                    raise SystemExit("formula in %s!%s" % (ws.title, c.coordinate))
                cells[h].append({"type": "s", "value": v})
    out[ws.title] = {"header": header, "rows": len(rows) - 1, "frozen": ws.freeze_panes or "", "cells": cells}
json.dump({"sheets": [ws.title for ws in wb.worksheets], "view": out}, sys.stdout)
`

// TestReadBackOpenpyxl reads the workbook with openpyxl; it needs
// DEPGRAPH_OPENPYXL_TESTS=1 (.ci/run sets it) and /usr/bin/python3 with
// openpyxl.
func TestReadBackOpenpyxl(t *testing.T) {
	if os.Getenv("DEPGRAPH_OPENPYXL_TESTS") == "" {
		t.Skip("set DEPGRAPH_OPENPYXL_TESTS=1 to read the workbook back with openpyxl (Debian python3-openpyxl); .ci/run does")
	}
	p := build(t)
	out, err := exec.Command("/usr/bin/python3", "-c", readOpenpyxl, p).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var got struct {
		Sheets []string             `json:"sheets"`
		View   map[string]sheetView `json:"view"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("openpyxl output: %v\n%s", err, out)
	}
	if !slices.Equal(got.Sheets, Sheets) {
		t.Errorf("openpyxl sheets %q, want %q", got.Sheets, Sheets)
	}
	check(t, "openpyxl", got.View)
	// Both readers see the same headers and row counts.
	ex := readExcelize(t, p)
	for _, s := range Sheets {
		if !slices.Equal(got.View[s].Header, ex[s].Header) || got.View[s].Rows != ex[s].Rows {
			t.Errorf("%s: openpyxl header %q (%d rows), excelize %q (%d rows)", s, got.View[s].Header, got.View[s].Rows, ex[s].Header, ex[s].Rows)
		}
	}
}
