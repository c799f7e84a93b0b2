package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Subject is one person's follow-up for a time-to-event outcome.
type Subject struct {
	// Entry is the time, on the axis of Time, at which the subject enters
	// the risk set (delayed entry, left truncation: aftercare that starts
	// after the release the follow-up is counted from). The subject is at
	// risk on (Entry, Time], as R's Surv(entry, time, event). 0 means from
	// the origin (at risk on [0, Time], as Surv(time, event)). When Entry
	// is positive, Time must be larger: a subject whose follow-up ends on
	// or before its entry is never at risk and must be left out
	// (ExcludeBeforeEntry).
	Entry float64
	// Time is the follow-up time from the reference date (release date,
	// shelter exit, programme start) to the event or to censoring, in any
	// unit; it must be finite and non-negative.
	Time float64
	// Event is true if the outcome happened at Time and false if the subject
	// was censored at Time (still event-free at the data cut-off, or lost to
	// follow-up).
	Event bool
}

// ConfType selects the transformation on which Kaplan–Meier confidence
// intervals are symmetric.
type ConfType int

const (
	// ConfLog is R's default conf.type = "log": S·exp(∓z·se), where se is the
	// Greenwood standard error of log S; the upper limit is capped at 1.
	ConfLog ConfType = iota
	// ConfLogLog is conf.type = "log-log": exp(−exp(log(−log S) ∓ z·se/log S)),
	// the Kalbfleisch–Prentice interval, which always stays inside (0, 1).
	ConfLogLog
)

func (c ConfType) String() string {
	switch c {
	case ConfLog:
		return "log"
	case ConfLogLog:
		return "log-log"
	}
	return fmt.Sprintf("ConfType(%d)", int(c))
}

// KMStep is the Kaplan–Meier estimate at one time.
type KMStep struct {
	// Time is the time of the row.
	Time float64
	// AtRisk is the number of subjects with follow-up time >= Time: still
	// event-free and uncensored just before Time. Subjects censored at Time
	// count as at risk at Time.
	AtRisk int
	// Events is the number of events in the row's interval. For a step of
	// KaplanMeierCurve.Steps that is the events at Time itself; for a row
	// returned by At it is the events after the previous requested time up to
	// and including Time.
	Events int
	// Censored is the number of subjects censored after the previous row's
	// time up to and including Time (for the first row: from the start),
	// as in R's summary.survfit. Subjects censored after the last event time
	// appear in no step of KaplanMeierCurve.Steps.
	Censored int
	// Survival is the Kaplan–Meier estimate S(Time) = ∏ (1 − dᵢ/nᵢ) over the
	// event times tᵢ <= Time, with dᵢ events among nᵢ at risk.
	Survival float64
	// StdErrLog is Greenwood's standard error of log S(Time) (equivalently of
	// the cumulative hazard −log S): sqrt(Σ dᵢ / (nᵢ(nᵢ − dᵢ))). It is R's
	// survfit(...)$std.err. It is +Inf once every subject at risk had the
	// event (S = 0).
	StdErrLog float64
	// StdErr is Greenwood's standard error of S(Time) itself,
	// Survival·StdErrLog. It is R's summary(survfit(...))$std.err. It is NaN
	// when Survival is 0.
	StdErr float64
	// Interval is the pointwise confidence interval for S(Time) of the
	// curve's ConfType and level. Both limits are NaN when Survival is 0 (both
	// types) or 1 (log-log only).
	Interval
}

// KaplanMeierCurve is a Kaplan–Meier survival curve.
type KaplanMeierCurve struct {
	// N is the number of subjects.
	N int
	// Conf and ConfType describe the pointwise confidence intervals.
	Conf     float64
	ConfType ConfType
	// Steps holds one row per distinct event time, in increasing time order,
	// the rows of R's summary(survfit(...)). It is empty if nobody had the
	// event; S is then 1 throughout follow-up.
	Steps []KMStep
	// MaxTime is the largest follow-up time, event or censored.
	MaxTime float64

	times   []float64 // every subject's time, sorted
	events  []float64 // event times, sorted
	cens    []float64 // censoring times, sorted
	entries []float64 // positive entry times (delayed entry), sorted
}

