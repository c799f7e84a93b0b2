package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// EntrySubject is one subject's follow-up with delayed entry (left
// truncation): the subject is at risk on (Entry, Time]. Entry is the time,
// on the same axis as Time, at which the subject enters the risk set, e.g.
// the programme start when follow-up is measured from the release date
// before it; 0 means from the origin.
type EntrySubject struct {
	Entry, Time float64
	Event       bool
}

// ExcludeBeforeEntry splits subjects into those that can enter a risk set
// (Time > Entry) and the number whose follow-up ends on or before their
// entry (an event or censoring before the programme started): they are never
// at risk and are left out, as R's Surv(start, stop, event) refuses stop <=
// start.
func ExcludeBeforeEntry(subjects []EntrySubject) ([]EntrySubject, int) {
	var out []EntrySubject
	for _, s := range subjects {
		if s.Time > s.Entry {
			out = append(out, s)
		}
	}
	return out, len(subjects) - len(out)
}

func checkEntry(subjects []EntrySubject) error {
	if len(subjects) == 0 {
		return errors.New("delayed entry: no subjects")
	}
	for i, s := range subjects {
		if math.IsNaN(s.Time) || math.IsInf(s.Time, 0) || math.IsNaN(s.Entry) || math.IsInf(s.Entry, 0) || s.Entry < 0 {
			return fmt.Errorf("delayed entry: subject %d: times must be finite and entry non-negative", i)
		}
		if s.Time <= s.Entry {
			return fmt.Errorf("delayed entry: subject %d: follow-up ends on or before entry; leave it out (ExcludeBeforeEntry)", i)
		}
	}
	return nil
}

// KaplanMeierEntry is the product-limit estimate with delayed entry, as R's
// survfit(Surv(entry, time, event) ~ 1) with the log confidence interval at
// level conf: at each event time t the number at risk is the number of
// subjects with Entry < t <= Time, S(t) = ∏ (1 − d/n), Greenwood's standard
// error of log S. Steps hold one row per event time; Censored counts the
// censorings since the previous row (exits by censoring, as R's
// n.censor).
func KaplanMeierEntry(subjects []EntrySubject, conf float64) ([]KMStep, error) {
	if err := checkEntry(subjects); err != nil {
		return nil, err
	}
	var times []float64
	for _, s := range subjects {
		if s.Event {
			times = append(times, s.Time)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	z := zQuantile(conf)
	var out []KMStep
	surv, green := 1.0, 0.0
	prev := math.Inf(-1)
	for _, t := range times {
		n, d, c := 0, 0, 0
		for _, s := range subjects {
			if s.Entry < t && t <= s.Time {
				n++
				if s.Time == t && s.Event {
					d++
				}
			}
			if !s.Event && s.Time > prev && s.Time <= t {
				c++
			}
		}
		surv *= 1 - float64(d)/float64(n)
		if n > d {
			green += float64(d) / (float64(n) * float64(n-d))
		} else {
			green = math.Inf(1)
		}
		se := math.Sqrt(green)
		st := KMStep{Time: t, AtRisk: n, Events: d, Censored: c, Survival: surv, StdErrLog: se, StdErr: surv * se}
		if surv > 0 {
			st.Interval = Interval{Lower: surv * math.Exp(-z*se), Upper: math.Min(1, surv*math.Exp(z*se))}
		} else {
			st.StdErr = math.NaN()
			st.Interval = Interval{Lower: math.NaN(), Upper: math.NaN()}
		}
		out = append(out, st)
		prev = t
	}
	return out, nil
}

// CoxPHEntry fits a Cox model with delayed entry (counting-process data,
// Efron ties) by Newton–Raphson, as R's coxph(Surv(entry, time, event) ~ x):
// the risk set at an event time t holds the subjects with Entry < t <= Time.
// Standard errors are model-based; errors as CoxPH's.
func CoxPHEntry(subjects []EntrySubject, x mat.Matrix) (*CoxFit, error) {
	if err := checkEntry(subjects); err != nil {
		return nil, err
	}
	n, p := x.Dims()
	if n != len(subjects) {
		return nil, fmt.Errorf("cox: covariate matrix has %d rows for %d subjects", n, len(subjects))
	}
	if p == 0 {
		return nil, errors.New("cox: no covariates")
	}
	xc := mat.NewDense(n, p, nil)
	for j := range p {
		mean, constant := 0.0, true
		for i := range n {
			if x.At(i, j) != x.At(0, j) {
				constant = false
			}
			mean += x.At(i, j)
		}
		if constant {
			return nil, fmt.Errorf("cox: covariate column %d is constant, so its hazard ratio cannot be estimated; drop it from the model", j)
		}
		mean /= float64(n)
		for i := range n {
			xc.Set(i, j, x.At(i, j)-mean)
		}
	}
	var times []float64
	events := 0
	for _, s := range subjects {
		if s.Event {
			times = append(times, s.Time)
			events++
		}
	}
	if events == 0 {
		return nil, errors.New("cox: no events")
	}
	slices.Sort(times)
	times = slices.Compact(times)
	eval := func(beta []float64) (float64, []float64, *mat.SymDense) {
		ll := 0.0
		u := make([]float64, p)
		info := mat.NewSymDense(p, nil)
		r := make([]float64, n)
		for i := range n {
			eta := 0.0
			for k := range p {
				eta += beta[k] * xc.At(i, k)
			}
			r[i] = math.Exp(eta)
		}
		s1, a1 := make([]float64, p), make([]float64, p)
		s2, a2 := make([]float64, p*p), make([]float64, p*p)
		mean := make([]float64, p)
		for _, t := range times {
			s0, a0, d := 0.0, 0.0, 0
			clear(s1)
			clear(a1)
			clear(s2)
			clear(a2)
			for i, s := range subjects {
				if !(s.Entry < t && t <= s.Time) {
					continue
				}
				row := xc.RawRowView(i)
				s0 += r[i]
				for k := range p {
					s1[k] += r[i] * row[k]
					for l := range p {
						s2[k*p+l] += r[i] * row[k] * row[l]
					}
				}
				if s.Time == t && s.Event {
					d++
					a0 += r[i]
					ll += math.Log(r[i])
					for k := range p {
						u[k] += row[k]
						a1[k] += r[i] * row[k]
						for l := range p {
							a2[k*p+l] += r[i] * row[k] * row[l]
						}
					}
				}
			}
			for m := range d {
				f := float64(m) / float64(d)
				den := s0 - f*a0
				ll -= math.Log(den)
				for k := range p {
					mean[k] = (s1[k] - f*a1[k]) / den
					u[k] -= mean[k]
				}
				for k := range p {
					for l := k; l < p; l++ {
						info.SetSym(k, l, info.At(k, l)+(s2[k*p+l]-f*a2[k*p+l])/den-mean[k]*mean[l])
					}
				}
			}
		}
		return ll, u, info
	}
	return maximiseCox(n, events, p, eval)
}
