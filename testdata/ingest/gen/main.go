// Command gen writes the binary exports of the ingest corpus (the XLSX and
// Parquet cases under testdata/ingest; the CSV cases are plain files edited
// by hand). The data is synthetic: no real persons. Run from the repository
// root:
//
//	go run ./testdata/ingest/gen -out testdata/ingest
//
// and commit the result; ingest's TestCorpus reads the files.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/xuri/excelize/v2"
)

func main() {
	out := flag.String("out", "testdata/ingest", "corpus directory")
	flag.Parse()
	steps := []struct {
		path  string
		write func(string) error
	}{
		{"xlsx_sheet_by_name_dates_accents/trajecten.xlsx", writeTrajecten},
		{"xlsx_sheet_not_found/trajecten.xlsx", writeTrajecten},
		{"xlsx_first_sheet_dutch_date_cells/deelnemers.xlsx", writeDeelnemers},
		{"parquet_export/verblijven.parquet", writeParquet},
	}
	for _, s := range steps {
		path := filepath.Join(*out, s.path)
		if err := s.write(path); err != nil {
			fmt.Fprintf(os.Stderr, "gen: writing %s: %v\n", path, err)
			os.Exit(1)
		}
	}
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

type cell struct {
	ref   string
	v     any
	style int
}

func save(f *excelize.File, sheet string, cells []cell, path string) error {
	for _, c := range cells {
		if err := f.SetCellValue(sheet, c.ref, c.v); err != nil {
			return err
		}
		if c.style != 0 {
			if err := f.SetCellStyle(sheet, c.ref, c.ref, c.style); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

// writeTrajecten: an explanatory first sheet, then the data on "Trajecten"
// with dates as date cells (custom dd-mm-jjjj, built-in short date, date
// and time), as Excel serial numbers in General cells and as typed text.
func writeTrajecten(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Toelichting"); err != nil {
		return err
	}
	if _, err := f.NewSheet("Trajecten"); err != nil {
		return err
	}
	if err := f.SetCellValue("Toelichting", "A1", "Synthetische export, geen echte personen"); err != nil {
		return err
	}
	var styleErr error
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			styleErr = err
		}
		return id
	}
	dmy, nineDigits := "dd-mm-yyyy", "000000000"
	dateDMY := style(&excelize.Style{CustomNumFmt: &dmy})
	bsn := style(&excelize.Style{CustomNumFmt: &nineDigits})
	short := style(&excelize.Style{NumFmt: 14})
	dateTime := style(&excelize.Style{NumFmt: 22})
	if styleErr != nil {
		return styleErr
	}
	cells := []cell{
		{"A1", "BSN", 0}, {"B1", "Achternaam", 0}, {"C1", "Geboortedatum", 0}, {"D1", "Programma", 0},
		{"E1", "Startdatum", 0}, {"F1", "Einddatum", 0}, {"G1", "Datum ontslag PI", 0}, {"H1", "Uitstroom naar", 0},

		{"A2", 11222333, bsn}, {"B2", "Eén", 0}, {"C2", day(1980, 2, 1), dateDMY}, {"D2", "AMB-7D", 0},
		{"E2", day(2024, 1, 15), short}, {"F2", 45473, 0}, {"G2", "10-01-2024", 0}, {"H2", "eigen woning", 0},

		// Row 3 is empty: skipped, and the next row keeps its number.

		{"A4", 222333444, bsn}, {"B4", "Müller", 0}, {"C4", day(1975, 12, 15), dateDMY}, {"D4", "NZH", 0},
		{"E4", time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), dateTime}, {"F4", "", 0}, {"G4", "28-02-2024", 0},
		{"H4", "opvang", 0},

		{"A5", 333444555, bsn}, {"B5", "Çelik", 0}, {"C5", day(1990, 4, 3), dateDMY}, {"D5", "AMB-7D", 0},
		{"E5", day(2024, 5, 6), short}, {"F5", 45600, 0}, {"G5", "", 0}, {"H5", "", 0},

		// A text in a date-styled cell: quarantined as date_invalid.
		{"A6", 444555666, bsn}, {"B6", "Öztürk", 0}, {"C6", day(1985, 7, 20), dateDMY}, {"D6", "NZH", 0},
		{"E6", "onbekend", short}, {"F6", "", 0}, {"G6", "", 0}, {"H6", "", 0},

		// End before start.
		{"A7", 555666777, bsn}, {"B7", "Gonçalves", 0}, {"C7", day(1995, 5, 5), dateDMY}, {"D7", "NZH", 0},
		{"E7", day(2024, 10, 1), short}, {"F7", 45536, 0}, {"G7", "", 0}, {"H7", "", 0},
	}
	return save(f, "Trajecten", cells, path)
}

