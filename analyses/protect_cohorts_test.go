package analyses

import "testing"

// TestProtectCohorts: monitor cohorts overlap, so the all-cohorts row is at
// most the sum of its cohorts. With AMB's custodial 24-month figures of
// the demo (74 of 486 in all; cohorts 14, 16, 8, 15, 21 and an empty 2024)
// the hidden 2021 cohort was bounded below by 74 − 66 = 8: "<10" read as
// 8 or 9. The largest published cohort (2022, n 128) must be hidden as
// well, and nothing else; a group whose hidden cohort is not narrowed
// hides nothing more.
func TestProtectCohorts(t *testing.T) {
	group := func(total int) []DefinitionRate {
		row := func(cohort, n, events int) DefinitionRate {
			return DefinitionRate{Programme: "AMB", Definition: "custodial", WindowMonths: 24, Cohort: cohort, N: n, Events: events}
		}
		return []DefinitionRate{
			row(0, 486, total), row(2019, 80, 14), row(2020, 91, 16),
			{Programme: "AMB", Definition: "custodial", WindowMonths: 24, Cohort: 2021, N: 97, Events: 8, Suppressed: true, Rule: RulePrimary, EventsMark: MarkSmall},
			row(2022, 128, 15), row(2023, 107, 21), row(2024, 0, 0),
		}
	}
	r := rules{minCell: 10}
	defs := group(74)
	protectCohorts(defs, r)
	for _, d := range defs {
		want := d.Cohort == 2021 || d.Cohort == 2022
		if d.Suppressed != want {
			t.Errorf("cohort %d: suppressed %v, want %v", d.Cohort, d.Suppressed, want)
		}
	}
	if d := defs[4]; d.Rule != RuleSecondary || d.EventsMark != MarkHidden || !d.FrequencyHidden {
		t.Errorf("2022: rule %q, events mark %v, frequency hidden %v; want secondary, ×, hidden", d.Rule, d.EventsMark, d.FrequencyHidden)
	}
	// The bound a reader now has on 2021's events: 74 − (14+16+21+0) − 128.
	if lb := 74 - (14 + 16 + 21 + 0) - 128; lb > 9-r.minCell/2 {
		t.Fatalf("the test's arithmetic: bound %d", lb)
	}
	// Cohorts whose events sum to well above the total's narrow nothing
	// (60 − 66 < 1; without: 426 − 340 = 86 below 97 − 9).
	defs = group(60)
	protectCohorts(defs, r)
	for _, d := range defs {
		if d.Suppressed != (d.Cohort == 2021) {
			t.Errorf("total 60, cohort %d: suppressed %v", d.Cohort, d.Suppressed)
		}
	}
}
