package analyses

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
	"github.com/outcomes-research/outcomes/study"
)

// loadDemo runs ingest and pseudonymise over the bundled demo study into an
// in-memory database, as the pipeline does.
func loadDemo(t *testing.T) (*store.Store, *study.Study) {
	t.Helper()
	st, err := study.Load("../testdata/demo/study.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := storetest.Open(t)
	storetest.LoadStudy(t, s, st, 0)
	return s, st
}

// TestDemo checks that the demo study yields every outcome family per
// programme, and that what reaches Results is consistent with the tables.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo exports")
	}
	s, st := loadDemo(t)
	res, err := Compute(context.Background(), s.DB(), st, 1)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		for _, c := range res.Survival {
			t.Logf("curve %s: n=%d events=%d steps=%d truncated=%v suppressed=%v median=%.0f", c.Programme, c.N, c.Events, len(c.Steps), c.Truncated, c.Suppressed, c.Median.Value)
		}
		for _, lr := range res.LogRank {
			t.Logf("log-rank %s %v: chisq=%.3f df=%d p=%.4g %s", lr.Outcome, lr.Programmes, lr.ChiSq, lr.DF, lr.P, lr.Skipped)
		}
		for _, a := range res.Adjusted {
			t.Logf("adjusted %s %dm: n=%d obs=%.3f exp=%.3f adj=%.3f supp=%v %s %v", a.Programme, a.WindowMonths, a.N, a.Observed, a.Expected, a.Adjusted, a.Suppressed, a.Skipped, a.Dropped)
		}
		for _, m := range res.Cox {
			t.Logf("cox %s ref %s n=%d events=%d %s dropped=%v", m.Outcome, m.Reference, m.N, m.Events, m.Skipped, m.Dropped)
			for _, tr := range m.Terms {
				t.Logf("  %s HR %.3f [%.3f, %.3f] p=%.3g", tr.Term, tr.Value, tr.Lower, tr.Upper, tr.P)
			}
		}
		for _, c := range res.Comparisons {
			t.Logf("compare %s %s-%s %dm: RD %.3f [%.3f, %.3f] RR %.3f p=%.3g small=%v supp=%v", c.Outcome, c.A, c.B, c.WindowMonths, c.RiskDifference.Value, c.RiskDifference.Lower, c.RiskDifference.Upper, c.RelativeRisk.Value, c.FisherP, c.SmallGroupWarning, c.Suppressed)
		}
	}
	for _, p := range st.Programmes {
		ws := windows(st, p.Outcome)
		if ws == nil {
			continue // not a rate outcome (e.g. a family programme)
		}
		t.Run(p.Code, func(t *testing.T) {
			for _, w := range ws {
				total := findRate(t, res.Rates, p.Code, w, 0)
				if total.N == 0 && !total.Suppressed {
					t.Errorf("%dm: nobody eligible", w)
				}
				dims, hidden := map[string]int{}, map[string]bool{}
				for _, b := range res.Breakdowns {
					if b.Programme == p.Code && b.WindowMonths == w {
						dims[b.Breakdown] += b.N
						hidden[b.Breakdown] = hidden[b.Breakdown] || b.Suppressed
					}
				}
				for _, d := range []string{BreakdownSex, BreakdownAgeBand, BreakdownPartner} {
					if !hidden[d] && !total.Suppressed && dims[d] != total.N {
						t.Errorf("%dm: %s groups add up to %d persons, total %d", w, d, dims[d], total.N)
					}
				}
				found := false
				for _, a := range res.Adjusted {
					if a.Programme == p.Code && a.WindowMonths == w {
						found = true
						if !a.Suppressed && a.N != total.N {
							t.Errorf("%dm: adjusted rate over %d persons, rate over %d", w, a.N, total.N)
						}
					}
				}
				if !found {
					t.Errorf("%dm: no adjusted rate", w)
				}
			}
			var curve *SurvivalCurve
			for i := range res.Survival {
				if res.Survival[i].Programme == p.Code {
					curve = &res.Survival[i]
				}
			}
			if curve == nil {
				t.Fatal("no survival curve")
			}
			if !curve.Suppressed && (len(curve.Steps) == 0 || len(curve.AtRisk) != len(atRiskMonths())) {
				t.Errorf("curve with %d steps and %d at-risk rows", len(curve.Steps), len(curve.AtRisk))
			}
			for _, step := range curve.Steps {
				if step.AtRisk < st.MinCell {
					t.Errorf("published step with %d at risk", step.AtRisk)
				}
			}
		})
	}

	t.Run("every outcome has a model and pairs are compared", func(t *testing.T) {
		programmes := map[study.OutcomeKind]int{}
		for _, p := range st.Programmes {
			if windows(st, p.Outcome) != nil {
				programmes[p.Outcome]++
			}
		}
		// One comparison per contrast (declared in the demo study) and
		// window.
		pairs := 0
		for _, c := range st.ComparisonContrasts() {
			pairs += len(windows(st, c.Outcome))
		}
		for outcome, k := range programmes {
			found := false
			for _, m := range res.Cox {
				found = found || m.Outcome == outcome
			}
			if !found {
				t.Errorf("%s: no Cox model (fitted or skipped)", outcome)
			}
			tests := 0
			for _, lr := range res.LogRank {
				if lr.Outcome == outcome {
					tests++
					if lr.Skipped != "" || math.IsNaN(lr.P) {
						t.Errorf("%s: log-rank %+v", outcome, lr)
					}
				}
			}
			if want := min(1, k-1); tests != want {
				t.Errorf("%s: %d log-rank tests, want %d", outcome, tests, want)
			}
		}
		if len(res.Comparisons) != pairs {
			t.Errorf("%d comparisons, want %d", len(res.Comparisons), pairs)
		}
		for _, m := range res.Cox {
			if m.Outcome == study.OutcomeRecidivism && m.Skipped != "" {
				t.Errorf("recidivism model skipped: %s", m.Skipped)
			}
		}
	})

	t.Run("result tables hold what Results hold", func(t *testing.T) {
		counts := []struct {
			table string
			want  int
		}{
			{"outcome_rate", len(res.Rates) + len(res.Breakdowns)},
			{"survival_curve", len(res.Survival)},
			{"logrank_test", len(res.LogRank)},
			{"comparison", len(res.Comparisons)},
			{"adjusted_rate", len(res.Adjusted)},
			{"cox_model", len(res.Cox)},
		}
		for _, c := range counts {
			got := queryStrings(t, s.DB(), "SELECT count(*) FROM "+c.table)
			if len(got) != 1 || got[0] != strconv.Itoa(c.want) {
				t.Errorf("%s: %v rows, want %d", c.table, got, c.want)
			}
		}
		// Without researcher_exact no suppressed row holds events.
		if got := queryStrings(t, s.DB(), `SELECT count(*) FROM outcome_rate WHERE suppressed AND events IS NOT NULL`); got[0] != "0" {
			t.Errorf("%s suppressed rows hold events", got[0])
		}
	})
}
