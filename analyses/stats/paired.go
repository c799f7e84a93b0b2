package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// SignedRank is the outcome of a Wilcoxon signed-rank test.
type SignedRank struct {
	// N is the number of pairs with a non-zero difference (zero differences
	// are dropped, as R does); Zeros the number dropped.
	N, Zeros int
	// V is the sum of the ranks of |x − y| over the pairs with x > y (R's
	// statistic V), mid-ranks for ties.
	V float64
	// P is the two-sided p-value for a symmetric distribution of the
	// differences around zero.
	P float64
	// Exact reports whether P comes from the exact null distribution (fewer
	// than 50 pairs, no ties, no zeros); otherwise it is the normal
	// approximation with continuity and tie correction.
	Exact bool
}

// WilcoxonSignedRank performs the Wilcoxon signed-rank test of the paired
// values x against y, as R's wilcox.test(x, y, paired = TRUE) with its
// defaults (exact = NULL, correct = TRUE): the differences x − y that are
// zero are dropped, the others ranked by absolute value (mid-ranks for
// ties), and V is the sum of the ranks of the positive differences. With
// fewer than 50 non-zero pairs, no ties and no zeros P is exact; otherwise
//
//	z = (V − n(n+1)/4 − sign·½) / sqrt(n(n+1)(2n+1)/24 − Σ(t³ − t)/48)
//
// with t the sizes of the groups of tied ranks, and P = 2·min(Φ(z), 1 − Φ(z)).
// Scores on a 1–5 scale always have ties, so P is the approximation there.
//
// It returns an error if the lengths differ, a value is not finite, or every
// difference is zero (R's p-value is then NaN).
func WilcoxonSignedRank(x, y []float64) (SignedRank, error) {
	if len(x) != len(y) {
		return SignedRank{}, fmt.Errorf("signed rank: %d values against %d", len(x), len(y))
	}
	var d []float64
	zeros := 0
	for i := range x {
		v := x[i] - y[i]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return SignedRank{}, fmt.Errorf("signed rank: pair %d is not finite", i)
		}
		if v == 0 {
			zeros++
			continue
		}
		d = append(d, v)
	}
	n := len(d)
	if n == 0 {
		return SignedRank{}, errors.New("signed rank: every difference is zero")
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return compareFloat(math.Abs(d[a]), math.Abs(d[b]))
	})
	ranks := make([]float64, n)
	var tieTerm float64
	ties := false
	for i := 0; i < n; {
		j := i
		for j+1 < n && math.Abs(d[order[j+1]]) == math.Abs(d[order[i]]) {
			j++
		}
		mid := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			ranks[order[k]] = mid
		}
		if t := float64(j - i + 1); t > 1 {
			ties = true
			tieTerm += t*t*t - t
		}
		i = j + 1
	}
	res := SignedRank{N: n, Zeros: zeros}
	for i, v := range d {
		if v > 0 {
			res.V += ranks[i]
		}
	}
	nf := float64(n)
	if n < 50 && !ties && zeros == 0 {
		res.Exact = true
		var p float64
		if res.V > nf*(nf+1)/4 {
			p = 1 - signRankCDF(int(res.V)-1, n)
		} else {
			p = signRankCDF(int(res.V), n)
		}
		res.P = math.Min(2*p, 1)
		return res, nil
	}
	z := res.V - nf*(nf+1)/4
	sigma := math.Sqrt(nf*(nf+1)*(2*nf+1)/24 - tieTerm/48)
	corr := 0.0
	switch {
	case z > 0:
		corr = 0.5
	case z < 0:
		corr = -0.5
	}
	z = (z - corr) / sigma
	res.P = 2 * math.Min(distuv.UnitNormal.CDF(z), distuv.UnitNormal.Survival(z))
	return res, nil
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// signRankCDF is P(V ≤ v) under the null for n pairs without ties, R's
// psignrank(v, n): V is the sum of a uniformly random subset of 1..n.
func signRankCDF(v, n int) float64 {
	maxV := n * (n + 1) / 2
	if v < 0 {
		return 0
	}
	if v >= maxV {
		return 1
	}
	counts := make([]float64, maxV+1)
	counts[0] = 1
	for k := 1; k <= n; k++ {
		for s := k * (k + 1) / 2; s >= k; s-- {
			counts[s] += counts[s-k]
		}
	}
	total := 0.0
	for s := 0; s <= v; s++ {
		total += counts[s]
	}
	return total / math.Pow(2, float64(n))
}

