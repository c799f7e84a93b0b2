// Command gen writes the binary test fixtures of package source:
// clients.xlsx, dates1904.xlsx and clients.parquet, small synthetic
// exports (no real persons). Run from the repository root:
//
//	go run ./ingest/source/testdata/gen -out ingest/source/testdata
//
// and commit the result; the tests in package source read the files.
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
	out := flag.String("out", "ingest/source/testdata", "directory to write the fixtures to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if err := writeXLSX(filepath.Join(out, "clients.xlsx")); err != nil {
		return fmt.Errorf("writing xlsx: %w", err)
	}
	if err := writeXLSX1904(filepath.Join(out, "dates1904.xlsx")); err != nil {
		return fmt.Errorf("writing xlsx: %w", err)
	}
	if err := writeParquet(filepath.Join(out, "clients.parquet")); err != nil {
		return fmt.Errorf("writing parquet: %w", err)
	}
	return nil
}

func date(y, m, d, hh, mm int) time.Time {
	return time.Date(y, time.Month(m), d, hh, mm, 0, 0, time.UTC)
}

func writeXLSX(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Toelichting"); err != nil {
		return err
	}
	for _, s := range []string{"Cliënten", "Leeg"} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	style := func(code string) int {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		must(err)
		return id
	}
	builtin := func(n int) int {
		id, err := f.NewStyle(&excelize.Style{NumFmt: n})
		must(err)
		return id
	}
	dmy := style("dd-mm-yyyy")
	longNL := style("[$-413]d mmmm yyyy")
	dmyTime := style("dd/mm/yyyy hh:mm")
	short := builtin(14) // m/d/yy in the workbook, the locale's short date in Excel
	clock := builtin(20) // h:mm
	bsn := style("000000000")
	money := builtin(4) // #,##0.00
	quoted := style(`0 "dagen"`)

	must(f.SetCellValue("Toelichting", "A1", "toelichting"))
	must(f.SetCellValue("Toelichting", "A2", "Synthetische gegevens, geen echte personen"))

	s := "Cliënten"
	type cell struct {
		ref   string
		v     any
		style int
	}
	cells := []cell{
		{"A1", "clientnr", 0}, {"B1", "naam", 0}, {"C1", "geboortedatum", 0}, {"D1", "startdatum", 0},
		{"E1", "bedrag", 0}, {"F1", "tijdstip", 0}, {"G1", "opmerking", 0}, {"H1", "bsn", 0},
		{"I1", "actief", 0}, {"J1", "duur", 0},

		{"A2", 1001, 0}, {"B2", "Eén", 0}, {"C2", date(1980, 2, 1, 0, 0), dmy}, {"D2", date(2024, 1, 1, 0, 0), short},
		{"E2", 3.5, 0}, {"F2", date(2024, 1, 15, 13, 45), dmyTime}, {"G2", "regel een\nregel twee", 0},
		{"H2", 12345678, bsn}, {"I2", true, 0}, {"J2", 30, quoted},

		// Row 3 is left empty.

		{"A4", 1002, 0}, {"B4", "Müller", 0}, {"C4", date(1975, 12, 15, 0, 0), longNL}, {"D4", date(2023, 6, 30, 0, 0), short},
		{"E4", 1234.5, money},

		{"A5", 1003, 0}, {"B5", "Çelik", 0}, {"C5", "onbekend", dmy}, {"D5", 45292, short},
		{"F5", 0.5729166666666666, clock},
	}
	for _, c := range cells {
		must(f.SetCellValue(s, c.ref, c.v))
		if c.style != 0 {
			must(f.SetCellStyle(s, c.ref, c.ref, c.style))
		}
	}
	return f.SaveAs(path)
}

// writeXLSX1904 writes a workbook in the 1904 date system (old Mac Excel):
// serial 43830 is 2024-01-01 there, not 1919-12-31.
func writeXLSX1904(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	date1904 := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
		return err
	}
	code := "dd-mm-yyyy"
	st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		return err
	}
	for _, c := range []struct {
		ref string
		v   any
	}{{"A1", "datum"}, {"A2", 43830}} {
		if err := f.SetCellValue("Sheet1", c.ref, c.v); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle("Sheet1", "A2", "A2", st); err != nil {
		return err
	}
	return f.SaveAs(path)
}

func writeParquet(path string) error {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "clientnr", Type: arrow.PrimitiveTypes.Int64},
		{Name: "naam", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "geboortedatum", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "start", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "bijgewerkt", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
		{Name: "vrijlating", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "+01:00"}, Nullable: true},
		{Name: "bedrag", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "aantal", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "actief", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()

	type row struct {
		id       int64
		naam     *string
		born     *time.Time
		start    *time.Time
		updated  *time.Time
		released *time.Time
		amount   *float64
		count    *int32
		active   *bool
	}
	str := func(s string) *string { return &s }
	tm := func(t time.Time) *time.Time { return &t }
	fl := func(f float64) *float64 { return &f }
	i32 := func(i int32) *int32 { return &i }
	bl := func(v bool) *bool { return &v }
	rows := []row{
		{1001, str("Eén"), tm(date(1980, 2, 1, 0, 0)), tm(date(2024, 1, 1, 9, 30)), tm(date(2024, 3, 5, 13, 45)),
			tm(date(2023, 12, 31, 23, 30)), fl(3.5), i32(2), bl(true)},
		{1002, nil, nil, nil, nil, nil, nil, nil, nil},
		{1003, str("Çelik"), tm(date(1975, 12, 15, 0, 0)), tm(date(2023, 6, 30, 0, 0)), tm(date(2023, 7, 1, 0, 0)),
			tm(date(2023, 6, 1, 12, 0)), fl(1e-7), i32(-4), bl(false)},
	}
	for _, r := range rows {
		b.Field(0).(*array.Int64Builder).Append(r.id)
		if r.naam != nil {
			b.Field(1).(*array.StringBuilder).Append(*r.naam)
		} else {
			b.Field(1).AppendNull()
		}
		if r.born != nil {
			b.Field(2).(*array.Date32Builder).Append(arrow.Date32FromTime(*r.born))
		} else {
			b.Field(2).AppendNull()
		}
		for j, t := range []*time.Time{r.start, r.updated, r.released} {
			fb := b.Field(3 + j).(*array.TimestampBuilder)
			if t == nil {
				fb.AppendNull()
				continue
			}
			unit := schema.Field(3 + j).Type.(*arrow.TimestampType).Unit
			ts, err := arrow.TimestampFromTime(*t, unit)
			if err != nil {
				return err
			}
			fb.Append(ts)
		}
		if r.amount != nil {
			b.Field(6).(*array.Float64Builder).Append(*r.amount)
		} else {
			b.Field(6).AppendNull()
		}
		if r.count != nil {
			b.Field(7).(*array.Int32Builder).Append(*r.count)
		} else {
			b.Field(7).AppendNull()
		}
		if r.active != nil {
			b.Field(8).(*array.BooleanBuilder).Append(*r.active)
		} else {
			b.Field(8).AppendNull()
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	// Row groups of two rows, so the reader crosses a row-group boundary.
	props := parquet.NewWriterProperties(parquet.WithCreatedBy("outcomes testdata gen"))
	// WriteTable closes w. The stored Arrow schema keeps time zone names, as
	// pyarrow and pandas do.
	return pqarrow.WriteTable(tbl, w, 2, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
}
