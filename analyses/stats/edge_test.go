package stats_test

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/outcomes-research/outcomes/analyses/stats"
)

// Edge cases that R cannot serve as a reference for (R stops with an error
// where the functions here return NaN or an error) and properties that must
// hold for any input.

func TestProportionEmptyGroupIsNaN(t *testing.T) {
	tests := []struct {
		name string
		iv   stats.Interval
	}{
		{"Wilson", stats.Wilson(0, 0, 0.95)},
		{"ClopperPearson", stats.ClopperPearson(0, 0, 0.95)},
		{"RiskDifference", stats.RiskDifference(0, 0, 3, 10, 0.95).Interval},
		{"RelativeRisk", stats.RelativeRisk(3, 10, 0, 0, 0.95).Interval},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !math.IsNaN(tc.iv.Lower) || !math.IsNaN(tc.iv.Upper) {
				t.Errorf("interval for an empty group = %+v, want NaN limits", tc.iv)
			}
		})
	}
}

func TestProportionPanicsOnInvalidArguments(t *testing.T) {
	tests := []struct {
		name string
		call func()
	}{
		{"Wilson events > n", func() { stats.Wilson(5, 4, 0.95) }},
		{"Wilson negative", func() { stats.Wilson(-1, 4, 0.95) }},
		{"Wilson conf 1", func() { stats.Wilson(1, 4, 1) }},
		{"ClopperPearson conf 0", func() { stats.ClopperPearson(1, 4, 0) }},
		{"ClopperPearson conf NaN", func() { stats.ClopperPearson(1, 4, math.NaN()) }},
		{"RiskDifference events > n", func() { stats.RiskDifference(1, 4, 5, 4, 0.95) }},
		{"FisherExact negative n", func() { stats.FisherExact(0, -1, 0, 4) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.call()
		})
	}
}

// The intervals must contain the point estimate and stay inside [0, 1].
func TestProportionIntervalsContainEstimate(t *testing.T) {
	for n := 1; n <= 40; n++ {
		for e := 0; e <= n; e++ {
			p := float64(e) / float64(n)
			for _, conf := range []float64{0.8, 0.95, 0.99} {
				for name, iv := range map[string]stats.Interval{
					"Wilson":         stats.Wilson(e, n, conf),
					"ClopperPearson": stats.ClopperPearson(e, n, conf),
				} {
					if !(0 <= iv.Lower && iv.Lower <= p && p <= iv.Upper && iv.Upper <= 1) {
						t.Errorf("%s(%d, %d, %v) = %+v does not contain %v within [0, 1]", name, e, n, conf, iv, p)
					}
				}
				rd := stats.RiskDifference(e, n, n/2, n, conf)
				if !(-1 <= rd.Lower && rd.Lower <= rd.Value && rd.Value <= rd.Upper && rd.Upper <= 1) {
					t.Errorf("RiskDifference(%d, %d, %d, %d) = %+v", e, n, n/2, n, rd)
				}
			}
		}
	}
}

func TestFisherExactIsSymmetricAndAtMostOne(t *testing.T) {
	for _, tc := range [][4]int{{3, 10, 1, 12}, {0, 5, 5, 5}, {7, 7, 0, 3}, {2, 2, 2, 2}, {0, 0, 1, 3}} {
		a := stats.FisherExact(tc[0], tc[1], tc[2], tc[3])
		b := stats.FisherExact(tc[2], tc[3], tc[0], tc[1])
		if math.Abs(a.P-b.P) > 1e-12 || a.P > 1 || a.P <= 0 {
			t.Errorf("FisherExact%v p = %v, swapped %v", tc, a.P, b.P)
		}
	}
}

