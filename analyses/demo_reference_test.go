package analyses

// TestDemoAgainstR checks the analysis-level numbers that Compute publishes
// for the bundled demo study against R (base R and the survival package).
// Package stats is checked against R on generated datasets; this test checks
// that the analyses feed it the right subjects, covariates and options.
//
// The fixtures are regenerated, from the repository root, with
//
//	go test -tags duckdb_arrow -run TestDemoAgainstR ./analyses -update-demo-subjects && Rscript analyses/testdata/make_demo_reference.R
//
// The first command writes the subjects of every outcome, as loadSubjects
// reads them from the demo study, to testdata/demo_subjects_<outcome>.csv
// (no identifiers: programme, covariates, follow-up and window flags, rows
// sorted by every column); the R script computes from those files alone what
// the analyses publish and writes testdata/demo_reference.json. The test
// itself does not need R.
//
// Tolerances: every count (persons, events, numbers at risk, cumulative
// events and censorings, degrees of freedom) must be equal. Every other
// number — Kaplan–Meier survival, Greenwood standard errors, confidence
// limits, medians, the log-rank statistic and p-value, Cox hazard ratios,
// their limits and p-values, the observed, expected, overall and adjusted
// rates and the Wilson limits — must agree to demoRelTol relative, with an
// absolute floor of demoAbsTol for values near zero. A NaN (R's NA) must be
// NaN on both sides. At the time of writing the closed forms agree to 1e-15
// and the models to 4e-12 relative, so a failure well inside the bounds
// still deserves a look.
//
// The published results are compared where they are not suppressed; a second
// pass compares the exact values of computeAll (before disclosure control),
// which also covers the cells the demo's results hide.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats/rref"
)

var updateDemoSubjects = flag.Bool("update-demo-subjects", false,
	"rewrite testdata/demo_subjects_<outcome>.csv from the demo study (then rerun Rscript analyses/testdata/make_demo_reference.R)")

const (
	demoRelTol = 1e-6 // relative tolerance of every non-count value
	demoAbsTol = 1e-9 // absolute floor for values near zero
)

const demoRegenerate = "rerun, from the repository root: go test -tags duckdb_arrow -run TestDemoAgainstR ./analyses -update-demo-subjects && Rscript analyses/testdata/make_demo_reference.R"

func demoSubjectsPath(outcome string) string {
	return filepath.Join("testdata", "demo_subjects_"+outcome+".csv")
}

// compareSubjects orders subjects by every column of the CSV, in column
// order (a missing age, and an unknown prior count, first).
func compareSubjects(a, b subject) int {
	b2i := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	c := cmp.Or(
		strings.Compare(a.programme, b.programme),
		cmp.Compare(b2i(a.hasAge), b2i(b.hasAge)),
		cmp.Compare(a.age, b.age),
		cmp.Compare(b2i(a.female), b2i(b.female)),
		cmp.Compare(b2i(a.priorKnown), b2i(b.priorKnown)),
		cmp.Compare(a.prior, b.prior),
		cmp.Compare(a.days, b.days),
		cmp.Compare(b2i(a.event), b2i(b.event)),
	)
	for i := 0; c == 0 && i < len(a.closed); i++ {
		c = cmp.Or(cmp.Compare(b2i(a.closed[i]), b2i(b.closed[i])), cmp.Compare(b2i(a.hit[i]), b2i(b.hit[i])))
	}
	return c
}

