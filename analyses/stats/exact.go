package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ExactUpper returns the one-sided exact (Clopper–Pearson) upper confidence
// bound for the proportion events/n: the largest true proportion that would
// still give events or fewer with probability at least 1 − conf, as R's
// binom.test(events, n, alternative = "less", conf.level = conf)$conf.int[2].
// It is the Beta(events+1, n−events) quantile conf, 1 when events = n; for
// events = 0 it is the closed form 1 − (1 − conf)^(1/n) (the "rule of three"
// is its approximation 3/n at 95%). NaN for n = 0. ExactUpper panics on the
// arguments Wilson panics on.
func ExactUpper(events, n int, conf float64) float64 {
	checkProportion(events, n, conf)
	switch {
	case n == 0:
		return math.NaN()
	case events == n:
		return 1
	case events == 0:
		return 1 - math.Pow(1-conf, 1/float64(n))
	}
	return distuv.Beta{Alpha: float64(events + 1), Beta: float64(n - events)}.Quantile(conf)
}

// ExactLower returns the one-sided exact lower confidence bound for
// events/n, as R's binom.test(events, n, alternative = "greater",
// conf.level = conf)$conf.int[1]: the Beta(events, n−events+1) quantile
// 1 − conf, 0 when events = 0 and (1 − conf)^(1/n) when events = n. NaN for
// n = 0.
func ExactLower(events, n int, conf float64) float64 {
	checkProportion(events, n, conf)
	switch {
	case n == 0:
		return math.NaN()
	case events == 0:
		return 0
	case events == n:
		return math.Pow(1-conf, 1/float64(n))
	}
	return distuv.Beta{Alpha: float64(events), Beta: float64(n - events + 1)}.Quantile(1 - conf)
}

// ZeroEventChance is the probability that n independent people, each with
// true probability p of the outcome, give no event at all: (1 − p)^n, R's
// dbinom(0, n, p). With n = 19 and p = 0.10 it is 0.135: a group of 19 shows
// zero events 13.5% of the time even when one in ten would have the outcome.
// It panics if n < 0 or p is not in [0, 1].
func ZeroEventChance(n int, p float64) float64 {
	if n < 0 || !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: zero-event chance of %d people at %v", n, p))
	}
	return math.Pow(1-p, float64(n))
}

// PoissonRate returns events/exposure with the exact (Garwood) interval of a
// Poisson count, the estimate and interval of R's poisson.test(events,
// exposure, conf.level = conf): with α = 1 − conf and G(q; a) the q-quantile
// of the Gamma(a, 1) distribution,
//
//	Lower = G(α/2; events)/exposure     (0 when events = 0)
//	Upper = G(1−α/2; events+1)/exposure
//
// Exposure is person-time in any unit (person-years in this tool); the rate
// is per that unit. For exposure 0 everything is NaN. PoissonRate panics if
// events < 0, exposure < 0 or not finite, or conf is not in (0, 1).
func PoissonRate(events int, exposure, conf float64) Estimate {
	checkConf(conf)
	if events < 0 || !(exposure >= 0) || math.IsInf(exposure, 0) {
		panic(fmt.Sprintf("stats: invalid Poisson count %d over %v", events, exposure))
	}
	if exposure == 0 {
		return Estimate{math.NaN(), Interval{math.NaN(), math.NaN()}}
	}
	alpha := 1 - conf
	e := Estimate{Value: float64(events) / exposure}
	if events > 0 {
		e.Lower = distuv.Gamma{Alpha: float64(events), Beta: 1}.Quantile(alpha/2) / exposure
	}
	e.Upper = distuv.Gamma{Alpha: float64(events + 1), Beta: 1}.Quantile(1-alpha/2) / exposure
	return e
}