// ReliableChange is the Jacobson–Truax criterion for one scale.
type ReliableChange struct {
	// SDiff is the standard error of a difference between two scores,
	// sqrt(2)·SD·sqrt(1 − reliability) (Christensen & Mendoza 1986's
	// correction of Jacobson, Follette & Revenstorf 1984, as used by
	// Jacobson & Truax 1991), with SD the standard deviation of the scores
	// at intake.
	SDiff float64
	// Threshold is z·SDiff with z the normal quantile of the two-sided
	// level (1.96 at 95%): a person's change is reliable when |last − first|
	// exceeds it (RCI = change/SDiff beyond ±z).
	Threshold float64
}

// JacobsonTruax returns the reliable-change criterion for a scale whose
// intake scores have standard deviation sd and whose reliability (test–retest
// or inter-rater, from the literature or the study) is reliability, at
// two-sided level conf. It returns an error if sd is not positive and
// finite, reliability is not in [0, 1), or conf is not in (0, 1).
func JacobsonTruax(sd, reliability, conf float64) (ReliableChange, error) {
	if !(sd > 0) || math.IsInf(sd, 0) {
		return ReliableChange{}, fmt.Errorf("reliable change: intake standard deviation %v is not positive", sd)
	}
	if !(reliability >= 0 && reliability < 1) {
		return ReliableChange{}, fmt.Errorf("reliable change: reliability %v not in [0, 1)", reliability)
	}
	if !(conf > 0 && conf < 1) {
		return ReliableChange{}, fmt.Errorf("reliable change: confidence level %v not in (0, 1)", conf)
	}
	sdiff := math.Sqrt2 * sd * math.Sqrt(1-reliability)
	return ReliableChange{SDiff: sdiff, Threshold: zQuantile(conf) * sdiff}, nil
}

// Classify says whether a change last − first is a reliable improvement
// (+1), a reliable deterioration (−1) or neither (0), higher scores being
// better.
func (rc ReliableChange) Classify(change float64) int {
	switch {
	case change > rc.Threshold:
		return 1
	case change < -rc.Threshold:
		return -1
	}
	return 0
}

// ClusteredMean returns the mean of x with a cluster-robust 95%-type
// interval at level conf: members of one cluster (a household) are not
// independent, so the variance of the mean is estimated from the cluster
// sums of the residuals,
//
//	V = G/(G−1) · Σ_g (Σ_{i∈g} (x_i − mean))² / n²
//
// with G the number of clusters, and the interval is mean ∓ t(G−1)·√V. This
// is R's sandwich::vcovCL(lm(x ~ 1), cluster = g, type = "HC1") with a t
// quantile on G − 1 degrees of freedom (the usual small-G choice; Cameron &
// Miller 2015, J. Human Resources 50:317). With every cluster of size one it
// is the paired t interval. cluster[i] names x[i]'s cluster. It returns an
// error when the lengths differ, there are fewer than two clusters, or the
// variance is zero.
func ClusteredMean(x []float64, cluster []string, conf float64) (Estimate, int, error) {
	if len(x) != len(cluster) {
		return Estimate{}, 0, fmt.Errorf("clustered mean: %d values against %d clusters", len(x), len(cluster))
	}
	if !(conf > 0 && conf < 1) {
		return Estimate{}, 0, fmt.Errorf("clustered mean: confidence level %v not in (0, 1)", conf)
	}
	n := float64(len(x))
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= n
	sums := map[string]float64{}
	var order []string
	for i, v := range x {
		if _, ok := sums[cluster[i]]; !ok {
			order = append(order, cluster[i])
		}
		sums[cluster[i]] += v - mean
	}
	g := len(order)
	if g < 2 {
		return Estimate{}, g, fmt.Errorf("clustered mean: need two clusters, got %d", g)
	}
	ss := 0.0
	for _, c := range order {
		ss += sums[c] * sums[c]
	}
	v := float64(g) / float64(g-1) * ss / (n * n)
	if !(v > 0) {
		return Estimate{}, g, errors.New("clustered mean: the variance is zero")
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(g - 1)}.Quantile(1 - (1-conf)/2)
	se := math.Sqrt(v)
	return Estimate{mean, Interval{mean - q*se, mean + q*se}}, g, nil
}
