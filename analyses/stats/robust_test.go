package stats_test

// The reference values in testdata/robust.json come from R's survival
// package (3.5-3), regenerated from the repository root with
//
//	Rscript analyses/stats/testdata/make_robust.R
//
// Tolerances: coefficients and standard errors (naive and robust) and score
// residuals at 1e-6 relative (iterative fits; numTol), the Schoenfeld
// test's chi-square and p at 1e-6 as well.

import (
	"encoding/json"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/analyses/stats/rref"
)

type robustCase struct {
	Name     string
	Time     []float64
	Status   []int
	ID       []string
	X        [][]float64
	Coef     []rref.Number
	NaiveSE  []rref.Number `json:"naive_se"`
	RobustSE []rref.Number `json:"robust_se"`
	RobustP  []rref.Number `json:"robust_p"`
	Score    [][]rref.Number
	ZPHChiSq []rref.Number `json:"zph_chisq"`
	ZPHDF    []int         `json:"zph_df"`
	ZPHP     []rref.Number `json:"zph_p"`
}

func loadRobust(t *testing.T) []robustCase {
	t.Helper()
	b, err := os.ReadFile("testdata/robust.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []robustCase }
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in testdata/robust.json")
	}
	return ref.Cases
}

func robustClose(t *testing.T, what string, got float64, want rref.Number) {
	t.Helper()
	w := float64(want)
	diff := got - w
	if diff < 0 {
		diff = -diff
	}
	scale := w
	if scale < 0 {
		scale = -scale
	}
	if scale < 1 {
		scale = 1
	}
	if diff > 1e-6*scale {
		t.Errorf("%s = %.10g, R %.10g", what, got, w)
	}
}

func TestCoxRobustAgainstR(t *testing.T) {
	for _, c := range loadRobust(t) {
		t.Run(c.Name, func(t *testing.T) {
			subs := make([]stats.Subject, len(c.Time))
			for i := range subs {
				subs[i] = stats.Subject{Time: c.Time[i], Event: c.Status[i] == 1}
			}
			p := len(c.X[0])
			x := mat.NewDense(len(c.X), p, nil)
			for i, row := range c.X {
				x.SetRow(i, row)
			}
			fit, err := stats.CoxPH(subs, x)
			if err != nil {
				t.Fatal(err)
			}
			rob, err := stats.CoxRobust(subs, x, c.ID, fit)
			if err != nil {
				t.Fatal(err)
			}
			for j := range p {
				robustClose(t, "coef", rob.Coefficients[j].Estimate, c.Coef[j])
				robustClose(t, "naive se", rob.NaiveStdErr[j], c.NaiveSE[j])
				robustClose(t, "robust se", rob.Coefficients[j].StdErr, c.RobustSE[j])
				robustClose(t, "robust p", rob.Coefficients[j].P, c.RobustP[j])
			}
			u, err := stats.ScoreResiduals(subs, x, fit)
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.Score {
				for j := range p {
					robustClose(t, "score residual", u.At(i, j), c.Score[i][j])
				}
			}
			ph, err := stats.CoxZPH(subs, x, fit)
			if err != nil {
				t.Fatal(err)
			}
			tests := append(ph.Terms, ph.Global)
			for j, tt := range tests {
				robustClose(t, "zph chisq", tt.ChiSq, c.ZPHChiSq[j])
				robustClose(t, "zph p", tt.P, c.ZPHP[j])
				if tt.DF != c.ZPHDF[j] {
					t.Errorf("zph df %d, R %d", tt.DF, c.ZPHDF[j])
				}
			}
		})
	}
}
