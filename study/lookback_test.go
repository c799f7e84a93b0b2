package study

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPriorLookbackYears checks outcomes.prior_lookback_years: default 5,
// a value from 1 to 30 taken, 0 and 31 refused with the setting named, and
// the value in the run parameters (the pipeline records the Outcomes as
// JSON).
func TestPriorLookbackYears(t *testing.T) {
	base := contrastsBase
	for _, tc := range []struct {
		name, outcomes, wantErr string
		want                    int
	}{
		{"default", "", "", 5},
		{"ten years", "outcomes: {prior_lookback_years: 10}\n", "", 10},
		{"one year", "outcomes: {prior_lookback_years: 1}\n", "", 1},
		{"zero", "outcomes: {prior_lookback_years: 0}\n", "outcomes.prior_lookback_years", 0},
		{"too long", "outcomes: {prior_lookback_years: 31}\n", "outcomes.prior_lookback_years", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("study.yaml", []byte(base+tc.outcomes))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Outcomes.PriorLookbackYears != tc.want {
				t.Fatalf("look-back %d, want %d", s.Outcomes.PriorLookbackYears, tc.want)
			}
			b, err := json.Marshal(s.Outcomes)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if v, ok := m["PriorLookbackYears"].(float64); !ok || int(v) != tc.want {
				t.Errorf("run parameters hold PriorLookbackYears %v, want %d", m["PriorLookbackYears"], tc.want)
			}
		})
	}
}
