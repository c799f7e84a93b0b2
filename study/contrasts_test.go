package study

import (
	"strings"
	"testing"
)

const contrastsBase = `study: t
cutoff: 2025-12-31
programmes:
  - {code: AMB, outcome: recidivism}
  - {code: RES, outcome: recidivism}
  - {code: OPV, outcome: shelter_return, shelter: true}
  - {code: PREV, outcome: shelter_return}
  - {code: FAM, outcome: family}
partners: [{name: P, files: [{path: t.csv, kind: trajectories, columns: {bsn: bsn, programme: p, start: s}}]}]
`

// TestContrasts checks the validation of the declared contrasts and the
// default when none are declared.
func TestContrasts(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		wantErr    string
		want       []Contrast
	}{
		{"declared", contrastsBase + "contrasts:\n  - {programme: PREV, reference: OPV}\n  - {programme: RES, reference: AMB}\n", "",
			[]Contrast{{"PREV", "OPV", OutcomeShelterReturn, true}, {"RES", "AMB", OutcomeRecidivism, true}}},
		{"default: every pair, earlier against later", contrastsBase, "",
			[]Contrast{{"AMB", "RES", OutcomeRecidivism, false}, {"OPV", "PREV", OutcomeShelterReturn, false}}},
		{"unknown programme", contrastsBase + "contrasts: [{programme: X, reference: OPV}]\n", `"X" is not a programme code`, nil},
		{"missing reference", contrastsBase + "contrasts: [{programme: PREV}]\n", "name the reference programme", nil},
		{"own reference", contrastsBase + "contrasts: [{programme: OPV, reference: OPV}]\n", "its own reference", nil},
		{"different outcomes", contrastsBase + "contrasts: [{programme: AMB, reference: OPV}]\n", "same outcome", nil},
		{"family programme", contrastsBase + "contrasts: [{programme: FAM, reference: FAM}]\n", "own reference", nil},
		{"twice, either direction", contrastsBase + "contrasts: [{programme: AMB, reference: RES}, {programme: RES, reference: AMB}]\n", "listed twice", nil},
		{"unknown key", contrastsBase + "contrasts: [{programme: AMB, reference: RES, baseline: RES}]\n", "unknown key", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("study.yaml", []byte(tc.yaml))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := s.ComparisonContrasts()
			if len(got) != len(tc.want) {
				t.Fatalf("contrasts %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("contrast %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
