package analyses

import (
	"math"
	"testing"

	"github.com/outcomes-research/outcomes/analyses/stats"
)

// TestRateIntervals checks what every published proportion carries; the
// values are R's: binom.test(0, 19) 0–0.17647, binom.test(0, 19,
// alternative = "less") upper 0.14587, binom.test(15, 15, alternative =
// "greater") lower 0.81896, prop.test(0, 19, correct = FALSE) 0–0.16818.
func TestRateIntervals(t *testing.T) {
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 5e-6 {
			t.Errorf("%s = %.6f, want %.5f", what, got, want)
		}
	}
	r := Rate{N: 19}
	r.setIntervals()
	near("Wilson upper 0/19", r.CI.Upper, 0.16818)
	near("exact upper 0/19", r.Exact.Upper, 0.17647)
	near("one-sided bound 0/19", r.Bound, 0.145869)
	near("zero-event chance 19 at 10%", r.ZeroEventChance(0.10), 0.135085)
	cols := rateColumns(r)
	if cols[5] == nil || cols[6] != nil {
		t.Errorf("0 events: one_sided_upper %v, one_sided_lower %v; want a bound and NULL", cols[5], cols[6])
	}

	r = Rate{N: 15, Events: 15}
	r.setIntervals()
	near("one-sided bound 15/15", r.Bound, 0.81896)
	if cols := rateColumns(r); cols[5] != nil || cols[6] == nil {
		t.Errorf("n events: one_sided_upper %v, one_sided_lower %v; want NULL and a bound", cols[5], cols[6])
	}

	r = Rate{N: 50, Events: 16}
	r.setIntervals()
	if !math.IsNaN(r.Bound) {
		t.Errorf("16/50: bound %v, want NaN (only at 0 or n events)", r.Bound)
	}
	if cols := rateColumns(Rate{}); len(cols) != 7 || cols[0] != nil {
		t.Errorf("n = 0: columns %v, want 7 NULLs", cols)
	}
}

// TestPersonTime checks the person-years and the Poisson interval on four
// hand-worked subjects: 715.25 days = 1.958248 person-years, 2 events;
// poisson.test(2, 715.25/365.25) gives 1.021321 (0.123687, 3.689363).
func TestPersonTime(t *testing.T) {
	groups := map[string][]stats.Subject{"A": {{Time: 100, Event: true}, {Time: 200}, {Time: 365.25}, {Time: 50, Event: true}}}
	curves := []SurvivalCurve{{Programme: "A"}, {Programme: "B", Suppressed: true}}
	got := computePersonTime("recidivism", groups, curves)
	if len(got) != 2 {
		t.Fatalf("%d rows, want one per curve", len(got))
	}
	a := got[0]
	if a.N != 4 || a.Events != 2 || math.Abs(a.PersonYears-715.25/365.25) > 1e-12 {
		t.Errorf("A: n %d events %d person-years %v", a.N, a.Events, a.PersonYears)
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{{"rate", a.Rate.Value, 1.0213212}, {"lower", a.Rate.Lower, 0.1236867}, {"upper", a.Rate.Upper, 3.6893634}} {
		if math.Abs(c.got-c.want) > 1e-6 {
			t.Errorf("%s = %.6f, want %.6f", c.what, c.got, c.want)
		}
	}
	if !got[1].Suppressed {
		t.Error("B: the person-time rate must follow its suppressed curve")
	}
}
