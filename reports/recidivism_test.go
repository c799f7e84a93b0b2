package reports

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// recidivismFixture adds the recidivism definitions and a cumulative
// incidence curve with deaths to the fixture results.
func recidivismFixture(competing int) *analyses.Results {
	res := fixtureResults()
	res.Study.Outcomes.RecidivismDefinition = study.DefGeneral
	def := func(name string, cohort int, n, events, cases int, years float64) analyses.DefinitionRate {
		return analyses.DefinitionRate{Programme: "AMB", Definition: name, WindowMonths: 24, Cohort: cohort, N: n, Events: events,
			Cases: cases, Years: years, Rate: float64(events) / float64(n), CI: stats.Wilson(events, n, 0.95),
			PerYear: stats.PoissonRate(cases, years, 0.95), NegBin: est(float64(cases)/years, 0.3, 0.9)}
	}
	general := def("general", 0, 120, 50, 90, 200)
	veryServious := def("very_serious", 0, 120, 4, 5, 230)
	veryServious.Suppressed, veryServious.FrequencyHidden, veryServious.EventsMark = true, true, analyses.MarkSmall
	veryServious.Events, veryServious.Cases, veryServious.Rate = 0, 0, 0
	partial := def("general", 2024, 60, 20, 30, 100)
	partial.Partial = true
	res.Definitions = []analyses.DefinitionRate{general, veryServious, def("general", 2023, 70, 30, 50, 110), partial}
	for i, t := range []float64{100, 300, 500, 800} {
		res.Incidence = append(res.Incidence, analyses.IncidenceStep{Programme: "AMB", Outcome: study.OutcomeRecidivism, Time: t,
			AtRisk: 120 - 20*i, Events: 15, Competing: competing, Censored: 3, CIF: 0.1 * float64(i+1), CIFCompeting: 0.01 * float64(i+1), Point: true})
	}
	return res
}

func TestRecidivismDefinitionsInReport(t *testing.T) {
	v := buildView(recidivismFixture(1), english())
	tables := map[string]table{}
	for _, tb := range v.tables() {
		tables[tb.ID] = tb
	}
	all, ok := tables["recidivism_definitions"]
	if !ok {
		t.Fatalf("no recidivism_definitions table; have %v", v.tables())
	}
	if len(all.Rows) != 2 || all.Rows[0][1] != "general" || all.Rows[1][1] != "very serious" {
		t.Fatalf("all-cohorts rows: %v", all.Rows)
	}
	// People, with outcome: the attacker reads these headers.
	if !slices.Contains(all.Header, "People") || !slices.Contains(all.Header, "With outcome") {
		t.Errorf("header %v lacks the rate tables' count columns", all.Header)
	}
	if got := all.Rows[1][3:7]; !slices.Equal(got, []string{"120", "<10", "–", "–"}) {
		t.Errorf("suppressed very serious row shows %v, want its n, <10 and dashes", got)
	}
	if got := all.Rows[1][7:]; !slices.Equal(got, []string{"–", "–", "–", "–"}) {
		t.Errorf("withheld frequency shows %v", got)
	}
	if got := all.Rows[0][9]; got != "0.45 (0.36 – 0.55)" {
		t.Errorf("general per year = %q", got)
	}
	cohorts := tables["recidivism_def_cohorts"]
	if len(cohorts.Rows) != 2 || cohorts.Rows[1][len(cohorts.Rows[1])-1] != "incomplete cohort year" || cohorts.Rows[0][len(cohorts.Rows[0])-1] != "–" {
		t.Errorf("cohort rows: %v", cohorts.Rows)
	}
	page, err := renderHTML(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"WODC", "Cahier 2019-10", "do not add up to the total", "Do not compare it with complete years", "Aalen–Johansen"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	cif, ok := tables["cif_recidivism"]
	if !ok {
		t.Fatal("no cumulative incidence table although the curve has deaths")
	}
	// At 12 months (365 days) the last point is day 300: 20%, 2%; at 24
	// months (730 days) day 500: 30%, 3%.
	want := [][]string{{"Ambulante nazorg", "12", "20.0%", "2.0%"}, {"Ambulante nazorg", "24", "30.0%", "3.0%"}, {"Nazorghuis", "12", "–", "–"}, {"Nazorghuis", "24", "–", "–"}}
	if !slices.EqualFunc(cif.Rows, want, func(a, b []string) bool { return slices.Equal(a, b) }) {
		t.Errorf("cif rows %v, want %v", cif.Rows, want)
	}
	var chart *chartData
	for _, c := range v.charts() {
		if c.ID == "chart_cif_recidivism" {
			chart = &c
		}
	}
	if chart == nil || len(chart.Series) != 1 || chart.Series[0].Points[2].Y != 20 || !slices.Equal(chart.Left, []string{"Nazorghuis"}) {
		t.Errorf("cif chart %+v", chart)
	}

	t.Run("no competing events, no Aalen–Johansen block", func(t *testing.T) {
		v := buildView(recidivismFixture(0), english())
		for _, tb := range v.tables() {
			if tb.ID == "cif_recidivism" {
				t.Error("cumulative incidence shown although nobody died or emigrated (it equals 1 − KM)")
			}
		}
	})
	t.Run("withheld competing curve shows a dash", func(t *testing.T) {
		res := recidivismFixture(1)
		for i := range res.Incidence {
			res.Incidence[i].CompetingHidden, res.Incidence[i].CIFCompeting = true, math.NaN()
		}
		for _, tb := range buildView(res, dutch()).tables() {
			if tb.ID == "cif_recidivism" && tb.Rows[0][3] != "–" {
				t.Errorf("withheld competing incidence shows %q", tb.Rows[0][3])
			}
		}
	})
}

// TestPartialCohortYearIsMarked: a cohort year whose window has not closed
// for all its members is labelled incomplete in the trend, with a warning,
// never shown as a complete year.
func TestPartialCohortYearIsMarked(t *testing.T) {
	res := fixtureResults()
	marked := 0
	for i := range res.Rates {
		if r := &res.Rates[i]; r.Outcome == study.OutcomeRecidivism && r.Cohort != 0 {
			r.Partial = true
			marked++
		}
	}
	if marked == 0 {
		t.Fatal("the fixture has no recidivism cohort row")
	}
	v := buildView(res, english())
	found := false
	for _, s := range v.Sections {
		for _, bl := range s.Blocks {
			if bl.Table == nil || !strings.HasPrefix(bl.Table.ID, "trend_") || len(bl.Table.Rows) == 0 {
				continue
			}
			if !strings.HasSuffix(bl.Table.Rows[0][0], "(incomplete)") {
				continue
			}
			found = true
			if !slices.ContainsFunc(bl.Warnings, func(w string) bool { return strings.Contains(w, "Do not compare it with complete years") }) {
				t.Errorf("trend %s marks the year but has no warning: %v", bl.Table.ID, bl.Warnings)
			}
		}
	}
	if !found {
		t.Error("no trend table labels its partial cohort year incomplete")
	}
}
