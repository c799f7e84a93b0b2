package analyses

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

func threeProgrammes(t *testing.T, minCell int) *study.Study {
	st := testStudy(t, "2022-06-30", minCell,
		study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "RES", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "NZ", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "RG", Outcome: study.OutcomeShelterInflow})
	st.Outcomes.RecidivismWindows = []int{6, 12}
	return st
}

func TestComparisons(t *testing.T) {
	db := testDB(t)
	ps, ts, es := synthetic(150, "AMB", "RES", "NZ")
	load(t, db, ps, ts, es)
	res := compute(t, db, threeProgrammes(t, 10))

	// Three recidivism programmes, two windows: 3 pairs × 2; RG shares its
	// outcome with nobody.
	type pair struct {
		a, b string
		w    int
	}
	var got []pair
	for _, c := range res.Comparisons {
		got = append(got, pair{c.A, c.B, c.WindowMonths})
	}
	want := []pair{{"AMB", "RES", 6}, {"AMB", "RES", 12}, {"AMB", "NZ", 6}, {"AMB", "NZ", 12}, {"RES", "NZ", 6}, {"RES", "NZ", 12}}
	if !slices.Equal(got, want) {
		t.Fatalf("pairs %v, want %v", got, want)
	}
	for _, c := range res.Comparisons {
		a := findRate(t, res.Rates, c.A, c.WindowMonths, 0)
		b := findRate(t, res.Rates, c.B, c.WindowMonths, 0)
		name := c.A + "-" + c.B
		t.Run(name, func(t *testing.T) {
			if c.Suppressed != (a.Suppressed || b.Suppressed) {
				t.Errorf("suppressed=%v with cells %v, %v", c.Suppressed, a.Suppressed, b.Suppressed)
			}
			if c.Suppressed {
				if c.RiskDifference != (stats.Estimate{}) || c.FisherP != 0 || !c.SmallGroupWarning {
					t.Errorf("suppressed comparison leaks %+v", c)
				}
				return
			}
			small := a.N < 20 || b.N < 20 || a.Events < 5 || b.Events < 5
			if c.SmallGroupWarning != small {
				t.Errorf("small group warning %v, want %v", c.SmallGroupWarning, small)
			}
			rd := stats.RiskDifference(a.Events, a.N, b.Events, b.N, 0.95)
			rr := stats.RelativeRisk(a.Events, a.N, b.Events, b.N, 0.95)
			p := stats.FisherExact(a.Events, a.N, b.Events, b.N).P
			if c.RiskDifference != rd || !sameFloat(c.RelativeRisk.Value, rr.Value) || c.FisherP != p {
				t.Errorf("got %+v %+v %v, want %+v %+v %v", c.RiskDifference, c.RelativeRisk, c.FisherP, rd, rr, p)
			}
			// The risk difference is a difference of the published rates.
			if math.Abs(c.RiskDifference.Value-(a.Rate-b.Rate)) > 1e-12 {
				t.Errorf("risk difference %v, rates %v − %v", c.RiskDifference.Value, a.Rate, b.Rate)
			}
		})
	}
	if n := len(queryStrings(t, db, `SELECT * FROM comparison`)); n != len(want) {
		t.Errorf("comparison table has %d rows, want %d", n, len(want))
	}
}

