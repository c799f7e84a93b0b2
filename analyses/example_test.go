package analyses_test

import (
	"fmt"

	"github.com/outcomes-research/outcomes/analyses"
)

// Three cohorts of one programme and their total, minimum cell size 10. The
// 2023 cohort has 8 events, so it is suppressed ("<10" events); the total
// minus the 2022 and 2024 cohorts would give it away, so the smallest other
// cohort, 2024, is hidden too ("×"). A reader who knows that a "×" count is
// at least 10 finds 2023 between 1 and 33 − 15 − 10 = 8 events: eight
// possible values, more than the five (half the threshold) a hidden count
// must keep.
func ExampleSuppress() {
	rates := []analyses.Rate{
		{Programme: "AMB", WindowMonths: 12, Cohort: 0, N: 100, Events: 33},
		{Programme: "AMB", WindowMonths: 12, Cohort: 2022, N: 55, Events: 15},
		{Programme: "AMB", WindowMonths: 12, Cohort: 2023, N: 25, Events: 8},
		{Programme: "AMB", WindowMonths: 12, Cohort: 2024, N: 20, Events: 10},
	}
	analyses.Suppress(rates, 10)
	for _, r := range rates {
		fmt.Printf("cohort %d: n=%d events=%d suppressed=%v\n", r.Cohort, r.N, r.Events, r.Suppressed)
	}
	// Output:
	// cohort 0: n=100 events=33 suppressed=false
	// cohort 2022: n=55 events=15 suppressed=false
	// cohort 2023: n=25 events=8 suppressed=true
	// cohort 2024: n=20 events=10 suppressed=true
}
