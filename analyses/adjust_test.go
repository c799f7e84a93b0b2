package analyses

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats/rref"
	"github.com/outcomes-research/outcomes/study"
)

// TestStandardisedRatesAgainstR checks the indirectly standardised rates and
// the O/E ratios with their exact Poisson intervals against R (glm,
// poisson.test) on testdata/standardised/subjects.csv; reference.json is
// written by testdata/standardised/make_reference.R (age and prior cases in
// the bands of caseMix, unknown its own band). Tolerance 1e-6 (an iterative
// fit and Gamma quantiles).
func TestStandardisedRatesAgainstR(t *testing.T) {
	f, err := os.Open("testdata/standardised/subjects.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var subs []subject
	for _, r := range recs[1:] {
		// An empty age is unknown; an empty prior count is outside the
		// justice coverage.
		age, _ := strconv.Atoi(r[1])
		prior, _ := strconv.Atoi(r[3])
		subs = append(subs, subject{programme: r[0], age: float64(age), hasAge: r[1] != "", female: r[2] == "1", prior: prior,
			priorKnown: r[3] != "", closed: []bool{true}, hit: []bool{r[4] == "1"}})
	}
	b, err := os.ReadFile("testdata/standardised/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Parameters int
		Programmes []struct {
			Programme                             string
			N                                     int
			Observed, Expected, Overall, Adjusted rref.Number
			OE                                    rref.Number    `json:"oe"`
			OECI                                  [2]rref.Number `json:"oe_ci"`
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	st := testStudy(t, "2025-12-31", 10, study.Programme{Code: "A", Outcome: study.OutcomeRecidivism}, study.Programme{Code: "B", Outcome: study.OutcomeRecidivism})
	got := computeAdjusted(study.OutcomeRecidivism, st, subs)
	if len(got) != 2 {
		t.Fatalf("%d rows, want 2", len(got))
	}
	for i, want := range ref.Programmes {
		a := got[i]
		if a.Skipped != "" || a.Programme != want.Programme || a.N != want.N || a.Reason != (SkipReason{}) {
			t.Fatalf("row %d: %+v", i, a)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"observed", a.Observed, float64(want.Observed)}, {"expected", a.Expected, float64(want.Expected)},
			{"overall", a.Overall, float64(want.Overall)}, {"standardised", a.Adjusted, float64(want.Adjusted)},
			{"O/E", a.OE.Value, float64(want.OE)}, {"O/E lower", a.OE.Lower, float64(want.OECI[0])}, {"O/E upper", a.OE.Upper, float64(want.OECI[1])}} {
			if math.Abs(c.got-c.want) > 1e-6*math.Max(1, math.Abs(c.want)) {
				t.Errorf("%s %s = %.10g, want %.10g", a.Programme, c.name, c.got, c.want)
			}
		}
	}

	// The design has R's columns: age and prior bands but the baselines,
	// unknown as a band of its own, and sex.
	if x, names, _ := design(subs, caseMix()); x == nil || len(names) != ref.Parameters {
		t.Errorf("design columns %v, want %d as R's", names, ref.Parameters)
	}

	// Ten events per parameter: the bands' parameters need ten times as
	// many with and without the outcome as 60 subjects have.
	small := subs[:60]
	for _, a := range computeAdjusted(study.OutcomeRecidivism, st, small) {
		if a.Skipped == "" || a.Reason.Rule != SkipPerParameter || !math.IsNaN(a.OE.Value) {
			t.Errorf("%s on 60 subjects: skipped %q, O/E %v; want skipped for events per parameter", a.Programme, a.Skipped, a.OE.Value)
		}
	}
}
