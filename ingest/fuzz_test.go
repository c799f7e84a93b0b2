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

// FuzzHeaderReport fuzzes a whole export, header line included, and checks
// that what ReadFile reports about it (the error, the unmapped columns, the
// unknown codes) never repeats a value of the file: any cell of four or
// more characters that holds a digit or an @ (a BSN, a date, a postcode, a
// phone number, an e-mail address) and is not a name the study file
// itself gives must be absent from every message.
func FuzzHeaderReport(f *testing.F) {
	for _, seed := range []string{
		"BSN;Achternaam;Programma;Startdatum;Einddatum\n111222333;Jansen;12-03-1985;15-01-2024;\n",
		"111222333;Jansen;AMB-7D;15-01-2024;30-06-2024\n222333444;de Vries;AMB-7D;01-02-2024;\n",
		"BSN;Achternaam;Programma;Startdatum;Einddatum;0612345678\n111222333;Jansen;1012 AB;15-01-2024;;x\n",
		"BSN;Achternaam;Programma;Startdatum\r111222333;Jansen;06 1234 5678;15-01-2024\r",
		"BSN;Achternaam;Programma;Startdatum;Einddatum;Opmerking\n123.456.782;Jansen;Kerkstraat 12;15-01-2024;;j@x.nl\n",
		"Jansen;111222333;12-03-1985\n",
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
	f.Fuzz(func(t *testing.T, data string) {
		path := filepath.Join(dir, "export.csv")
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := ingest.ReadFile(context.Background(), st, "P", st.Partners[0].Files[0], ingest.Options{BatchSize: 16})
		var msgs []string
		if err != nil {
			msgs = append(msgs, err.Error())
		}
		msgs = append(msgs, res.Extra...)
		for _, codes := range res.UnknownCodes {
			for code := range codes {
				msgs = append(msgs, code)
			}
		}
		all := strings.Join(msgs, "\n")
		for _, cell := range strings.FieldsFunc(data, func(r rune) bool { return strings.ContainsRune(";,\t|\n\r\"", r) }) {
			cell = strings.TrimSpace(cell)
			if len(cell) < 4 || !strings.ContainsAny(cell, "0123456789@") || strings.Contains(fuzzStudy+dir, cell) {
				continue
			}
			if strings.Contains(all, cell) {
				t.Errorf("a message repeats the value %q:\n%s", cell, all)
			}
		}
	})
}
