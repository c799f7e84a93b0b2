package reports

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestTypedCells(t *testing.T) {
	tb := newTable("x", "X: a table", "Programma", "#Aantal", "#Aandeel", "#Wilson 95%", "#Verschil (95%-BI)", "#Vooruit", "#p", "#Eenzijdig", "#Intake / uitval")
	tb.add("A", "1.200", "38,0%", "29,1% – 47,8%", "+2,5 (-11,0 – +15,0)", "50 (63%)", "0,267", "≤ 14,6%", "2,10 / 2,46")
	tb.add("B", "<10", "–", "–", "∞ (0,00 – ∞)", "<10", "<0,001", "≥ 80,0%", "2,10 / –")
	tb.add("C", "×", "0,0%", "0,0% – 16,8%", "–", "0 (0%)", "Niet berekend: te klein.", "–", "–")
	sh := tb.typed("nl", dutch())
	wantHeader := []string{"Programma", "Aantal", "Aandeel (%)", "Wilson 95%: ondergrens (%)", "Wilson 95%: bovengrens (%)",
		"Verschil (95%-BI)", "Verschil (95%-BI): ondergrens", "Verschil (95%-BI): bovengrens",
		"Vooruit: aantal", "Vooruit (%)", "p", "Eenzijdig (≤/≥)", "Eenzijdig (%)", "Intake", "uitval"}
	if !slices.Equal(sh.Header, wantHeader) {
		t.Errorf("header\n got %q\nwant %q", sh.Header, wantHeader)
	}
	if want := []int{1, 1, 1, 2, 3, 2, 1, 2, 2}; !slices.Equal(sh.Span, want) {
		t.Errorf("spans %v, want %v", sh.Span, want)
	}
	f := csvFormatFor("nl")
	got := make([][]string, len(sh.Rows))
	for r, row := range sh.Rows {
		for _, v := range row {
			got[r] = append(got[r], f.csvText(v))
		}
	}
	want := [][]string{
		{"A", "1200", "38,0", "29,1", "47,8", "2,5", "-11,0", "15,0", "50", "63", "0,267", "≤", "14,6", "2,10", "2,46"},
		{"B", "<10", "–", "–", "–", "∞", "0,00", "∞", "<10", "–", "<0,001", "≥", "80,0", "2,10", "–"},
		{"C", "×", "0,0", "0,0", "16,8", "–", "–", "–", "0", "0", "Niet berekend: te klein.", "–", "–", "–", "–"},
	}
	for r := range want {
		if !slices.Equal(got[r], want[r]) {
			t.Errorf("row %d\n got %q\nwant %q", r, got[r], want[r])
		}
	}
	a := sh.Rows[0]
	checks := []struct {
		name string
		v    value
		kind cellKind
		num  float64
		fmt  string
	}{
		{"count with thousands", a[1], intCell, 1200, "#,##0"},
		{"percentage", a[2], percentCell, 0.38, "0.0%"},
		{"lower bound", a[3], percentCell, 0.291, "0.0%"},
		{"signed difference", a[5], decimalCell, 2.5, "0.0"},
		{"negative bound", a[6], decimalCell, -11, "0.0"},
		{"count of n (%)", a[8], intCell, 50, "0"},
		{"whole percentage", a[9], percentCell, 0.63, "0%"},
		{"p-value", a[10], decimalCell, 0.267, "0.000"},
	}
	for _, c := range checks {
		if c.v.Kind != c.kind || c.v.Num != c.num || numFmt(c.v) != c.fmt {
			t.Errorf("%s: kind %d, %v, format %q; want kind %d, %v, %q", c.name, c.v.Kind, c.v.Num, numFmt(c.v), c.kind, c.num, c.fmt)
		}
	}
	en := newTable("y", "Y", "#People", "#Share", "#Wilson 95%")
	en.add("1,200", "38.0%", "29.1% – 47.8%")
	e := en.typed("en", english())
	if r := e.Rows[0]; r[0].Num != 1200 || r[1].Num != 0.38 || r[3].Num != 0.478 {
		t.Errorf("English cells %+v", r)
	}
	if got := csvFormatFor("en").csvText(e.Rows[0][2]); got != "29.1" {
		t.Errorf("English CSV lower bound %q, want 29.1", got)
	}
}

