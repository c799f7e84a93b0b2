package source

import (
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestCSVMemoryBounded reads a 64 MiB input whose second record never ends
// (an unterminated quote) and checks that the reader stops at the record
// limit having allocated a small multiple of it, not of the input.
func TestCSVMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	tests := []struct {
		name string
		mid  string // what the long record starts with
		enc  string
	}{
		{"unterminated quote", "1;\"", ""},
		{"line without newline", "1;", ""},
		{"windows-1252 declared", "1;\"\xe9", "windows-1252"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			input := io.MultiReader(strings.NewReader("id;opmerking\n"+tc.mid), &repeatReader{'x', 64 << 20})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r, err := NewCSV(input, "big.csv", Options{Encoding: tc.enc})
			if err != nil {
				t.Fatal(err)
			}
			res := readAll(t, r)
			runtime.ReadMemStats(&after)
			checkErr(t, res.end, "big.csv", ErrRecordTooLong, 2, 2)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d bytes", alloc)
			if alloc > 16*DefaultMaxRecordBytes {
				t.Fatalf("allocated %d bytes for a %d-byte record limit", alloc, DefaultMaxRecordBytes)
			}
		})
	}
}
