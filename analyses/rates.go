package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

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
	// Cohort is the year of the reference date; 0 means all cohorts.
	Cohort int
	N      int
	Events int
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
	// Suppressed marks a cell that may not be published (see Suppress);
	// reports show it as "<MinCell" and leave it out of charts. Its Events,
	// Rate and CI are zero in Results (N is kept: reports show it as
	// "<MinCell" when it is below the minimum cell size).
	Suppressed bool
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
			rows, err := db.QueryContext(ctx, `
SELECT coalesce(cohort, 0), count(*),
       count(*) FILTER (WHERE first_event IS NOT NULL AND first_event <= CAST(ref_date + to_months(CAST($3 AS INTEGER)) AS DATE))
FROM outcome_subject
WHERE programme = $1 AND outcome = $2 AND CAST(ref_date + to_months(CAST($3 AS INTEGER)) AS DATE) <= censor_date
GROUP BY GROUPING SETS ((), (cohort))
ORDER BY 1`, p.Code, p.Outcome, w)
			if err != nil {
				return nil, fmt.Errorf("counting %s within %d months for %s: %w", p.Outcome, w, p.Code, err)
			}
			found := false
			for rows.Next() {
				r := Rate{Programme: p.Code, Outcome: p.Outcome, WindowMonths: w}
				if err := rows.Scan(&r.Cohort, &r.N, &r.Events); err != nil {
					rows.Close()
					return nil, err
				}
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
				out = append(out, Rate{Programme: p.Code, Outcome: p.Outcome, WindowMonths: w})
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
    WHERE programme = $1 AND outcome = $2 AND CAST(ref_date + to_months(CAST($3 AS INTEGER)) AS DATE) <= censor_date
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
				r := Rate{Programme: p.Code, Outcome: p.Outcome, WindowMonths: w}
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

// Suppress marks the cells that may not be published under a minimum cell
// size. rates holds cohort rows, all-cohorts totals and breakdown rows in any
// order.
//
// Primary suppression: a cell is suppressed when it has fewer than minCell
// persons, or when the number with the outcome, or without it, is between 1
// and minCell-1.
//
// Complementary suppression: the cohort rows of one programme, outcome and
// window partition its all-cohorts total, and so do the groups of each
// breakdown dimension. When exactly one cell of a partition is suppressed and
// the total is not, the total minus the other cells would reveal it, so the
// other cell with the fewest persons is suppressed too; when it has no other
// cell, the total is suppressed. This repeats until nothing changes (a total
// suppressed through one partition is then hidden in all of them).
func Suppress(rates []Rate, minCell int) {
	for i := range rates {
		rates[i].Suppressed = tooSmall(rates[i].N, rates[i].Events, minCell)
	}
	type group struct {
		programme string
		outcome   study.OutcomeKind
		window    int
	}
	type partition struct {
		group
		dimension string // "cohort" or a breakdown dimension
	}
	totals := map[group]int{}
	cells := map[partition][]int{}
	var order []partition
	for i, r := range rates {
		g := group{r.Programme, r.Outcome, r.WindowMonths}
		p := partition{g, r.Breakdown}
		switch {
		case r.Breakdown == "" && r.Cohort == 0:
			totals[g] = i
			continue
		case r.Breakdown == "":
			p.dimension = "cohort"
		}
		if _, seen := cells[p]; !seen {
			order = append(order, p)
		}
		cells[p] = append(cells[p], i)
	}
	for changed := true; changed; {
		changed = false
		for _, p := range order {
			t, ok := totals[p.group]
			if !ok || rates[t].Suppressed {
				continue
			}
			var hidden, open []int
			for _, i := range cells[p] {
				if rates[i].Suppressed {
					hidden = append(hidden, i)
				} else {
					open = append(open, i)
				}
			}
			if len(hidden) != 1 {
				continue
			}
			changed = true
			if len(open) == 0 {
				rates[t].Suppressed = true
				continue
			}
			smallest := slices.MinFunc(open, func(a, b int) int { return rates[a].N - rates[b].N })
			rates[smallest].Suppressed = true
		}
	}
}

func tooSmall(n, events, minCell int) bool {
	without := n - events
	return n < minCell || (events > 0 && events < minCell) || (without > 0 && without < minCell)
}

// redactRate clears the values of a suppressed cell before it leaves the
// package.
func redactRate(r *Rate) {
	if r.Suppressed {
		r.Events, r.Rate, r.CI, r.Exact, r.Bound = 0, 0, stats.Interval{}, stats.Interval{}, math.NaN()
	}
}