func TestSmallGroupComparison(t *testing.T) {
	// A: 40 persons, 12 events; B: 15 persons, 0 events — B has fewer than
	// 2·MinCell persons and fewer than 5 events, but neither cell is
	// suppressed (0 events is publishable).
	rates := []Rate{
		{Programme: "A", Outcome: study.OutcomeRecidivism, WindowMonths: 12, N: 40, Events: 12},
		{Programme: "B", Outcome: study.OutcomeRecidivism, WindowMonths: 12, N: 15, Events: 0},
	}
	Suppress(rates, 10)
	st := &study.Study{Outcomes: study.Outcomes{RecidivismWindows: []int{12}}, Programmes: []study.Programme{
		{Code: "A", Outcome: study.OutcomeRecidivism}, {Code: "B", Outcome: study.OutcomeRecidivism}}}
	cs := computeComparisons(st, rates, 10)
	if len(cs) != 1 || cs[0].Suppressed || !cs[0].SmallGroupWarning {
		t.Fatalf("got %+v, want one unsuppressed comparison with a small-group warning", cs)
	}
	// Relative risk 0.3/0 is +Inf with no interval; Fisher's p by hand:
	// P(X = 12 | margins 12 of 55, 40 in A) = C(40,12)/C(55,12).
	if !math.IsInf(cs[0].RelativeRisk.Value, 1) {
		t.Errorf("relative risk %v, want +Inf", cs[0].RelativeRisk.Value)
	}
	lc := func(n, k float64) float64 {
		a, _ := math.Lgamma(n + 1)
		b, _ := math.Lgamma(k + 1)
		c, _ := math.Lgamma(n - k + 1)
		return a - b - c
	}
	p := 0.0
	pObs := math.Exp(lc(40, 12) - lc(55, 12))
	for x := 0; x <= 12; x++ {
		if px := math.Exp(lc(40, float64(x)) + lc(15, float64(12-x)) - lc(55, 12)); px <= pObs*(1+1e-7) {
			p += px
		}
	}
	if math.Abs(cs[0].FisherP-p)/p > 1e-9 {
		t.Errorf("Fisher p %v, want %v", cs[0].FisherP, p)
	}
}

func TestAdjustedRates(t *testing.T) {
	db := testDB(t)
	// 600 persons per programme: with the banded case mix (age and prior
	// cases in bands, 7 parameters) the 12-month window has more than ten
	// persons with and without the outcome per parameter.
	ps, ts, es := synthetic(600, "AMB", "RES", "NZ")
	load(t, db, ps, ts, es)
	res := compute(t, db, threeProgrammes(t, 1))

	for _, w := range []int{6, 12} {
		var rows []AdjustedRate
		for _, a := range res.Adjusted {
			if a.WindowMonths == w && a.Outcome == study.OutcomeRecidivism {
				rows = append(rows, a)
			}
		}
		if len(rows) != 3 {
			t.Fatalf("%dm: %d adjusted rates, want 3", w, len(rows))
		}
		sum, n, events := 0.0, 0, 0.0
		for _, a := range rows {
			if a.Skipped != "" {
				t.Fatalf("%s %dm skipped: %s", a.Programme, w, a.Skipped)
			}
			r := findRate(t, res.Rates, a.Programme, w, 0)
			if a.N != r.N || math.Abs(a.Observed-r.Rate) > 1e-12 {
				t.Errorf("%s %dm: n=%d observed=%v, rate n=%d rate=%v", a.Programme, w, a.N, a.Observed, r.N, r.Rate)
			}
			if math.Abs(a.Adjusted-(a.Observed-a.Expected+a.Overall)) > 1e-12 || a.Expected <= 0 || a.Expected >= 1 {
				t.Errorf("%s %dm: %+v", a.Programme, w, a)
			}
			sum += float64(a.N) * (a.Observed - a.Expected)
			n += a.N
			events += float64(a.N) * a.Observed
		}
		// Logistic regression with an intercept reproduces the total
		// number of events: Σ N·(observed − expected) = 0.
		if math.Abs(sum) > 1e-6 {
			t.Errorf("%dm: Σ N·(observed − expected) = %v, want 0", w, sum)
		}
		if math.Abs(rows[0].Overall-events/float64(n)) > 1e-12 {
			t.Errorf("%dm: overall %v, want %v", w, rows[0].Overall, events/float64(n))
		}
	}

	t.Run("events per parameter", func(t *testing.T) {
		// 150 persons per programme: 24 persons with the 6-month outcome,
		// fewer than ten per parameter of the banded case mix: no model,
		// with the rule and its numbers for the report (issue 15).
		db := testDB(t)
		ps, ts, es := synthetic(150, "AMB", "RES", "NZ")
		load(t, db, ps, ts, es)
		small := compute(t, db, threeProgrammes(t, 1))
		seen := 0
		for _, a := range small.Adjusted {
			if a.WindowMonths != 6 || a.Outcome != study.OutcomeRecidivism {
				continue
			}
			seen++
			r := a.Reason
			if !strings.Contains(a.Skipped, "per model parameter") || r.Rule != SkipPerParameter || r.Parameters < 5 ||
				r.Needed != 10*r.Parameters || min(r.Events, r.NonEvents) >= r.Needed || !math.IsNaN(a.OE.Value) {
				t.Errorf("%s 6m: skipped %q (%+v), want the events-per-parameter reason", a.Programme, a.Skipped, r)
			}
		}
		if seen != 3 {
			t.Errorf("%d 6-month rows, want 3", seen)
		}
	})

	t.Run("cox model terms", func(t *testing.T) {
		var m *CoxModel
		for i := range res.Cox {
			if res.Cox[i].Outcome == study.OutcomeRecidivism {
				m = &res.Cox[i]
			}
		}
		if m == nil || m.Skipped != "" {
			t.Fatalf("no fitted recidivism model: %+v", m)
		}
		var terms []string
		for _, tr := range m.Terms {
			terms = append(terms, tr.Term)
			if !(tr.Lower < tr.Value && tr.Value < tr.Upper) || tr.P < 0 || tr.P > 1 {
				t.Errorf("%s: %+v", tr.Term, tr)
			}
		}
		// The programmes, then the age bands other than the baseline, sex,
		// and the prior-case bands other than the baseline; the baselines
		// are named, one per banded covariate, and are no term.
		if m.Reference != "AMB" || len(terms) < 5 || !slices.Equal(terms[:2], []string{"programme:RES", "programme:NZ"}) || !slices.Contains(terms, "sex:v") {
			t.Errorf("reference %s terms %v, want AMB, RES, NZ, age bands, sex:v, prior bands", m.Reference, terms)
		}
		if len(m.Baselines) != 2 || !strings.HasPrefix(m.Baselines[0], "age:") || !strings.HasPrefix(m.Baselines[1], "prior_offences:") {
			t.Errorf("baselines %v, want an age band and a prior-case band", m.Baselines)
		}
		for _, tr := range terms[2:] {
			if tr != "sex:v" && !strings.HasPrefix(tr, "age:") && !strings.HasPrefix(tr, "prior_offences:") || slices.Contains(m.Baselines, tr) {
				t.Errorf("term %s: neither a band nor sex, or a baseline", tr)
			}
		}
		curves := 0
		for _, c := range res.Survival {
			if c.Outcome == study.OutcomeRecidivism {
				curves += c.N
			}
		}
		if m.N != curves {
			t.Errorf("model N %d, curves %d", m.N, curves)
		}
	})
}

