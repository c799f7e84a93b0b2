package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// coxTimes holds, at every distinct event time of a Cox model (in
// increasing time), what the score residuals and the Schoenfeld-residual
// test need, with Efron's approximation for ties: a time with d events is
// d sub-steps m = 0 … d−1, each with the risk set's weights reduced by m/d
// for the d subjects with the event (R's coxph, ties = "efron").
type coxTimes struct {
	time []float64
	d    []int
	// h = Σ_m 1/den_m and g = Σ_m xbar_m/den_m (p per time) for subjects
	// at risk without the event at this time; hd and gd the same with
	// weights (1 − m/d), for those with it.
	h, hd []float64
	g, gd [][]float64
	// xbar is the mean over the sub-steps of the weighted risk-set mean;
	// schoen the Schoenfeld residual summed over the events at this time
	// (Σ x − Σ_m xbar_m); info the information at this time (p×p,
	// row-major); atRisk the unweighted number at risk (for Kaplan–Meier).
	xbar, schoen [][]float64
	info         [][]float64
	atRisk       []int
}

// coxCentred returns x with its columns centred on their means (R's
// coxph does the same; every quantity here is invariant to it) and the
// linear predictor exp(β·x) of each row.
func coxCentred(x mat.Matrix, beta []float64) (*mat.Dense, []float64) {
	n, p := x.Dims()
	xc := mat.NewDense(n, p, nil)
	for j := range p {
		mean := 0.0
		for i := range n {
			mean += x.At(i, j)
		}
		mean /= float64(n)
		for i := range n {
			xc.Set(i, j, x.At(i, j)-mean)
		}
	}
	r := make([]float64, n)
	for i := range n {
		eta := 0.0
		for k := range p {
			eta += beta[k] * xc.At(i, k)
		}
		r[i] = math.Exp(eta)
	}
	return xc, r
}

// coxEventTimes walks the subjects by decreasing time, as CoxPH's
// likelihood does, and returns the per-time quantities in increasing time.
func coxEventTimes(subjects []Subject, xc *mat.Dense, r []float64) coxTimes {
	n, p := xc.Dims()
	order := byDecreasingTime(subjects)
	// Subjects entering late, by decreasing entry: they leave the risk
	// set of the walk at the times t <= Entry.
	var late []int
	for i, s := range subjects {
		if s.Entry > 0 {
			late = append(late, i)
		}
	}
	slices.SortStableFunc(late, func(a, b int) int {
		switch ea, eb := subjects[a].Entry, subjects[b].Entry; {
		case ea > eb:
			return -1
		case ea < eb:
			return 1
		}
		return 0
	})
	var ct coxTimes
	s0 := 0.0
	s1 := make([]float64, p)
	s2 := make([]float64, p*p)
	atRisk := 0
	il := 0
	for i := 0; i < n; {
		t := subjects[order[i]].Time
		a0 := 0.0
		a1 := make([]float64, p)
		a2 := make([]float64, p*p)
		sumX := make([]float64, p)
		d := 0
		j := i
		for ; j < n && subjects[order[j]].Time == t; j++ {
			row := xc.RawRowView(order[j])
			w := r[order[j]]
			atRisk++
			s0 += w
			for k := range p {
				s1[k] += w * row[k]
				for l := range p {
					s2[k*p+l] += w * row[k] * row[l]
				}
			}
			if subjects[order[j]].Event {
				d++
				a0 += w
				for k := range p {
					sumX[k] += row[k]
					a1[k] += w * row[k]
					for l := range p {
						a2[k*p+l] += w * row[k] * row[l]
					}
				}
			}
		}
		i = j
		for ; il < len(late) && subjects[late[il]].Entry >= t; il++ {
			row := xc.RawRowView(late[il])
			w := r[late[il]]
			atRisk--
			s0 -= w
			for k := range p {
				s1[k] -= w * row[k]
				for l := range p {
					s2[k*p+l] -= w * row[k] * row[l]
				}
			}
		}
		if d == 0 {
			continue
		}
		h, hd := 0.0, 0.0
		g, gd, xbar := make([]float64, p), make([]float64, p), make([]float64, p)
		schoen := slices.Clone(sumX)
		info := make([]float64, p*p)
		mean := make([]float64, p)
		for m := range d {
			f := float64(m) / float64(d)
			den := s0 - f*a0
			h += 1 / den
			hd += (1 - f) / den
			for k := range p {
				mean[k] = (s1[k] - f*a1[k]) / den
				g[k] += mean[k] / den
				gd[k] += (1 - f) * mean[k] / den
				xbar[k] += mean[k] / float64(d)
				schoen[k] -= mean[k]
			}
			for k := range p {
				for l := range p {
					info[k*p+l] += (s2[k*p+l]-f*a2[k*p+l])/den - mean[k]*mean[l]
				}
			}
		}
		ct.time = append(ct.time, t)
		ct.d = append(ct.d, d)
		ct.h, ct.hd = append(ct.h, h), append(ct.hd, hd)
		ct.g, ct.gd = append(ct.g, g), append(ct.gd, gd)
		ct.xbar, ct.schoen = append(ct.xbar, xbar), append(ct.schoen, schoen)
		ct.info = append(ct.info, info)
		ct.atRisk = append(ct.atRisk, atRisk)
	}
	for _, s := range [][]float64{ct.time, ct.h, ct.hd} {
		slices.Reverse(s)
	}
	slices.Reverse(ct.d)
	slices.Reverse(ct.atRisk)
	for _, s := range [][][]float64{ct.g, ct.gd, ct.xbar, ct.schoen, ct.info} {
		slices.Reverse(s)
	}
	return ct
}

