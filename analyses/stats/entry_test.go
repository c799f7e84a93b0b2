package stats_test

// The reference values in testdata/entry.json come from R's survival
// package (3.5-3), regenerated from the repository root with
//
//	Rscript analyses/stats/testdata/make_entry.R
//
// Tolerances: Kaplan–Meier (a product of ratios) at 1e-9 relative, Cox
// coefficients and standard errors (iterative) at 1e-6.

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/analyses/stats/rref"
)

// TestDelayedEntryAgainstR is issue 14's fixture (b): follow-up from
// release, entry at the aftercare start; the first person starts aftercare
// on day 40 and re-offended on day 20, so is never at risk.
func TestDelayedEntryAgainstR(t *testing.T) {
	b, err := os.ReadFile("testdata/entry.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Entry, Time []float64
		Status, G   []int
		Age         []float64
		Excluded    int
		KM          struct {
			Time         []float64
			NRisk        []int `json:"n_risk"`
			NEvent       []int `json:"n_event"`
			NCensor      []int `json:"n_censor"`
			Surv         []rref.Number
			StdErr       []rref.Number `json:"std_err"`
			Lower, Upper []rref.Number
		}
		Coef, SE []rref.Number
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	var subs []stats.EntrySubject
	for i := range ref.Time {
		subs = append(subs, stats.EntrySubject{Entry: ref.Entry[i], Time: ref.Time[i], Event: ref.Status[i] == 1})
	}
	kept, excluded := stats.ExcludeBeforeEntry(subs)
	if excluded != ref.Excluded || excluded < 1 {
		t.Fatalf("excluded %d, R %d (the day-20 re-offender among them)", excluded, ref.Excluded)
	}
	if _, err := stats.KaplanMeierEntry(subs, 0.95); err == nil {
		t.Error("KaplanMeierEntry accepted a subject whose follow-up ends before entry")
	}
	steps, err := stats.KaplanMeierEntry(kept, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != len(ref.KM.Time) {
		t.Fatalf("%d steps, R %d", len(steps), len(ref.KM.Time))
	}
	rel := func(what string, got float64, want rref.Number, tol float64) {
		t.Helper()
		w := float64(want)
		if math.Abs(got-w) > tol*math.Max(1e-300, math.Abs(w)) {
			t.Errorf("%s = %.12g, R %.12g", what, got, w)
		}
	}
	for i, s := range steps {
		if s.Time != ref.KM.Time[i] || s.AtRisk != ref.KM.NRisk[i] || s.Events != ref.KM.NEvent[i] || s.Censored != ref.KM.NCensor[i] {
			t.Errorf("step %d: t %v n %d d %d c %d; R %v %d %d %d", i, s.Time, s.AtRisk, s.Events, s.Censored,
				ref.KM.Time[i], ref.KM.NRisk[i], ref.KM.NEvent[i], ref.KM.NCensor[i])
		}
		rel("surv", s.Survival, ref.KM.Surv[i], 1e-9)
		rel("std.err", s.StdErrLog, ref.KM.StdErr[i], 1e-9)
		rel("lower", s.Lower, ref.KM.Lower[i], 1e-9)
		rel("upper", s.Upper, ref.KM.Upper[i], 1e-9)
	}
	// The numbers at risk above match R's, so the day-20 re-offender is in
	// no risk set; the fixture holds that person first.
	if subs[0].Entry != 40 || subs[0].Time != 20 || !subs[0].Event {
		t.Fatal("fixture (b) person missing")
	}
	x := mat.NewDense(len(kept), 2, nil)
	k := 0
	for i := range ref.Time {
		if ref.Time[i] > ref.Entry[i] {
			x.Set(k, 0, float64(ref.G[i]))
			x.Set(k, 1, ref.Age[i])
			k++
		}
	}
	fit, err := stats.CoxPHEntry(kept, x)
	if err != nil {
		t.Fatal(err)
	}
	for j := range 2 {
		rel("coef", fit.Coefficients[j].Estimate, ref.Coef[j], 1e-6)
		rel("se", fit.Coefficients[j].StdErr, ref.SE[j], 1e-6)
	}
	// Without delayed entry the fit is CoxPH's.
	plain := make([]stats.EntrySubject, len(kept))
	times := make([]stats.Subject, len(kept))
	for i, s := range kept {
		plain[i] = stats.EntrySubject{Time: s.Time, Event: s.Event}
		times[i] = stats.Subject{Time: s.Time, Event: s.Event}
	}
	a, err := stats.CoxPHEntry(plain, x)
	if err != nil {
		t.Fatal(err)
	}
	c, err := stats.CoxPH(times, x)
	if err != nil {
		t.Fatal(err)
	}
	for j := range 2 {
		rel("no-entry coef", a.Coefficients[j].Estimate, rref.Number(c.Coefficients[j].Estimate), 1e-9)
	}
}

// TestSubjectEntryAgainstR runs fixture (b) through the estimators the
// analyses use (KaplanMeier with At, LogRank, CoxPH), with the entry in
// Subject.Entry: the same R values as TestDelayedEntryAgainstR, the
// at-risk table of summary(survfit(...), times = ...) and the log-rank
// statistic as the score test of coxph(..., ties = "exact").
func TestSubjectEntryAgainstR(t *testing.T) {
	b, err := os.ReadFile("testdata/entry.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Entry, Time []float64
		Status, G   []int
		Age         []float64
		KM          struct {
			Time  []float64
			NRisk []int `json:"n_risk"`
			Surv  []rref.Number
			Lower []rref.Number
		}
		Coef []rref.Number
		At   struct {
			Time    []float64
			NRisk   []int `json:"n_risk"`
			NEvent  []int `json:"n_event"`
			NCensor []int `json:"n_censor"`
			Surv    []rref.Number
		}
		LogRank  struct{ ChiSq rref.Number } `json:"logrank"`
		RobustSE []rref.Number               `json:"robust_se"`
		ScoreRes [][]rref.Number             `json:"score_res"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	var all []stats.Subject
	var groups [2][]stats.Subject
	var kept []int
	for i := range ref.Time {
		s := stats.Subject{Entry: ref.Entry[i], Time: ref.Time[i], Event: ref.Status[i] == 1}
		all = append(all, s)
		if s.Time > s.Entry {
			kept = append(kept, i)
			groups[ref.G[i]] = append(groups[ref.G[i]], s)
		}
	}
	if _, err := stats.KaplanMeier(all, 0.95, stats.ConfLog); err == nil {
		t.Error("KaplanMeier accepted the day-20 re-offender whose aftercare starts on day 40")
	}
	subs := make([]stats.Subject, len(kept))
	x := mat.NewDense(len(kept), 2, nil)
	for k, i := range kept {
		subs[k] = all[i]
		x.Set(k, 0, float64(ref.G[i]))
		x.Set(k, 1, ref.Age[i])
	}
	rel := func(what string, got float64, want rref.Number, tol float64) {
		t.Helper()
		if w := float64(want); math.Abs(got-w) > tol*math.Max(1e-300, math.Abs(w)) {
			t.Errorf("%s = %.12g, R %.12g", what, got, w)
		}
	}
	km, err := stats.KaplanMeier(subs, 0.95, stats.ConfLog)
	if err != nil {
		t.Fatal(err)
	}
	if len(km.Steps) != len(ref.KM.Time) {
		t.Fatalf("%d steps, R %d", len(km.Steps), len(ref.KM.Time))
	}
	for i, s := range km.Steps {
		if s.Time != ref.KM.Time[i] || s.AtRisk != ref.KM.NRisk[i] {
			t.Errorf("step %d: t %v n %d; R %v %d", i, s.Time, s.AtRisk, ref.KM.Time[i], ref.KM.NRisk[i])
		}
		rel("surv", s.Survival, ref.KM.Surv[i], 1e-9)
		rel("lower", s.Lower, ref.KM.Lower[i], 1e-9)
	}
	at, err := km.At(ref.At.Time)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range at {
		if r.AtRisk != ref.At.NRisk[i] || r.Events != ref.At.NEvent[i] || r.Censored != ref.At.NCensor[i] {
			t.Errorf("at day %v: n %d d %d c %d; R %d %d %d", r.Time, r.AtRisk, r.Events, r.Censored,
				ref.At.NRisk[i], ref.At.NEvent[i], ref.At.NCensor[i])
		}
		rel("surv at", r.Survival, ref.At.Surv[i], 1e-9)
	}
	lr, err := stats.LogRank(groups[0], groups[1])
	if err != nil {
		t.Fatal(err)
	}
	rel("log-rank chisq", lr.ChiSq, ref.LogRank.ChiSq, 1e-9)
	fit, err := stats.CoxPH(subs, x)
	if err != nil {
		t.Fatal(err)
	}
	for j := range 2 {
		rel("coef", fit.Coefficients[j].Estimate, ref.Coef[j], 1e-6)
	}
	// Score residuals and the person-clustered (Lin–Wei) variance over
	// counting-process risk sets; clusters pair kept rows 2k−1 and 2k, as
	// the R script does.
	u, err := stats.ScoreResiduals(subs, x, fit)
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(kept) {
		for j := range 2 {
			if got, want := u.At(i, j), float64(ref.ScoreRes[i][j]); math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("score residual %d,%d = %.10g, R %.10g", i, j, got, want)
			}
		}
	}
	cl := make([]string, len(kept))
	for k := range cl {
		cl[k] = fmt.Sprint(k / 2)
	}
	rob, err := stats.CoxRobust(subs, x, cl, fit)
	if err != nil {
		t.Fatal(err)
	}
	for j := range 2 {
		rel("robust se", rob.Coefficients[j].StdErr, ref.RobustSE[j], 1e-6)
	}
	if _, err := stats.CoxZPH(subs, x, fit); err == nil {
		t.Error("CoxZPH accepted delayed entry, which it does not model")
	}
}
