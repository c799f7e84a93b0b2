package source

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCSV reads random bytes with random (valid) options: the reader must
// not panic, must end, must return *Error values with Line >= 1, rows in
// increasing line order, and rows must never exceed the record limit.
func FuzzCSV(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, byte(0), byte(0), uint16(0))
	}
	f.Add([]byte("a;b\n\"x\ny\";2\n"), byte(1), byte(2), uint16(8))
	f.Add([]byte("a\tb\r\n1\t\"2\"\"\"\r\n"), byte(3), byte(1), uint16(0))
	f.Add([]byte("\xef\xbb\xbfa|b\n1|\xe9\n"), byte(4), byte(0), uint16(5))
	f.Fuzz(func(t *testing.T, data []byte, delim, enc byte, limit uint16) {
		opts := Options{
			Delimiter:      []rune{0, ';', ',', '\t', '|', '§'}[int(delim)%6],
			Encoding:       []string{"", "utf-8", "windows-1252"}[int(enc)%3],
			MaxRecordBytes: int(limit),
		}
		r, err := NewCSV(bytes.NewReader(data), "fuzz.csv", opts)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		defer r.Close()
		if len(r.Header()) == 0 {
			t.Fatal("no header without error")
		}
		max := opts.MaxRecordBytes
		if max == 0 {
			max = DefaultMaxRecordBytes
		}
		last := 0
		for n := 0; ; n++ {
			if n > len(data)+2 {
				t.Fatal("more records than bytes")
			}
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				checkFuzzErr(t, err)
				if IsFatal(err) {
					return
				}
				continue
			}
			if row.Line <= last {
				t.Fatalf("line %d after %d", row.Line, last)
			}
			last = row.Line
			size := 0
			for _, f := range row.Fields {
				size += len(f)
			}
			// Decoding Windows-1252 can triple the bytes of a field.
			if size > 3*max {
				t.Fatalf("record of %d bytes passed limit %d", size, max)
			}
		}
	})
}

func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	if e.Line < 1 {
		t.Fatalf("error without line: %v", err)
	}
	if e.Err == nil {
		t.Fatalf("error without cause")
	}
}
