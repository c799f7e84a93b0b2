package study

import (
	"slices"
	"strings"
	"testing"
)

// TestHousingProgrammesAndFamilyGrace checks outcomes.housing_programmes
// (the programmes the transfer days apply to, HUD SPM 2) and
// outcomes.family_grace_days with their defaults.
func TestHousingProgrammesAndFamilyGrace(t *testing.T) {
	base := strings.Replace(contrastsBase, "  - {code: FAM, outcome: family}\n", "  - {code: FAM, outcome: family}\n  - {code: BW, outcome: shelter_return}\n", 1)
	for _, tc := range []struct {
		name, outcomes string
		wantErr        string
		housing        []string
		grace          int
	}{
		{"defaults", "", "", nil, 30},
		{"a housing programme and a grace period", "outcomes: {housing_programmes: [BW], family_grace_days: 0}\n", "", []string{"BW"}, 0},
		{"unknown code", "outcomes: {housing_programmes: [XX]}\n", `"XX" is not a programme code`, nil, 0},
		{"a shelter", "outcomes: {housing_programmes: [OPV]}\n", "is marked shelter", nil, 0},
		{"twice", "outcomes: {housing_programmes: [BW, BW]}\n", "listed twice", nil, 0},
		{"negative grace", "outcomes: {family_grace_days: -1}\n", "family grace period", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("study.yaml", []byte(base+tc.outcomes))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Outcomes.HousingProgrammes, tc.housing) || s.Outcomes.FamilyGraceDays != tc.grace {
				t.Errorf("housing %v grace %d, want %v and %d", s.Outcomes.HousingProgrammes, s.Outcomes.FamilyGraceDays, tc.housing, tc.grace)
			}
		})
	}
}
