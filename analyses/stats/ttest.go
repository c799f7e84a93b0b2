package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TTest is the outcome of a paired t-test.
type TTest struct {
	// Difference is the mean of the paired differences x[i] − y[i] with its
	// t-based confidence interval mean ∓ t(DF)·sd/√n.
	Difference Estimate
	// T is mean/(sd/√n), with sd the sample standard deviation of the
	// differences (denominator n − 1).
	T float64
	// DF is n − 1.
	DF int
	// P is the two-sided p-value for a mean difference of zero.
	P float64
}

// PairedT performs the paired t-test of x against y at confidence level conf,
// as R's t.test(x, y, paired = TRUE, conf.level = conf); x[i] and y[i] are
// the same person's two measurements (for example a life-domain score at the
// last and at the first assessment), and the difference is x − y. People
// without both measurements must be left out by the caller.
//
// It returns an error if the lengths differ, there are fewer than two pairs,
// a value is not finite, conf is not in (0, 1), or the differences are
// (essentially) constant, as R does.
func PairedT(x, y []float64, conf float64) (TTest, error) {
	if len(x) != len(y) {
		return TTest{}, fmt.Errorf("paired t: %d values against %d", len(x), len(y))
	}
	n := len(x)
	if n < 2 {
		return TTest{}, fmt.Errorf("paired t: need at least two pairs, got %d", n)
	}
	if !(conf > 0 && conf < 1) {
		return TTest{}, fmt.Errorf("paired t: confidence level %v not in (0, 1)", conf)
	}
	mean := 0.0
	for i := range x {
		d := x[i] - y[i]
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return TTest{}, fmt.Errorf("paired t: pair %d is not finite", i)
		}
		mean += d
	}
	nf := float64(n)
	mean /= nf
	ss := 0.0
	for i := range x {
		d := x[i] - y[i] - mean
		ss += d * d
	}
	se := math.Sqrt(ss / (nf - 1) / nf)
	if se == 0 || se < 10*2.220446049250313e-16*math.Abs(mean) {
		return TTest{}, errors.New("paired t: the differences are essentially constant")
	}
	df := n - 1
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}
	t := mean / se
	q := dist.Quantile(1 - (1-conf)/2)
	return TTest{
		Difference: Estimate{mean, Interval{mean - q*se, mean + q*se}},
		T:          t,
		DF:         df,
		P:          2 * dist.CDF(-math.Abs(t)),
	}, nil
}