// checkSubjectEntry returns an error when a subject's entry is not a
// finite non-negative time before its follow-up time (what is the
// function's name, for the message).
func checkSubjectEntry(what string, i int, s Subject) error {
	if math.IsNaN(s.Entry) || math.IsInf(s.Entry, 0) || s.Entry < 0 {
		return fmt.Errorf("%s: subject %d: entry time must be finite and non-negative", what, i)
	}
	if s.Entry > 0 && s.Time <= s.Entry {
		return fmt.Errorf("%s: subject %d: follow-up ends on or before entry; leave it out (ExcludeBeforeEntry)", what, i)
	}
	return nil
}

// hasEntry reports whether any subject enters the risk set late.
func hasEntry(subjects []Subject) bool {
	for _, s := range subjects {
		if s.Entry > 0 {
			return true
		}
	}
	return false
}

// KaplanMeier estimates the survival function of subjects with the product-
// limit (Kaplan–Meier) estimator, with Greenwood standard errors and pointwise
// confidence intervals at level conf of type ct. It reproduces R's
// survfit(Surv(time, event) ~ 1, conf.type = ..., conf.int = conf), and
// with delayed entry (a positive Subject.Entry) survfit(Surv(entry, time,
// event) ~ 1): the number at risk at t is then the subjects with Entry < t
// <= Time.
//
// Survival is the proportion still event-free; censored subjects contribute to
// the denominators (the numbers at risk) up to their censoring time. It
// returns an error if subjects is empty, a time is negative or not finite,
// or conf is not in (0, 1).
func KaplanMeier(subjects []Subject, conf float64, ct ConfType) (*KaplanMeierCurve, error) {
	if len(subjects) == 0 {
		return nil, errors.New("kaplan-meier: no subjects")
	}
	if !(conf > 0 && conf < 1) {
		return nil, fmt.Errorf("kaplan-meier: confidence level %v not in (0, 1)", conf)
	}
	if ct != ConfLog && ct != ConfLogLog {
		return nil, fmt.Errorf("kaplan-meier: unknown confidence interval type %v", ct)
	}
	c := &KaplanMeierCurve{N: len(subjects), Conf: conf, ConfType: ct}
	for i, s := range subjects {
		if math.IsNaN(s.Time) || math.IsInf(s.Time, 0) || s.Time < 0 {
			return nil, fmt.Errorf("kaplan-meier: subject %d: follow-up time must be finite and non-negative", i)
		}
		if err := checkSubjectEntry("kaplan-meier", i, s); err != nil {
			return nil, err
		}
		if s.Entry > 0 {
			c.entries = append(c.entries, s.Entry)
		}
		c.times = append(c.times, s.Time)
		if s.Event {
			c.events = append(c.events, s.Time)
		} else {
			c.cens = append(c.cens, s.Time)
		}
	}
	slices.Sort(c.times)
	slices.Sort(c.events)
	slices.Sort(c.cens)
	slices.Sort(c.entries)
	c.MaxTime = c.times[len(c.times)-1]

	z := zQuantile(conf)
	surv, varLog := 1.0, 0.0
	// Subjects entering late join the risk set after their entry time.
	atRisk := len(subjects) - len(c.entries)
	censSince := 0 // censored since the previous event time
	ie, ic, in := 0, 0, 0
	for ie < len(c.events) || ic < len(c.cens) {
		t := math.Inf(1)
		if ie < len(c.events) {
			t = c.events[ie]
		}
		if ic < len(c.cens) && c.cens[ic] < t {
			t = c.cens[ic]
		}
		for in < len(c.entries) && c.entries[in] < t {
			atRisk++
			in++
		}
		d, cn := 0, 0
		for ie < len(c.events) && c.events[ie] == t {
			d++
			ie++
		}
		for ic < len(c.cens) && c.cens[ic] == t {
			cn++
			ic++
		}
		censSince += cn
		if d > 0 {
			n := float64(atRisk)
			surv *= 1 - float64(d)/n
			if atRisk == d {
				varLog = math.Inf(1)
			} else {
				varLog += float64(d) / (n * (n - float64(d)))
			}
			st := KMStep{Time: t, AtRisk: atRisk, Events: d, Censored: censSince, Survival: surv,
				StdErrLog: math.Sqrt(varLog)}
			st.StdErr = surv * st.StdErrLog
			if surv == 0 {
				st.StdErr = math.NaN()
			}
			st.Interval = kmInterval(surv, st.StdErrLog, z, ct)
			c.Steps = append(c.Steps, st)
			censSince = 0
		}
		atRisk -= d + cn
	}
	return c, nil
}

