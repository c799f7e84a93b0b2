package stats_test

// The reference values in testdata/exact.json come from base R, regenerated
// from the repository root with
//
//	Rscript analyses/stats/testdata/make_exact.R
//
// Tolerances as in reference_test.go: closedTol (1e-9 relative) for closed
// forms (the chance of zero events, bounds at 0 or n events, the
// Jacobson–Truax criterion, V), numTol (1e-6) for Beta and Gamma quantiles
// and normal tails (the other bounds, Poisson limits, signed-rank p-values).

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/analyses/stats/rref"
)

type exactReference struct {
	Bounds []struct {
		Events, N    int
		Conf         float64
		Upper, Lower rref.Number
	}
	ZeroChance []struct {
		N      int
		P      float64
		Chance rref.Number
	} `json:"zero_chance"`
	Poisson []struct {
		Events   int
		Exposure float64
		Conf     float64
		Rate     rref.Number
		CI       [2]rref.Number
	}
	Wilcoxon []struct {
		Name     string
		X, Y     []float64
		V, P     rref.Number
		N, Zeros int
	}
	Clustered []struct {
		Name     string
		X        []float64
		Cluster  []string
		Mean     rref.Number
		CI       [2]rref.Number
		Clusters int
	}
	JacobsonTruax []struct {
		SD, Reliability, Conf float64
		SDiff, Threshold      rref.Number
	} `json:"jacobson_truax"`
}

func loadExact(t *testing.T) *exactReference {
	t.Helper()
	b, err := os.ReadFile("testdata/exact.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref exactReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

func TestExactBoundsAgainstR(t *testing.T) {
	ref := loadExact(t)
	if len(ref.Bounds) == 0 {
		t.Fatal("no bounds in the fixture")
	}
	for _, tc := range ref.Bounds {
		t.Run(fmt.Sprintf("%d of %d at %v", tc.Events, tc.N, tc.Conf), func(t *testing.T) {
			tol := numTol
			if tc.Events == 0 || tc.Events == tc.N {
				tol = closedTol
			}
			checkNear(t, "upper", stats.ExactUpper(tc.Events, tc.N, tc.Conf), tc.Upper, tol)
			checkNear(t, "lower", stats.ExactLower(tc.Events, tc.N, tc.Conf), tc.Lower, tol)
		})
	}
}

func TestZeroEventChanceAgainstR(t *testing.T) {
	for _, tc := range loadExact(t).ZeroChance {
		checkNear(t, fmt.Sprintf("dbinom(0, %d, %v)", tc.N, tc.P), stats.ZeroEventChance(tc.N, tc.P), tc.Chance, closedTol)
	}
	// The sentence: with 19 people a true rate of 10% gives zero
	// events 13.5% of the time.
	if got := stats.ZeroEventChance(19, 0.10); math.Round(got*1000) != 135 {
		t.Errorf("ZeroEventChance(19, 0.10) = %v, want 0.135", got)
	}
}

func TestPoissonRateAgainstR(t *testing.T) {
	for _, tc := range loadExact(t).Poisson {
		t.Run(fmt.Sprintf("%d over %v at %v", tc.Events, tc.Exposure, tc.Conf), func(t *testing.T) {
			e := stats.PoissonRate(tc.Events, tc.Exposure, tc.Conf)
			checkNear(t, "rate", e.Value, tc.Rate, closedTol)
			checkNear(t, "lower", e.Lower, tc.CI[0], numTol)
			checkNear(t, "upper", e.Upper, tc.CI[1], numTol)
		})
	}
}

func TestWilcoxonSignedRankAgainstR(t *testing.T) {
	for _, tc := range loadExact(t).Wilcoxon {
		t.Run(tc.Name, func(t *testing.T) {
			got, err := stats.WilcoxonSignedRank(tc.X, tc.Y)
			if err != nil {
				t.Fatal(err)
			}
			checkInt(t, "n", got.N, tc.N)
			checkInt(t, "zeros", got.Zeros, tc.Zeros)
			checkNear(t, "V", got.V, tc.V, closedTol)
			checkNear(t, "p", got.P, tc.P, numTol)
		})
	}
	if _, err := stats.WilcoxonSignedRank([]float64{2, 3}, []float64{2, 3}); err == nil {
		t.Error("all-zero differences: want an error")
	}
}

func TestJacobsonTruaxAgainstR(t *testing.T) {
	for _, tc := range loadExact(t).JacobsonTruax {
		rc, err := stats.JacobsonTruax(tc.SD, tc.Reliability, tc.Conf)
		if err != nil {
			t.Fatal(err)
		}
		checkNear(t, "Sdiff", rc.SDiff, tc.SDiff, closedTol)
		checkNear(t, "threshold", rc.Threshold, tc.Threshold, closedTol)
	}
	rc, _ := stats.JacobsonTruax(1, 0.8, 0.95) // threshold 1.96·sqrt(0.4) = 1.24
	for _, c := range []struct {
		change float64
		want   int
	}{{1, 0}, {-1, 0}, {2, 1}, {-2, -1}, {0, 0}} {
		if got := rc.Classify(c.change); got != c.want {
			t.Errorf("Classify(%v) = %d, want %d (a one-point step is not reliable at r = 0.8, SD 1)", c.change, got, c.want)
		}
	}
	for _, bad := range [][3]float64{{0, 0.8, 0.95}, {1, 1, 0.95}, {1, -0.1, 0.95}, {math.NaN(), 0.5, 0.95}} {
		if _, err := stats.JacobsonTruax(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("JacobsonTruax%v: want an error", bad)
		}
	}
}

func TestClusteredMeanAgainstR(t *testing.T) {
	ref := loadExact(t)
	if len(ref.Clustered) == 0 {
		t.Fatal("no clustered cases in the fixture")
	}
	for _, tc := range ref.Clustered {
		t.Run(tc.Name, func(t *testing.T) {
			e, g, err := stats.ClusteredMean(tc.X, tc.Cluster, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			checkInt(t, "clusters", g, tc.Clusters)
			checkNear(t, "mean", e.Value, tc.Mean, closedTol)
			checkNear(t, "lower", e.Lower, tc.CI[0], numTol)
			checkNear(t, "upper", e.Upper, tc.CI[1], numTol)
		})
	}
	if _, _, err := stats.ClusteredMean([]float64{1, 2}, []string{"a", "a"}, 0.95); err == nil {
		t.Error("one cluster: want an error")
	}
}
