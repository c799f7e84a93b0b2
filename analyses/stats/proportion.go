package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a two-sided confidence interval. Lower and Upper are NaN when the
// interval is not defined for the data (see the function that returned it).
type Interval struct {
	Lower, Upper float64
}

// Estimate is a point estimate with its confidence interval.
type Estimate struct {
	Value float64
	Interval
}

// zQuantile returns the standard normal quantile for a two-sided level conf,
// z = Φ⁻¹(1 − (1 − conf)/2).
func zQuantile(conf float64) float64 {
	return distuv.UnitNormal.Quantile(1 - (1-conf)/2)
}

func checkProportion(events, n int, conf float64) {
	checkCounts(events, n)
	checkConf(conf)
}

func checkCounts(events, n int) {
	if n < 0 || events < 0 || events > n {
		panic(fmt.Sprintf("stats: invalid proportion %d/%d", events, n))
	}
}

func checkConf(conf float64) {
	if !(conf > 0 && conf < 1) {
		panic(fmt.Sprintf("stats: confidence level %v not in (0, 1)", conf))
	}
}

// Wilson returns the Wilson score interval for the proportion events/n without
// continuity correction, the interval of R's prop.test(events, n,
// correct = FALSE). With p = events/n, z the normal quantile for conf and
// c = z²/(2n):
//
//	(p + c ∓ z·sqrt(p(1−p)/n + c/(2n))) / (1 + 2c)
//
// The lower limit is exactly 0 when events = 0 and the upper limit exactly 1
// when events = n. The denominator n is everyone whose outcome is known; for
// n = 0 both limits are NaN. Wilson panics if events < 0, events > n or conf is
// not in (0, 1).
func Wilson(events, n int, conf float64) Interval {
	checkProportion(events, n, conf)
	if n == 0 {
		return Interval{math.NaN(), math.NaN()}
	}
	z := zQuantile(conf)
	nf := float64(n)
	p := float64(events) / nf
	c := z * z / (2 * nf)
	half := z * math.Sqrt(p*(1-p)/nf+c/(2*nf))
	iv := Interval{(p + c - half) / (1 + 2*c), (p + c + half) / (1 + 2*c)}
	if events == 0 {
		iv.Lower = 0
	}
	if events == n {
		iv.Upper = 1
	}
	return iv
}

// ClopperPearson returns the exact (Clopper–Pearson) interval for the
// proportion events/n, the interval of R's binom.test(events, n). With
// α = 1 − conf and B(q; a, b) the q-quantile of the Beta(a, b) distribution:
//
//	Lower = B(α/2; events, n−events+1)    (0 when events = 0)
//	Upper = B(1−α/2; events+1, n−events)  (1 when events = n)
//
// The interval guarantees at least conf coverage and is wider than Wilson's,
// which matters for the small pilots this tool evaluates. For n = 0 both
// limits are NaN. ClopperPearson panics if events < 0, events > n or conf is
// not in (0, 1).
func ClopperPearson(events, n int, conf float64) Interval {
	checkProportion(events, n, conf)
	if n == 0 {
		return Interval{math.NaN(), math.NaN()}
	}
	alpha := 1 - conf
	iv := Interval{Lower: 0, Upper: 1}
	if events > 0 {
		iv.Lower = distuv.Beta{Alpha: float64(events), Beta: float64(n - events + 1)}.Quantile(alpha / 2)
	}
	if events < n {
		iv.Upper = distuv.Beta{Alpha: float64(events + 1), Beta: float64(n - events)}.Quantile(1 - alpha/2)
	}
	return iv
}
