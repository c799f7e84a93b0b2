package analyses

import (
	"math"

	"github.com/outcomes-research/outcomes/analyses/stats"
)

// The intervals every published proportion carries (issue 15): Wilson's score
// interval, the exact Clopper–Pearson interval beside it, and at 0 or N events
// the one-sided exact bound, which says what such a count can rule out.

// setIntervals fills Rate, CI, Exact and Bound from Events and N.
func (r *Rate) setIntervals() {
	r.Rate = 0
	if r.N > 0 {
		r.Rate = float64(r.Events) / float64(r.N)
	}
	r.CI = stats.Wilson(r.Events, r.N, 0.95)
	r.Exact = stats.ClopperPearson(r.Events, r.N, 0.95)
	r.Bound = math.NaN()
	switch {
	case r.N == 0:
	case r.Events == 0:
		r.Bound = stats.ExactUpper(0, r.N, 0.95)
	case r.Events == r.N:
		r.Bound = stats.ExactLower(r.N, r.N, 0.95)
	}
}

// ZeroEventChance is the chance that a group of r.N people with a true rate
// p shows no event at all, (1 − p)^N (stats.ZeroEventChance): what a zero
// of this group can and cannot show. NaN when N is 0.
func (r Rate) ZeroEventChance(p float64) float64 {
	if r.N == 0 {
		return math.NaN()
	}
	return stats.ZeroEventChance(r.N, p)
}

// rateColumns are a rate's rate, ci_lower, ci_upper, exact_lower,
// exact_upper, one_sided_upper and one_sided_lower columns; all NULL when
// N is 0.
func rateColumns(r Rate) []any {
	if r.N == 0 {
		return make([]any, 7)
	}
	var up, lo any
	switch {
	case r.Events == 0:
		up = num(r.Bound)
	case r.Events == r.N:
		lo = num(r.Bound)
	}
	return []any{r.Rate, num(r.CI.Lower), num(r.CI.Upper), num(r.Exact.Lower), num(r.Exact.Upper), up, lo}
}
