package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

const fuzzStudy = `study: fuzz
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}]
partners:
  - name: P
    files:
      - path: export.csv
        kind: trajectories
        columns: {bsn: BSN, surname: Achternaam, programme: Programma, start: Startdatum, end: Einddatum}
        codes:
          programme: {AMB-7D: AMB}
`

// FuzzReadFile feeds arbitrary data rows under a fixed header through
// ReadFile and checks its invariants: every row read is emitted or
// quarantined; quarantine records have a position; memory is returned; and
// no error repeats a value from the data (only header names, positions and
// rules).
func FuzzReadFile(f *testing.F) {
	for _, seed := range []string{
		"111222333;Jansen;AMB-7D;15-01-2024;30-06-2024\n",
		"111222333;Jansen;AMB-7D;03/04/2024;\n222333444;M\xfcller;XYZ;13/04/2024;01/01/2024\n",
		"\"1;2\";\"a\nb\";AMB-7D;2024-01-01;\n;;;;\n",
		"111222333;Jansen;AMB-7D;45306;45307\n1;2;3\n",
		"111222333;\"Jansen;AMB-7D;15-01-2024;\n",
		"111222333;Jansen;AMB-7D;31-02-2024;2024-13-01\n",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "study.yaml"), []byte(fuzzStudy), 0o644); err != nil {
		f.Fatal(err)
	}
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	const header = "BSN;Achternaam;Programma;Startdatum;Einddatum\n"
	f.Fuzz(func(t *testing.T, data string) {
		path := filepath.Join(dir, "export.csv")
		if err := os.WriteFile(path, []byte(header+data), 0o644); err != nil {
			t.Fatal(err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		var quarantined int
		res, err := ingest.ReadFile(context.Background(), st, "P", st.Partners[0].Files[0], ingest.Options{
			BatchSize: 2,
			Allocator: mem,
			Emit: func(b ingest.RawBatch) error {
				b.Record.Release()
				return nil
			},
			Quarantine: func(q ingest.Quarantine) {
				quarantined++
				if q.Line < 2 || q.Rule == "" || q.File != "export.csv" {
					t.Errorf("quarantine record without position or rule: %+v", q)
				}
			},
		})
		mem.AssertSize(t, 0)
		if quarantined != res.RowsQuarantined {
			t.Errorf("%d quarantine records, %d counted", quarantined, res.RowsQuarantined)
		}
		if err == nil {
			if res.RowsRead != res.RowsEmitted+res.RowsQuarantined {
				t.Errorf("read %d != emitted %d + quarantined %d", res.RowsRead, res.RowsEmitted, res.RowsQuarantined)
			}
			return
		}
		msg := err.Error()
		for _, field := range strings.FieldsFunc(data, func(r rune) bool { return strings.ContainsRune(";\n\r\"", r) }) {
			field = strings.TrimSpace(field)
			if len(field) >= 6 && strings.Contains(msg, field) && !strings.Contains(header+"export.csv"+dir, field) {
				t.Errorf("error %q repeats the value %q", msg, field)
			}
		}
	})
}
