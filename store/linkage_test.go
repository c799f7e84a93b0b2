package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/ingest/synth"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
)

const linkageStudy = `study: t
cutoff: 2025-12-31
programmes: [{code: SH, outcome: shelter_return}]
partners:
  - name: A
    files:
      - path: a.csv
        kind: trajectories
        columns: {surname: naam, birth_date: geb, sex: sexe, programme: prog, start: start}
  - name: B
    files:
      - path: b.csv
        kind: trajectories
        columns: {surname: naam, birth_date: geb, sex: sexe, programme: prog, start: start}
`

// linkageFiles: the same persons written differently by two partners
// (a doubled letter, a swapped day and month, a second surname), among
// others born on other days.
func linkageFiles() map[string]string {
	a := "naam;geb;sexe;prog;start\nJansen;1980-05-12;M;SH;2020-01-01\nde Vries;1975-03-08;V;SH;2020-02-01\nBakker;1990-11-23;M;SH;2020-03-01\n"
	b := "naam;geb;sexe;prog;start\nJanssen;1980-05-12;M;SH;2021-01-01\nde Vries;1975-08-03;V;SH;2021-02-01\nBakker-Smit;1990-11-23;M;SH;2021-03-01\n"
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 60 {
		day := 1 + i%28
		a += synth.LinkageSurname(r) + ";19" + []string{"6", "7", "8"}[i%3] + "5-0" + string(rune('1'+i%9)) + "-" + twoDigits(day) + ";V;SH;2020-04-01\n"
	}
	return map[string]string{"a.csv": a, "b.csv": b, "study.yaml": linkageStudy}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func count(t *testing.T, s *store.Store, q string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestProbabilisticLinkage(t *testing.T) {
	st := storetest.WriteStudy(t, linkageFiles())
	t.Run("off by default", func(t *testing.T) {
		s := storetest.Open(t)
		storetest.LoadStudy(t, s, st, 0)
		if n := count(t, s, "SELECT count(*) FROM person"); n != 66 {
			t.Errorf("%d persons, want 66 (exact key: six spellings, six persons)", n)
		}
		if n := count(t, s, "SELECT count(*) FROM record_encoding") + count(t, s, "SELECT count(*) FROM linkage_run"); n != 0 {
			t.Errorf("%d encodings or linkage runs without probabilistic linkage", n)
		}
	})
	files := linkageFiles()
	files["study.yaml"] += "linkage:\n  probabilistic: {upper: 0.9, lower: 0.2, one_to_one: [A, B], decisions: decisions.csv}\n"
	files["decisions.csv"] = "partner_a,file_a,line_a,partner_b,file_b,line_b,decision\n"
	on := storetest.WriteStudy(t, files)
	t.Run("on", func(t *testing.T) {
		s := storetest.Open(t)
		storetest.LoadStudy(t, s, on, 0)
		for _, tc := range []struct {
			name, q string
			want    int
		}{
			{"every row encoded", "SELECT count(*) FROM record_encoding", 66},
			{"the three pairs merged", "SELECT count(*) FROM person", 63},
			{"merges recorded", "SELECT count(*) FROM linkage_map", 3},
			{"two-partner persons", "SELECT count(*) FROM (SELECT person_id FROM trajectory GROUP BY person_id HAVING count(DISTINCT partner) = 2)", 3},
			{"model recorded", "SELECT count(*) FROM linkage_model", 15},
			{"one linkage run", "SELECT count(*) FROM linkage_run WHERE entities = 66", 1},
			{"each partner sees its half of every review pair", "SELECT count(*) - 2 * (SELECT count(*) FROM linkage_review) FROM linkage_review_partner", 0},
		} {
			if got := count(t, s, tc.q); got != tc.want {
				t.Errorf("%s: %s = %d, want %d", tc.name, tc.q, got, tc.want)
			}
		}
		if t.Failed() {
			_, rows := storetest.Rows(t, s.DB(), func(v any) string { return fmt.Sprint(v) }, "SELECT * FROM linkage_review ORDER BY weight DESC")
			t.Logf("review:\n%s", strings.Join(rows, "\n"))
			_, rows = storetest.Rows(t, s.DB(), func(v any) string { return fmt.Sprint(v) }, "SELECT * FROM linkage_run")
			t.Logf("run: %s", strings.Join(rows, "\n"))
		}
	})
	t.Run("clerical decisions", func(t *testing.T) {
		// Jansen (A line 2) and Janssen (B line 2) are two persons after
		// all; the de Vries pair is one.
		files["decisions.csv"] += "A,a.csv,2,B,b.csv,2,distinct\nA,a.csv,3,B,b.csv,3,link\nA,a.csv,4,B,b.csv,4,\n"
		decided := storetest.WriteStudy(t, files)
		s := storetest.Open(t)
		storetest.LoadStudy(t, s, decided, 0)
		if n := count(t, s, "SELECT count(*) FROM person"); n != 64 {
			t.Errorf("%d persons, want 64 (one pair decided distinct)", n)
		}
		if n := count(t, s, "SELECT decisions FROM linkage_run"); n != 2 {
			t.Errorf("%d decisions applied, want 2", n)
		}
	})
	t.Run("a bad decision is refused by line", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "d.csv")
		if err := os.WriteFile(path, []byte("partner_a,file_a,line_a,partner_b,file_b,line_b,decision\nA,a.csv,2,B,b.csv,2,maybe\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := store.ReadDecisions(path)
		if err == nil || !strings.Contains(err.Error(), "line 2, column decision") {
			t.Errorf("error %v, want one naming line 2, column decision", err)
		}
	})
}