// kmInterval is R's survival:::survfit_confint for the log and log-log types,
// given S, the standard error of log S and the normal quantile z.
func kmInterval(s, seLog, z float64, ct ConfType) Interval {
	nan := Interval{math.NaN(), math.NaN()}
	switch ct {
	case ConfLog:
		if s == 0 {
			return nan
		}
		return Interval{
			Lower: math.Exp(math.Log(s) - z*seLog),
			Upper: math.Min(math.Exp(math.Log(s)+z*seLog), 1),
		}
	default:
		if s == 0 || s == 1 {
			return nan
		}
		se2 := z * seLog / math.Log(s)
		return Interval{
			Lower: math.Exp(-math.Exp(math.Log(-math.Log(s)) - se2)),
			Upper: math.Exp(-math.Exp(math.Log(-math.Log(s)) + se2)),
		}
	}
}

// At returns the curve at the given times, like R's summary(fit, times =
// times, extend = TRUE). times must be in increasing order. For each time t:
// Survival, the standard errors and the interval are those of the last event
// time <= t (S = 1, standard errors 0 and the interval [1, 1] before the
// first event); AtRisk is the number of subjects with follow-up >= t (0 past
// MaxTime); with delayed entry it is R's, the number at risk at the first
// follow-up time t' >= t (Entry < t' <= Time); Events and Censored count what happened after the previous
// requested time (or from the start, for the first) up to and including t.
// Before the first event the interval is [1, 1], except that with ConfLogLog
// it is NaN from the first follow-up time on, as in R.
func (c *KaplanMeierCurve) At(times []float64) ([]KMStep, error) {
	out := make([]KMStep, 0, len(times))
	for i, t := range times {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("kaplan-meier: requested time %d is not finite", i)
		}
		if i > 0 && t < times[i-1] {
			return nil, fmt.Errorf("kaplan-meier: requested times must be increasing (time %d is %v after %v)", i, t, times[i-1])
		}
		row := KMStep{Time: t, Survival: 1, Interval: Interval{1, 1}}
		// Last step at or before t.
		k := sort.Search(len(c.Steps), func(j int) bool { return c.Steps[j].Time > t }) - 1
		switch {
		case k >= 0:
			s := c.Steps[k]
			row.Survival, row.StdErr, row.StdErrLog, row.Interval = s.Survival, s.StdErr, s.StdErrLog, s.Interval
		case c.ConfType == ConfLogLog && t >= c.times[0]:
			// R leaves the log-log interval undefined where S = 1, except
			// on the row it adds at time zero.
			row.Interval = kmInterval(1, 0, 0, ConfLogLog)
		}
		row.AtRisk = len(c.times) - countLess(c.times, t)
		if k := countLess(c.times, t); len(c.entries) > 0 && k < len(c.times) {
			// With delayed entry, R's number at risk at the first
			// follow-up time at or after t: those who entered before it.
			next := c.times[k]
			row.AtRisk -= len(c.entries) - countLess(c.entries, next)
		}
		row.Events = countAtMost(c.events, t)
		row.Censored = countAtMost(c.cens, t)
		if i > 0 {
			row.Events -= countAtMost(c.events, times[i-1])
			row.Censored -= countAtMost(c.cens, times[i-1])
		}
		out = append(out, row)
	}
	return out, nil
}

// countLess returns how many elements of the sorted xs are < t.
func countLess(xs []float64, t float64) int {
	return sort.Search(len(xs), func(i int) bool { return xs[i] >= t })
}

