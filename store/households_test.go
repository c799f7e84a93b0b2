package store_test

import (
	"testing"

	"github.com/outcomes-research/outcomes/store/storetest"
)

const familyStudy = `study: t
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}, {code: FAM, outcome: family}]
partners:
  - name: A
    files:
      - path: a.csv
        kind: trajectories
        columns: {bsn: bsn, surname: naam, birth_date: geb, sex: sexe, programme: prog, start: start, release: vrij}
  - name: G
    files:
      - path: h.csv
        kind: households
        columns: {bsn: bsn, surname: naam, birth_date: geb, relation: relatie,
                  detainee_bsn: gbsn, detainee_surname: gnaam, detainee_birth_date: ggeb, detainee_sex: gsexe}
        codes:
          relation: {Partner: partner, Kind: child}
      - path: s.csv
        kind: assessments
        columns: {bsn: bsn, birth_date: geb, date: datum, domain: domein, score: score}
        codes:
          domain: {Wonen: housing, Geld: finances}
`

// TestHouseholdsAndAssessments loads households and assessments exports
// through ingest, pseudonymise and the store, and checks that detainees link
// to their own records (by BSN, and by surname + birth date + sex through
// the fallback map) and that bad rows are quarantined under the right rule.
func TestHouseholdsAndAssessments(t *testing.T) {
	files := map[string]string{
		"a.csv": "bsn;naam;geb;sexe;prog;start;vrij\n" +
			"111222333;de Vries;1980-02-01;M;AMB;2020-01-01;2020-03-01\n" +
			"123456782;Jansen;1990-05-06;V;AMB;2020-01-01;2020-04-01\n",
		"h.csv": "bsn,naam,geb,relatie,gbsn,gnaam,ggeb,gsexe\n" +
			"200000007,de Vries,1982-03-04,Partner,111222333,,,\n" + // detainee by BSN
			"200000019,de Vries,2010-06-07,Kind,,de Vries,1980-02-01,M\n" + // detainee by fallback key
			"200000020,Bakker,2011-06-07,Kind,,,,\n" + // no detainee identity
			"200000032,Smit,1970-01-01,Buurman,123456782,,,\n" + // unknown relation
			"200000044,Jansen,2012-01-01,Kind,123456789,Jansen,1990-05-06,V\n", // invalid BSN, fallback works
		"s.csv": "bsn,geb,datum,domein,score\n" +
			"200000007,1982-03-04,2021-01-01,Wonen,2\n" +
			"200000007,1982-03-04,2021-07-01,Wonen,4\n" +
			"200000007,1982-03-04,2021-07-01,Geld,7\n" +
			"200000007,1982-03-04,2021-07-01,Geld,drie\n" +
			"200000007,1982-03-04,2021-07-01,Zorg,3\n",
		"study.yaml": familyStudy,
	}
	st := storetest.WriteStudy(t, files)
	s := storetest.Open(t)
	storetest.LoadStudy(t, s, st, 2)

	for _, tc := range []struct {
		name, query string
		want        int
	}{
		{"household links loaded", "SELECT count(*) FROM household_link", 3},
		{"relations canonical", "SELECT count(*) FROM household_link WHERE relation = 'child'", 2},
		{"every detainee_id is a person with a trajectory",
			"SELECT count(*) FROM household_link h JOIN trajectory t ON t.person_id = h.detainee_id", 3},
		{"two detainees", "SELECT count(DISTINCT detainee_id) FROM household_link", 2},
		{"fallback-linked detainees keep their linkage quality", "SELECT count(*) FROM household_link WHERE detainee_linkage = 'fallback'", 2},
		{"no detainee identity quarantined",
			"SELECT count(*) FROM quarantine WHERE rule = 'no_identifier' AND field = 'detainee_bsn' AND line = 4", 1},
		{"unknown relation quarantined", "SELECT count(*) FROM quarantine WHERE rule = 'unknown_code' AND field = 'relation' AND line = 5", 1},
		{"assessments loaded", "SELECT count(*) FROM assessment WHERE domain = 'housing'", 2},
		{"score out of range quarantined", "SELECT count(*) FROM quarantine WHERE rule = 'score_out_of_range' AND field = 'score' AND line = 4", 1},
		{"score not a number quarantined", "SELECT count(*) FROM quarantine WHERE rule = 'number_invalid' AND line = 5", 1},
		{"unknown domain quarantined", "SELECT count(*) FROM quarantine WHERE rule = 'unknown_code' AND field = 'domain' AND line = 6", 1},
		{"assessment age at the date", `SELECT count(*) FROM assessment
			WHERE (assessment_date = DATE '2021-01-01' AND age = 38) OR (assessment_date = DATE '2021-07-01' AND age = 39)`, 2},
		{"persons: two detainees and three members", "SELECT count(*) FROM person", 5},
		{"accounting per file", "SELECT count(*) FROM source_file WHERE rows_read = rows_loaded + rows_quarantined", 3},
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