// fitBeta returns the estimates of a fit, checking that they match x.
func fitBeta(fit *CoxFit, x mat.Matrix, subjects []Subject) ([]float64, error) {
	n, p := x.Dims()
	if fit == nil || len(fit.Coefficients) != p {
		return nil, errors.New("cox: the fit does not match the covariate matrix")
	}
	if n != len(subjects) || n == 0 {
		return nil, fmt.Errorf("cox: covariate matrix has %d rows for %d subjects", n, len(subjects))
	}
	beta := make([]float64, p)
	for j, c := range fit.Coefficients {
		beta[j] = c.Estimate
	}
	return beta, nil
}

// errNoEntry is CoxZPH's error on delayed-entry subjects, which it does
// not support yet (its km transform of the time axis is R's for
// right-censored data).
func errNoEntry() error {
	return errors.New("cox: the proportional-hazards test is not available with delayed entry")
}

// ScoreResiduals returns the score residuals of a Cox model fitted by
// CoxPH on the same subjects and covariates (R's residuals(fit, type =
// "score"), Efron ties): row i is subject i's contribution to the score at
// the estimate; the rows sum to zero. With delayed entry a subject
// contributes at the event times in (Entry, Time] only, as for
// coxph(Surv(entry, time, event) ~ x).
func ScoreResiduals(subjects []Subject, x mat.Matrix, fit *CoxFit) (*mat.Dense, error) {
	beta, err := fitBeta(fit, x, subjects)
	if err != nil {
		return nil, err
	}
	xc, r := coxCentred(x, beta)
	ct := coxEventTimes(subjects, xc, r)
	n, p := xc.Dims()
	// Cumulative h and g up to and including each event time.
	ch := make([]float64, len(ct.time))
	cg := make([][]float64, len(ct.time))
	run, rung := 0.0, make([]float64, p)
	for k := range ct.time {
		run += ct.h[k]
		for j := range p {
			rung[j] += ct.g[k][j]
		}
		ch[k], cg[k] = run, slices.Clone(rung)
	}
	out := mat.NewDense(n, p, nil)
	for i, s := range subjects {
		row := xc.RawRowView(i)
		// k: the last event time on or before the subject's time.
		k, found := slices.BinarySearch(ct.time, s.Time)
		if !found {
			k--
		}
		res := out.RawRowView(i)
		// Event times on or before a late entry: not at risk there, so
		// their risk part is given back.
		entered := func() {
			if s.Entry <= 0 {
				return
			}
			ke, found := slices.BinarySearch(ct.time, s.Entry)
			if !found {
				ke--
			}
			if ke < 0 {
				return
			}
			for j := range p {
				res[j] += r[i] * (row[j]*ch[ke] - cg[ke][j])
			}
		}
		if s.Event {
			// The own event time: the event part and the Efron-weighted
			// risk part; earlier times: the full risk part.
			for j := range p {
				res[j] = row[j] - ct.xbar[k][j] - r[i]*(row[j]*ct.hd[k]-ct.gd[k][j])
				if k > 0 {
					res[j] -= r[i] * (row[j]*ch[k-1] - cg[k-1][j])
				}
			}
			entered()
			continue
		}
		if k >= 0 {
			for j := range p {
				res[j] = -r[i] * (row[j]*ch[k] - cg[k][j])
			}
		}
		entered()
	}
	return out, nil
}

