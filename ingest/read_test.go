package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// writeStudy writes a study file and exports into a temp dir and loads it.
func writeStudy(t *testing.T, yaml string, files map[string]string) *study.Study {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := study.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

const eventsStudy = `study: t
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}]
partners:
  - name: J
    files:
      - path: j.csv
        kind: events
        columns: {bsn: bsn, date: datum, category: Soort}
        constants: {event_type: offence}
`

func TestReadFileEvents(t *testing.T) {
	st := writeStudy(t, eventsStudy, map[string]string{
		"j.csv": "bsn,datum,soort\n111222333,2021-09-01,geweld\n123456782,31-02-2021,vermogen\n111222333,2026-01-02,geweld\n",
	})
	f := st.Partners[0].Files[0]
	var got []ingest.Quarantine
	var types, cats []string
	res, err := ingest.ReadFile(context.Background(), st, "J", f, ingest.Options{
		Quarantine: func(q ingest.Quarantine) { got = append(got, q) },
		Emit: func(b ingest.RawBatch) error {
			defer b.Record.Release()
			for i, fd := range b.Record.Schema().Fields() {
				col, ok := b.Record.Column(i).(*array.String)
				if !ok {
					continue
				}
				for r := 0; r < col.Len(); r++ {
					switch fd.Name {
					case study.FieldEventType:
						types = append(types, col.Value(r))
					case study.FieldCategory:
						cats = append(cats, col.Value(r))
					}
				}
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The row dated after the cut-off loads: the analyses do not count it.
	if res.RowsRead != 3 || res.RowsEmitted != 2 || res.RowsQuarantined != 1 {
		t.Errorf("rows read/emitted/quarantined = %d/%d/%d, want 3/2/1", res.RowsRead, res.RowsEmitted, res.RowsQuarantined)
	}
	if len(types) != 2 || types[0] != "offence" || cats[0] != "geweld" {
		t.Errorf("event types %q categories %q, want [offence offence] [geweld geweld]", types, cats)
	}
	want := []ingest.Quarantine{
		{File: "j.csv", Line: 3, Column: 2, ColumnName: "datum", Field: "date", Rule: ingest.RuleDateInvalid},
	}
	if len(got) != len(want) {
		t.Fatalf("quarantine = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("quarantine[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestLooksPersonal(t *testing.T) {
	for _, tc := range []struct {
		code string
		want bool
	}{
		{"AMB-7D", false},
		{"24UURS", false},
		{"Opvang 24-uurs", false},
		{"123456782", true},
		{"06-12345678", true},
		{"01021980", true},
		{"j.jansen@example.org", true},
		{"Programma met een heel erg lange omschrijving die niet past", true},
	} {
		t.Run(tc.code, func(t *testing.T) {
			if got := ingest.LooksPersonal(tc.code); got != tc.want {
				t.Errorf("LooksPersonal(%q) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}