// subjectsCSV renders subjects of an outcome with windows ws as the CSV
// fixture, rows in canonical order.
func subjectsCSV(ws []int, subs []subject) []byte {
	subs = slices.Clone(subs)
	slices.SortFunc(subs, compareSubjects)
	flag01 := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := []string{"programme", "age", "female", "prior", "days", "event"}
	for _, m := range ws {
		header = append(header, fmt.Sprintf("closed_%d", m), fmt.Sprintf("hit_%d", m))
	}
	w.Write(header)
	for _, s := range subs {
		age := ""
		if s.hasAge {
			age = num(s.age)
		}
		prior := "" // outside the justice coverage: unknown
		if s.priorKnown {
			prior = strconv.Itoa(s.prior)
		}
		row := []string{s.programme, age, flag01(s.female), prior, num(s.days), flag01(s.event)}
		for i := range ws {
			row = append(row, flag01(s.closed[i]), flag01(s.hit[i]))
		}
		w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

// demoReference is testdata/demo_reference.json.
type demoReference struct {
	RVersion        string `json:"r_version"`
	SurvivalVersion string `json:"survival_version"`
	Subjects        []struct {
		Outcome string `json:"outcome"`
		N       int    `json:"n"`
	} `json:"subjects"`
	Curves     []demoCurve      `json:"curves"`
	LogRank    []demoLogRank    `json:"logrank"`
	Cox        []demoCox        `json:"cox"`
	Adjusted   []demoAdjusted   `json:"adjusted"`
	Prevalence []demoPrevalence `json:"prevalence"`
}

// demoCurve is the R reference of one Kaplan–Meier curve.
type demoCurve struct {
	Outcome   string `json:"outcome"`
	Programme string `json:"programme"`
	N         int    `json:"n"`
	Events    int    `json:"events"`
	// Steps are the rows of summary(fit): one per event time.
	Steps struct {
		Time      []float64     `json:"time"`
		NRisk     []int         `json:"n_risk"`
		NEvent    []int         `json:"n_event"`
		NCensor   []int         `json:"n_censor"`
		Surv      []rref.Number `json:"surv"`
		StdErr    []rref.Number `json:"std_err"`
		StdErrLog []rref.Number `json:"std_err_log"`
		Lower     []rref.Number `json:"lower"`
		Upper     []rref.Number `json:"upper"`
	} `json:"steps"`
	// At is the curve at the days of the at-risk months.
	At struct {
		Month    []int         `json:"month"`
		Day      []int         `json:"day"`
		NRisk    []int         `json:"n_risk"`
		Events   []int         `json:"events"`
		Censored []int         `json:"censored"`
		Surv     []rref.Number `json:"surv"`
		StdErr   []rref.Number `json:"std_err"`
		Lower    []rref.Number `json:"lower"`
		Upper    []rref.Number `json:"upper"`
	} `json:"at"`
	Median [3]rref.Number `json:"median"`
}

// demoLogRank is the R reference of a log-rank test.
type demoLogRank struct {
	Outcome    string      `json:"outcome"`
	Programmes []string    `json:"programmes"`
	ChiSq      rref.Number `json:"chisq"`
	DF         int         `json:"df"`
	P          rref.Number `json:"p"`
}

// demoCox is the R reference of a Cox model.
type demoCox struct {
	Outcome   string        `json:"outcome"`
	Reference string        `json:"reference"`
	N         int           `json:"n"`
	Events    int           `json:"events"`
	Skipped   bool          `json:"skipped"`
	Dropped   []string      `json:"dropped"`
	Terms     []string      `json:"terms"`
	HR        []rref.Number `json:"hr"`
	HRLower   []rref.Number `json:"hr_lower"`
	HRUpper   []rref.Number `json:"hr_upper"`
	P         []rref.Number `json:"p"`
}

// demoAdjusted is the R reference of an adjusted rate.
type demoAdjusted struct {
	Outcome   string      `json:"outcome"`
	Programme string      `json:"programme"`
	Window    int         `json:"window"`
	N         int         `json:"n"`
	Skipped   bool        `json:"skipped"`
	Dropped   []string    `json:"dropped"`
	Observed  rref.Number `json:"observed"`
	Expected  rref.Number `json:"expected"`
	Overall   rref.Number `json:"overall"`
	Adjusted  rref.Number `json:"adjusted"`
}

// demoPrevalence is the R reference of an all-cohorts rate with its Wilson interval.
type demoPrevalence struct {
	Outcome   string      `json:"outcome"`
	Programme string      `json:"programme"`
	Window    int         `json:"window"`
	N         int         `json:"n"`
	Events    int         `json:"events"`
	Rate      rref.Number `json:"rate"`
	Lower     rref.Number `json:"lower"`
	Upper     rref.Number `json:"upper"`
}

// demoCompare compares values and keeps, per kind, how many were compared
// and the largest relative difference.
type demoCompare struct {
	t      *testing.T
	n      map[string]int
	maxRel map[string]float64
}

func (c *demoCompare) float(kind, what string, got float64, want rref.Number) {
	c.t.Helper()
	w := float64(want)
	c.n[kind]++
	switch {
	case math.IsNaN(got) || math.IsNaN(w):
		if !math.IsNaN(got) || !math.IsNaN(w) {
			c.t.Errorf("%s: got %v, R %v", what, got, w)
		}
		return
	case math.IsInf(got, 0) || math.IsInf(w, 0):
		if got != w {
			c.t.Errorf("%s: got %v, R %v", what, got, w)
		}
		return
	}
	diff := math.Abs(got - w)
	if w != 0 {
		c.maxRel[kind] = max(c.maxRel[kind], diff/math.Abs(w))
	}
	if diff > max(demoRelTol*math.Abs(w), demoAbsTol) {
		c.t.Errorf("%s: got %.17g, R %.17g (relative difference %.3g)", what, got, w, diff/math.Abs(w))
	}
}

func (c *demoCompare) count(kind, what string, got, want int) {
	c.t.Helper()
	c.n[kind]++
	if got != want {
		c.t.Errorf("%s: got %d, R %d", what, got, want)
	}
}

func (c *demoCompare) names(what string, got, want []string) {
	c.t.Helper()
	if !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
		c.t.Errorf("%s: got %q, R %q", what, got, want)
	}
}

// demoMinCompared is, per kind of value, the fewest the published demo
// results must yield (a little below what they yield now, so that the test
// cannot pass by comparing nothing, e.g. once everything is suppressed).
// Since issue 12 a published curve keeps only the points where at least
// min_cell persons left the risk set, and a hidden cell hides its n too:
// fewer steps, months and counts are published than before.
var demoMinCompared = map[string]int{
	"survival steps":     600,
	"survival at months": 30,
	"at-risk counts":     120,
	"medians":            10,
	"log-rank":           6,
	"cox":                30,
	"adjusted rates":     12,
	"prevalence":         24,
	"counts":             350,
}

func TestDemoAgainstR(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo exports")
	}
	ctx := context.Background()
	s, st := loadDemo(t)
	res, err := Compute(ctx, s.DB(), st, 1)
	if err != nil {
		t.Fatal(err)
	}

	// (a) The fixture holds the subjects the analyses see.
	subjects := map[string]int{}
	for _, outcome := range outcomesOf(st) {
		subs, err := loadSubjects(ctx, s.DB(), st, outcome)
		if err != nil {
			t.Fatal(err)
		}
		subjects[string(outcome)] = len(subs)
		got := subjectsCSV(windows(st, outcome), subs)
		path := demoSubjectsPath(string(outcome))
		if *updateDemoSubjects {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d subjects)", path, len(subs))
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v; %s", err, demoRegenerate)
		}
		if !bytes.Equal(got, want) {
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			line := 0
			for line < min(len(gl), len(wl)) && gl[line] == wl[line] {
				line++
			}
			t.Fatalf("%s does not hold the subjects loadSubjects reads from the demo (%d lines, fixture %d; first difference on line %d); %s",
				path, len(gl), len(wl), line+1, demoRegenerate)
		}
	}
	if *updateDemoSubjects {
		t.Log("subjects written; now run Rscript analyses/testdata/make_demo_reference.R and rerun the test")
		return
	}

	// (b) What Compute publishes equals what R computes from the fixture.
	raw, err := os.ReadFile(filepath.Join("testdata", "demo_reference.json"))
	if err != nil {
		t.Fatalf("%v; %s", err, demoRegenerate)
	}
	var ref demoReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	t.Logf("reference from %s, survival %s", ref.RVersion, ref.SurvivalVersion)
	if len(ref.Subjects) != len(subjects) {
		t.Errorf("reference covers %d outcomes, the demo has %d; %s", len(ref.Subjects), len(subjects), demoRegenerate)
	}

	published := &demoCompare{t: t, n: map[string]int{}, maxRel: map[string]float64{}}
	for _, r := range ref.Subjects {
		published.count("counts", r.Outcome+" subjects", subjects[r.Outcome], r.N)
	}
	t.Run("published", func(t *testing.T) {
		published.t = t
		compareDemo(t, published, res, &ref, st.MinCell, true)
	})

	// The same comparison on the exact values before disclosure control,
	// which covers the cells the published results hide (in the demo, every
	// shelter_return adjusted rate). This is a test of the computation only:
	// these values never leave the package.
	exact := &Results{Study: st}
	if err := computeAll(ctx, s.DB(), st, exact); err != nil {
		t.Fatal(err)
	}
	unpublished := &demoCompare{t: t, n: map[string]int{}, maxRel: map[string]float64{}}
	t.Run("exact", func(t *testing.T) {
		unpublished.t = t
		compareDemo(t, unpublished, exact, &ref, st.MinCell, false)
	})

	kinds := make([]string, 0, len(demoMinCompared))
	for k := range demoMinCompared {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	total := 0
	for _, k := range kinds {
		total += published.n[k]
		t.Logf("%-18s published: %5d compared, largest relative difference %.3g; exact: %5d compared, largest relative difference %.3g",
			k, published.n[k], published.maxRel[k], unpublished.n[k], unpublished.maxRel[k])
		if published.n[k] < demoMinCompared[k] {
			t.Errorf("%s: only %d published values compared, want at least %d", k, published.n[k], demoMinCompared[k])
		}
		if unpublished.n[k] < published.n[k] {
			t.Errorf("%s: %d exact values compared, fewer than the %d published", k, unpublished.n[k], published.n[k])
		}
	}
	if total == 0 {
		t.Fatal("nothing compared")
	}
}