// writeDeelnemers: one sheet with Excel's Dutch default name and a Dutch
// long date format.
func writeDeelnemers(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Blad1"); err != nil {
		return err
	}
	long := "[$-413]d mmmm yyyy"
	nl, err := f.NewStyle(&excelize.Style{CustomNumFmt: &long})
	if err != nil {
		return err
	}
	cells := []cell{
		{"A1", "Achternaam", 0}, {"B1", "Geboortedatum", 0}, {"C1", "Startdatum", 0},
		{"A2", "Eén", 0}, {"B2", day(1980, 2, 1), nl}, {"C2", day(2024, 9, 1), nl},
		{"A3", "Müller", 0}, {"B3", day(1975, 12, 15), nl}, {"C3", day(2024, 9, 15), nl},
		{"A4", "Çelik", 0}, {"B4", day(1990, 4, 3), nl}, {"C4", day(2026, 1, 5), nl},
	}
	return save(f, "Blad1", cells, path)
}

// writeParquet: strings, date32 and a zoned timestamp, in row groups of
// two rows.
func writeParquet(path string) error {
	mem := memory.NewGoAllocator()
	tsType := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "Europe/Amsterdam"}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "bsn", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "naam", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "geboortedatum", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "voorziening", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "datum_in", Type: tsType, Nullable: true},
		{Name: "datum_uit", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "aantal_nachten", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return err
	}
	type row struct {
		bsn, naam, code string
		born            time.Time
		in              time.Time
		out             *time.Time
		nights          int32
	}
	out := func(t time.Time) *time.Time { return &t }
	rows := []row{
		// 00:30 local on 1 January is still 31 December in UTC: the local
		// date counts.
		{"111222333", "Eén", "AMB-7D", day(1980, 2, 1), time.Date(2024, 1, 1, 0, 30, 0, 0, ams), out(day(2024, 6, 30)), 181},
		{"222333444", "Müller", "NZH", day(1975, 12, 15), time.Date(2024, 3, 1, 12, 0, 0, 0, ams), nil, 0},
		{"333444555", "Çelik", "XYZ", day(1990, 4, 3), time.Date(2024, 4, 1, 12, 0, 0, 0, ams), nil, 0},
		{"444555666", "Öztürk", "NZH", day(1985, 7, 20), time.Date(2026, 2, 1, 12, 0, 0, 0, ams), nil, 0},
		{"555666777", "Gonçalves", "AMB-7D", day(1995, 5, 5), time.Date(2024, 10, 1, 12, 0, 0, 0, ams), out(day(2024, 9, 1)), 0},
	}
	for _, r := range rows {
		b.Field(0).(*array.StringBuilder).Append(r.bsn)
		b.Field(1).(*array.StringBuilder).Append(r.naam)
		b.Field(2).(*array.Date32Builder).Append(arrow.Date32FromTime(r.born))
		b.Field(3).(*array.StringBuilder).Append(r.code)
		ts, err := arrow.TimestampFromTime(r.in, tsType.Unit)
		if err != nil {
			return err
		}
		b.Field(4).(*array.TimestampBuilder).Append(ts)
		if r.out != nil {
			b.Field(5).(*array.Date32Builder).Append(arrow.Date32FromTime(*r.out))
		} else {
			b.Field(5).AppendNull()
		}
		b.Field(6).(*array.Int32Builder).Append(r.nights)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	props := parquet.NewWriterProperties(parquet.WithCreatedBy("outcomes testdata/ingest gen"))
	// WriteTable closes w.
	return pqarrow.WriteTable(tbl, w, 2, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
}
