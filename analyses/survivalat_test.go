package analyses

import (
	"math"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// TestSurvivalAt reads ten made-up subjects out at days 6, 12 and 22 and
// compares with R's summary(survfit(...), times = ...) for conf.type "log"
// and "log-log" (testdata/make_survival_at_reference.R; 1e-9 for S and its
// SE, 1e-6 for the limits). It also checks the disclosure rule: with
// min_cell 3 a value on an unpublished step is withheld.
func TestSurvivalAt(t *testing.T) {
	time := []float64{2, 3, 5, 7, 8, 10, 12, 15, 20, 25}
	ev := []bool{true, false, true, true, false, true, true, false, true, false}
	var g []stats.Subject
	for i := range time {
		g = append(g, stats.Subject{Time: time[i], Event: ev[i]})
	}
	st := &study.Study{MinCell: 1, SurvivalTimes: study.SurvivalTimes{Unit: "days", Times: []int{6, 12, 22}}}
	groups := map[string][]stats.Subject{"A": g}
	curve := func(minCell int) SurvivalCurve {
		km, err := stats.KaplanMeier(g, 0.95, stats.ConfLog)
		if err != nil {
			t.Fatal(err)
		}
		c := SurvivalCurve{Programme: "A", N: 10, Events: 6, Steps: km.Steps}
		markSurvival(&c, rules{minCell: minCell})
		return c
	}
	got, err := computeSurvivalAt("recidivism", st, groups, []SurvivalCurve{curve(1)})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		atRisk                     int
		surv, se, lo, hi, llo, lhi float64
	}{
		{7, 0.78749999999999998, 0.13403299500496135, 0.56412523151367333, 1, 0.38088152320549651, 0.9425909522237037},
		{4, 0.40499999999999992, 0.17471941792485457, 0.17387678267737494, 0.94334043610839757, 0.09991614638674072, 0.70139805957620904},
		{1, 0.20249999999999996, 0.16773444413715385, 0.039935512402907158, 1, 0.012110786830470644, 0.56110020698560625},
	}
	if len(got) != 3 {
		t.Fatalf("%d rows, want 3", len(got))
	}
	for i, w := range want {
		a := got[i]
		if a.AtRisk != w.atRisk || a.Suppressed {
			t.Errorf("day %v: at risk %d suppressed %v, want %d", a.Day, a.AtRisk, a.Suppressed, w.atRisk)
		}
		for _, c := range []struct {
			name           string
			got, want, tol float64
		}{{"S", a.Survival, w.surv, 1e-9}, {"SE", a.StdErr, w.se, 1e-9}, {"log lower", a.Log.Lower, w.lo, 1e-6}, {"log upper", a.Log.Upper, w.hi, 1e-6},
			{"log-log lower", a.LogLog.Lower, w.llo, 1e-6}, {"log-log upper", a.LogLog.Upper, w.lhi, 1e-6}} {
			if math.Abs(c.got-c.want) > c.tol*math.Max(1, math.Abs(c.want)) {
				t.Errorf("day %v %s = %.12g, want %.12g", a.Day, c.name, c.got, c.want)
			}
		}
	}
	st.MinCell = 3
	got, err = computeSurvivalAt("recidivism", st, groups, []SurvivalCurve{curve(3)})
	if err != nil {
		t.Fatal(err)
	}
	c := curve(3)
	for _, a := range got {
		last := -1
		for k, s := range c.Steps {
			if s.Time <= a.Day {
				last = k
			}
		}
		onPoint := last < 0
		for _, p := range c.points {
			onPoint = onPoint || p == last
		}
		if a.Suppressed == onPoint {
			t.Errorf("day %v: suppressed %v, but the step is published %v", a.Day, a.Suppressed, onPoint)
		}
		if a.AtRisk > 0 && a.AtRisk < 3 && !a.AtRiskHidden {
			t.Errorf("day %v: at risk %d published below min_cell", a.Day, a.AtRisk)
		}
	}
}
