package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Coefficient is one regression coefficient with its Wald test.
type Coefficient struct {
	// Estimate is the maximum-likelihood estimate.
	Estimate float64
	// StdErr is the square root of the corresponding diagonal element of the
	// inverse of the observed information matrix at the estimate.
	StdErr float64
	// Z is Estimate/StdErr.
	Z float64
	// P is the two-sided Wald p-value 2·Φ(−|Z|).
	P float64
}

func newCoefficient(est, se float64) Coefficient {
	z := est / se
	return Coefficient{Estimate: est, StdErr: se, Z: z, P: 2 * distuv.UnitNormal.CDF(-math.Abs(z))}
}

// CoxFit is a fitted Cox proportional-hazards model.
type CoxFit struct {
	// Coefficients holds the log hazard ratios, one per covariate column, in
	// column order.
	Coefficients []Coefficient
	// HazardRatios holds exp(Estimate) per covariate with the 95% Wald
	// interval exp(Estimate ∓ 1.959964·StdErr).
	HazardRatios []Estimate
	// LogLik is the Efron partial log-likelihood at the estimate, LogLikNull
	// at all coefficients zero (R's fit$loglik).
	LogLik, LogLikNull float64
	// Iterations is the number of Newton–Raphson iterations performed.
	Iterations int
	// Converged reports whether the relative change in the log-likelihood fell
	// below 1e-10 within 30 iterations (after which one more Newton step is
	// taken). A converged fit can still have an
	// infinite coefficient (monotone likelihood, e.g. no events at one level of
	// a binary covariate); a huge StdErr is the sign.
	Converged bool
	// N is the number of subjects and Events the number of events.
	N, Events int
}

// coxMaxIter and coxEps are the Newton–Raphson limits; R's coxph defaults are
// iter.max = 20 and eps = 1e-9 on the same criterion.
const (
	coxMaxIter = 30
	coxEps     = 1e-10
)

// CoxPH fits a Cox proportional-hazards model with Efron's approximation for
// tied event times by Newton–Raphson with step halving, as R's
// coxph(Surv(time, event) ~ x, ties = "efron"). Row i of x holds the
// covariates of subjects[i]; it has one column per covariate and no intercept.
// With delayed entry (a positive Subject.Entry) it is CoxPHEntry's fit, as
// coxph(Surv(entry, time, event) ~ x).
//
// The hazard ratio of a covariate compares subjects one unit apart on it with
// the other covariates held fixed. Standard errors come from the inverse of
// the observed information at the estimate.
//
// It returns an error if x has a different number of rows than subjects or
// no columns, a value is not finite, a time is negative, nobody has an event,
// a covariate column is constant (its effect is not estimable), or the
// information matrix is singular (collinear covariates).
func CoxPH(subjects []Subject, x mat.Matrix) (*CoxFit, error) {
	n, p := x.Dims()
	if n != len(subjects) {
		return nil, fmt.Errorf("cox: covariate matrix has %d rows for %d subjects", n, len(subjects))
	}
	if p == 0 {
		return nil, errors.New("cox: no covariates")
	}
	if hasEntry(subjects) {
		es := make([]EntrySubject, len(subjects))
		for i, s := range subjects {
			es[i] = EntrySubject{Entry: s.Entry, Time: s.Time, Event: s.Event}
		}
		return CoxPHEntry(es, x)
	}
	events := 0
	for i, s := range subjects {
		if math.IsNaN(s.Time) || math.IsInf(s.Time, 0) || s.Time < 0 {
			return nil, fmt.Errorf("cox: subject %d: follow-up time must be finite and non-negative", i)
		}
		if s.Event {
			events++
		}
	}
	if events == 0 {
		return nil, errors.New("cox: no events")
	}
	// Centre the columns, as R does; the partial likelihood is unchanged.
	xc := mat.NewDense(n, p, nil)
	for j := range p {
		mean := 0.0
		constant := true
		for i := range n {
			v := x.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("cox: covariate column %d, row %d is not finite", j, i)
			}
			if v != x.At(0, j) {
				constant = false
			}
			mean += v
		}
		if constant {
			return nil, fmt.Errorf("cox: covariate column %d is constant, so its hazard ratio cannot be estimated; drop it from the model", j)
		}
		mean /= float64(n)
		for i := range n {
			xc.Set(i, j, x.At(i, j)-mean)
		}
	}
	c := coxData{subjects: subjects, x: xc, order: byDecreasingTime(subjects), p: p}

	return maximiseCox(n, events, p, c.eval)
}

// coxLikelihood is a Cox partial log-likelihood at beta, with its score
// and observed information.
type coxLikelihood func(beta []float64) (float64, []float64, *mat.SymDense)

