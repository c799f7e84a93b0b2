package stats

import (
	"math"
)

// RiskDifference returns p₁ − p₂, the difference between the proportions
// events1/n1 and events2/n2, with Newcombe's hybrid score interval (method 10
// of Newcombe, Statistics in Medicine 1998;17:873–890). With (l₁, u₁) and
// (l₂, u₂) the Wilson intervals (no continuity correction) of the two
// proportions at level conf:
//
//	Lower = p₁ − p₂ − sqrt((p₁ − l₁)² + (u₂ − p₂)²)
//	Upper = p₁ − p₂ + sqrt((u₁ − p₁)² + (p₂ − l₂)²)
//
// Unlike the Wald interval it behaves well with zero events in a group and
// stays inside [−1, 1]. Each denominator is that group's people with a known
// outcome. Everything is NaN if n1 or n2 is 0. RiskDifference panics on
// negative counts, events > n or conf outside (0, 1).
func RiskDifference(events1, n1, events2, n2 int, conf float64) Estimate {
	checkProportion(events1, n1, conf)
	checkProportion(events2, n2, conf)
	if n1 == 0 || n2 == 0 {
		return Estimate{math.NaN(), Interval{math.NaN(), math.NaN()}}
	}
	p1, p2 := float64(events1)/float64(n1), float64(events2)/float64(n2)
	w1, w2 := Wilson(events1, n1, conf), Wilson(events2, n2, conf)
	d := p1 - p2
	return Estimate{d, Interval{
		Lower: d - math.Hypot(p1-w1.Lower, w2.Upper-p2),
		Upper: d + math.Hypot(w1.Upper-p1, p2-w2.Lower),
	}}
}

// RelativeRisk returns the risk ratio p₁/p₂ of the proportions events1/n1 and
// events2/n2 with the log-scale Wald (Katz) interval at level conf:
//
//	exp(log(p₁/p₂) ∓ z·sqrt(1/events1 − 1/n1 + 1/events2 − 1/n2))
//
// The interval is NaN when either group has no events (the standard error is
// infinite); the ratio itself is still given where it is defined (0 when
// events1 = 0 < events2, +Inf when events2 = 0 < events1, NaN for 0/0 and
// when n1 or n2 is 0). RelativeRisk panics on negative counts, events > n or
// conf outside (0, 1).
func RelativeRisk(events1, n1, events2, n2 int, conf float64) Estimate {
	checkProportion(events1, n1, conf)
	checkProportion(events2, n2, conf)
	nan := math.NaN()
	if n1 == 0 || n2 == 0 {
		return Estimate{nan, Interval{nan, nan}}
	}
	rr := (float64(events1) / float64(n1)) / (float64(events2) / float64(n2))
	if events1 == 0 || events2 == 0 {
		return Estimate{rr, Interval{nan, nan}}
	}
	se := math.Sqrt(1/float64(events1) - 1/float64(n1) + 1/float64(events2) - 1/float64(n2))
	z := zQuantile(conf)
	return Estimate{rr, Interval{math.Exp(math.Log(rr) - z*se), math.Exp(math.Log(rr) + z*se)}}
}

// FisherResult is the outcome of Fisher's exact test on a 2×2 table.
type FisherResult struct {
	// P is the two-sided p-value.
	P float64
	// OddsRatio is the conditional maximum-likelihood estimate of the odds
	// ratio (odds of the event in group 1 over group 2), the estimate of R's
	// fisher.test; 0 or +Inf when the observed table is at the edge of its
	// conditional support. It is NaN when the margins allow only one table
	// (nobody or everybody had the event, or a group is empty), where R
	// reports 0.
	OddsRatio float64
}

// FisherExact performs Fisher's exact test of equal proportions on the 2×2
// table with rows (events1, n1 − events1) and (events2, n2 − events2), as R's
// fisher.test(matrix(c(events1, events2, n1 - events1, n2 - events2), 2)).
//
// Conditioning on the margins, the count in the first cell is hypergeometric.
// The two-sided p-value is the total probability of the tables no more likely
// than the observed one, where "no more likely" allows R's relative tolerance
// of 1e-7 so that tables tied in exact arithmetic are counted. FisherExact
// panics on negative counts or events > n.
func FisherExact(events1, n1, events2, n2 int) FisherResult {
	checkCounts(events1, n1)
	checkCounts(events2, n2)
	m := events1 + events2 // first column: events
	nn := n1 + n2 - m      // second column: non-events
	k := n1                // first row total
	lo, hi := max(0, k-nn), min(k, m)
	x := events1
	support := make([]float64, 0, hi-lo+1)
	logdc := make([]float64, 0, hi-lo+1)
	for s := lo; s <= hi; s++ {
		support = append(support, float64(s))
		logdc = append(logdc, logChoose(m, s)+logChoose(nn, k-s)-logChoose(m+nn, k))
	}
	d := dnhyper(logdc, support, 0)
	const relErr = 1 + 1e-7
	limit := d[x-lo] * relErr
	p := 0.0
	for _, v := range d {
		if v <= limit {
			p += v
		}
	}
	return FisherResult{P: min(p, 1), OddsRatio: condMLE(logdc, support, x, lo, hi)}
}

// logChoose returns log C(n, k).
func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// dnhyper returns the noncentral hypergeometric probabilities over support
// for log odds ratio theta.
func dnhyper(logdc, support []float64, theta float64) []float64 {
	d := make([]float64, len(logdc))
	mx := math.Inf(-1)
	for i := range d {
		d[i] = logdc[i] + theta*support[i]
		mx = max(mx, d[i])
	}
	sum := 0.0
	for i := range d {
		d[i] = math.Exp(d[i] - mx)
		sum += d[i]
	}
	for i := range d {
		d[i] /= sum
	}
	return d
}

// condMLE solves E[X; θ] = x for the log odds ratio θ by Newton's method
// (dE/dθ = Var[X; θ]) safeguarded by bisection, and returns exp(θ).
func condMLE(logdc, support []float64, x, lo, hi int) float64 {
	switch {
	case lo == hi:
		return math.NaN()
	case x == lo:
		return 0
	case x == hi:
		return math.Inf(1)
	}
	xf := float64(x)
	moments := func(theta float64) (mean, variance float64) {
		d := dnhyper(logdc, support, theta)
		for i, p := range d {
			mean += p * support[i]
		}
		for i, p := range d {
			variance += p * (support[i] - mean) * (support[i] - mean)
		}
		return mean, variance
	}
	// Bracket the root: E is increasing in θ.
	a, b := -1.0, 1.0
	for m, _ := moments(a); m > xf; m, _ = moments(a) {
		a *= 2
	}
	for m, _ := moments(b); m < xf; m, _ = moments(b) {
		b *= 2
	}
	theta := 0.0
	for range 200 {
		m, v := moments(theta)
		f := m - xf
		if f > 0 {
			b = theta
		} else {
			a = theta
		}
		next := theta - f/v
		if !(next > a && next < b) || v == 0 {
			next = (a + b) / 2
		}
		if math.Abs(next-theta) <= 1e-14*max(1, math.Abs(theta)) {
			theta = next
			break
		}
		theta = next
	}
	return math.Exp(theta)
}
