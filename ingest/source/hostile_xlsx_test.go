package source

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeWorkbook writes a workbook whose sheets hold the given rows; hidden
// names the sheets to hide.
func writeWorkbook(t *testing.T, sheets []string, rows map[string][][]any, hidden ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A workbook cannot hide its active sheet: make the last one active.
	f.SetActiveSheet(len(sheets) - 1)
	for _, name := range hidden {
		if err := f.SetSheetVisible(name, false); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Without a sheet name the first visible sheet is read, never a hidden one.
func TestXLSXHiddenSheet(t *testing.T) {
	rows := map[string][][]any{
		"Oud":      {{"bsn", "naam"}, {"111222333", "Verborgen"}},
		"Cliënten": {{"bsn", "naam"}, {"123456782", "Zichtbaar"}},
	}
	path := writeWorkbook(t, []string{"Oud", "Cliënten"}, rows, "Oud")
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.Info().Sheet; got != "Cliënten" {
		t.Errorf("sheet %q, want the visible Cliënten", got)
	}
	// Named, the hidden sheet is read.
	r2, err := Open(path, Options{Sheet: "Oud"})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	row, err := r2.Next()
	if err != nil || row.Fields[1] != "Verborgen" {
		t.Errorf("named hidden sheet: %q, %v", row.Fields, err)
	}
}

// Cells right of the header are ignored and counted, not a field-count error.
func TestXLSXStrayCells(t *testing.T) {
	rows := map[string][][]any{"Blad1": {
		{"bsn", "naam"},
		{"111222333", "Jansen", nil, "nagebeld 12-03"},
		{"123456782", "de Vries"},
		{nil, nil, "totaal: 2"},
	}}
	path := writeWorkbook(t, []string{"Blad1"}, rows)
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res := readAll(t, r)
	want := [][]string{{"111222333", "Jansen"}, {"123456782", "de Vries"}}
	if !reflect.DeepEqual(res.rows, want) || res.end != io.EOF {
		t.Errorf("rows %q end %v, want %q", res.rows, res.end, want)
	}
	if got := r.Info().StrayCells; got != 2 {
		t.Errorf("stray cells %d, want 2", got)
	}
}

// A workbook whose shared strings unpack past the bound is refused before
// excelize reads them.
func TestXLSXSharedStringsBomb(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(fh)
	w, err := z.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := strings.Repeat("<si><t>x</t></si>", 4096)
	for n := 0; n <= MaxSharedStringsBytes; n += len(chunk) {
		if _, err := io.WriteString(w, chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	if fi, _ := os.Stat(path); fi.Size() > 2<<20 {
		t.Fatalf("bomb is %d bytes, want a small file", fi.Size())
	}
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}
