package reports

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/xuri/excelize/v2"
)

// table is a published table: shown in the report, and written as
// tables/<ID>.csv and as sheet <ID> of tables.xlsx with exactly the same
// cells (suppressed cells are "<MinCell" everywhere).
type table struct {
	// ID names the CSV file and the XLSX sheet: lower case ASCII, digits and
	// underscores, at most 31 characters (Excel's sheet-name limit), unique
	// within a report. It does not depend on the language.
	ID      string     `json:"id"`
	Caption string     `json:"caption"`
	Header  []string   `json:"header"`
	Num     []bool     `json:"-"` // right-aligned (numeric) columns
	Rows    [][]string `json:"rows"`
}

// newTable returns a table with the given ID, caption and columns; a column
// header starting with '#' is numeric (the '#' is dropped).
func newTable(id, caption string, cols ...string) *table {
	t := &table{ID: id, Caption: caption}
	for _, c := range cols {
		num := len(c) > 0 && c[0] == '#'
		if num {
			c = c[1:]
		}
		t.Header = append(t.Header, c)
		t.Num = append(t.Num, num)
	}
	return t
}

func (t *table) add(cells ...string) { t.Rows = append(t.Rows, cells) }

// IsNum reports whether column i is numeric; the template uses it.
func (t *table) IsNum(i int) bool { return i < len(t.Num) && t.Num[i] }

// writeCSV writes each table as dir/tables/<ID>.csv (RFC 4180, UTF-8, header
// row first) and returns the names relative to dir.
func writeCSV(dir string, tables []table) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, TablesDir), 0o755); err != nil {
		return nil, fmt.Errorf("creating tables folder: %w", err)
	}
	var names []string
	for _, t := range tables {
		name := filepath.ToSlash(filepath.Join(TablesDir, t.ID+".csv"))
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("writing table %s: %w", t.ID, err)
		}
		w := csv.NewWriter(f)
		_ = w.Write(t.Header)
		_ = w.WriteAll(t.Rows) // WriteAll flushes
		err = w.Error()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("writing table %s: %w", t.ID, err)
		}
		names = append(names, name)
	}
	return names, nil
}

// writeXLSX writes one workbook with a sheet per table: the caption in A1,
// the header in row 3, the rows below it; every cell is the text the report
// shows.
func writeXLSX(path string, tables []table) error {
	x := excelize.NewFile()
	defer x.Close()
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("bug: xlsx style: %w", err)
	}
	for i, t := range tables {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", t.ID); err != nil {
				return fmt.Errorf("xlsx sheet %s: %w", t.ID, err)
			}
		} else if _, err := x.NewSheet(t.ID); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", t.ID, err)
		}
		rows := append([][]string{{t.Caption}, nil, t.Header}, t.Rows...)
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			vals := make([]any, len(row))
			for c := range row {
				vals[c] = row[c]
			}
			if err := x.SetSheetRow(t.ID, cell, &vals); err != nil {
				return fmt.Errorf("xlsx sheet %s: %w", t.ID, err)
			}
		}
		_ = x.SetCellStyle(t.ID, "A1", "A1", bold)
		if len(t.Header) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(t.Header), 3)
			_ = x.SetCellStyle(t.ID, "A3", last, bold)
		}
	}
	if err := x.SaveAs(path); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(path), err)
	}
	return nil
}

// readXLSX reads back what writeXLSX wrote; tests use it.
func readXLSX(path string) ([]table, error) {
	x, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer x.Close()
	var out []table
	for _, name := range x.GetSheetList() {
		rows, err := x.GetRows(name)
		if err != nil {
			return nil, err
		}
		t := table{ID: name}
		if len(rows) > 0 && len(rows[0]) > 0 {
			t.Caption = rows[0][0]
		}
		if len(rows) > 2 {
			t.Header = rows[2]
			for _, r := range rows[3:] {
				// GetRows drops trailing empty cells; pad back to the header.
				for len(r) < len(t.Header) {
					r = append(r, "")
				}
				t.Rows = append(t.Rows, slices.Clone(r))
			}
		}
		out = append(out, t)
	}
	return out, nil
}