// CoxRobust returns fit with robust standard errors for clustered data:
// the person-clustered sandwich variance of Lin and Wei (1989), D'D, where
// D sums over each cluster the dfbeta residuals (score residuals times the
// model-based variance), as R's coxph(Surv(time, event) ~ x +
// cluster(id)). cluster[i] names the cluster (the person) of subjects[i];
// a person who is in both groups of a stacked comparison contributes two
// rows to one cluster. Coefficients and HazardRatios of the result use the
// robust standard error (Wald z, p and 95% interval as CoxPH's); NaiveStdErr
// keeps the model-based one.
func CoxRobust(subjects []Subject, x mat.Matrix, cluster []string, fit *CoxFit) (*RobustCoxFit, error) {
	if len(cluster) != len(subjects) {
		return nil, fmt.Errorf("cox: %d cluster labels for %d subjects", len(cluster), len(subjects))
	}
	u, err := ScoreResiduals(subjects, x, fit)
	if err != nil {
		return nil, err
	}
	beta, _ := fitBeta(fit, x, subjects)
	xc, r := coxCentred(x, beta)
	ct := coxEventTimes(subjects, xc, r)
	_, p := xc.Dims()
	info := mat.NewSymDense(p, nil)
	for _, v := range ct.info {
		for k := range p {
			for l := k; l < p; l++ {
				info.SetSym(k, l, info.At(k, l)+v[k*p+l])
			}
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(info) {
		return nil, errors.New("cox: information matrix is singular at the estimate")
	}
	var vinv mat.SymDense
	if err := chol.InverseTo(&vinv); err != nil {
		return nil, fmt.Errorf("cox: inverting the information matrix: %w", err)
	}
	var dfbeta mat.Dense
	dfbeta.Mul(u, &vinv)
	index := map[string]int{}
	var sums [][]float64
	for i, c := range cluster {
		k, ok := index[c]
		if !ok {
			k = len(sums)
			index[c] = k
			sums = append(sums, make([]float64, p))
		}
		for j := range p {
			sums[k][j] += dfbeta.At(i, j)
		}
	}
	robust := make([]float64, p*p)
	for _, s := range sums {
		for k := range p {
			for l := range p {
				robust[k*p+l] += s[k] * s[l]
			}
		}
	}
	out := &RobustCoxFit{CoxFit: *fit, Clusters: len(sums), Variance: mat.NewDense(p, p, robust)}
	out.Coefficients = nil
	out.HazardRatios = nil
	z := zQuantile(0.95)
	for j := range p {
		out.NaiveStdErr = append(out.NaiveStdErr, fit.Coefficients[j].StdErr)
		cf := newCoefficient(beta[j], math.Sqrt(robust[j*p+j]))
		out.Coefficients = append(out.Coefficients, cf)
		out.HazardRatios = append(out.HazardRatios, Estimate{math.Exp(cf.Estimate),
			Interval{math.Exp(cf.Estimate - z*cf.StdErr), math.Exp(cf.Estimate + z*cf.StdErr)}})
	}
	return out, nil
}

// RobustCoxFit is a Cox model with the person-clustered robust variance
// (CoxRobust).
type RobustCoxFit struct {
	// CoxFit holds the estimates with robust standard errors.
	CoxFit
	// NaiveStdErr is the model-based standard error of each coefficient,
	// which treats every row as an independent person.
	NaiveStdErr []float64
	// Clusters is the number of distinct clusters (persons).
	Clusters int
	// Variance is the robust variance matrix (R's fit$var).
	Variance *mat.Dense
}

// PHTest is the Schoenfeld-residual test of proportional hazards of a Cox
// model (CoxZPH).
type PHTest struct {
	// Terms holds one test per covariate column, in column order; Global
	// tests all of them together (df = number of columns).
	Terms  []ChiSqTest
	Global ChiSqTest
}

// ChiSqTest is a chi-square statistic with its degrees of freedom and
// upper-tail p-value.
type ChiSqTest struct {
	ChiSq float64
	DF    int
	P     float64
}

// CoxZPH tests the proportional-hazards assumption of a Cox model fitted by
// CoxPH on the same subjects and covariates, as R's cox.zph(fit) with its
// defaults (transform = "km", terms = TRUE with one column per term,
// global = TRUE) in survival 3.x: the score test, at the fitted β, of
// adding x·g(t) for each covariate, where g(t) = 1 − S(t−) is one minus the
// left-continuous Kaplan–Meier estimate of all subjects, centred on its mean
// over the events. The score of the added terms is Σ_k (g_k − ḡ)·r_k over
// event times, r_k the Schoenfeld residuals summed over the events at t_k;
// the information is the model's, per event time, weighted by 1, g_k − ḡ
// and (g_k − ḡ)². A small p says that the hazard ratio changes over
// follow-up.
func CoxZPH(subjects []Subject, x mat.Matrix, fit *CoxFit) (*PHTest, error) {
	if hasEntry(subjects) {
		return nil, errNoEntry()
	}
	beta, err := fitBeta(fit, x, subjects)
	if err != nil {
		return nil, err
	}
	xc, r := coxCentred(x, beta)
	ct := coxEventTimes(subjects, xc, r)
	_, p := xc.Dims()
	if len(ct.time) == 0 {
		return nil, errors.New("cox: no events")
	}
	gt := make([]float64, len(ct.time))
	surv, sumG, events := 1.0, 0.0, 0
	for k := range ct.time {
		gt[k] = 1 - surv
		surv *= 1 - float64(ct.d[k])/float64(ct.atRisk[k])
		sumG += float64(ct.d[k]) * gt[k]
		events += ct.d[k]
	}
	gbar := sumG / float64(events)
	q := 2 * p
	imat := make([]float64, q*q)
	u := make([]float64, q)
	for k := range ct.time {
		gk := gt[k] - gbar
		for a := range p {
			u[p+a] += gk * ct.schoen[k][a]
			for b := range p {
				v := ct.info[k][a*p+b]
				imat[a*q+b] += v
				imat[a*q+p+b] += gk * v
				imat[(p+a)*q+b] += gk * v
				imat[(p+a)*q+p+b] += gk * gk * v
			}
		}
	}
	score := func(cols []int) (float64, error) {
		m := len(cols)
		sub := mat.NewDense(m, m, nil)
		vec := mat.NewVecDense(m, nil)
		for a, ca := range cols {
			vec.SetVec(a, u[ca])
			for b, cb := range cols {
				sub.Set(a, b, imat[ca*q+cb])
			}
		}
		var sol mat.VecDense
		if err := sol.SolveVec(sub, vec); err != nil {
			return 0, fmt.Errorf("cox: proportional-hazards test: %w", err)
		}
		return mat.Dot(&sol, vec), nil
	}
	chi := func(stat float64, df int) ChiSqTest {
		return ChiSqTest{ChiSq: stat, DF: df, P: distuv.ChiSquared{K: float64(df)}.Survival(stat)}
	}
	out := &PHTest{}
	base := make([]int, p)
	for j := range p {
		base[j] = j
	}
	for j := range p {
		stat, err := score(append(slices.Clone(base), p+j))
		if err != nil {
			return nil, err
		}
		out.Terms = append(out.Terms, chi(stat, 1))
	}
	all := make([]int, q)
	for j := range q {
		all[j] = j
	}
	stat, err := score(all)
	if err != nil {
		return nil, err
	}
	out.Global = chi(stat, p)
	return out, nil
}