// readCSVFile reads a CSV table in the format of lang, checking the
// byte-order mark.
func readCSVFile(t *testing.T, path, lang string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := csvFormatFor(lang)
	bom := []byte("\uFEFF")
	if bytes.HasPrefix(data, bom) != f.bom {
		t.Errorf("%s: byte-order mark %v, want %v", path, bytes.HasPrefix(data, bom), f.bom)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	r.Comma = f.comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// isNumberIn reports whether s is a raw number in the CSV format of lang.
func isNumberIn(s, lang string) bool {
	if lang == "nl" {
		if strings.Contains(s, ".") {
			return false
		}
		s = strings.Replace(s, ",", ".", 1)
	} else if strings.Contains(s, ",") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// TestCSVAndXLSXHoldTheReportTables reads every table back from the
// report, the CSV files and the workbook: the same tables in the same
// order; each CSV and sheet is the report table typed (header in the first
// row, numbers raw); no value carries a unit or an en-dash interval; and
// every cell the report marks as hidden is a mark, never a number, in each
// column it becomes in the CSV and in the workbook.
func TestCSVAndXLSXHoldTheReportTables(t *testing.T) {
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			dir, _ := writeFixture(t, fixtureResults(), lang)
			tx, _ := translations(lang)
			page, err := os.ReadFile(filepath.Join(dir, ReportFile))
			if err != nil {
				t.Fatal(err)
			}
			inReport := parseTables(t, page)
			if len(inReport) < 15 {
				t.Fatalf("parsed only %d tables from the report; the parser or the report is broken", len(inReport))
			}
			x, err := excelize.OpenFile(filepath.Join(dir, TablesXLSX))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			sheetNames := x.GetSheetList()
			if len(sheetNames) != len(inReport)+1 || sheetNames[0] != tx.f("xl_about_sheet") {
				t.Fatalf("workbook sheets %q, want %q and one per report table (%d)", sheetNames, tx.f("xl_about_sheet"), len(inReport))
			}
			view := buildView(fixtureResults(), tx)
			viewTables := view.tables()
			numeric, hidden := 0, 0
			ids := map[string]bool{}
			for i, rt := range inReport {
				if ids[rt.ID] || len(rt.ID) > 31 {
					t.Errorf("table ID %q is duplicated or longer than 31 characters", rt.ID)
				}
				ids[rt.ID] = true
				// The report's HTML lost the numeric flags; take them from the view.
				vt := viewTables[i]
				if vt.ID != rt.ID || !slices.Equal(vt.Header, rt.Header) || !equalRows(vt.Rows, rt.Rows) {
					t.Fatalf("view table %s differs from report table %s", vt.ID, rt.ID)
				}
				sh := vt.typed(lang, tx)
				recs := readCSVFile(t, filepath.Join(dir, TablesDir, rt.ID+".csv"), lang)
				if !slices.Equal(recs[0], sh.Header) {
					t.Errorf("%s.csv header %q, want %q", rt.ID, recs[0], sh.Header)
				}
				name := sheetNames[i+1]
				if strings.Contains(name, "_") || len([]rune(name)) > 31 {
					t.Errorf("sheet name %q: not a name in the report's language", name)
				}
				xrows, err := x.GetRows(name, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				for c := range xrows[0] {
					if xrows[0][c] != sh.Header[c] {
						t.Errorf("sheet %q header %q, want %q in row 1", name, xrows[0], sh.Header)
						break
					}
				}
				if len(recs)-1 != len(rt.Rows) || len(xrows)-1 != len(rt.Rows) {
					t.Fatalf("%s: %d rows in the report, %d in the CSV, %d in the sheet", rt.ID, len(rt.Rows), len(recs)-1, len(xrows)-1)
				}
				for r, row := range rt.Rows {
					rec, xrow := recs[r+1], xrows[r+1]
					col := 0
					for c, cell := range row {
						for k := range sh.Span[c] {
							got := rec[col+k]
							cellName, _ := excelize.CoordinatesToCellName(col+k+1, r+2)
							typ, err := x.GetCellType(name, cellName)
							if err != nil {
								t.Fatal(err)
							}
							xv := ""
							if col+k < len(xrow) {
								xv = xrow[col+k]
							}
							isNum := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset && xv != "" && isNumberIn(xv, "en")
							if isMark(cell) && cell != "" {
								hidden++
								wantMark := cell
								if k > 0 {
									wantMark = "–"
								}
								if got != wantMark || xv != wantMark || isNum {
									t.Errorf("%s row %d column %d: report %q, CSV %q, sheet %q (numeric %v): a hidden cell must stay a mark", rt.ID, r, col+k, cell, got, xv, isNum)
								}
								continue
							}
							if (strings.Contains(got, "%") || strings.Contains(got, " – ")) && strings.ContainsAny(got, "0123456789") {
								t.Errorf("%s row %d: CSV value %q holds a unit or an interval", rt.ID, r, got)
							}
							if sh.Kinds[col+k] != textCell && isNumberIn(got, lang) {
								numeric++
								if !isNum {
									t.Errorf("%s row %d column %d: %q is a number in the CSV but text in the workbook (%q)", rt.ID, r, col+k, got, xv)
								}
							}
						}
						col += sh.Span[c]
					}
				}
			}
			if numeric < 300 || hidden < 30 {
				t.Errorf("only %d numeric and %d hidden cells read back; the test or the typing is broken", numeric, hidden)
			}
			t.Logf("%s: %d tables, %d numeric cells, %d hidden-cell columns", lang, len(inReport), numeric, hidden)
		})
	}
}

// TestWorkbook opens tables.xlsx as a spreadsheet program would: numeric
// cells with number formats, the header frozen in row 1, the document
// properties, the file mode.
func TestWorkbook(t *testing.T) {
	dir, _ := writeFixture(t, fixtureResults(), "nl")
	path := filepath.Join(dir, TablesXLSX)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&^0o644 != 0 {
		t.Errorf("tables.xlsx mode %v (%v), want 0644 or stricter", fi.Mode().Perm(), err)
	}
	for _, n := range []string{ReportFile, TablesDir + "/headline.csv"} {
		if fi, err := os.Stat(filepath.Join(dir, n)); err != nil || fi.Mode().Perm()&^0o644 != 0 {
			t.Errorf("%s mode %v (%v), want 0644 or stricter", n, fi.Mode().Perm(), err)
		}
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	props, err := x.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Creator != "outcomes 0.0.0-test" || props.Title == "" || !strings.Contains(props.Title, fixtureResults().Study.Name) || props.Language != "nl-NL" {
		t.Errorf("document properties %+v", props)
	}
	if c, err := time.Parse(time.RFC3339, props.Created); err != nil || !c.Equal(fixtureResults().Run.Started) {
		t.Errorf("created %q, want the run's start %v", props.Created, fixtureResults().Run.Started)
	}
	name := x.GetSheetList()[1]
	if !strings.HasPrefix(name, "1 Belangrijkste uitkomst") {
		t.Errorf("first table sheet %q, want the Dutch headline title", name)
	}
	panes, err := x.GetPanes(name)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v (%v), want row 1 frozen", panes, err)
	}
	header, _ := x.GetRows(name)
	if header[0][0] != "Programma" || header[0][5] != "Aandeel (%)" {
		t.Errorf("row 1 %q, want the header", header[0])
	}
	// The headline's first row: Ambulante nazorg, 100 persons, 38 with the
	// outcome, 38,0% (29,1% – 47,8%).
	cells := []struct {
		cell string
		typ  excelize.CellType
		raw  string
		fmt  string
	}{
		{"A2", excelize.CellTypeSharedString, "Ambulante nazorg", ""},
		{"D2", excelize.CellTypeNumber, "100", "0"},
		{"E2", excelize.CellTypeNumber, "38", "0"},
		{"F2", excelize.CellTypeNumber, "0.38", "0.0%"},
		{"G2", excelize.CellTypeNumber, "0.291", "0.0%"},
		{"H2", excelize.CellTypeNumber, "0.478", "0.0%"},
		{"D3", excelize.CellTypeSharedString, "<10", ""},
	}
	for _, c := range cells {
		typ, _ := x.GetCellType(name, c.cell)
		raw, _ := x.GetCellValue(name, c.cell, excelize.Options{RawCellValue: true})
		if typ == excelize.CellTypeUnset && c.typ == excelize.CellTypeNumber {
			typ = excelize.CellTypeNumber // excelize leaves t unset on numbers
		}
		if typ != c.typ || raw != c.raw {
			t.Errorf("%s: type %v value %q, want %v %q", c.cell, typ, raw, c.typ, c.raw)
		}
		if c.fmt == "" {
			continue
		}
		id, _ := x.GetCellStyle(name, c.cell)
		st, err := x.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != c.fmt {
			t.Errorf("%s: number format %v (%v), want %q", c.cell, st.CustomNumFmt, err, c.fmt)
		}
	}
	shown, _ := x.GetCellValue(name, "F2")
	if shown != "38.0%" {
		t.Errorf("F2 shows %q, want 38.0%% (Excel uses the reader's separators)", shown)
	}
	if w, _ := x.GetColWidth(name, "A"); w < float64(len("Ambulante nazorg")) {
		t.Errorf("column A is %v wide, narrower than its contents", w)
	}
}
