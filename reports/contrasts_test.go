package reports

import (
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// TestContrastTable checks the researchers' contrast table: the overlap,
// the models in the contrast's direction with their variance, the subset
// note and the warning of a failed proportional-hazards test; and the
// policy section's warning next to a comparison of overlapping cells.
func TestContrastTable(t *testing.T) {
	res := fixtureResults()
	hr := func(v float64) stats.Estimate {
		return stats.Estimate{Value: v, Interval: stats.Interval{Lower: v / 2, Upper: v * 2}}
	}
	res.Contrasts = []analyses.ContrastResult{{
		Contrast:   study.Contrast{Programme: "RES", Reference: "AMB", Outcome: study.OutcomeRecidivism, Declared: true},
		NProgramme: 40, NReference: 150, Overlap: 40, Relation: analyses.RelationProgrammeInReference,
		Unadjusted: analyses.ContrastModel{Groups: "stacked", N: 190, Events: 60, HR: hr(0.61), P: 0.01, Robust: true,
			PH: stats.ChiSqTest{ChiSq: 5, DF: 1, P: 0.02}, PHGlobal: stats.ChiSqTest{ChiSq: 5, DF: 1, P: 0.02}},
		Adjusted: analyses.ContrastModel{Groups: "stacked", Skipped: "fewer than 10 persons with the event"},
		Disjoint: analyses.ContrastModel{Groups: "with_programme_vs_without", N: 150, Events: 50, HR: hr(0.5), P: 0.001,
			PH: stats.ChiSqTest{ChiSq: 0.1, DF: 1, P: 0.75}},
		TimeSplit: []analyses.SplitHazardRatio{{FromDays: 0, ToDays: 200, N: 190, Events: 30, HR: hr(0.4), P: 0.01, Robust: true},
			{FromDays: 200, N: 120, Events: 30, HR: hr(0.9), P: 0.7, Robust: true}},
	}}
	res.Comparisons[0].Relation, res.Comparisons[0].Overlap = analyses.RelationOverlap, 12
	tt, _ := translations("en")
	v := buildView(res, tt)
	var got *table
	var bl block
	var warnings []string
	for _, s := range v.Sections {
		for _, b := range s.Blocks {
			warnings = append(warnings, b.Warnings...)
			if b.Table != nil && b.Table.ID == "contrasts_recidivism" {
				got, bl = b.Table, b
			}
		}
	}
	if got == nil {
		t.Fatal("no contrasts_recidivism table")
	}
	want := [][]string{
		{"Nazorghuis vs. Ambulante nazorg", "unadjusted", "40", "190", "60", "0.61", "0.30 – 1.22", "0.010", "clustered by person", "0.020"},
		{"Nazorghuis vs. Ambulante nazorg", "adjusted (age, sex, prior offences)", "40", "–", "–", "–", "–", "–", "–", "Not computed: fewer than 10 persons with the event."},
		{"Nazorghuis vs. Ambulante nazorg", "reference group with vs. without the programme", "40", "150", "50", "0.50", "0.25 – 1.00", "0.001", "model-based", "0.750"},
		{"Nazorghuis vs. Ambulante nazorg", "day 0 to 200", "40", "190", "30", "0.40", "0.20 – 0.80", "0.010", "clustered by person", "–"},
		{"Nazorghuis vs. Ambulante nazorg", "from day 200", "40", "120", "30", "0.90", "0.45 – 1.80", "0.700", "clustered by person", "–"},
	}
	if !slices.EqualFunc(got.Rows, want, slices.Equal[[]string]) {
		t.Errorf("rows\n%q\nwant\n%q", got.Rows, want)
	}
	if len(bl.Notes) != 1 || !strings.Contains(bl.Notes[0], "Everyone in Nazorghuis is also in Ambulante nazorg") {
		t.Errorf("notes %q, want the subset note", bl.Notes)
	}
	if len(bl.Warnings) != 1 || !strings.Contains(bl.Warnings[0], "proportional hazards are rejected") {
		t.Errorf("warnings %q, want the PH failure", bl.Warnings)
	}
	if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, "12 persons are in both groups") }) {
		t.Errorf("no overlap warning on the comparison; warnings %q", warnings)
	}
}
