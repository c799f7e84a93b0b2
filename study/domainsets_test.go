package study

import (
	"slices"
	"strings"
	"testing"
)

// TestLifeDomainAnalysis holds the life_domain_analysis block: its defaults,
// a ZRM export loading against the ZRM's 13 domains, and the settings it
// refuses.
func TestLifeDomainAnalysis(t *testing.T) {
	zrm := `partners:
  - name: K
    files:
      - path: s.csv
        kind: assessments
        columns: {bsn: bsn, date: datum, domain: domein, score: score, programme: traject}
        codes:
          domain: {Verslaving: substance_use, Justitie: justice, Geld: finances}
          programme: {X: AMB}
`
	for _, tc := range []struct {
		name, yaml string
		wantErr    string
		check      func(t *testing.T, s *Study)
	}{
		{"defaults", familiesBase + zrmFree, "", func(t *testing.T, s *Study) {
			a := s.LifeDomainAnalysis
			if a.DomainSet != DomainSetJouwKracht || a.FollowUpMonths != 6 || a.ToleranceMonths != 2 || a.GraceDays != 30 || a.Reliability != 0.8 {
				t.Errorf("defaults %+v", a)
			}
			if !slices.Equal(s.Domains(), LifeDomains()) || len(s.Domains()) != 11 {
				t.Errorf("default domains %v, want the 11 Jouw Kracht domains", s.Domains())
			}
		}},
		{"a ZRM export needs the ZRM set", familiesBase + zrm, `"substance_use" is not a known domain`, nil},
		{"ZRM 2017 loads its 13 domains", familiesBase + `life_domain_analysis:
  domain_set: zrm_13
  follow_up_months: 0
  reliability: 0.85
` + zrm, "", func(t *testing.T, s *Study) {
			if len(s.Domains()) != 13 || !slices.Contains(s.Domains(), "justice") {
				t.Errorf("zrm_13 domains %v", s.Domains())
			}
			if s.LifeDomainAnalysis.FollowUpMonths != 0 || s.LifeDomainAnalysis.Reliability != 0.85 {
				t.Errorf("settings %+v", s.LifeDomainAnalysis)
			}
		}},
		{"unknown set", familiesBase + "life_domain_analysis: {domain_set: zrm_99}\n" + zrmFree, `"zrm_99" is not a domain set`, nil},
		{"reliability of one", familiesBase + "life_domain_analysis: {reliability: 1}\n" + zrmFree, "the reliability must be at least 0 and below 1", nil},
		{"negative tolerance", familiesBase + "life_domain_analysis: {tolerance_months: -1}\n" + zrmFree, "tolerance_months must be 0 or more", nil},
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
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

const zrmFree = `partners:
  - name: K
    files:
      - path: s.csv
        kind: assessments
        columns: {bsn: bsn, date: datum, domain: domein, score: score}
        codes:
          domain: {Wonen: housing}
`
