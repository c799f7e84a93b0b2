package analyses

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestDelayedEntryFixture is fixture (b) of issue 14 through the whole
// analysis: follow-up from the release date, aftercare (AMB) entering the
// risk set at its start when that comes after the release. Person a001
// starts aftercare on day 40 and re-offended on day 20 (a002 and a003
// likewise, a003 on the start day itself): they are in no risk set, rate or
// count of AMB. Expected values are R's survfit and coxph with Surv(entry,
// time, status) on the same exports (testdata/entry/make_reference.R):
// counts exact, survival at 1e-9, hazard ratio and log-rank at 1e-6.
func TestDelayedEntryFixture(t *testing.T) {
	dir := filepath.Join("testdata", "entry")
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:]
	}
	var persons []person
	var trajs []traj
	for _, r := range read("trajectories.csv") {
		persons = append(persons, person{id: r[0], sex: "m"})
		trajs = append(trajs, traj{person: r[0], programme: r[1], start: r[2], release: r[3], age: 30})
	}
	var events []ev
	for _, r := range read("events.csv") {
		events = append(events, ev{r[0], study.EventOffence, r[1]})
	}
	var ref struct {
		NeverAtRisk []string `json:"never_at_risk"`
		Curves      []struct {
			Programme  string
			N, Events  int
			Time       []float64
			NRisk      []int     `json:"n_risk"`
			NEvent     []int     `json:"n_event"`
			Surv       []float64 `json:"surv"`
			AtRisk     []int     `json:"at_risk"`
			AtEvents   []int     `json:"at_events"`
			AtCensored []int     `json:"at_censored"`
		}
		LogRankChiSq float64 `json:"logrank_chisq"`
		HazardRatio  float64 `json:"hazard_ratio"`
		HRLower      float64 `json:"hr_lower"`
		HRUpper      float64 `json:"hr_upper"`
		Rates12m     []struct {
			Programme string
			N, Events int
		} `json:"rates_12m"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	db := testDB(t)
	load(t, db, persons, trajs, events)
	st := testStudy(t, "2025-12-31", 1,
		study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "RES", Outcome: study.OutcomeRecidivism})
	res := compute(t, db, st)

	never := queryStrings(t, db, `SELECT person_id FROM outcome_subject WHERE programme = 'AMB' AND NOT entered ORDER BY 1`)
	if len(never) != len(ref.NeverAtRisk) || len(never) == 0 || never[0] != "a001" {
		t.Errorf("never at risk: %v, R %v", never, ref.NeverAtRisk)
	}
	rel := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Abs(want) {
			t.Errorf("%s = %.12g, R %.12g", what, got, want)
		}
	}
	for _, w := range ref.Curves {
		var c *SurvivalCurve
		for i := range res.Survival {
			if res.Survival[i].Programme == w.Programme {
				c = &res.Survival[i]
			}
		}
		if c == nil {
			t.Fatalf("no curve for %s", w.Programme)
		}
		if c.N != w.N || c.Events != w.Events || len(c.Steps) != len(w.Time) {
			t.Fatalf("%s: n %d events %d steps %d; R %d %d %d", w.Programme, c.N, c.Events, len(c.Steps), w.N, w.Events, len(w.Time))
		}
		for i, s := range c.Steps {
			if s.Time != w.Time[i] || s.AtRisk != w.NRisk[i] || s.Events != w.NEvent[i] {
				t.Errorf("%s step %d: t %v n %d d %d; R %v %d %d", w.Programme, i, s.Time, s.AtRisk, s.Events, w.Time[i], w.NRisk[i], w.NEvent[i])
			}
			rel(w.Programme+" survival", s.Survival, w.Surv[i], 1e-9)
		}
		for i, a := range c.AtRisk {
			if a.AtRisk != w.AtRisk[i] || a.Events != w.AtEvents[i] || a.Censored != w.AtCensored[i] {
				t.Errorf("%s at month %d: n %d events %d censored %d; R %d %d %d", w.Programme, a.Month, a.AtRisk, a.Events, a.Censored,
					w.AtRisk[i], w.AtEvents[i], w.AtCensored[i])
			}
		}
	}
	if len(res.LogRank) != 1 {
		t.Fatalf("%d log-rank tests", len(res.LogRank))
	}
	rel("log-rank chisq", res.LogRank[0].ChiSq, ref.LogRankChiSq, 1e-6)
	if len(res.Contrasts) != 1 || res.Contrasts[0].Unadjusted.Skipped != "" {
		t.Fatalf("contrasts: %+v", res.Contrasts)
	}
	u := res.Contrasts[0].Unadjusted
	rel("hazard ratio", u.HR.Value, ref.HazardRatio, 1e-6)
	rel("hazard ratio lower", u.HR.Lower, ref.HRLower, 1e-6)
	rel("hazard ratio upper", u.HR.Upper, ref.HRUpper, 1e-6)
	// The cumulative incidence (Aalen–Johansen with delayed entry) is
	// 1 − Kaplan–Meier here, there being no deaths or emigrations: R's
	// survfit values of the curves above.
	for _, w := range ref.Curves {
		k := 0
		for _, s := range res.Incidence {
			if s.Programme != w.Programme || s.Events == 0 {
				continue
			}
			if k >= len(w.Time) || s.Time != w.Time[k] || s.AtRisk != w.NRisk[k] {
				t.Fatalf("%s incidence step %d: %+v; R time %v at risk %d", w.Programme, k, s, w.Time[k], w.NRisk[k])
			}
			rel(w.Programme+" incidence", s.CIF, 1-w.Surv[k], 1e-9)
			k++
		}
		if k != len(w.Time) {
			t.Errorf("%s: %d incidence steps with events, R %d", w.Programme, k, len(w.Time))
		}
	}
	for _, w := range ref.Rates12m {
		if r := findRate(t, res.Rates, w.Programme, 12, 0); r.N != w.N || r.Events != w.Events {
			t.Errorf("%s 12 months: n %d events %d, R %d %d", w.Programme, r.N, r.Events, w.N, w.Events)
		}
	}
}
