package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// NegBinFit is an intercept-only negative binomial (NB2) regression of
// counts on their exposure: y_i ~ NB(μ_i, θ) with μ_i = t_i·exp(β), so that
// Var(y_i) = μ_i + μ_i²/θ. Rate is exp(β), the count per unit of exposure,
// with the Wald interval exp(β ± z·SE(β)); SE is the standard error of β
// from the inverse of the observed information of (β, θ) at the maximum (as
// statsmodels' NegativeBinomial reports it; R's MASS::glm.nb, which holds θ
// fixed, gives nearly the same). Theta is θ (Alpha = 1/θ in statsmodels'
// terms); +Inf when the likelihood is largest without overdispersion, and
// then the fit is the Poisson one (SE = 1/√Σy): when the score of 1/θ at
// the Poisson fit, ½ Σ ((y_i − μ_i)² − y_i), is not positive (Cameron and
// Trivedi 1990), or the maximum lies beyond θ = 1e8. LogLik is the
// maximised log-likelihood.
type NegBinFit struct {
	Rate   Estimate
	Beta   float64
	SE     float64
	Theta  float64
	LogLik float64
}

// maxTheta is where NegBinRate stops looking for θ: beyond it the counts
// are taken as Poisson (the dispersion μ²/θ is below 1e-8 of μ² there).
const maxTheta = 1e8

// NegBinRate fits NegBinFit to counts y with exposures t (both of length n;
// units with exposure 0 carry no information and must be left out by the
// caller). It returns an error when the model cannot be fitted: fewer than
// two units, or no count above zero (then β is −∞). It panics on a negative
// count, a non-positive or non-finite exposure, or conf outside (0, 1).
//
// The maximum is found on the profile likelihood: for each θ the score
// equation of β, Σ θ(y_i − μ_i)/(θ + μ_i) = 0, is solved by Newton's method
// (it is concave in β), and the profile is maximised over log θ by golden
// section search on [log 1e-6, log maxTheta], then polished with Newton
// steps on (β, θ).
func NegBinRate(y []int, t []float64, conf float64) (NegBinFit, error) {
	checkConf(conf)
	if len(y) != len(t) {
		panic(fmt.Sprintf("stats: %d counts but %d exposures", len(y), len(t)))
	}
	sumY, sumT := 0.0, 0.0
	for i := range y {
		if y[i] < 0 || !(t[i] > 0) || math.IsInf(t[i], 0) {
			panic(fmt.Sprintf("stats: invalid count %d over exposure %v", y[i], t[i]))
		}
		sumY += float64(y[i])
		sumT += t[i]
	}
	nan := NegBinFit{Rate: Estimate{math.NaN(), Interval{math.NaN(), math.NaN()}}, Beta: math.NaN(), SE: math.NaN(), Theta: math.NaN(), LogLik: math.NaN()}
	switch {
	case len(y) < 2:
		return nan, fmt.Errorf("negative binomial: %d units, need 2", len(y))
	case sumY == 0:
		return nan, fmt.Errorf("negative binomial: no count above zero")
	}
	poissonBeta := math.Log(sumY / sumT)
	poisson := func() NegBinFit {
		fit := NegBinFit{Beta: poissonBeta, SE: 1 / math.Sqrt(sumY), Theta: math.Inf(1), LogLik: poissonLogLik(y, t, poissonBeta)}
		fit.Rate = waldRate(fit.Beta, fit.SE, conf)
		return fit
	}
	// The score of α = 1/θ at α = 0 (the Poisson fit) is
	// ½ Σ ((y_i − μ_i)² − y_i) (Cameron and Trivedi's overdispersion
	// score): when it is not positive the likelihood is largest at α = 0.
	score := 0.0
	for i := range y {
		d := float64(y[i]) - t[i]*sumY/sumT
		score += d*d - float64(y[i])
	}
	if score <= 0 {
		return poisson(), nil
	}
	profile := func(logTheta float64) (beta, ll float64) {
		theta := math.Exp(logTheta)
		beta = negBinBeta(y, t, theta, poissonBeta)
		return beta, negBinLogLik(y, t, beta, theta)
	}
	// Golden section on log θ.
	lo, hi := math.Log(1e-6), math.Log(maxTheta)
	g := (math.Sqrt(5) - 1) / 2
	a, b := hi-g*(hi-lo), lo+g*(hi-lo)
	_, fa := profile(a)
	_, fb := profile(b)
	for hi-lo > 1e-10 {
		if fa < fb {
			lo, a, fa = a, b, fb
			b = lo + g*(hi-lo)
			_, fb = profile(b)
		} else {
			hi, b, fb = b, a, fa
			a = hi - g*(hi-lo)
			_, fa = profile(a)
		}
	}
	logTheta := (lo + hi) / 2
	if logTheta > math.Log(maxTheta)-1e-3 {
		return poisson(), nil // the maximum is at the search's end: no overdispersion to speak of
	}
	theta := math.Exp(logTheta)
	beta := negBinBeta(y, t, theta, poissonBeta)
	// Newton polish on (β, θ): the golden section leaves θ to about 1e-10
	// relative in log θ; a step or two on the full score settles it.
	var hbb, hbt, htt float64
	for range 20 {
		gb, gt := 0.0, 0.0
		hbb, hbt, htt = 0, 0, 0
		for i := range y {
			yi, mu := float64(y[i]), t[i]*math.Exp(beta)
			d := theta + mu
			gb += theta * (yi - mu) / d
			gt += digamma(yi+theta) - digamma(theta) + math.Log(theta) + 1 - math.Log(d) - (theta+yi)/d
			hbb -= theta * mu * (theta + yi) / (d * d)
			hbt += (yi - mu) * mu / (d * d)
			htt += trigamma(yi+theta) - trigamma(theta) + 1/theta - 2/d + (theta+yi)/(d*d)
		}
		det := hbb*htt - hbt*hbt
		if !(det > 0) || hbb >= 0 {
			break // not at a proper maximum: keep the profile's optimum
		}
		db := (htt*gb - hbt*gt) / det
		dt := (hbb*gt - hbt*gb) / det
		if theta-dt <= 0 {
			break
		}
		beta, theta = beta-db, theta-dt
		if math.Abs(db) < 1e-13 && math.Abs(dt) < 1e-13*theta {
			break
		}
	}
	det := hbb*htt - hbt*hbt
	fit := NegBinFit{Beta: beta, Theta: theta, LogLik: negBinLogLik(y, t, beta, theta)}
	// The inverse of the observed information −H: Var(β) = −H_θθ/det.
	fit.SE = math.Sqrt(-htt / det)
	fit.Rate = waldRate(beta, fit.SE, conf)
	return fit, nil
}

