package study

import (
	"strings"
	"testing"
)

const familiesBase = `study: t
cutoff: 2025-12-31
programmes: [{code: AMB, outcome: recidivism}, {code: FAM, outcome: family}]
`

// TestAssessmentsAndHouseholds checks the validation of the assessments and
// households kinds and of the life_domains mapping.
func TestAssessmentsAndHouseholds(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		wantErr    string // "" for a valid file
	}{
		{"assessments with domain codes", familiesBase + `partners:
  - name: K
    files:
      - path: s.csv
        kind: assessments
        columns: {bsn: bsn, date: datum, domain: domein, score: score, programme: traject}
        codes:
          domain: {Wonen: housing, Geld: finances}
          programme: {X: AMB}
`, ""},
		{"assessments need a score", familiesBase + `partners:
  - name: K
    files:
      - path: s.csv
        kind: assessments
        columns: {bsn: bsn, date: datum, domain: domein}
`, `required field "score"`},
		{"unknown canonical domain", familiesBase + `partners:
  - name: K
    files:
      - path: s.csv
        kind: assessments
        columns: {bsn: bsn, date: datum, domain: domein, score: score}
        codes:
          domain: {Wonen: woning}
`, `"woning" is not a known domain`},
		{"households by detainee BSN", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        columns: {bsn: bsn, relation: relatie, detainee_bsn: gbsn}
        codes:
          relation: {Kind: child}
`, ""},
		{"households by detainee name and birth date", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        columns: {bsn: bsn, relation: relatie, detainee_surname: gnaam, detainee_birth_date: ggeb, detainee_sex: gsexe}
`, ""},
		{"households without detainee identity", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        columns: {bsn: bsn, relation: relatie, detainee_surname: gnaam}
`, "so household members can be linked to the detainee"},
		{"pseudonymised households by detainee pseudonym", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        pseudonymised: true
        columns: {pseudonym: pseudonym, linkage: linkage, relation: relatie, detainee_pseudonym: detainee_pseudonym,
          detainee_linkage: detainee_linkage, detainee_fallback_id: detainee_fallback_id}
`, ""},
		{"pseudonymised households without detainee pseudonym", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        pseudonymised: true
        columns: {pseudonym: pseudonym, linkage: linkage, relation: relatie, detainee_linkage: detainee_linkage}
`, "partners[0].files[0].columns: a pseudonymised households export needs its detainee_pseudonym column mapped"},
		{"pseudonymised households naming the detainee", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        pseudonymised: true
        columns: {pseudonym: pseudonym, relation: relatie, detainee_pseudonym: dp, detainee_bsn: gbsn, detainee_surname: gnaam, detainee_birth_date: ggeb}
`, "partners[0].files[0].columns.detainee_birth_date: a pseudonymised export carries the detainee as detainee_pseudonym"},
		{"raw households with a detainee pseudonym", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        columns: {bsn: bsn, relation: relatie, detainee_bsn: gbsn, detainee_linkage: glink}
`, "partners[0].files[0].columns.detainee_linkage: only an export marked pseudonymised: true can carry detainee pseudonyms"},
		{"unknown relation", familiesBase + `partners:
  - name: G
    files:
      - path: h.csv
        kind: households
        columns: {bsn: bsn, relation: relatie, detainee_bsn: gbsn}
        codes:
          relation: {Buurman: neighbour}
`, `"neighbour" is not a known relation`},
		{"life domains mapped together", familiesBase + `life_domains: {family: relations, partner: relations}
partners:
  - name: J
    files:
      - path: j.csv
        kind: events
        columns: {bsn: bsn, date: datum}
        constants: {event_type: offence}
`, ""},
		{"life domain not in the method", familiesBase + `life_domains: {housing: housing, pets: leisure}
partners:
  - name: J
    files:
      - path: j.csv
        kind: events
        columns: {bsn: bsn, date: datum}
        constants: {event_type: offence}
`, `life_domains.pets: "pets" is not a life domain`},
		{"unknown kind names the new kinds", familiesBase + `partners:
  - name: J
    files:
      - path: j.csv
        kind: scores
        columns: {bsn: bsn}
`, "assessments, households"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("study.yaml", []byte(tc.yaml))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not contain %q", err, tc.wantErr)
			}
			if tc.name == "life domains mapped together" {
				for d, want := range map[string]string{DomainFamily: "relations", DomainPartner: "relations", DomainHousing: DomainHousing} {
					if got := s.ScoredDomain(d); got != want {
						t.Errorf("ScoredDomain(%s) = %q, want %q", d, got, want)
					}
				}
			}
		})
	}
}