// compareDemo compares res with the R reference. With published, res is what
// Compute returns: what it marks suppressed (and the steps of a truncated
// curve beyond the published part) is skipped. Without, res holds the exact
// values of computeAll and everything is compared.
func compareDemo(t *testing.T, c *demoCompare, res *Results, ref *demoReference, minCell int, published bool) {
	hidden := func(suppressed bool) bool { return published && suppressed }

	// Kaplan–Meier curves, their at-risk tables and medians.
	if len(res.Survival) != len(ref.Curves) {
		t.Errorf("%d curves, R %d", len(res.Survival), len(ref.Curves))
	}
	for _, cv := range res.Survival {
		i := slices.IndexFunc(ref.Curves, func(r demoCurve) bool {
			return r.Outcome == string(cv.Outcome) && r.Programme == cv.Programme
		})
		if i < 0 {
			t.Errorf("curve %s %s: not in the R reference", cv.Outcome, cv.Programme)
			continue
		}
		r := ref.Curves[i]
		name := string(cv.Outcome) + " " + cv.Programme
		if hidden(cv.Suppressed) {
			continue
		}
		c.count("counts", name+" N", cv.N, r.N)
		c.count("counts", name+" events", cv.Events, r.Events)
		truncated := published && cv.Truncated
		rs := r.Steps
		if len(cv.Steps) > len(rs.Time) || (!truncated && len(cv.Steps) != len(rs.Time)) {
			t.Errorf("%s: %d steps (truncated %v), R has %d", name, len(cv.Steps), truncated, len(rs.Time))
			continue
		}

		// Published curves keep only the points where at least minCell
		// persons left the risk set since the previous one (markSurvival):
		// each is one of R's steps, found by its time, with the events and
		// censorings summed since the previous point.
		prev := -1
		for pi, sp := range cv.Steps {
			j := pi
			if published {
				j = slices.Index(rs.Time, sp.Time)
				if j <= prev {
					t.Errorf("%s: published point %d at day %v is no later step of R's curve", name, pi, sp.Time)
					break
				}
			}
			at := fmt.Sprintf("%s step %d (day %v)", name, j, rs.Time[j])
			c.float("survival steps", at+" time", sp.Time, rref.Number(rs.Time[j]))
			nRisk, nEvent, nCensor := rs.NRisk[j], rs.NEvent[j], rs.NCensor[j]
			if published {
				nRisk, nEvent, nCensor = rs.NRisk[prev+1], 0, 0
				for k := prev + 1; k <= j; k++ {
					nEvent += rs.NEvent[k]
					nCensor += rs.NCensor[k]
				}
				if nEvent+nCensor < minCell {
					t.Errorf("%s: published point at day %v follows only %d persons leaving the risk set", name, sp.Time, nEvent+nCensor)
				}
			}
			prev = j
			c.count("counts", at+" n.risk", sp.AtRisk, nRisk)
			c.count("counts", at+" n.event", sp.Events, nEvent)
			c.count("counts", at+" n.censor", sp.Censored, nCensor)
			c.float("survival steps", at+" surv", sp.Survival, rs.Surv[j])
			c.float("survival steps", at+" std.err", sp.StdErr, rs.StdErr[j])
			c.float("survival steps", at+" std.err of log S", sp.StdErrLog, rs.StdErrLog[j])
			c.float("survival steps", at+" lower", sp.Lower, rs.Lower[j])
			c.float("survival steps", at+" upper", sp.Upper, rs.Upper[j])
		}
		last := 0.0 // the last published step's time
		if len(cv.Steps) > 0 {
			last = cv.Steps[len(cv.Steps)-1].Time
		}

		// The at-risk table, and the curve (its steps above) at its days.
		ra := r.At
		if len(cv.AtRisk) != len(ra.Month) {
			t.Errorf("%s: %d at-risk rows, R %d", name, len(cv.AtRisk), len(ra.Month))
			continue
		}
		for j, row := range cv.AtRisk {
			at := fmt.Sprintf("%s month %d", name, row.Month)
			c.count("at-risk counts", at+" month", row.Month, ra.Month[j])
			c.count("at-risk counts", at+" day", row.Day, ra.Day[j])
			if !hidden(row.Suppressed) {
				c.count("at-risk counts", at+" at risk", row.AtRisk, ra.NRisk[j])
				c.count("at-risk counts", at+" cumulative events", row.Events, ra.Events[j])
				c.count("at-risk counts", at+" cumulative censored", row.Censored, ra.Censored[j])
			}
			day := float64(row.Day)
			if truncated && day > last {
				continue // beyond the published part of the curve
			}
			surv, se, lo, up := 1.0, 0.0, 1.0, 1.0
			if k := sort.Search(len(cv.Steps), func(k int) bool { return cv.Steps[k].Time > day }) - 1; k >= 0 {
				sp := cv.Steps[k]
				surv, se, lo, up = sp.Survival, sp.StdErr, sp.Lower, sp.Upper
				// A published curve reads the last published point: it
				// matches R only when no merged step lies between it and
				// the day.
				if kr := sort.Search(len(rs.Time), func(k int) bool { return rs.Time[k] > day }) - 1; published && (kr < 0 || rs.Time[kr] != sp.Time) {
					continue
				}
			} else if published && len(rs.Time) > 0 && rs.Time[0] <= day {
				continue
			}
			c.float("survival at months", at+" surv", surv, ra.Surv[j])
			c.float("survival at months", at+" std.err", se, ra.StdErr[j])
			c.float("survival at months", at+" lower", lo, ra.Lower[j])
			c.float("survival at months", at+" upper", up, ra.Upper[j])
		}

		// The median and its limits; redactSurvival drops those beyond the
		// published part of a truncated curve.
		for j, got := range []float64{cv.Median.Value, cv.Median.Lower, cv.Median.Upper} {
			want := r.Median[j]
			if truncated && float64(want) > last {
				want = rref.Number(math.NaN())
			}
			c.float("medians", fmt.Sprintf("%s median[%d]", name, j), got, want)
		}
	}

	// Log-rank tests.
	if len(res.LogRank) != len(ref.LogRank) {
		t.Errorf("%d log-rank tests, R %d", len(res.LogRank), len(ref.LogRank))
	}
	for _, lr := range res.LogRank {
		i := slices.IndexFunc(ref.LogRank, func(r demoLogRank) bool { return r.Outcome == string(lr.Outcome) })
		if i < 0 {
			t.Errorf("log-rank %s: not in the R reference", lr.Outcome)
			continue
		}
		r := ref.LogRank[i]
		c.names(string(lr.Outcome)+" log-rank programmes", lr.Programmes, r.Programmes)
		if lr.Skipped != "" {
			t.Errorf("log-rank %s: skipped (%s), R computed it", lr.Outcome, lr.Skipped)
			continue
		}
		c.count("log-rank", string(lr.Outcome)+" log-rank df", lr.DF, r.DF)
		c.float("log-rank", string(lr.Outcome)+" log-rank chisq", lr.ChiSq, r.ChiSq)
		c.float("log-rank", string(lr.Outcome)+" log-rank p", lr.P, r.P)
	}

	// Cox models.
	if len(res.Cox) != len(ref.Cox) {
		t.Errorf("%d Cox models, R %d", len(res.Cox), len(ref.Cox))
	}
	for _, m := range res.Cox {
		i := slices.IndexFunc(ref.Cox, func(r demoCox) bool { return r.Outcome == string(m.Outcome) })
		if i < 0 {
			t.Errorf("Cox model %s: not in the R reference", m.Outcome)
			continue
		}
		r := ref.Cox[i]
		c.names(string(m.Outcome)+" Cox reference", []string{m.Reference}, []string{r.Reference})
		if !published || !m.nHidden {
			c.count("counts", string(m.Outcome)+" Cox N", m.N, r.N)
		}
		if !published || !m.eventsHidden {
			c.count("counts", string(m.Outcome)+" Cox events", m.Events, r.Events)
		}
		if !published { // published results never name a constant covariate
			c.names(string(m.Outcome)+" Cox dropped", m.Dropped, r.Dropped)
		}
		if (m.Skipped != "") != r.Skipped {
			t.Errorf("Cox %s: skipped %q, R skipped %v", m.Outcome, m.Skipped, r.Skipped)
			continue
		}
		var terms []string
		for _, tr := range m.Terms {
			terms = append(terms, tr.Term)
		}
		c.names(string(m.Outcome)+" Cox terms", terms, r.Terms)
		if len(terms) != len(r.Terms) {
			continue
		}
		for j, tr := range m.Terms {
			if hidden(tr.Suppressed) {
				continue
			}
			at := string(m.Outcome) + " Cox " + tr.Term
			c.float("cox", at+" HR", tr.Value, r.HR[j])
			c.float("cox", at+" HR lower", tr.Lower, r.HRLower[j])
			c.float("cox", at+" HR upper", tr.Upper, r.HRUpper[j])
			c.float("cox", at+" p", tr.P, r.P[j])
		}
	}

	// Adjusted rates.
	if len(res.Adjusted) != len(ref.Adjusted) {
		t.Errorf("%d adjusted rates, R %d", len(res.Adjusted), len(ref.Adjusted))
	}
	for _, a := range res.Adjusted {
		at := fmt.Sprintf("%s %s %dm", a.Outcome, a.Programme, a.WindowMonths)
		i := slices.IndexFunc(ref.Adjusted, func(r demoAdjusted) bool {
			return r.Outcome == string(a.Outcome) && r.Programme == a.Programme && r.Window == a.WindowMonths
		})
		if i < 0 {
			t.Errorf("adjusted rate %s: not in the R reference", at)
			continue
		}
		r := ref.Adjusted[i]
		if !hidden(a.Suppressed) {
			c.count("counts", at+" adjusted N", a.N, r.N)
		}
		if !published { // published results never name a constant covariate
			c.names(at+" adjusted dropped", a.Dropped, r.Dropped)
		}
		if (a.Skipped != "") != r.Skipped {
			t.Errorf("adjusted %s: skipped %q, R skipped %v", at, a.Skipped, r.Skipped)
			continue
		}
		if hidden(a.Suppressed) {
			continue
		}
		c.float("adjusted rates", at+" observed", a.Observed, r.Observed)
		if a.Skipped == "" {
			c.float("adjusted rates", at+" expected", a.Expected, r.Expected)
			c.float("adjusted rates", at+" overall", a.Overall, r.Overall)
			c.float("adjusted rates", at+" adjusted", a.Adjusted, r.Adjusted)
		}
	}

	// Prevalence: the all-cohorts rate of each programme and window.
	totals := 0
	for _, rt := range res.Rates {
		if rt.Cohort != 0 || rt.Breakdown != "" {
			continue
		}
		totals++
		at := fmt.Sprintf("%s %s %dm", rt.Outcome, rt.Programme, rt.WindowMonths)
		i := slices.IndexFunc(ref.Prevalence, func(r demoPrevalence) bool {
			return r.Outcome == string(rt.Outcome) && r.Programme == rt.Programme && r.Window == rt.WindowMonths
		})
		if i < 0 {
			t.Errorf("rate %s: not in the R reference", at)
			continue
		}
		r := ref.Prevalence[i]
		if hidden(rt.Suppressed) {
			continue // n is hidden too
		}
		c.count("counts", at+" n", rt.N, r.N)
		c.count("counts", at+" events", rt.Events, r.Events)
		c.float("prevalence", at+" rate", rt.Rate, r.Rate)
		c.float("prevalence", at+" Wilson lower", rt.CI.Lower, r.Lower)
		c.float("prevalence", at+" Wilson upper", rt.CI.Upper, r.Upper)
	}
	if totals != len(ref.Prevalence) {
		t.Errorf("%d all-cohorts rates, R %d", totals, len(ref.Prevalence))
	}
}
