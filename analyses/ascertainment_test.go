package analyses

import (
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestAscertainment: two participants, one linked by national ID and one by
// the fallback key; a justice extract without names cannot find the second,
// one with surnames can.
func TestAscertainment(t *testing.T) {
	justice := study.File{Path: "j.csv", Kind: study.KindEvents,
		Columns:   map[string]string{study.FieldBSN: "bsn", study.FieldDate: "datum"},
		Constants: map[string]string{study.FieldEventType: study.EventOffence}}
	for _, tc := range []struct {
		name            string
		surname, second bool
		findable        int
	}{{"justice extract without names", false, false, 1}, {"with surnames", true, false, 2},
		{"a second source without names", true, true, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			db := testDB(t)
			st := testStudy(t, "2025-12-31", 1, study.Programme{Code: "RG", Outcome: study.OutcomeRecidivism})
			f := justice
			if tc.surname {
				f.Columns = map[string]string{study.FieldBSN: "bsn", study.FieldDate: "datum", study.FieldSurname: "naam"}
			}
			st.Partners = []study.Partner{{Name: "Justitie", Files: []study.File{f}}}
			if tc.second {
				st.Partners = append(st.Partners, study.Partner{Name: "Politie", Files: []study.File{justice}})
			}
			load(t, db, nil, []traj{{person: "a", programme: "RG", start: "2022-01-01", release: "2022-01-01"}, {person: "b", programme: "RG", start: "2022-02-01", release: "2022-02-01"}}, nil)
			mustExec(t, db, `INSERT INTO person (person_id, birth_year, sex, linkage) VALUES ('a', 1980, 'm', 'bsn'), ('b', 1980, 'm', 'fallback')`)
			res := compute(t, db, st)
			if len(res.Ascertainment) != 1 {
				t.Fatalf("%d ascertainment rows, want 1", len(res.Ascertainment))
			}
			a := res.Ascertainment[0]
			if a.N != 2 || a.Findable != tc.findable || a.Complete != (tc.findable == 2) {
				t.Errorf("n %d findable %d complete %v; want 2, %d", a.N, a.Findable, a.Complete, tc.findable)
			}
			if a.Sources[0] != "Justitie: j.csv" {
				t.Errorf("sources %v", a.Sources)
			}
			var share float64
			if err := db.QueryRow(`SELECT share FROM ascertainment WHERE programme = 'RG'`).Scan(&share); err != nil {
				t.Fatal(err)
			}
			if want := float64(tc.findable) / 2; share != want {
				t.Errorf("table share %v, want %v", share, want)
			}
		})
	}
}