// maximiseCox maximises eval by Newton–Raphson from beta = 0, with step
// halving while the log-likelihood falls, to the relative change coxEps
// (as R's coxph), then one more Newton step that makes the score zero to
// rounding, and returns the fit with Wald intervals from the inverse
// information. CoxPH and CoxPHEntry share it.
func maximiseCox(n, events, p int, eval coxLikelihood) (*CoxFit, error) {
	fit := &CoxFit{N: n, Events: events}
	beta := make([]float64, p)
	ll, u, info := eval(beta)
	fit.LogLikNull = ll
	var chol mat.Cholesky
	newton := func() ([]float64, error) {
		if ok := chol.Factorize(info); !ok {
			return nil, errors.New("cox: information matrix is singular; are some covariates collinear?")
		}
		var step mat.VecDense
		if err := chol.SolveVecTo(&step, mat.NewVecDense(p, u)); err != nil {
			return nil, fmt.Errorf("cox: solving the Newton step: %w", err)
		}
		next := make([]float64, p)
		for j := range p {
			next[j] = beta[j] + step.AtVec(j)
		}
		return next, nil
	}
	for fit.Iterations < coxMaxIter {
		next, err := newton()
		if err != nil {
			return nil, err
		}
		fit.Iterations++
		nll, nu, ninfo := eval(next)
		for halving := 0; (nll < ll || math.IsNaN(nll)) && halving < 30; halving++ {
			for j := range p {
				next[j] = (next[j] + beta[j]) / 2
			}
			nll, nu, ninfo = eval(next)
		}
		done := math.Abs(1-ll/nll) <= coxEps
		beta, ll, u, info = next, nll, nu, ninfo
		if done {
			fit.Converged = true
			break
		}
	}
	if fit.Converged {
		// The log-likelihood is flat at the maximum, so it settles while β
		// can still be about the square of the last step away from it; one
		// more Newton step makes the score zero to rounding.
		next, err := newton()
		if err != nil {
			return nil, err
		}
		if nll, nu, ninfo := eval(next); nll >= ll-1e-12*math.Abs(ll) {
			fit.Iterations++
			beta, ll, u, info = next, nll, nu, ninfo
		}
	}
	fit.LogLik = ll
	if ok := chol.Factorize(info); !ok {
		return nil, errors.New("cox: information matrix is singular at the estimate; are some covariates collinear?")
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return nil, fmt.Errorf("cox: inverting the information matrix: %w", err)
	}
	z := zQuantile(0.95)
	for j := range p {
		cf := newCoefficient(beta[j], math.Sqrt(cov.At(j, j)))
		fit.Coefficients = append(fit.Coefficients, cf)
		fit.HazardRatios = append(fit.HazardRatios, Estimate{math.Exp(cf.Estimate),
			Interval{math.Exp(cf.Estimate - z*cf.StdErr), math.Exp(cf.Estimate + z*cf.StdErr)}})
	}
	return fit, nil
}

// byDecreasingTime returns the indices of subjects by decreasing time (ties
// in input order), so that risk sets grow as the likelihood walks them.
func byDecreasingTime(subjects []Subject) []int {
	order := make([]int, len(subjects))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch ta, tb := subjects[a].Time, subjects[b].Time; {
		case ta > tb:
			return -1
		case ta < tb:
			return 1
		}
		return 0
	})
	return order
}

type coxData struct {
	subjects []Subject
	x        *mat.Dense // centred covariates
	order    []int      // indices by decreasing time
	p        int
}

// eval returns the Efron partial log-likelihood, its gradient (score) and the
// observed information (negative Hessian) at beta.
func (c coxData) eval(beta []float64) (float64, []float64, *mat.SymDense) {
	p := c.p
	ll := 0.0
	u := make([]float64, p)
	info := mat.NewSymDense(p, nil)
	s0 := 0.0
	s1 := make([]float64, p)
	s2 := make([]float64, p*p)
	a1 := make([]float64, p)
	a2 := make([]float64, p*p)
	t1 := make([]float64, p)
	for i := 0; i < len(c.order); {
		t := c.subjects[c.order[i]].Time
		a0 := 0.0
		clear(a1)
		clear(a2)
		d := 0
		j := i
		for ; j < len(c.order) && c.subjects[c.order[j]].Time == t; j++ {
			row := c.x.RawRowView(c.order[j])
			eta := 0.0
			for k := range p {
				eta += beta[k] * row[k]
			}
			r := math.Exp(eta)
			s0 += r
			for k := range p {
				s1[k] += r * row[k]
				for l := range p {
					s2[k*p+l] += r * row[k] * row[l]
				}
			}
			if c.subjects[c.order[j]].Event {
				d++
				ll += eta
				a0 += r
				for k := range p {
					u[k] += row[k]
					a1[k] += r * row[k]
					for l := range p {
						a2[k*p+l] += r * row[k] * row[l]
					}
				}
			}
		}
		for m := range d {
			f := float64(m) / float64(d)
			den := s0 - f*a0
			ll -= math.Log(den)
			for k := range p {
				t1[k] = (s1[k] - f*a1[k]) / den
				u[k] -= t1[k]
			}
			for k := range p {
				for l := k; l < p; l++ {
					v := (s2[k*p+l]-f*a2[k*p+l])/den - t1[k]*t1[l]
					info.SetSym(k, l, info.At(k, l)+v)
				}
			}
		}
		i = j
	}
	return ll, u, info
}
