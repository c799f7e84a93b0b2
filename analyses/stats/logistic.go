package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// LogisticFit is a fitted logistic regression of a binary outcome.
type LogisticFit struct {
	// Coefficients holds the intercept first, then one log odds ratio per
	// column of the covariate matrix, in column order.
	Coefficients []Coefficient
	// Deviance is −2 times the log-likelihood of the fit, NullDeviance that of
	// the intercept-only model; LogLik is −Deviance/2.
	Deviance, NullDeviance, LogLik float64
	// Fitted holds the predicted probability for each row.
	Fitted []float64
	// Iterations is the number of IRLS iterations performed.
	Iterations int
	// Converged reports whether the relative change in deviance fell below
	// 1e-12 within 50 iterations. Separation (a covariate that predicts the
	// outcome perfectly) shows as fitted probabilities of 0 or 1 and huge
	// coefficients and standard errors.
	Converged bool

	y []bool
}

const (
	logisticMaxIter = 50
	logisticEps     = 1e-12
)

// Logistic fits the logistic regression logit P(y = 1) = b₀ + xᵀb by
// iteratively reweighted least squares, as R's glm(y ~ x, family =
// binomial). Row i of x holds the covariates of outcome y[i]; the intercept is
// added here, so x must not contain a column of ones. Standard errors come
// from the inverse Fisher information (XᵀWX)⁻¹ at the estimate.
//
// It returns an error if x has a different number of rows than y, a value is
// not finite, the outcome is the same for every row, a covariate column is
// constant (it is confounded with the intercept), or the covariates are
// collinear.
func Logistic(y []bool, x mat.Matrix) (*LogisticFit, error) {
	n, q := x.Dims()
	if n != len(y) {
		return nil, fmt.Errorf("logistic: covariate matrix has %d rows for %d outcomes", n, len(y))
	}
	p := q + 1
	if n < p {
		return nil, fmt.Errorf("logistic: %d rows for %d coefficients", n, p)
	}
	yes := 0
	for _, v := range y {
		if v {
			yes++
		}
	}
	if yes == 0 || yes == n {
		return nil, errors.New("logistic: the outcome is the same for every row")
	}
	design := mat.NewDense(n, p, nil)
	for i := range n {
		design.Set(i, 0, 1)
	}
	for j := range q {
		constant := true
		for i := range n {
			v := x.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("logistic: covariate column %d, row %d is not finite", j, i)
			}
			if v != x.At(0, j) {
				constant = false
			}
			design.Set(i, j+1, v)
		}
		if constant {
			return nil, fmt.Errorf("logistic: covariate column %d is constant, so it cannot be separated from the intercept; drop it from the model", j)
		}
	}
	yf := make([]float64, n)
	for i, v := range y {
		if v {
			yf[i] = 1
		}
	}
	deviance := func(mu []float64) float64 {
		dev := 0.0
		for i := range mu {
			if y[i] {
				dev -= 2 * math.Log(mu[i])
			} else {
				dev -= 2 * math.Log1p(-mu[i])
			}
		}
		return dev
	}

	// Start as glm does: mu = (y + 0.5)/2.
	mu := make([]float64, n)
	eta := make([]float64, n)
	for i := range n {
		mu[i] = (yf[i] + 0.5) / 2
		eta[i] = math.Log(mu[i] / (1 - mu[i]))
	}
	dev := deviance(mu)
	fit := &LogisticFit{y: y}
	var chol mat.Cholesky
	beta := mat.NewVecDense(p, nil)
	xtwx := mat.NewSymDense(p, nil)
	xtwz := mat.NewVecDense(p, nil)
	// weighted normal equations at the current mu.
	normal := func(withZ bool) {
		xtwx.Zero()
		xtwz.Zero()
		for i := range n {
			w := mu[i] * (1 - mu[i])
			z := eta[i] + (yf[i]-mu[i])/w
			row := design.RawRowView(i)
			for a := range p {
				if withZ {
					xtwz.SetVec(a, xtwz.AtVec(a)+w*row[a]*z)
				}
				for b := a; b < p; b++ {
					xtwx.SetSym(a, b, xtwx.At(a, b)+w*row[a]*row[b])
				}
			}
		}
	}
	for fit.Iterations < logisticMaxIter {
		normal(true)
		if ok := chol.Factorize(xtwx); !ok {
			return nil, errors.New("logistic: the covariates are collinear (XᵀWX is singular)")
		}
		if err := chol.SolveVecTo(beta, xtwz); err != nil {
			return nil, fmt.Errorf("logistic: solving the weighted least squares: %w", err)
		}
		fit.Iterations++
		for i := range n {
			eta[i] = mat.Dot(design.RowView(i), beta)
			mu[i] = 1 / (1 + math.Exp(-eta[i]))
		}
		newDev := deviance(mu)
		done := math.Abs(newDev-dev)/(math.Abs(newDev)+0.1) < logisticEps
		dev = newDev
		if done {
			fit.Converged = true
			break
		}
	}
	normal(false)
	if ok := chol.Factorize(xtwx); !ok {
		return nil, errors.New("logistic: the information matrix is singular at the estimate")
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return nil, fmt.Errorf("logistic: inverting the information matrix: %w", err)
	}
	for j := range p {
		fit.Coefficients = append(fit.Coefficients, newCoefficient(beta.AtVec(j), math.Sqrt(cov.At(j, j))))
	}
	fit.Deviance = dev
	fit.LogLik = -dev / 2
	ybar := float64(yes) / float64(n)
	fit.NullDeviance = -2 * (float64(yes)*math.Log(ybar) + float64(n-yes)*math.Log1p(-ybar))
	fit.Fitted = mu
	return fit, nil
}

// AdjustedRate is an outcome rate corrected for case mix, in the style of the
// WODC recidivism monitor.
type AdjustedRate struct {
	// N is the number of rows in the group.
	N int
	// Observed is the group's observed rate: the share of its rows with the
	// outcome.
	Observed float64
	// Expected is the mean predicted probability over the group's rows: the
	// rate the group would have if it behaved like everyone with the same
	// characteristics.
	Expected float64
	// Overall is the observed rate over all rows of the fit.
	Overall float64
	// Adjusted is Observed − Expected + Overall: the overall rate shifted by
	// how much the group does better or worse than its case mix predicts.
	Adjusted float64
}

// AdjustedRate returns the case-mix adjusted rate of the rows of the fit for
// which group is true. The model is fitted once on all cohorts (without a
// group indicator); group selects, for example, one programme or one cohort
// year. It returns an error if group does not have one entry per row of the
// fit or selects no rows.
func (f *LogisticFit) AdjustedRate(group []bool) (AdjustedRate, error) {
	if len(group) != len(f.y) {
		return AdjustedRate{}, fmt.Errorf("adjusted rate: group has %d entries for %d rows", len(group), len(f.y))
	}
	var r AdjustedRate
	all := 0
	for i, in := range group {
		if f.y[i] {
			all++
		}
		if !in {
			continue
		}
		r.N++
		if f.y[i] {
			r.Observed++
		}
		r.Expected += f.Fitted[i]
	}
	if r.N == 0 {
		return AdjustedRate{}, errors.New("adjusted rate: the group has no rows")
	}
	r.Observed /= float64(r.N)
	r.Expected /= float64(r.N)
	r.Overall = float64(all) / float64(len(f.y))
	r.Adjusted = r.Observed - r.Expected + r.Overall
	return r, nil
}