func TestErrors(t *testing.T) {
	s := []stats.Subject{{Time: 1, Event: true}, {Time: 2, Event: false}, {Time: 3, Event: true}}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"KaplanMeier no subjects", func() error { _, err := stats.KaplanMeier(nil, 0.95, stats.ConfLog); return err }, "no subjects"},
		{"KaplanMeier negative time", func() error {
			_, err := stats.KaplanMeier([]stats.Subject{{Time: -1}}, 0.95, stats.ConfLog)
			return err
		}, "subject 0"},
		{"KaplanMeier conf", func() error { _, err := stats.KaplanMeier(s, 95, stats.ConfLog); return err }, "confidence level"},
		{"At decreasing", func() error {
			c, err := stats.KaplanMeier(s, 0.95, stats.ConfLog)
			if err != nil {
				return err
			}
			_, err = c.At([]float64{3, 1})
			return err
		}, "increasing"},
		{"LogRank one group", func() error { _, err := stats.LogRank(s); return err }, "at least two groups"},
		{"LogRank no events", func() error {
			_, err := stats.LogRank([]stats.Subject{{Time: 1}}, []stats.Subject{{Time: 2}})
			return err
		}, "no events"},
		{"LogRank group never at risk", func() error {
			_, err := stats.LogRank(s, []stats.Subject{{Time: 9}}[:0])
			return err
		}, "fewer than two groups"},
		{"CoxPH constant column", func() error {
			_, err := stats.CoxPH(s, mat.NewDense(3, 2, []float64{1, 1, 2, 1, 3, 1}))
			return err
		}, "column 1 is constant"},
		{"CoxPH collinear", func() error {
			_, err := stats.CoxPH(s, mat.NewDense(3, 2, []float64{1, 2, 2, 4, 3, 6}))
			return err
		}, "singular"},
		{"CoxPH rows", func() error { _, err := stats.CoxPH(s, mat.NewDense(2, 1, []float64{1, 2})); return err }, "2 rows for 3 subjects"},
		{"CoxPH no events", func() error {
			_, err := stats.CoxPH([]stats.Subject{{Time: 1}, {Time: 2}}, mat.NewDense(2, 1, []float64{1, 2}))
			return err
		}, "no events"},
		{"PairedT one pair", func() error { _, err := stats.PairedT([]float64{1}, []float64{2}, 0.95); return err }, "at least two pairs"},
		{"PairedT lengths", func() error { _, err := stats.PairedT([]float64{1, 2}, []float64{2}, 0.95); return err }, "2 values against 1"},
		{"PairedT constant", func() error {
			_, err := stats.PairedT([]float64{2, 3, 4}, []float64{1, 2, 3}, 0.95)
			return err
		}, "constant"},
		{"Logistic constant outcome", func() error {
			_, err := stats.Logistic([]bool{true, true, true}, mat.NewDense(3, 1, []float64{1, 2, 3}))
			return err
		}, "same for every row"},
		{"Logistic constant column", func() error {
			_, err := stats.Logistic([]bool{true, false, true, false}, mat.NewDense(4, 2, []float64{1, 5, 2, 5, 3, 5, 4, 5}))
			return err
		}, "column 1 is constant"},
		{"AdjustedRate empty group", func() error {
			f, err := stats.Logistic([]bool{true, false, false, true, false}, mat.NewDense(5, 1, []float64{1, 2, 3, 4, 5}))
			if err != nil {
				return err
			}
			_, err = f.AdjustedRate(make([]bool, 5))
			return err
		}, "no rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A Kaplan–Meier curve without censoring is one minus the empirical
// distribution function, and the log-rank expected counts add up to the
// observed total.
func TestKaplanMeierWithoutCensoringIsEmpirical(t *testing.T) {
	times := []float64{5, 1, 3, 3, 8, 2, 2, 2, 9, 4}
	var s []stats.Subject
	for _, x := range times {
		s = append(s, stats.Subject{Time: x, Event: true})
	}
	c, err := stats.KaplanMeier(s, 0.95, stats.ConfLogLog)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range c.Steps {
		below := 0
		for _, x := range times {
			if x <= st.Time {
				below++
			}
		}
		if want := 1 - float64(below)/float64(len(times)); math.Abs(st.Survival-want) > 1e-15 {
			t.Errorf("S(%v) = %v, want %v", st.Time, st.Survival, want)
		}
	}
	lr, err := stats.LogRank(s[:5], s[5:])
	if err != nil {
		t.Fatal(err)
	}
	if sum := lr.Expected[0] + lr.Expected[1]; math.Abs(sum-10) > 1e-12 {
		t.Errorf("expected counts add up to %v, want 10", sum)
	}
}
