package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

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
	Outcome      string // study.Outcome*
	WindowMonths int
	// Cohort is the year of the reference date; 0 means all cohorts.
	Cohort int
	N      int
	Events int
	// Rate is Events/N; CI the Wilson score 95% interval.
	Rate float64
	CI   stats.Interval
	// Suppressed marks a cell that may not be published (see Suppress);
	// reports show it as "<MinCell" and leave it out of charts.
	Suppressed bool
}

// windows returns the study's windows for an outcome.
func windows(st *study.Study, outcome string) []int {
	switch outcome {
	case study.OutcomeRecidivism:
		return st.Outcomes.RecidivismWindows
	case study.OutcomeShelterReturn:
		return st.Outcomes.ShelterReturnWindows
	case study.OutcomeShelterInflow:
		return st.Outcomes.InflowWindows
	}
	return nil
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
				r.Rate = float64(r.Events) / float64(r.N)
				r.CI = stats.Wilson(r.Events, r.N, 0.95)
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

// Suppress marks the cells that may not be published under a minimum cell
// size: a cell is suppressed when it has fewer than minCell persons, or when
// the number with the outcome, or without it, is between 1 and minCell-1.
//
// Complementary suppression: within one programme, outcome and window, when
// exactly one cohort cell is suppressed and the all-cohorts total is not,
// the total minus the other cohorts would reveal it, so the smallest other
// cohort cell is suppressed too.
func Suppress(rates []Rate, minCell int) {
	for i := range rates {
		rates[i].Suppressed = tooSmall(rates[i].N, rates[i].Events, minCell)
	}
	type group struct {
		programme, outcome string
		window             int
	}
	cohorts := map[group][]int{}
	totals := map[group]int{}
	for i, r := range rates {
		g := group{r.Programme, r.Outcome, r.WindowMonths}
		if r.Cohort == 0 {
			totals[g] = i
		} else {
			cohorts[g] = append(cohorts[g], i)
		}
	}
	for g, idx := range cohorts {
		t, ok := totals[g]
		if !ok || rates[t].Suppressed {
			continue
		}
		var hidden, open []int
		for _, i := range idx {
			if rates[i].Suppressed {
				hidden = append(hidden, i)
			} else {
				open = append(open, i)
			}
		}
		if len(hidden) != 1 {
			continue
		}
		if len(open) == 0 {
			rates[t].Suppressed = true
			continue
		}
		smallest := slices.MinFunc(open, func(a, b int) int { return rates[a].N - rates[b].N })
		rates[smallest].Suppressed = true
	}
}

func tooSmall(n, events, minCell int) bool {
	without := n - events
	return n < minCell || (events > 0 && events < minCell) || (without > 0 && without < minCell)
}

// writeRates stores the rates in table outcome_rate.
func writeRates(ctx context.Context, db *sql.DB, rates []Rate) error {
	if _, err := db.ExecContext(ctx, `CREATE OR REPLACE TABLE outcome_rate (
    programme VARCHAR, outcome VARCHAR, window_months INTEGER,
    cohort INTEGER,          -- year of the reference date; NULL = all cohorts
    n INTEGER, events INTEGER, rate DOUBLE, ci_lower DOUBLE, ci_upper DOUBLE,
    suppressed BOOLEAN       -- below the minimum cell size: not for publication
)`); err != nil {
		return fmt.Errorf("creating outcome_rate: %w", err)
	}
	for _, r := range rates {
		var cohort any
		if r.Cohort != 0 {
			cohort = r.Cohort
		}
		var rate, lo, hi any
		if r.N > 0 {
			rate, lo, hi = r.Rate, r.CI.Lower, r.CI.Upper
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO outcome_rate VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Programme, r.Outcome, r.WindowMonths, cohort, r.N, r.Events, rate, lo, hi, r.Suppressed); err != nil {
			return fmt.Errorf("writing outcome_rate: %w", err)
		}
	}
	return nil
}