// waldRate is exp(β) with the interval exp(β ± z·se).
func waldRate(beta, se, conf float64) Estimate {
	z := distuv.UnitNormal.Quantile(1 - (1-conf)/2)
	return Estimate{math.Exp(beta), Interval{math.Exp(beta - z*se), math.Exp(beta + z*se)}}
}

// negBinBeta solves the score equation of β for fixed θ by Newton's method
// from start.
func negBinBeta(y []int, t []float64, theta, start float64) float64 {
	beta := start
	for range 100 {
		g, h := 0.0, 0.0
		for i := range y {
			yi, mu := float64(y[i]), t[i]*math.Exp(beta)
			d := theta + mu
			g += theta * (yi - mu) / d
			h -= theta * mu * (theta + yi) / (d * d)
		}
		step := g / h
		beta -= step
		if math.Abs(step) < 1e-14 {
			break
		}
	}
	return beta
}

// negBinLogLik is the NB2 log-likelihood at (β, θ).
func negBinLogLik(y []int, t []float64, beta, theta float64) float64 {
	ll := 0.0
	lgTheta, _ := math.Lgamma(theta)
	for i := range y {
		yi, mu := float64(y[i]), t[i]*math.Exp(beta)
		a, _ := math.Lgamma(yi + theta)
		c, _ := math.Lgamma(yi + 1)
		ll += a - lgTheta - c + theta*math.Log(theta/(theta+mu))
		if yi > 0 {
			ll += yi * math.Log(mu/(theta+mu))
		}
	}
	return ll
}

// poissonLogLik is the Poisson log-likelihood at β.
func poissonLogLik(y []int, t []float64, beta float64) float64 {
	ll := 0.0
	for i := range y {
		yi, mu := float64(y[i]), t[i]*math.Exp(beta)
		c, _ := math.Lgamma(yi + 1)
		ll += yi*math.Log(mu) - mu - c
	}
	return ll
}

// digamma is ψ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x up to
// x ≥ 6, then the asymptotic series (error below 1e-13).
func digamma(x float64) float64 {
	r := 0.0
	for x < 6 {
		r -= 1 / x
		x++
	}
	f := 1 / (x * x)
	return r + math.Log(x) - 0.5/x - f*(1.0/12-f*(1.0/120-f*(1.0/252-f*(1.0/240-f/132))))
}

// trigamma is ψ′(x) for x > 0: ψ′(x) = ψ′(x+1) + 1/x² up to x ≥ 6, then
// the asymptotic series (error below 1e-13).
func trigamma(x float64) float64 {
	r := 0.0
	for x < 6 {
		r += 1 / (x * x)
		x++
	}
	f := 1 / (x * x)
	return r + 1/x + f/2 + f/x*(1.0/6-f*(1.0/30-f*(1.0/42-f/30)))
}
