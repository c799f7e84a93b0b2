package source

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// repeatReader yields n bytes of b without holding them in memory.
type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}

// filler returns a UTF-8 CSV body of about n bytes: records "i;naam".
func filler(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString("1;Jansen\n")
	}
	return b.String()
}

func TestCSVStreaming(t *testing.T) {
	fill := filler(70 << 10) // past the 64 KiB detection prefix
	fillLines := strings.Count(fill, "\n")
	tests := []struct {
		name     string
		input    io.Reader
		opts     Options
		rows     int // rows read before the end
		recErrs  []error
		end      error
		errLine  int
		errCol   int
		encoding string
		finalEnc string   // Info().Encoding at the end, when it differs
		lastRow  []string // when set, the last row read
	}{
		{
			name:  "very long field, default limit",
			input: io.MultiReader(strings.NewReader("id;opmerking\n1;ok\n2;"), &repeatReader{'x', 2 << 20}, strings.NewReader("\n")),
			rows:  1, end: ErrRecordTooLong, errLine: 3, errCol: 2, encoding: "utf-8",
		},
		{
			name:  "very long quoted field in windows-1252",
			input: io.MultiReader(strings.NewReader("id;opm\xe9rking\n1;ok\n2;\""), &repeatReader{'x', 2 << 20}, strings.NewReader("\"\n")),
			rows:  1, end: ErrRecordTooLong, errLine: 3, errCol: 2, encoding: "windows-1252",
		},
		{
			name:  "unterminated quote in a long file stops at the limit",
			input: io.MultiReader(strings.NewReader("id;opmerking\n1;\"open\n"), strings.NewReader(strings.Repeat("2;regel\n", 200_000))),
			rows:  0, end: ErrRecordTooLong, errLine: 2, errCol: 2, encoding: "utf-8",
		},
		{
			name:  "record within a raised limit",
			input: io.MultiReader(strings.NewReader("id;opmerking\n1;"), &repeatReader{'x', 2 << 20}, strings.NewReader("\n")),
			opts:  Options{MaxRecordBytes: 3 << 20},
			rows:  1, end: io.EOF, encoding: "utf-8",
		},
		{
			name:  "NUL after the detection prefix",
			input: strings.NewReader("id;naam\n" + fill + "2;a\x00b\n3;c\n"),
			rows:  fillLines, end: ErrBinary, errLine: fillLines + 2, errCol: -1, encoding: "utf-8",
		},
		{
			name:  "windows-1252 after an ASCII prefix switches the encoding",
			input: strings.NewReader("id;naam\n" + fill + "2;M\xfcller\n3;\xc7elik\n"),
			rows:  fillLines + 2, end: io.EOF, encoding: "utf-8", finalEnc: "windows-1252",
			lastRow: []string{"3", "Çelik"},
		},
		{
			name:  "UTF-8 after a switch to windows-1252 is a record error",
			input: strings.NewReader("id;naam\n" + fill + "2;M\xfcller\n3;\xc7elik\n4;Eén\n"),
			rows:  fillLines + 2, recErrs: []error{ErrMixedEncoding}, end: io.EOF, encoding: "utf-8", finalEnc: "windows-1252",
			lastRow: []string{"3", "Çelik"},
		},
		{
			name:  "one broken UTF-8 sequence after an ASCII prefix is one record error",
			input: strings.NewReader("id;naam\n" + fill + "2;Ren\xc3\n3;Eén\n4;Zoë\n"),
			rows:  fillLines + 2, recErrs: []error{ErrMixedEncoding}, end: io.EOF, encoding: "utf-8",
			lastRow: []string{"4", "Zoë"},
		},
		{
			name:  "windows-1252 rows far apart after an ASCII prefix",
			input: strings.NewReader("id;naam\n" + fill + "2;M\xfcller\n" + fill + "3;\xc7elik\n"),
			rows:  2*fillLines + 2, end: io.EOF, encoding: "utf-8", finalEnc: "windows-1252",
			lastRow: []string{"3", "Çelik"},
		},
		{
			name:  "windows-1252 after UTF-8 is a record error",
			input: strings.NewReader("id;naam\n" + fill + "2;Eén\n3;M\xfcller\n4;Zoë\n"),
			rows:  fillLines + 2, recErrs: []error{ErrMixedEncoding}, end: io.EOF, encoding: "utf-8",
			lastRow: []string{"4", "Zoë"},
		},
		{
			name:  "UTF-8 after a windows-1252 prefix is a record error",
			input: strings.NewReader("id;naam\n1;M\xfcller\n" + fill + "2;Eén\n3;Zo\xeb\n"),
			rows:  fillLines + 2, recErrs: []error{ErrMixedEncoding}, end: io.EOF, encoding: "windows-1252",
			lastRow: []string{"3", "Zoë"},
		},
		{
			name:  "declared windows-1252 decodes everything",
			input: strings.NewReader("id;naam\n" + fill + "2;Eén\n"),
			opts:  Options{Encoding: "cp1252"},
			rows:  fillLines + 1, end: io.EOF, encoding: "windows-1252",
			lastRow: []string{"2", "EÃ©n"},
		},
		{
			name:  "rune cut by the detection prefix is still UTF-8",
			input: strings.NewReader("id;naam\n" + strings.Repeat("1;é\n", 40000)),
			rows:  40000, end: io.EOF, encoding: "utf-8",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewCSV(tc.input, "test.csv", tc.opts)
			if err != nil {
				t.Fatalf("NewCSV: %v", err)
			}
			if got := r.Info().Encoding; got != tc.encoding {
				t.Errorf("encoding %q, want %q", got, tc.encoding)
			}
			res := readAll(t, r)
			if len(res.rows) != tc.rows {
				t.Errorf("rows = %d, want %d", len(res.rows), tc.rows)
			}
			if tc.lastRow != nil && (len(res.rows) == 0 || !slices.Equal(res.rows[len(res.rows)-1], tc.lastRow)) {
				t.Errorf("last row %q, want %q", res.rows[len(res.rows)-1:], tc.lastRow)
			}
			want := tc.encoding
			if tc.finalEnc != "" {
				want = tc.finalEnc
			}
			if got := r.Info().Encoding; got != want {
				t.Errorf("final encoding %q, want %q", got, want)
			}
			if len(res.errs) != len(tc.recErrs) {
				t.Fatalf("record errors %v, want %v", res.errs, tc.recErrs)
			}
			for i, e := range res.errs {
				checkErr(t, e, "test.csv", tc.recErrs[i], -1, 2)
			}
			if tc.end == io.EOF {
				if res.end != io.EOF {
					t.Fatalf("end %v, want EOF", res.end)
				}
				return
			}
			checkErr(t, res.end, "test.csv", tc.end, tc.errLine, tc.errCol)
		})
	}
}

func TestCSVOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"unknown encoding", Options{Encoding: "ebcdic"}},
		{"quote delimiter", Options{Delimiter: '"'}},
		{"newline delimiter", Options{Delimiter: '\n'}},
		{"negative limit", Options{MaxRecordBytes: -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewCSV(strings.NewReader("a;b\n1;2\n"), "x.csv", tc.opts); err == nil {
				t.Fatal("no error")
			}
		})
	}
	if _, err := Open("testdata/semicolon.csv", Options{Format: "json"}); err == nil {
		t.Fatal("unknown format accepted")
	}
	if _, err := Open("testdata/unknown.dat", Options{}); err == nil {
		t.Fatal("unknown extension accepted")
	}
	if _, err := NewCSV(bytes.NewReader([]byte{0xFF, 0xFE, 'a', 0}), "u16.csv", Options{}); !errors.Is(err, ErrUnsupportedEncoding) {
		t.Fatalf("UTF-16: %v", err)
	}
}

func TestCheckFieldCount(t *testing.T) {
	header := []string{"id", "naam", "datum"}
	tests := []struct {
		name   string
		fields []string
		col    int
	}{
		{"exact", []string{"1", secret, "x"}, 0},
		{"short", []string{"1", secret}, 3},
		{"long", []string{"1", secret, "x", "y"}, 4},
		{"empty", nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckFieldCount("f.csv", header, Row{Line: 7, Fields: tc.fields})
			if tc.col == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			checkErr(t, err, "f.csv", ErrFieldCount, 7, tc.col)
			if IsFatal(err) {
				t.Fatal("field count error is fatal")
			}
		})
	}
}
