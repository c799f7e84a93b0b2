package stats_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/outcomes-research/outcomes/analyses/stats"
)

// Three of ten participants returned to a shelter within a year.
func ExampleWilson() {
	iv := stats.Wilson(3, 10, 0.95)
	fmt.Printf("30%% (95%% CI %.1f%% to %.1f%%)\n", 100*iv.Lower, 100*iv.Upper)
	// Output: 30% (95% CI 10.8% to 60.3%)
}

// None of the 19 people in a pilot entered a shelter. With no events the
// exact upper limit has the closed form 1 − (α/2)^(1/n) = 1 − 0.025^(1/19).
func ExampleClopperPearson() {
	iv := stats.ClopperPearson(0, 19, 0.95)
	fmt.Printf("0 of 19: 95%% CI %.4f to %.4f\n", iv.Lower, iv.Upper)
	// Output: 0 of 19: 95% CI 0.0000 to 0.1765
}

// Five subjects, followed up for 2, 3+, 5, 6+ and 8 months (+ = censored).
// By hand: at t=2 five are at risk and one fails, S = 4/5 = 0.8; at t=5
// three are at risk (the one censored at 3 has left), S = 0.8·2/3 = 0.5333;
// at t=8 the last one fails, S = 0. Greenwood: se(log S) at t=2 is
// sqrt(1/(5·4)) = 0.2236, so se(S) = 0.8·0.2236 = 0.1789; at t=5 it is
// sqrt(1/20 + 1/(3·2)) = 0.4655 and se(S) = 0.5333·0.4655 = 0.2483. At t=8
// S = 0 and its standard error is undefined.
func ExampleKaplanMeier() {
	subjects := []stats.Subject{
		{Time: 2, Event: true},
		{Time: 3, Event: false},
		{Time: 5, Event: true},
		{Time: 6, Event: false},
		{Time: 8, Event: true},
	}
	curve, err := stats.KaplanMeier(subjects, 0.95, stats.ConfLog)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("time at-risk events censored survival se")
	for _, s := range curve.Steps {
		fmt.Printf("%4g %7d %6d %8d %8.4f %.4f\n", s.Time, s.AtRisk, s.Events, s.Censored, s.Survival, s.StdErr)
	}
	// Output:
	// time at-risk events censored survival se
	//    2       5      1        0   0.8000 0.1789
	//    5       3      1        1   0.5333 0.2483
	//    8       1      1        1   0.0000 NaN
}

// The survival at 4 and 12 months, with the events and censorings up to
// each time, as R's summary(fit, times = c(4, 12)). By hand: S(4) = 5/6 and
// S(12) = 5/6 · 3/4 · 1/2 = 0.3125; between 4 and 12 two events (at 5 and 8)
// and one censoring (at 6).
func ExampleKaplanMeierCurve_At() {
	subjects := []stats.Subject{
		{Time: 2, Event: true},
		{Time: 3, Event: false},
		{Time: 5, Event: true},
		{Time: 6, Event: false},
		{Time: 8, Event: true},
		{Time: 14, Event: false},
	}
	curve, err := stats.KaplanMeier(subjects, 0.95, stats.ConfLogLog)
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, err := curve.At([]float64{4, 12})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("t=%g: at risk %d, events %d, censored %d, S=%.4f (%.4f to %.4f)\n",
			r.Time, r.AtRisk, r.Events, r.Censored, r.Survival, r.Lower, r.Upper)
	}
	// Output:
	// t=4: at risk 4, events 1, censored 1, S=0.8333 (0.2731 to 0.9747)
	// t=12: at risk 1, events 2, censored 1, S=0.3125 (0.0127 to 0.7337)
}

// Four subjects who all fail: S drops to exactly 0.5 at t=2 and stays there
// until t=3, so the median is the midpoint 2.5, as in R.
func ExampleKaplanMeierCurve_Median() {
	subjects := []stats.Subject{
		{Time: 1, Event: true},
		{Time: 2, Event: true},
		{Time: 3, Event: true},
		{Time: 4, Event: true},
	}
	curve, err := stats.KaplanMeier(subjects, 0.95, stats.ConfLog)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := curve.Median()
	fmt.Printf("median %g (95%% CI %g to %g)\n", m.Value, m.Lower, m.Upper)
	// Output: median 2.5 (95% CI 1 to NaN)
}

