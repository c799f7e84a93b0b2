package source

import (
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// secret is a value planted in bad records; no error message may contain it.
const secret = "999999990"

type readResult struct {
	header []string
	rows   [][]string
	lines  []int
	errs   []error // record errors, in order
	end    error   // io.EOF or the fatal error
}

// readAll reads r to its end or first fatal error, copying every row.
func readAll(t testing.TB, r Reader) readResult {
	t.Helper()
	res := readResult{header: r.Header()}
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("reader does not end")
		}
		row, err := r.Next()
		if err == io.EOF || IsFatal(err) {
			res.end = err
			// A stopped reader keeps returning the same error.
			if _, err2 := r.Next(); err2 != err {
				t.Fatalf("after %v, Next returned %v", err, err2)
			}
			return res
		}
		if err != nil {
			res.errs = append(res.errs, err)
			continue
		}
		res.rows = append(res.rows, append([]string(nil), row.Fields...))
		res.lines = append(res.lines, row.Line)
	}
}

// checkErr asserts err is an *Error with the cause, line and column, naming
// the file and never containing the planted secret.
func checkErr(t testing.TB, err error, file string, cause error, line, col int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	if !errors.Is(err, cause) {
		t.Fatalf("error %v, want cause %v", err, cause)
	}
	if (line >= 0 && e.Line != line) || (col >= 0 && e.Column != col) {
		t.Fatalf("error at line %d column %d, want %d %d: %v", e.Line, e.Column, line, col, err)
	}
	if !strings.Contains(err.Error(), file) {
		t.Fatalf("error %q does not name file %s", err, file)
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("error %q leaks a value", err)
	}
}

