package stats_test

// The reference values in testdata/negbin/reference.json come from
// statsmodels' NegativeBinomial (NB2, exposure as offset), regenerated in
// that folder with
//
//	/usr/bin/python3 make_reference.py
//
// (R's MASS::glm.nb is not installed on the build machine.) Tolerances:
// 1e-6 relative for β, its standard error, α = 1/θ and the interval (the
// optimisers stop at different points of a flat maximum), 1e-8 for the
// log-likelihood.

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats"
)

type negBinReference struct {
	Fits []struct {
		Name                    string
		Y                       []int
		T                       []float64
		Beta, SE, Alpha, LogLik float64
		Rate, Lower, Upper      float64
		Poisson                 bool
	}
}

func relClose(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestNegBinAgainstStatsmodels(t *testing.T) {
	raw, err := os.ReadFile("testdata/negbin/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref negBinReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Fits) < 4 {
		t.Fatalf("%d reference fits", len(ref.Fits))
	}
	for _, w := range ref.Fits {
		t.Run(w.Name, func(t *testing.T) {
			fit, err := stats.NegBinRate(w.Y, w.T, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			alpha := 1 / fit.Theta
			if !relClose(fit.Beta, w.Beta, 1e-6) || !relClose(fit.SE, w.SE, 1e-6) || !relClose(alpha, w.Alpha, 1e-6) {
				t.Errorf("beta %v se %v alpha %v; want %v %v %v", fit.Beta, fit.SE, alpha, w.Beta, w.SE, w.Alpha)
			}
			if !relClose(fit.LogLik, w.LogLik, 1e-8) {
				t.Errorf("log-likelihood %v, want %v", fit.LogLik, w.LogLik)
			}
			if !relClose(fit.Rate.Value, w.Rate, 1e-6) || !relClose(fit.Rate.Lower, w.Lower, 1e-6) || !relClose(fit.Rate.Upper, w.Upper, 1e-6) {
				t.Errorf("rate %+v, want %v [%v, %v]", fit.Rate, w.Rate, w.Lower, w.Upper)
			}
			if w.Poisson != math.IsInf(fit.Theta, 1) {
				t.Errorf("theta %v; the reference's maximum is Poisson: %v", fit.Theta, w.Poisson)
			}
		})
	}
}

func TestNegBinCannotFit(t *testing.T) {
	if _, err := stats.NegBinRate([]int{0, 0, 0}, []float64{1, 2, 1}, 0.95); err == nil {
		t.Error("no count above zero: want an error (beta is -Inf)")
	}
	if _, err := stats.NegBinRate([]int{3}, []float64{1}, 0.95); err == nil {
		t.Error("one unit: want an error")
	}
}
