package source

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/ingest/parse"
)

// The fixtures are written by testdata/gen; see its doc comment.

func TestXLSX(t *testing.T) {
	clients := []string{"clientnr", "naam", "geboortedatum", "startdatum", "bedrag", "tijdstip", "opmerking", "bsn", "actief", "duur"}
	tests := []struct {
		name    string
		opts    Options
		info    Info
		header  []string
		rows    [][]string
		lines   []int
		openErr error
		detail  string
	}{
		{
			name: "sheet by name",
			opts: Options{Sheet: "Cliënten"},
			info: Info{Format: "xlsx", Sheet: "Cliënten"}, header: clients,
			rows: [][]string{
				// custom dd-mm-yyyy and built-in 14 dates as ISO; General number with a
				// point; custom date-time as ISO with time; embedded newline; a
				// number formatted 000000000 keeps its leading zero.
				{"1001", "Eén", "1980-02-01", "2024-01-01", "3.5", "2024-01-15 13:45:00", "regel een\nregel twee", "012345678", "TRUE", "30 dagen"},
				// [$-413]d mmmm yyyy date as ISO; #,##0.00 as shown; padded to the header.
				{"1002", "Müller", "1975-12-15", "2023-06-30", "1,234.50", "", "", "", "", ""},
				// text in a date-styled cell stays text; time-only format as shown.
				{"1003", "Çelik", "onbekend", "2024-01-01", "", "13:45", "", "", "", ""},
			},
			lines: []int{2, 4, 5}, // row 3 is empty
		},
		{
			name: "first sheet by default",
			info: Info{Format: "xlsx", Sheet: "Toelichting"}, header: []string{"toelichting"},
			rows:  [][]string{{"Synthetische gegevens, geen echte personen"}},
			lines: []int{2},
		},
		{
			name: "format declared", opts: Options{Format: "xlsx", Sheet: "Toelichting"},
			info: Info{Format: "xlsx", Sheet: "Toelichting"}, header: []string{"toelichting"},
			rows:  [][]string{{"Synthetische gegevens, geen echte personen"}},
			lines: []int{2},
		},
		{
			name: "missing sheet counts the sheets and suggests a near name", opts: Options{Sheet: "Clienten"},
			openErr: ErrSheetNotFound, detail: `the workbook has 3 sheet(s); did you mean "Cliënten"?`,
		},
		{
			name: "missing sheet never lists other sheet names", opts: Options{Sheet: "Blad9"},
			openErr: ErrSheetNotFound, detail: `sheet "Blad9"; the workbook has 3 sheet(s))`,
		},
		{name: "empty sheet", opts: Options{Sheet: "Leeg"}, openErr: ErrEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const path = "testdata/clients.xlsx"
			r, err := Open(path, tc.opts)
			if tc.openErr != nil {
				if !errors.Is(err, tc.openErr) {
					t.Fatalf("err = %v, want %v", err, tc.openErr)
				}
				if !strings.Contains(err.Error(), tc.detail) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %q lacks %q or the file name", err, tc.detail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Info() != tc.info {
				t.Errorf("Info = %+v, want %+v", r.Info(), tc.info)
			}
			res := readAll(t, r)
			if res.end != io.EOF || len(res.errs) > 0 {
				t.Fatalf("end %v, errors %v", res.end, res.errs)
			}
			if !reflect.DeepEqual(res.header, tc.header) {
				t.Errorf("header = %q, want %q", res.header, tc.header)
			}
			if !reflect.DeepEqual(res.rows, tc.rows) {
				t.Errorf("rows =\n%q\nwant\n%q", res.rows, tc.rows)
			}
			if !reflect.DeepEqual(res.lines, tc.lines) {
				t.Errorf("lines = %v, want %v", res.lines, tc.lines)
			}
		})
	}
}