// Two groups of three. At t=1 all six are at risk and one (of group a) fails:
// group a expects 3/6 = 0.5. At t=2 five are at risk (2 in a, 3 in b) and one
// (of b) fails: a expects 2/5. At t=3 four are at risk (2 and 2) and one (of
// a) fails: a expects 1/2. So a has O = 2, E = 1.4 and b has O = 1, E = 1.6.
// The variance of O − E for a is Σ d(n−d)/(n²(n−1))·nₐ(n−nₐ) =
// 9/36 + 6/25 + 4/16 = 0.74, and chi² = 0.6²/0.74 = 0.4865.
func ExampleLogRank() {
	a := []stats.Subject{{Time: 1, Event: true}, {Time: 3, Event: true}, {Time: 4, Event: false}}
	b := []stats.Subject{{Time: 2, Event: true}, {Time: 4, Event: false}, {Time: 5, Event: false}}
	res, err := stats.LogRank(a, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("O=%v E=[%.1f %.1f] chi2=%.4f df=%d p=%.4f\n",
		res.Observed, res.Expected[0], res.Expected[1], res.ChiSq, res.DF, res.P)
	// Output: O=[2 1] E=[1.4 1.6] chi2=0.4865 df=1 p=0.4855
}

// Recidivism 12 of 40 in the programme against 20 of 40 in the comparison
// group.
func ExampleRiskDifference() {
	rd := stats.RiskDifference(12, 40, 20, 40, 0.95)
	fmt.Printf("%.3f (95%% CI %.3f to %.3f)\n", rd.Value, rd.Lower, rd.Upper)
	// Output: -0.200 (95% CI -0.390 to 0.014)
}

// Same data: 0.3/0.5 = 0.6, se(log RR) = sqrt(1/12 − 1/40 + 1/20 − 1/40).
func ExampleRelativeRisk() {
	rr := stats.RelativeRisk(12, 40, 20, 40, 0.95)
	fmt.Printf("%.2f (95%% CI %.2f to %.2f)\n", rr.Value, rr.Lower, rr.Upper)
	// Output: 0.60 (95% CI 0.34 to 1.06)
}

// Fisher's tea-tasting table: 3 of 4 cups right in one row, 1 of 4 in the
// other. The tables as or less likely than this one are
// 3/1 (16/70), 1/3 (16/70), 4/0 (1/70) and 0/4 (1/70): p = 34/70.
func ExampleFisherExact() {
	f := stats.FisherExact(3, 4, 1, 4)
	fmt.Printf("p=%.4f (34/70=%.4f), conditional MLE odds ratio %.4f\n", f.P, 34.0/70, f.OddsRatio)
	// Output: p=0.4857 (34/70=0.4857), conditional MLE odds ratio 6.4083
}

// Self-sufficiency scores (1-5) for one domain at the last and the first
// assessment of five people: differences 1, 0, 2, 1, 1, mean 1, sd
// sqrt(0.5), t = 1/(sqrt(0.5)/sqrt(5)) = 3.1623 on 4 df.
func ExamplePairedT() {
	last := []float64{3, 4, 4, 2, 5}
	first := []float64{2, 4, 2, 1, 4}
	res, err := stats.PairedT(last, first, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean %.2f (95%% CI %.3f to %.3f), t=%.4f, df=%d, p=%.4f\n",
		res.Difference.Value, res.Difference.Lower, res.Difference.Upper, res.T, res.DF, res.P)
	// Output: mean 1.00 (95% CI 0.122 to 1.878), t=3.1623, df=4, p=0.0341
}

// Ten subjects with one binary covariate (1 = in the programme). R's
// coxph(ties = "efron") on the same data gives exp(coef) 0.4925, 95% CI
// 0.09889 to 2.453, p = 0.387 and log-likelihood −10.579.
func ExampleCoxPH() {
	subjects := []stats.Subject{
		{Time: 1, Event: true}, {Time: 2, Event: true}, {Time: 2, Event: false},
		{Time: 3, Event: true}, {Time: 4, Event: true}, {Time: 4, Event: true},
		{Time: 5, Event: false}, {Time: 6, Event: true}, {Time: 7, Event: false},
		{Time: 8, Event: false},
	}
	x := mat.NewDense(10, 1, []float64{0, 1, 0, 1, 0, 1, 1, 0, 1, 1})
	fit, err := stats.CoxPH(subjects, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	hr := fit.HazardRatios[0]
	fmt.Printf("HR %.4f (95%% CI %.4f to %.4f), p=%.4f, log-likelihood %.4f\n",
		hr.Value, hr.Lower, hr.Upper, fit.Coefficients[0].P, fit.LogLik)
	// Output: HR 0.4925 (95% CI 0.0989 to 2.4526), p=0.3872, log-likelihood -10.5791
}

// Twelve people; one case-mix variable (say, years of criminal history). The
// first four rows are the programme: 1 of 4 reoffended (0.25), where the
// model expects 0.388 for people like them, so the programme's adjusted rate
// is 0.25 − 0.388 + 0.5 (the overall rate) = 0.362.
func ExampleLogisticFit_AdjustedRate() {
	reoffended := []bool{false, false, true, false, true, true, false, true, true, false, false, true}
	history := mat.NewDense(12, 1, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	programme := []bool{true, true, true, true, false, false, false, false, false, false, false, false}
	fit, err := stats.Logistic(reoffended, history)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := fit.AdjustedRate(programme)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("slope %.4f (se %.4f)\n", fit.Coefficients[1].Estimate, fit.Coefficients[1].StdErr)
	fmt.Printf("observed %.3f, expected %.3f, overall %.3f, adjusted %.3f\n", r.Observed, r.Expected, r.Overall, r.Adjusted)
	// Output:
	// slope 0.1145 (se 0.1731)
	// observed 0.250, expected 0.388, overall 0.500, adjusted 0.362
}
