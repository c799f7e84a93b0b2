package analyses

import (
	"slices"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestCaseMixBands checks the banded case mix of the models: the age and
// prior-case bands (boundaries included on the right side of each band's
// lower edge), unknown as its own band, the most populous band as the
// baseline, empty bands left out without being named, and a factor with one
// band present named as dropped.
func TestCaseMixBands(t *testing.T) {
	for _, tc := range []struct {
		age    float64
		hasAge bool
		want   string
	}{{17, true, "<18"}, {18, true, "18-24"}, {24, true, "18-24"}, {25, true, "25-29"}, {29, true, "25-29"},
		{30, true, "30-39"}, {40, true, "40-49"}, {49, true, "40-49"}, {50, true, "50+"}, {0, false, "unknown"}} {
		if got := ageBandOf(subject{age: tc.age, hasAge: tc.hasAge}); got != tc.want {
			t.Errorf("age %v (known %v): band %s, want %s", tc.age, tc.hasAge, got, tc.want)
		}
	}
	for _, tc := range []struct {
		prior int
		known bool
		want  string
	}{{0, true, "0"}, {1, true, "1"}, {2, true, "2-4"}, {4, true, "2-4"}, {5, true, "5-10"}, {10, true, "5-10"},
		{11, true, "11+"}, {0, false, "unknown"}, {3, false, "unknown"}} {
		if got := priorBandOf(subject{prior: tc.prior, priorKnown: tc.known}); got != tc.want {
			t.Errorf("prior %d (known %v): band %s, want %s", tc.prior, tc.known, got, tc.want)
		}
	}

	// Ages: 3 of 18-24, 5 of 30-39 (the baseline), 2 unknown; priors: every
	// count known and 0 but one, unknown.
	var subs []subject
	for i, a := range []float64{20, 21, 22, 31, 32, 33, 34, 35, -1, -1} {
		subs = append(subs, subject{age: a, hasAge: a >= 0, female: i%2 == 0, priorKnown: true})
	}
	subs[9].priorKnown = false
	keep, dropped, baselines := plan(subs, caseMix())
	var names []string
	for _, c := range keep {
		names = append(names, c.name)
	}
	if want := []string{"age:18-24", "age:unknown", "sex:v", "prior_offences:unknown"}; !slices.Equal(names, want) {
		t.Errorf("columns %v, want %v", names, want)
	}
	if want := []string{"age:30-39", "prior_offences:0"}; !slices.Equal(baselines, want) || len(dropped) != 0 {
		t.Errorf("baselines %v dropped %v, want %v and none", baselines, dropped, want)
	}
	for i := range subs {
		subs[i].priorKnown = true
	}
	if _, dropped, _ := plan(subs, caseMix()); !slices.Equal(dropped, []string{"prior_offences"}) {
		t.Errorf("one prior band present: dropped %v, want [prior_offences]", dropped)
	}
}

// TestCoxEventsPerParameter: a Cox model with fewer than ten events per
// parameter is not fitted, with the rule and its numbers.
func TestCoxEventsPerParameter(t *testing.T) {
	st := testStudy(t, "2025-12-31", 1)
	st.Programmes = threeProgrammes(t, 1).Programmes[:2]
	var subs []subject
	for i := range 120 {
		s := subject{programme: []string{"AMB", "RES"}[i%2], age: float64(18 + i%40), hasAge: true, female: i%3 == 0,
			prior: i % 7, priorKnown: true, days: float64(30 + i*7), event: i%4 == 0}
		subs = append(subs, s)
	}
	m, ok := computeCox(study.OutcomeRecidivism, st, subs)
	r := m.Reason
	if !ok || r.Rule != SkipPerParameter || r.Events != 30 || r.Needed != 10*r.Parameters || r.Parameters < 4 ||
		!strings.Contains(m.Skipped, "per model parameter") || len(m.Terms) != 0 {
		t.Fatalf("cox on 120 subjects with 30 events: %+v", m)
	}
}