func TestCSVFiles(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		opts     Options
		info     Info
		header   []string
		rows     [][]string
		lines    []int
		openErr  error // cause of an error from Open
		endErr   error // cause of a fatal error from Next
		errLine  int
		errCol   int
		recCount int // record errors expected
	}{
		{
			name: "semicolon utf-8", file: "semicolon.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"clientnr", "achternaam", "geboortedatum", "bedrag"},
			rows:   [][]string{{secret, "Eén", "01-02-1980", "3,5"}, {"123456782", "Müller", "15-12-1975", "1.234,5"}},
			lines:  []int{2, 3},
		},
		{
			name: "comma with BOM and CRLF", file: "comma_bom.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ",", BOM: true},
			header: []string{"id", "naam", "datum"},
			rows:   [][]string{{"1", "Çelik", "2024-01-15"}, {"2", "De Vries, Jan", "2024-02-01"}},
			lines:  []int{2, 3},
		},
		{
			name: "tab", file: "tab.tsv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: "\t"},
			header: []string{"id", "naam", "datum"},
			rows:   [][]string{{"1", "Jansen", "01-01-2024"}, {"2", "de Boer, P.", "02-01-2024"}},
			lines:  []int{2, 3},
		},
		{
			name: "pipe", file: "pipe.txt",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: "|"},
			header: []string{"id", "naam", "opmerking"},
			rows:   [][]string{{"1", "Jansen", "geen; of wel, toch"}, {"2", "Bakker", "x"}},
			lines:  []int{2, 3},
		},
		{
			name: "windows-1252 detected", file: "cp1252.csv",
			info:   Info{Format: "csv", Encoding: "windows-1252", Delimiter: ";"},
			header: []string{"id", "naam", "woonplaats", "bedrag"},
			rows:   [][]string{{"1", "Eén", "Den Haag", "€ 5"}, {"2", "Müller", "Zoë", "3,5"}, {"3", "Çelik", "'s-Hertogenbosch", "1"}},
			lines:  []int{2, 3, 4},
		},
		{
			name: "windows-1252 declared as latin1", file: "cp1252.csv", opts: Options{Encoding: "latin1", Delimiter: ';'},
			info:   Info{Format: "csv", Encoding: "windows-1252", Delimiter: ";"},
			header: []string{"id", "naam", "woonplaats", "bedrag"},
			rows:   [][]string{{"1", "Eén", "Den Haag", "€ 5"}, {"2", "Müller", "Zoë", "3,5"}, {"3", "Çelik", "'s-Hertogenbosch", "1"}},
			lines:  []int{2, 3, 4},
		},
		{
			name: "declared utf-8 on windows-1252 gives record errors", file: "cp1252.csv", opts: Options{Encoding: "utf-8"},
			info:     Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header:   []string{"id", "naam", "woonplaats", "bedrag"},
			rows:     [][]string{{"3", "\xc7elik", "'s-Hertogenbosch", "1"}}[:0],
			recCount: 3,
		},
		{
			name: "declared delimiter wins", file: "semicolon.csv", opts: Options{Delimiter: ','},
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ","},
			header: []string{"clientnr;achternaam;geboortedatum;bedrag"},
			rows:   [][]string{{secret + ";Eén;01-02-1980;3", "5"}, {"123456782;Müller;15-12-1975;1.234", "5"}},
			lines:  []int{2, 3},
		},
		{
			name: "embedded newlines, delimiters and quotes", file: "multiline.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"id", "opmerking", "datum"},
			rows: [][]string{
				{"1", "regel een\nregel twee; met ; puntkomma", "01-01-2024"},
				{"2", `zegt "hallo"`, "02-01-2024"},
				{"3", "", "03-01-2024"},
			},
			lines: []int{2, 4, 6},
		},
		{
			name: "header only", file: "header_only.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"id", "naam", "datum"},
		},
		{
			name: "one column keeps commas", file: "one_column.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"naam"},
			rows:   [][]string{{"Jansen, P."}, {"Bakker, J."}},
			lines:  []int{2, 3},
		},
		{
			name: "ragged rows are returned", file: "ragged.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"id", "naam", "datum"},
			rows:   [][]string{{"1", "Jansen"}, {"2", "Bakker", "01-01-2024", "extra"}, {"3", "Visser", "02-01-2024"}},
			lines:  []int{2, 3, 4},
		},
		{
			name: "unterminated quote", file: "unterminated.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"id", "opmerking"},
			rows:   [][]string{{"1", "ok"}}, lines: []int{2},
			endErr: ErrUnterminatedQuote, errLine: 3, errCol: 2,
		},
		{
			name: "bare quote", file: "barequote.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"id", "naam"},
			rows:   [][]string{{"1", "ok"}}, lines: []int{2},
			endErr: ErrBareQuote, errLine: 3, errCol: 2,
		},
		{
			name: "stray quote after quoted field", file: "strayquote.csv",
			info:   Info{Format: "csv", Encoding: "utf-8", Delimiter: ";"},
			header: []string{"id", "naam"},
			endErr: ErrQuote, errLine: 2, errCol: 2,
		},
		{name: "empty file", file: "empty.csv", openErr: ErrEmpty, errLine: 1},
		{name: "blank lines only", file: "blank.csv", openErr: ErrEmpty, errLine: 1},
		{name: "binary garbage", file: "binary.csv", openErr: ErrBinary, errLine: 1},
		{name: "NUL byte", file: "nul_late.csv", openErr: ErrBinary, errLine: 3},
		{name: "mixed encodings", file: "mixed.csv", openErr: ErrMixedEncoding, errLine: 3},
		{name: "mixed encodings declared", file: "mixed.csv", opts: Options{Encoding: "cp1252"},
			info:   Info{Format: "csv", Encoding: "windows-1252", Delimiter: ";"},
			header: []string{"id", "naam"},
			rows:   [][]string{{"1", "EÃ©n"}, {"2", "Müller"}}, lines: []int{2, 3},
		},
		{name: "small record limit", file: "semicolon.csv", opts: Options{MaxRecordBytes: 30},
			openErr: ErrRecordTooLong, errLine: 1, errCol: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			r, err := Open(path, tc.opts)
			if tc.openErr != nil {
				if err == nil {
					r.Close()
					t.Fatal("Open succeeded, want error")
				}
				checkErr(t, err, path, tc.openErr, tc.errLine, tc.errCol)
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer r.Close()
			if got := r.Info(); got != tc.info {
				t.Errorf("Info = %+v, want %+v", got, tc.info)
			}
			res := readAll(t, r)
			if !reflect.DeepEqual(res.header, tc.header) {
				t.Errorf("header = %q, want %q", res.header, tc.header)
			}
			if len(res.rows) != len(tc.rows) || (len(tc.rows) > 0 && !reflect.DeepEqual(res.rows, tc.rows)) {
				t.Errorf("rows = %q, want %q", res.rows, tc.rows)
			}
			if len(tc.lines) > 0 && !reflect.DeepEqual(res.lines, tc.lines) {
				t.Errorf("lines = %v, want %v", res.lines, tc.lines)
			}
			if len(res.errs) != tc.recCount {
				t.Errorf("record errors = %v, want %d", res.errs, tc.recCount)
			}
			for _, e := range res.errs {
				checkErr(t, e, path, ErrEncoding, -1, -1)
			}
			if tc.endErr == nil {
				if res.end != io.EOF {
					t.Fatalf("end = %v, want io.EOF", res.end)
				}
				return
			}
			checkErr(t, res.end, path, tc.endErr, tc.errLine, tc.errCol)
		})
	}
}

// A CR-only file (classic Mac line endings) is read line by line, with its
// delimiter detected and its lines numbered.
func TestCSVCROnly(t *testing.T) {
	in := "bsn;naam;programma\r111222333;Jansen;AMB\r\r222333444;\"de\rVries\";NZH\r"
	r, err := NewCSV(strings.NewReader(in), "mac.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Info(); got.Delimiter != ";" || got.LineEndings != "cr" {
		t.Errorf("info %+v, want delimiter ; and line endings cr", got)
	}
	res := readAll(t, r)
	want := [][]string{{"111222333", "Jansen", "AMB"}, {"222333444", "de\nVries", "NZH"}}
	if !reflect.DeepEqual(res.rows, want) || !reflect.DeepEqual(res.lines, []int{2, 4}) || res.end != io.EOF {
		t.Errorf("rows %q lines %v end %v, want %q lines [2 4] and EOF", res.rows, res.lines, res.end, want)
	}
}
