package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// Rate is the share of a programme's people with the outcome within a window.
//
// Denominator: persons whose index trajectory's reference date plus the
// window (months added with the day clamped to the month's end) is on or
// before the data cut-off. Numerator: those of them whose first qualifying
// event falls within the window. One person counts once per programme.
type Rate struct {
	Programme    string // programme code
	Outcome      study.OutcomeKind
	WindowMonths int
	// Cohort is the year of the reference date; 0 means all cohorts. For
	// recidivism the cohorts are the Recidivemonitor's (outcome_cohort: a
	// person with reference dates in two years is in both cohort rows, from
	// the first reference date in each), so they need not add up to the
	// total; for the other kinds they are the year of the index reference
	// date and partition the total. Partial marks a cohort year whose
	// window has not closed for all who can be in it (partialCohort): it
	// is not a complete year and reports say so.
	Cohort  int
	Partial bool
	// Definition names what is counted: the study's headline recidivism
	// definition for recidivism (outcomes.recidivism_definition), "" for
	// the other kinds.
	Definition string
	N          int
	Events     int
	// Rate is Events/N; CI the Wilson score 95% interval.
	Rate float64
	CI   stats.Interval
	// Exact is the Clopper–Pearson 95% interval (R's binom.test), published
	// beside Wilson's: it guarantees its coverage, which matters for the
	// small pilots. Bound is the one-sided exact 95% bound where the
	// two-sided interval says least: the upper bound when Events is 0
	// (stats.ExactUpper; "at most"), the lower bound when Events is N
	// (stats.ExactLower; "at least"); NaN otherwise and when N is 0.
	Exact stats.Interval
	Bound float64
	// Breakdown is empty for the cohort rows (Cohort > 0) and their
	// all-cohorts total (Cohort == 0), which are in Results.Rates. A
	// breakdown row (in Results.Breakdowns) covers all cohorts (Cohort == 0)
	// and names its dimension: BreakdownSex, BreakdownAgeBand or
	// BreakdownPartner, with Group the value (sex code m, v, x or o; age
	// band <25, 25-34, 35-44, 45+ or unknown; partner name). The groups of
	// one dimension partition the total: their N and Events add up to it.
	Breakdown, Group string
	// Suppressed marks a cell that may not be published (see Suppress),
	// Rule says why, and NMark and EventsMark how reports show its counts
	// ("<MinCell" for a count below the minimum, "×" for one hidden to
	// protect a cell or a class, "0" for a published zero);
	// its rate, CI and any difference or ratio built on it show a dash.
	// Its N, Events, Rate and CI are zero in Results.
	Suppressed        bool
	Rule              Rule
	NMark, EventsMark Mark
	// Withdrawn marks a cohort or breakdown row that is not published at
	// all: its whole partition is left out, because the labels of its
	// hidden cells and the published total together would narrow a hidden
	// count too far (see hideOneMore).
	Withdrawn bool
}

// Breakdown dimensions of Rate.Breakdown.
const (
	BreakdownSex     = "sex"
	BreakdownAgeBand = "age_band"
	BreakdownPartner = "partner"
)

// ageBands are the age bands of BreakdownAgeBand, in report order. Age is the
// person's age at the reference date as the partner recorded it (at release,
// else at programme start); a missing age is "unknown".
func ageBands() []string { return []string{"<25", "25-34", "35-44", "45+", "unknown"} }

// ageBandSQL maps outcome_subject.age onto ageBands.
const ageBandSQL = `CASE WHEN age IS NULL THEN 'unknown' WHEN age < 25 THEN '<25' WHEN age < 35 THEN '25-34'
     WHEN age < 45 THEN '35-44' ELSE '45+' END`

// windows returns the study's windows for an outcome kind with subjects of
// its own (study.OutcomeDef.Windows); nil for a kind measured otherwise
// (family, see computeFamilies) and for an unknown kind.
func windows(st *study.Study, outcome study.OutcomeKind) []int {
	def, ok := outcome.Definition()
	if !ok || !def.OwnSubjects() {
		return nil
	}
	return def.Windows(st.Outcomes)
}