// countAtMost returns how many elements of the sorted xs are <= t.
func countAtMost(xs []float64, t float64) int {
	return sort.Search(len(xs), func(i int) bool { return xs[i] > t })
}

// Median returns the median survival time with its confidence interval, as
// R's quantile(fit, probs = 0.5) (also printed by print(fit)).
//
// The median is the smallest time at which S(t) <= 0.5. When the curve lies
// at exactly 0.5 (within R's tolerance sqrt(machine epsilon)) over an
// interval, the median is the midpoint of that interval: halfway between the
// event time where S reaches 0.5 and the next event time, or MaxTime if S
// stays at 0.5 to the end of follow-up. The confidence limits apply the same
// rule to the lower and upper pointwise confidence curves (the lower limit
// is where the lower curve reaches 0.5). A value that is not reached within
// follow-up is NaN; an upper limit of NaN is common and means "not reached".
func (c *KaplanMeierCurve) Median() Estimate {
	return c.quantile(0.5)
}

// quantile is survival:::doquant for a single probability p.
func (c *KaplanMeierCurve) quantile(p float64) Estimate {
	x := make([]float64, 0, len(c.Steps)+1)
	ys, yl, yu := []float64{0}, []float64{0}, []float64{0}
	x = append(x, 0)
	for _, s := range c.Steps {
		x = append(x, s.Time)
		ys = append(ys, 1-s.Survival)
		yl = append(yl, 1-s.Lower)
		yu = append(yu, 1-s.Upper)
	}
	return Estimate{
		Value:    findq(x, ys, p, c.MaxTime),
		Interval: Interval{findq(x, yl, p, c.MaxTime), findq(x, yu, p, c.MaxTime)},
	}
}

// findq is survival:::findq: the time at which the cumulative curve y (0 at
// x[0], non-decreasing for the estimate itself, NaN where undefined) first
// reaches p, with the midpoint rule for flat stretches at exactly p.
func findq(x, y []float64, p, xmax float64) float64 {
	const tol = 1.4901161193847656e-08 // sqrt(.Machine$double.eps)
	nan := math.NaN()
	maxY := math.Inf(-1)
	for _, v := range y {
		if !math.IsNaN(v) && v > maxY {
			maxY = v
		}
	}
	if maxY < p {
		return nan
	}
	// Drop repeated levels, keeping the first time each level is reached
	// (NaN counts as one level, as duplicated() treats NA).
	var xs, yv []float64
	seenNaN := false
	for i, v := range y {
		dup := false
		if math.IsNaN(v) {
			dup = seenNaN
			seenNaN = true
		} else {
			dup = slices.Contains(yv, v)
		}
		if !dup {
			xs = append(xs, x[i])
			yv = append(yv, v)
		}
	}
	// approx(y ± tol, seq_along(y), p, method = "constant", f = 1): the index
	// of the smallest knot >= p, NaN outside the knots; NaN levels are dropped.
	lookup := func(shift float64) int {
		type knot struct {
			v float64
			i int
		}
		var ks []knot
		for i, v := range yv {
			if !math.IsNaN(v) {
				ks = append(ks, knot{v + shift, i})
			}
		}
		if len(ks) == 0 {
			return -1
		}
		slices.SortStableFunc(ks, func(a, b knot) int {
			switch {
			case a.v < b.v:
				return -1
			case a.v > b.v:
				return 1
			}
			return 0
		})
		if p < ks[0].v || p > ks[len(ks)-1].v {
			return -1
		}
		for _, k := range ks {
			if k.v >= p {
				return k.i
			}
		}
		return -1
	}
	i1, i2 := lookup(tol), lookup(-tol)
	q := nan
	if i1 >= 0 && i2 >= 0 {
		q = (xs[i1] + xs[i2]) / 2
	}
	if last := yv[len(yv)-1]; !math.IsNaN(last) && math.Abs(p-last) < tol && i1 >= 0 {
		q = (xs[i1] + xmax) / 2
	}
	return q
}
