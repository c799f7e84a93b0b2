package analyses

import (
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// smallGroupEvents is the number of events below which a comparison is
// flagged as too small to conclude anything.
const smallGroupEvents = 5

// computeComparisons compares, per contrast (study.Study.ComparisonContrasts:
// the study file's declared contrasts, else every pair of programmes sharing
// an outcome, the earlier one as programme A) and window, the programme (A)
// with its reference (B) on their all-cohorts rate cells (the same
// denominators as Rate: people whose window has closed, one person once per
// programme): risk difference A − B with Newcombe's hybrid score interval,
// relative risk A / B with the log-scale interval, and Fisher's exact test,
// all at 95%. The direction is the contrast's, the same as its hazard ratio
// (computeContrasts).
//
// These tests assume two groups of distinct persons. The persons in both
// cells are counted per window afterwards (markComparisonOverlap, Overlap and
// Relation); where they overlap, the report says so next to the row and
// points to the contrast table's disjoint and person-clustered estimates.
//
// SmallGroupWarning is set when either group has fewer than 2·minCell persons
// or fewer than 5 events: the estimate exists but is too unstable to act on.
// Suppressed is set when either rate cell is suppressed (see Suppress): the
// comparison would otherwise let a reader reconstruct it. rates must be
// marked by Suppress and not yet redacted.
func computeComparisons(st *study.Study, rates []Rate, minCell int) []Comparison {
	type key struct {
		programme string
		window    int
	}
	total := map[key]Rate{}
	for _, r := range rates {
		if r.Cohort == 0 && r.Breakdown == "" {
			total[key{r.Programme, r.WindowMonths}] = r
		}
	}
	var out []Comparison
	for _, ct := range st.ComparisonContrasts() {
		for _, w := range windows(st, ct.Outcome) {
			ra, okA := total[key{ct.Programme, w}]
			rb, okB := total[key{ct.Reference, w}]
			if !okA || !okB {
				continue
			}
			c := Comparison{Outcome: ct.Outcome, WindowMonths: w, A: ct.Programme, B: ct.Reference,
				Suppressed: ra.Suppressed || rb.Suppressed,
				SmallGroupWarning: ra.N < 2*minCell || rb.N < 2*minCell ||
					ra.Events < smallGroupEvents || rb.Events < smallGroupEvents,
				nA: ra.N, eventsA: ra.Events, nB: rb.N, eventsB: rb.Events,
			}
			if ra.N > 0 && rb.N > 0 {
				c.RiskDifference = stats.RiskDifference(ra.Events, ra.N, rb.Events, rb.N, 0.95)
				c.RelativeRisk = stats.RelativeRisk(ra.Events, ra.N, rb.Events, rb.N, 0.95)
				c.FisherP = stats.FisherExact(ra.Events, ra.N, rb.Events, rb.N).P
			} else {
				c.RiskDifference, c.RelativeRisk, c.FisherP = nanEstimate(), nanEstimate(), nan()
			}
			out = append(out, c)
		}
	}
	return out
}

// redactComparison clears a suppressed comparison.
func redactComparison(c *Comparison) {
	if c.Suppressed {
		// The warning is set on every suppressed comparison, so that it
		// says nothing about the hidden cell's counts.
		c.RiskDifference, c.RelativeRisk, c.FisherP = stats.Estimate{}, stats.Estimate{}, 0
		c.SmallGroupWarning = true
	}
	if c.Suppressed || c.OverlapHidden {
		c.Overlap = 0
	}
}
