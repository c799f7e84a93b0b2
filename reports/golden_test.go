package reports

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the fixture")

// TestGolden compares the data of every chart and every table of the
// fixture report with testdata/golden/{charts,tables}_<lang>.json. Refresh
// with `go test -tags duckdb_arrow ./reports -run TestGolden -update` and
// review the change with git diff.
func TestGolden(t *testing.T) {
	for _, lang := range Languages() {
		tt, err := translations(lang)
		if err != nil {
			t.Fatal(err)
		}
		v := buildView(fixtureResults(), tt)
		cases := []struct {
			name string
			data any
		}{
			{"charts_" + lang, v.charts()},
			{"tables_" + lang, v.tables()},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false) // "<10", not "\u003c10"
				enc.SetIndent("", "  ")
				if err := enc.Encode(tc.data); err != nil {
					t.Fatal(err)
				}
				got := buf.Bytes()
				path := filepath.Join("testdata", "golden", tc.name+".json")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the fixture's output; if the change is intended, run with -update and review git diff.\ngot:\n%s", path, firstDiff(got, want))
				}
			})
		}
	}
}

// firstDiff shows the lines around the first difference.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range g {
		if i >= len(w) || !bytes.Equal(g[i], w[i]) {
			lo := max(0, i-3)
			hi := min(len(g), i+4)
			wl := ""
			if i < len(w) {
				wl = string(w[i])
			}
			return string(bytes.Join(g[lo:hi], []byte("\n"))) + "\nwant: " + wl
		}
	}
	return "(got is a prefix of want)"
}