func TestModelGuards(t *testing.T) {
	tests := []struct {
		name        string
		n           int
		sexes       string
		wantSkipped bool
		wantDropped []string
	}{
		{"constant sex is dropped", 600, "m", false, []string{"sex:v"}},
		{"too few events skips", 12, "", true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := testDB(t)
			ps, ts, es := synthetic(tc.n, "AMB", "RES")
			if tc.sexes != "" {
				for i := range ps {
					ps[i].sex = tc.sexes
				}
			}
			load(t, db, ps, ts, es)
			st := threeProgrammes(t, 1)
			res := compute(t, db, st)
			for _, m := range res.Cox {
				if m.Outcome != study.OutcomeRecidivism {
					continue
				}
				// Results never name a constant covariate (issue 12); the
				// database's cox_model.dropped does, for researchers.
				if (m.Skipped != "") != tc.wantSkipped || len(m.Dropped) != 0 {
					t.Errorf("cox: skipped %q dropped %v", m.Skipped, m.Dropped)
				}
				got := queryStrings(t, db, `SELECT coalesce(dropped, '') FROM cox_model WHERE outcome = 'recidivism'`)
				if want := strings.Join(tc.wantDropped, ","); fmt.Sprint(got) != fmt.Sprint([]string{want}) {
					t.Errorf("cox_model.dropped %v, want %q", got, want)
				}
			}
			for _, a := range res.Adjusted {
				if (a.Skipped != "") != tc.wantSkipped || len(a.Dropped) != 0 {
					t.Errorf("adjusted %s %dm: skipped %q dropped %v", a.Programme, a.WindowMonths, a.Skipped, a.Dropped)
				}
				if a.Skipped != "" && (a.Expected != 0 || a.Adjusted != 0) {
					t.Errorf("skipped model has values: %+v", a)
				}
			}
		})
	}
}