// TestXLSXDatesParse checks the contract with package parse: every date
// cell the reader produces parses without a declared format.
func TestXLSXDatesParse(t *testing.T) {
	r, err := Open("testdata/clients.xlsx", Options{Sheet: "Cliënten"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range []int{2, 3, 5} {
			v := row.Fields[col]
			if v == "" || v == "onbekend" || v == "13:45" {
				continue
			}
			if _, err := parse.ParseDate(v, ""); err != nil {
				t.Errorf("line %d column %d: %v", row.Line, col+1, err)
			}
		}
	}
}

func TestXLSXNotAWorkbook(t *testing.T) {
	_, err := Open("testdata/semicolon.csv", Options{Format: "xlsx"})
	var e *Error
	if !errors.As(err, &e) || e.File != "testdata/semicolon.csv" {
		t.Fatalf("err = %v", err)
	}
}

func TestClassifyNumFmt(t *testing.T) {
	tests := []struct {
		code        string
		date, clock bool
	}{
		{"dd-mm-yyyy", true, false},
		{"d-m-jjjj", true, false},
		{"[$-413]d mmmm yyyy", true, false},
		{"dd/mm/yyyy hh:mm", true, true},
		{"h:mm", false, true},
		{"[h]:mm:ss", false, true},
		{"000000000", false, false},
		{`0 "dagen"`, false, false},
		{`#,##0.00 "days"`, false, false},
		{`[Red]0.00;[Blue]-0.00`, false, false},
		{`0.00;"yes"`, false, false},
		{`\d0`, false, false},
		{"General", false, false},
		{"@", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			date, clock := classifyNumFmt(tc.code)
			if date != tc.date || clock != tc.clock {
				t.Fatalf("got date=%v clock=%v, want %v %v", date, clock, tc.date, tc.clock)
			}
		})
	}
}

func TestParquet(t *testing.T) {
	const path = "testdata/clients.parquet"
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if want := (Info{Format: "parquet"}); r.Info() != want {
		t.Errorf("Info = %+v", r.Info())
	}
	res := readAll(t, r)
	if res.end != io.EOF || len(res.errs) > 0 {
		t.Fatalf("end %v, errors %v", res.end, res.errs)
	}
	wantHeader := []string{"clientnr", "naam", "geboortedatum", "start", "bijgewerkt", "vrijlating", "bedrag", "aantal", "actief"}
	if !reflect.DeepEqual(res.header, wantHeader) {
		t.Errorf("header = %q", res.header)
	}
	wantRows := [][]string{
		// date32 as ISO; UTC timestamp RFC 3339; naive timestamp without
		// offset; +01:00 timestamp in its own zone (a different date than in UTC).
		{"1001", "Eén", "1980-02-01", "2024-01-01T09:30:00Z", "2024-03-05T13:45:00", "2024-01-01T00:30:00+01:00", "3.5", "2", "true"},
		// nulls as "".
		{"1002", "", "", "", "", "", "", "", ""},
		// second row group.
		{"1003", "Çelik", "1975-12-15", "2023-06-30T00:00:00Z", "2023-07-01T00:00:00", "2023-06-01T13:00:00+01:00", "1e-07", "-4", "false"},
	}
	tests := []struct {
		name string
		i    int
	}{{"values", 0}, {"nulls", 1}, {"second row group", 2}}
	if len(res.rows) != len(wantRows) {
		t.Fatalf("rows = %q", res.rows)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(res.rows[tc.i], wantRows[tc.i]) {
				t.Errorf("row %d = %q, want %q", tc.i, res.rows[tc.i], wantRows[tc.i])
			}
			if res.lines[tc.i] != tc.i+2 {
				t.Errorf("line %d, want %d", res.lines[tc.i], tc.i+2)
			}
		})
	}
	for _, row := range res.rows {
		for _, col := range []int{2, 3, 4, 5} {
			if row[col] == "" {
				continue
			}
			if _, err := parse.ParseDate(row[col], ""); err != nil {
				t.Errorf("date %d does not parse: %v", col, err)
			}
		}
		if _, err := parse.ParseNumber(row[6]); row[6] != "" && err != nil {
			t.Errorf("number does not parse: %v", err)
		}
	}
}

func TestParquetNotParquet(t *testing.T) {
	_, err := Open("testdata/semicolon.csv", Options{Format: "parquet"})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{{3.5, "3.5"}, {0, "0"}, {-1234567.25, "-1234567.25"}, {1e20, "100000000000000000000"}, {1e21, "1e+21"}, {1e-7, "1e-07"}}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := formatFloat(tc.in, 64); got != tc.want {
				t.Fatalf("got %s", got)
			}
		})
	}
}

func TestXLSX1904(t *testing.T) {
	r, err := Open("testdata/dates1904.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2024-01-01"}; !reflect.DeepEqual(row.Fields, want) {
		t.Fatalf("got %q, want %q", row.Fields, want)
	}
}