// computeRates counts, per programme, window and cohort (and over all
// cohorts), the persons eligible and those with the outcome.
func computeRates(ctx context.Context, db *sql.DB, st *study.Study) ([]Rate, error) {
	var out []Rate
	for _, p := range st.Programmes {
		for _, w := range windows(st, p.Outcome) {
			// The total from outcome_subject (one row per person), the
			// cohort rows from cohortSource (for recidivism the monitor's
			// cohorts, which can hold a person twice).
			rows, err := db.QueryContext(ctx, fmt.Sprintf(`
WITH c AS (
    SELECT 0 AS cohort, ref_date, first_event, censor_date FROM outcome_subject WHERE programme = $1 AND outcome = $2 AND entered
    UNION ALL
    SELECT cohort, ref_date, first_event, censor_date FROM %s WHERE programme = $1 AND outcome = $2
)
SELECT cohort, count(*),
       count(*) FILTER (WHERE first_event IS NOT NULL AND first_event <= CAST(ref_date + to_months(CAST($3 AS INTEGER)) AS DATE)),
       max(censor_date)
FROM c
WHERE CAST(ref_date + to_months(CAST($3 AS INTEGER)) AS DATE) <= censor_date
GROUP BY cohort
ORDER BY 1`, cohortSource(p.Outcome)), p.Code, p.Outcome, w)
			if err != nil {
				return nil, fmt.Errorf("counting %s within %d months for %s: %w", p.Outcome, w, p.Code, err)
			}
			found := false
			for rows.Next() {
				r := Rate{Programme: p.Code, Outcome: p.Outcome, WindowMonths: w, Definition: rateDefinition(st, p.Outcome)}
				var end time.Time
				if err := rows.Scan(&r.Cohort, &r.N, &r.Events, &end); err != nil {
					rows.Close()
					return nil, err
				}
				r.Partial = partialCohort(r.Cohort, w, end)
				r.setIntervals()
				found = found || r.Cohort == 0
				out = append(out, r)
			}
			if err := rows.Err(); err != nil {
				return nil, err
			}
			rows.Close()
			if !found {
				// No one's window has closed yet: say so with an empty total.
				out = append(out, Rate{Programme: p.Code, Outcome: p.Outcome, WindowMonths: w, Definition: rateDefinition(st, p.Outcome)})
			}
		}
	}
	return out, nil
}

// computeBreakdowns counts, per programme and window over all cohorts, the
// persons eligible and those with the outcome by sex, by age band and by
// partner (the partner of the index trajectory). Denominator, numerator and
// the one-person-once rule are those of Rate; each dimension partitions the
// programme's total (missing sex counts as o, missing age as unknown).
func computeBreakdowns(ctx context.Context, db *sql.DB, st *study.Study) ([]Rate, error) {
	var out []Rate
	for _, p := range st.Programmes {
		for _, w := range windows(st, p.Outcome) {
			rows, err := db.QueryContext(ctx, `
WITH s AS (
    SELECT coalesce(sex, 'o') AS sex, `+ageBandSQL+` AS age_band, partner,
           first_event IS NOT NULL AND first_event <= CAST(ref_date + to_months(CAST($3 AS INTEGER)) AS DATE) AS hit
    FROM outcome_subject
    WHERE programme = $1 AND outcome = $2 AND entered AND CAST(ref_date + to_months(CAST($3 AS INTEGER)) AS DATE) <= censor_date
)
SELECT CASE WHEN GROUPING(sex) = 0 THEN 'sex' WHEN GROUPING(age_band) = 0 THEN 'age_band' ELSE 'partner' END,
       coalesce(sex, age_band, partner), count(*), count(*) FILTER (WHERE hit)
FROM s
GROUP BY GROUPING SETS ((sex), (age_band), (partner))`, p.Code, p.Outcome, w)
			if err != nil {
				return nil, fmt.Errorf("counting %s within %d months for %s by group: %w", p.Outcome, w, p.Code, err)
			}
			var got []Rate
			for rows.Next() {
				r := Rate{Programme: p.Code, Outcome: p.Outcome, WindowMonths: w, Definition: rateDefinition(st, p.Outcome)}
				if err := rows.Scan(&r.Breakdown, &r.Group, &r.N, &r.Events); err != nil {
					rows.Close()
					return nil, err
				}
				r.setIntervals()
				got = append(got, r)
			}
			if err := rows.Err(); err != nil {
				return nil, err
			}
			rows.Close()
			slices.SortFunc(got, compareBreakdown)
			out = append(out, got...)
		}
	}
	return out, nil
}

// compareBreakdown orders breakdown rows by dimension (sex, age band,
// partner), then age bands in ageBands order and other groups by name.
func compareBreakdown(a, b Rate) int {
	dims := []string{BreakdownSex, BreakdownAgeBand, BreakdownPartner}
	if c := slices.Index(dims, a.Breakdown) - slices.Index(dims, b.Breakdown); c != 0 {
		return c
	}
	if a.Breakdown == BreakdownAgeBand {
		return slices.Index(ageBands(), a.Group) - slices.Index(ageBands(), b.Group)
	}
	return strings.Compare(a.Group, b.Group)
}

// redactRate clears the values of a suppressed cell before it leaves the
// package.
func redactRate(r *Rate) {
	if r.Suppressed {
		r.N, r.Events, r.Rate, r.CI, r.Exact, r.Bound = 0, 0, 0, stats.Interval{}, stats.Interval{}, math.NaN()
	}
}
