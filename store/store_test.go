package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
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

// loadStudy runs ingest and pseudonymise over every file of a study into s.
func loadStudy(t *testing.T, s *store.Store, st *study.Study) {
	t.Helper()
	ctx := context.Background()
	key, err := pseudonymise.KeyFromText("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	p := pseudonymise.NewForStudy(key, st)
	if err := s.StartRun(ctx, store.Run{ID: 1, Study: st, ToolVersion: "test", KeyFingerprint: key.Fingerprint(), Parameters: "{}"}); err != nil {
		t.Fatal(err)
	}
	for _, partner := range st.Partners {
		for _, f := range partner.Files {
			fl, err := s.BeginFile(ctx, 1, partner.Name)
			if err != nil {
				t.Fatal(err)
			}
			var links pseudonymise.LinkStats
			quarantine := func(q ingest.Quarantine) {
				if err := fl.Quarantine(q); err != nil {
					t.Fatal(err)
				}
			}
			res, err := ingest.ReadFile(ctx, st, partner.Name, f, ingest.Options{
				Quarantine: quarantine,
				BatchSize:  2,
				Emit: func(raw ingest.RawBatch) error {
					b, ls, err := p.Batch(raw, quarantine)
					if err != nil {
						return err
					}
					links.Add(ls)
					return fl.Load(ctx, b)
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := fl.Finish(ctx, store.FileRecord{Result: res, Links: links}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Link(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestLoadAndLink(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.csv":      "bsn;naam;geb;sexe;prog;start;vrij\n111222333;de Vries;1980-02-01;M;AMB;2020-01-01;2020-03-01\n;de Vries;1980-02-01;M;AMB;2021-01-01;2021-03-01\n;;1980-02-01;M;AMB;2021-01-01;\n123456782;Jansen;1990-05-06;V;AMB;2020-01-01;\n123456789;Jansen;1990-05-06;V;AMB;2022-01-01;\n",
		"j.csv":      "bsn,datum,soort\n111222333,2021-09-01,geweld\n123456782,2021-10-01,\n111222333,2022-01-01,geweld\n",
		"study.yaml": testStudy,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Create(context.Background(), filepath.Join(dir, "db.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	loadStudy(t, s, st)

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
