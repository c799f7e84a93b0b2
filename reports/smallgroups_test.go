package reports

import (
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// TestDetectionSentence holds the funders' sentence on what zero events can
// show, computed: (1 − 0.10)^19 = 13.5%, and the exact one-sided 95% bound
// 1 − 0.05^(1/19) = 14.6% (R: dbinom(0, 19, 0.1), binom.test(0, 19,
// alternative = "less")).
func TestDetectionSentence(t *testing.T) {
	cases := []struct{ lang, want string }{
		{"en", "What zero can show: with 19 people, a true rate of 10% gives zero events 13.5% of the time. Zero events rule out only true rates above 14.6% (exact one-sided 95% bound)."},
		{"nl", "Wat nul kan zeggen: bij 19 mensen geeft een werkelijk aandeel van 10% in 13,5% van de gevallen toch nul gebeurtenissen. Nul sluit alleen een werkelijk aandeel boven 14,6% uit (exacte eenzijdige 95%-grens)."},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			tt, _ := translations(tc.lang)
			v := buildView(fixtureResults(), tt)
			ps := v.Sections[0].Blocks[0].Paragraphs
			if !slices.Contains(ps, tc.want) {
				t.Errorf("summary lacks %q; it has\n%s", tc.want, strings.Join(ps, "\n"))
			}
			n := 0
			for _, p := range ps {
				if strings.Contains(p, "13,5%") || strings.Contains(p, "13.5%") {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d detection sentences, want 1 (only the programme with zero events)", n)
			}
		})
	}
}

// TestPersonTimeTable checks the per-person-year table: rates per 100
// person-years with the exact Poisson interval, suppressed programmes as
// "<MinCell".
func TestPersonTimeTable(t *testing.T) {
	tt, _ := translations("en")
	v := buildView(fixtureResults(), tt)
	var got *table
	for _, tb := range v.tables() {
		if tb.ID == "persontime_recidivism" {
			got = &tb
		}
	}
	if got == nil {
		t.Fatal("no persontime_recidivism table")
	}
	// poisson.test(50, 200.5): 0.2494 (0.1851, 0.3288) per person-year.
	want := [][]string{
		{"Ambulante nazorg", "150", "50", "200.5", "24.9", "18.5 – 32.9"},
		{"Nazorghuis", "–", "–", "–", "–", "–"}, // withheld with the curve, not necessarily small
	}
	if !slices.EqualFunc(got.Rows, want, slices.Equal[[]string]) {
		t.Errorf("rows %q, want %q", got.Rows, want)
	}
}

// TestAscertainmentWarning: a zero-event headline among participants who
// cannot all be found in the outcome's sources carries a warning in the
// funders' summary, and the policy section shows the share findable.
func TestAscertainmentWarning(t *testing.T) {
	res := fixtureResults()
	res.Ascertainment = []analyses.Ascertainment{
		{Programme: "RG", Outcome: study.OutcomeShelterInflow, N: 19, Findable: 0, Sources: []string{"Justitie: j.csv"}},
		{Programme: "AMB", Outcome: study.OutcomeRecidivism, N: 150, Findable: 150, Complete: true, Sources: []string{"Justitie: j.csv"}},
	}
	tt, _ := translations("en")
	v := buildView(res, tt)
	want := "Careful with Resourcegroep: only 0 of 19 participants (0%) can be found in the sources that record this outcome; the others are linked by name and birth date, and those sources hold no names. Zero may therefore be a linkage gap."
	if ps := v.Sections[0].Blocks[0].Paragraphs; !slices.Contains(ps, want) {
		t.Errorf("summary lacks the ascertainment warning; it has\n%s", strings.Join(ps, "\n"))
	}
	var found bool
	for _, tb := range v.tables() {
		if tb.ID == "ascertainment_shelter_inflow" {
			found = true
			if want := []string{"Resourcegroep", "19", "0", "0.0%", "none"}; !slices.Equal(tb.Rows[0], want) {
				t.Errorf("row %q, want %q", tb.Rows[0], want)
			}
		}
	}
	if !found {
		t.Error("no ascertainment table for shelter inflow")
	}
}

// TestSurvivalAtTable: the cumulative share at the chosen times, 1 − S(t)
// with the log-log interval turned round; a withheld value shows dashes.
func TestSurvivalAtTable(t *testing.T) {
	res := fixtureResults()
	res.Study.SurvivalTimes.Unit = "months"
	res.SurvivalAt = []analyses.SurvivalAt{
		{Programme: "AMB", Outcome: study.OutcomeRecidivism, Time: 12, Day: 365, AtRisk: 80, Survival: 0.75, StdErr: 0.031,
			LogLog: stats.Interval{Lower: 0.68, Upper: 0.81}},
		{Programme: "RES", Outcome: study.OutcomeRecidivism, Time: 12, Day: 365, Suppressed: true, AtRiskHidden: true},
	}
	tt, _ := translations("en")
	v := buildView(res, tt)
	for _, tb := range v.tables() {
		if tb.ID != "survival_at_recidivism" {
			continue
		}
		want := [][]string{{"Ambulante nazorg", "12", "80", "25.0%", "3.1", "19.0% – 32.0%"}, {"Nazorghuis", "12", "–", "–", "–", "–"}}
		if !slices.EqualFunc(tb.Rows, want, slices.Equal[[]string]) {
			t.Errorf("rows %q, want %q", tb.Rows, want)
		}
		if tb.Header[1] != "Time (months)" {
			t.Errorf("header %q", tb.Header)
		}
		return
	}
	t.Error("no survival_at_recidivism table")
}
