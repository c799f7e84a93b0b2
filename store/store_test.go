package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
)

const testStudy = `study: t
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}]
partners:
  - name: A
    files:
      - path: a.csv
        kind: trajectories
        columns: {bsn: bsn, surname: naam, birth_date: geb, sex: sexe, programme: prog, start: start, release: vrij}
  - name: J
    files:
      - path: j.csv
        kind: events
        columns: {bsn: bsn, date: datum, category: soort}
        constants: {event_type: offence}
        free_text: [category]
`

func TestLoadAndLink(t *testing.T) {
	files := map[string]string{
		"a.csv":      "bsn;naam;geb;sexe;prog;start;vrij\n111222333;de Vries;1980-02-01;M;AMB;2020-01-01;2020-03-01\n;de Vries;1980-02-01;M;AMB;2021-01-01;2021-03-01\n;;1980-02-01;M;AMB;2021-01-01;\n123456782;Jansen;1990-05-06;V;AMB;2020-01-01;\n123456789;Jansen;1990-05-06;V;AMB;2022-01-01;\n",
		"j.csv":      "bsn,datum,soort\n111222333,2021-09-01,geweld\n123456782,2021-10-01,\n111222333,2022-01-01,geweld\n",
		"study.yaml": testStudy,
	}
	st := storetest.WriteStudy(t, files)
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "db.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.LoadStudy(t, s, st, 2)

	for _, tc := range []struct {
		name, query string
		want        int
	}{
		{"trajectories loaded", "SELECT count(*) FROM trajectory", 4},
		{"events loaded", "SELECT count(*) FROM event WHERE event_type = 'offence'", 3},
		{"categories kept", "SELECT count(*) FROM event WHERE category = 'geweld'", 2},
		{"fallback record linked to the BSN person", "SELECT count(DISTINCT person_id) FROM trajectory", 2},
		{"persons", "SELECT count(*) FROM person", 2},
		{"fallback records keep their linkage quality", "SELECT count(*) FROM trajectory WHERE linkage = 'fallback'", 2},
		{"a BSN failing the elfproef is counted, not used", "SELECT row_count FROM bsn_rejected WHERE reason = 'fails_elfproef'", 1},
		{"only that reason is recorded", "SELECT count(*) FROM bsn_rejected", 1},
		{"linkage counts per file", "SELECT count(*) FROM source_file WHERE file = 'a.csv' AND linked_bsn = 2 AND linked_fallback = 2 AND linked_none = 1", 1},
		{"unlinkable row quarantined", "SELECT count(*) FROM quarantine WHERE rule = 'no_identifier' AND line = 4", 1},
		{"accounting per file", "SELECT count(*) FROM source_file WHERE rows_read = rows_loaded + rows_quarantined", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got int
			if err := s.DB().QueryRow(tc.query).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s = %d, want %d", tc.query, got, tc.want)
			}
		})
	}
}
