package analyses

import (
	"math"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// followUp computes, independently of the SQL, each programme's follow-up
// from the rows of synthetic: days from release to the first offence after
// it when that is on or before the cut-off, else to the cut-off.
func followUp(t *testing.T, ts []traj, es []ev, cutoff string) map[string][]stats.Subject {
	c := date(t, cutoff)
	out := map[string][]stats.Subject{}
	for _, tr := range ts {
		ref := date(t, tr.release)
		if ref.After(c) {
			continue
		}
		var first time.Time
		for _, e := range es {
			d := date(t, e.date)
			if e.person == tr.person && e.eventType == study.EventOffence && d.After(ref) && (first.IsZero() || d.Before(first)) {
				first = d
			}
		}
		s := stats.Subject{Time: c.Sub(ref).Hours() / 24}
		if !first.IsZero() && !first.After(c) {
			s = stats.Subject{Time: first.Sub(ref).Hours() / 24, Event: true}
		}
		out[tr.programme] = append(out[tr.programme], s)
	}
	return out
}

func TestSurvivalEqualsStats(t *testing.T) {
	db := testDB(t)
	ps, ts, es := synthetic(90, "AMB", "RES", "NZ")
	load(t, db, ps, ts, es)
	const cutoff = "2022-06-30"
	st := testStudy(t, cutoff, 1,
		study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "RES", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "NZ", Outcome: study.OutcomeRecidivism})
	res := compute(t, db, st)
	groups := followUp(t, ts, es, cutoff)

	if len(res.Survival) != 3 {
		t.Fatalf("%d curves, want 3", len(res.Survival))
	}
	for _, c := range res.Survival {
		t.Run(c.Programme, func(t *testing.T) {
			km, err := stats.KaplanMeier(groups[c.Programme], 0.95, stats.ConfLog)
			if err != nil {
				t.Fatal(err)
			}
			if c.N != km.N || len(c.Steps) != len(km.Steps) || c.Truncated || c.Suppressed {
				t.Fatalf("N=%d steps=%d truncated=%v suppressed=%v; want N=%d steps=%d", c.N, len(c.Steps), c.Truncated, c.Suppressed, km.N, len(km.Steps))
			}
			for i, s := range km.Steps {
				if c.Steps[i] != s {
					t.Errorf("step %d: %+v, want %+v", i, c.Steps[i], s)
				}
			}
			med := km.Median()
			if !sameFloat(c.Median.Value, med.Value) || !sameFloat(c.Median.Lower, med.Lower) || !sameFloat(c.Median.Upper, med.Upper) {
				t.Errorf("median %+v, want %+v", c.Median, med)
			}
			// At-risk table: months at round(m·30.4375) days, events and
			// censorings cumulated.
			days := []float64{0, 183, 365, 548, 731, 913, 1096} // 730.5 rounds up
			at, err := km.At(days)
			if err != nil {
				t.Fatal(err)
			}
			events, censored := 0, 0
			for i, a := range at {
				events += a.Events
				censored += a.Censored
				got := c.AtRisk[i]
				if got.Month != 6*i || got.Day != int(days[i]) || got.AtRisk != a.AtRisk || got.Events != events || got.Censored != censored || got.Suppressed {
					t.Errorf("at-risk row %d: %+v, want month %d day %v at risk %d events %d censored %d", i, got, 6*i, days[i], a.AtRisk, events, censored)
				}
			}
		})
	}

	t.Run("log-rank over the three programmes", func(t *testing.T) {
		want, err := stats.LogRank(groups["AMB"], groups["RES"], groups["NZ"])
		if err != nil {
			t.Fatal(err)
		}
		if len(res.LogRank) != 1 {
			t.Fatalf("%d log-rank tests, want 1", len(res.LogRank))
		}
		got := res.LogRank[0]
		if got.ChiSq != want.ChiSq || got.DF != 2 || got.P != want.P || len(got.Programmes) != 3 || got.Skipped != "" {
			t.Errorf("log-rank %+v, want chisq %v df 2 p %v", got, want.ChiSq, want.P)
		}
	})

	t.Run("survival tables", func(t *testing.T) {
		steps := 0
		for _, c := range res.Survival {
			steps += len(c.Steps)
		}
		if n := len(queryStrings(t, db, `SELECT * FROM survival_step WHERE NOT researcher_only`)); n != steps {
			t.Errorf("survival_step has %d rows, want %d", n, steps)
		}
		if n := len(queryStrings(t, db, `SELECT * FROM survival_at_risk`)); n != 3*7 {
			t.Errorf("survival_at_risk has %d rows, want 21", n)
		}
	})
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestMarkSurvival(t *testing.T) {
	// 25 subjects: events at days 1..20 (one each), 5 censored at day 30.
	var subs []stats.Subject
	for i := 1; i <= 20; i++ {
		subs = append(subs, stats.Subject{Time: float64(i), Event: true})
	}
	for range 5 {
		subs = append(subs, stats.Subject{Time: 30})
	}
	km, err := stats.KaplanMeier(subs, 0.95, stats.ConfLog)
	if err != nil {
		t.Fatal(err)
	}
	curve := func() SurvivalCurve {
		c := SurvivalCurve{N: km.N, Events: 20, Steps: append([]stats.KMStep(nil), km.Steps...), Median: km.Median()}
		c.AtRisk = []AtRiskRow{
			{Month: 0, AtRisk: 25},
			{Month: 1, AtRisk: 20, Events: 5},
			{Month: 2, AtRisk: 10, Events: 15},
			{Month: 3, AtRisk: 5, Events: 20},
			{Month: 4, AtRisk: 0, Events: 20, Censored: 5},
		}
		return c
	}
	tests := []struct {
		name          string
		minCell       int
		wantPublished int // steps left
		wantSupp      bool
		wantRows      []bool
	}{
		// Step at day k has 26-k at risk and one event: with min cell 10
		// only day 10 (ten persons left since the start) is published
		// before fewer than 10 are at risk (day 17); with min cell 3
		// every third day up to 18 (day 19 and 20 leave only 2).
		{"min cell 10", 10, 1, false, []bool{false, true, false, true, true}},
		{"min cell 3", 3, 6, false, []bool{false, false, false, false, false}},
		{"min cell 26 suppresses the curve", 26, 0, true, []bool{true, true, true, true, true}},
		{"min cell 21: 20 events are too few", 21, 0, true, []bool{true, true, true, true, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := curve()
			markSurvival(&c, rules{minCell: tc.minCell})
			redactSurvival(&c)
			if len(c.Steps) != tc.wantPublished || c.Suppressed != tc.wantSupp {
				t.Fatalf("%d steps, suppressed=%v; want %d, %v", len(c.Steps), c.Suppressed, tc.wantPublished, tc.wantSupp)
			}
			for _, s := range c.Steps {
				if s.AtRisk < tc.minCell {
					t.Errorf("published step at day %v has %d at risk", s.Time, s.AtRisk)
				}
			}
			if c.Truncated != (!tc.wantSupp && tc.wantPublished < 20) {
				t.Errorf("truncated=%v", c.Truncated)
			}
			if tc.wantSupp {
				if c.AtRisk != nil || c.Events != 0 || !math.IsNaN(c.Median.Value) {
					t.Errorf("suppressed curve leaks: %+v", c)
				}
				return
			}
			for i, r := range c.AtRisk {
				if r.Suppressed != tc.wantRows[i] {
					t.Errorf("row %d suppressed=%v, want %v", i, r.Suppressed, tc.wantRows[i])
				}
				if r.Suppressed && (r.AtRisk != 0 || r.Events != 0 || r.Censored != 0) {
					t.Errorf("row %d leaks %+v", i, r)
				}
			}
			// The median (day 13: S drops to 12/25 < 0.5) is kept only
			// within the published part (up to day 10 or day 18).
			if want := 13.0; tc.minCell == 3 && c.Median.Value != want || tc.minCell == 10 && !math.IsNaN(c.Median.Value) {
				t.Errorf("median %v", c.Median.Value)
			}
			left := 0
			for _, s := range c.Steps {
				left = s.Events + s.Censored
				if left < tc.minCell {
					t.Errorf("published point at day %v: %d persons left the risk set since the previous one", s.Time, left)
				}
			}
		})
	}
}
