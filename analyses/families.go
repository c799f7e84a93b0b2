package analyses

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/outcomes-research/outcomes/study"
)

// ddlFamilyOutcome documents table family_outcome.
const ddlFamilyOutcome = `CREATE OR REPLACE TABLE family_outcome (
    family_programme       VARCHAR,  -- the families-of-detainees programme (outcome: family)
    household_in_programme BOOLEAN,  -- a household member of the detainee took part in it
    window_months          INTEGER,  -- recidivism window after the detainee's return
    n                      INTEGER,  -- detainees whose window closed before the cut-off; NULL when suppressed and below min_cell
    events                 INTEGER,  -- of them, with a qualifying offence within the window; NULL when suppressed
    rate                   DOUBLE,   -- events / n; NULL when suppressed or n = 0
    ci_lower               DOUBLE,   -- Wilson score 95% interval
    ci_upper               DOUBLE,
    exact_lower            DOUBLE,   -- Clopper-Pearson (exact) 95% interval, R's binom.test
    exact_upper            DOUBLE,
    one_sided_upper        DOUBLE,   -- exact one-sided 95% upper bound when events = 0; NULL otherwise
    one_sided_lower        DOUBLE,   -- exact one-sided 95% lower bound when events = n; NULL otherwise
    suppressed             BOOLEAN,  -- below the minimum cell size, or its pair is: not for publication
    researcher_only        BOOLEAN   -- exact values of a suppressed row, kept under disclosure.researcher_exact
)`

// computeFamilies measures, per families-of-detainees programme and window,
// the recidivism of detainees after their return, split by whether a member
// of their household took part in the programme. Such a programme is one
// whose outcome kind is measured by linked detainees
// (study.OutcomeDef.DetaineeOutcome: family, by recidivism); the windows are
// that kind's (outcomes.recidivism_windows).
//
//   - Detainees: every person who is a subject of the kind's detainee
//     outcome (outcome_subject, outcome recidivism) of any programme. The
//     return is the person's earliest reference date over those programmes
//     (the release date, else programme end, else start), and the first
//     qualifying event is the one after that date
//     (outcomes.recidivism_events).
//   - Household in programme: some person linked to the detainee in
//     household_link (any relation) has a trajectory in the family
//     programme, at any time. Detainees without such a member, including
//     those with no household link at all, form the other group.
//   - Denominator per window W: detainees whose return + W months is on or
//     before the cut-off; numerator: those with a qualifying event in
//     (return, return + W months]. Wilson score 95% interval.
//   - Disclosure: a cell is suppressed by the rule of Suppress (n, events
//     or non-events between 1 and MinCell − 1); the two groups of a window
//     are suppressed together, since together they are all detainees, whose
//     totals the programme rates largely publish.
//
// Household members' own life-domain change is in the life-domain results,
// under the family programme (their assessments made in it).
func computeFamilies(ctx context.Context, db *sql.DB, st *study.Study) ([]FamilyOutcome, error) {
	var out []FamilyOutcome
	for _, p := range st.Programmes {
		def, ok := p.Outcome.Definition()
		if !ok || def.OwnSubjects() {
			continue
		}
		for _, w := range def.Windows(st.Outcomes) {
			pair, err := familyWindow(ctx, db, p.Code, def.DetaineeOutcome, w)
			if err != nil {
				return nil, err
			}
			hide := tooSmall(pair[0].Rate.N, pair[0].Rate.Events, st.MinCell) || tooSmall(pair[1].Rate.N, pair[1].Rate.Events, st.MinCell)
			for i := range pair {
				pair[i].Rate.Suppressed = hide
			}
			out = append(out, pair[:]...)
		}
	}
	return out, nil
}

// familyWindow counts the two groups of one family programme and window:
// household in the programme first, then not. The detainees are the
// subjects of outcome detainee.
func familyWindow(ctx context.Context, db *sql.DB, programme string, detainee study.OutcomeKind, window int) ([2]FamilyOutcome, error) {
	var pair [2]FamilyOutcome
	for i, in := range []bool{true, false} {
		pair[i] = FamilyOutcome{Programme: programme, WindowMonths: window, HouseholdInProgramme: in,
			Rate: Rate{Programme: programme, Outcome: detainee, WindowMonths: window}}
	}
	rows, err := db.QueryContext(ctx, `
WITH detainee AS (
    SELECT person_id, min(ref_date) AS ref_date, arg_min(first_event, ref_date) AS first_event,
           min(censor_date) AS censor_date
    FROM outcome_subject WHERE outcome = $3
    GROUP BY person_id
), family AS (
    SELECT DISTINCT h.detainee_id AS person_id
    FROM household_link h JOIN trajectory t ON t.person_id = h.person_id
    WHERE t.programme = $1
), eligible AS (
    SELECT d.*, f.person_id IS NOT NULL AS in_programme,
           CAST(d.ref_date + to_months(CAST($2 AS INTEGER)) AS DATE) AS window_end
    FROM detainee d LEFT JOIN family f USING (person_id)
)
SELECT in_programme, count(*), count(*) FILTER (WHERE first_event IS NOT NULL AND first_event <= window_end)
FROM eligible WHERE window_end <= censor_date
GROUP BY in_programme`, programme, window, string(detainee))
	if err != nil {
		return pair, fmt.Errorf("counting detainee recidivism within %d months for %s: %w", window, programme, err)
	}
	defer rows.Close()
	for rows.Next() {
		var in bool
		var n, events int
		if err := rows.Scan(&in, &n, &events); err != nil {
			return pair, fmt.Errorf("counting detainee recidivism for %s: %w", programme, err)
		}
		i := 1
		if in {
			i = 0
		}
		pair[i].Rate.N, pair[i].Rate.Events = n, events
	}
	if err := rows.Err(); err != nil {
		return pair, fmt.Errorf("counting detainee recidivism for %s: %w", programme, err)
	}
	for i := range pair {
		pair[i].Rate.setIntervals()
	}
	return pair, nil
}

// familyTable renders the family outcomes, not yet redacted, as table
// family_outcome.
func familyTable(fams []FamilyOutcome, minCell int, researcherExact bool) table {
	t := table{name: "family_outcome", ddl: ddlFamilyOutcome}
	for _, f := range fams {
		r := f.Rate
		withheld, ro := cells(r.Suppressed, researcherExact)
		var n any = r.N
		if withheld && r.N < minCell {
			n = nil
		}
		row := []any{f.Programme, f.HouseholdInProgramme, f.WindowMonths, n}
		row = append(row, hide(withheld, append([]any{r.Events}, rateColumns(r)...)...)...)
		t.rows = append(t.rows, append(row, r.Suppressed, ro))
	}
	return t
}

// domainAndFamilyTables are the result tables of this file and
// lifedomains.go.
func domainAndFamilyTables(res *Results, minCell int, researcherExact bool) []table {
	return []table{lifeDomainTable(res.LifeDomains, researcherExact), transitionTable(res.LifeDomains, minCell, researcherExact),
		familyTable(res.Families, minCell, researcherExact)}
}

// redactDomainsAndFamilies clears the unpublishable values of the
// life-domain and family results.
func redactDomainsAndFamilies(res *Results) {
	for i := range res.LifeDomains {
		redactDomainChange(&res.LifeDomains[i])
	}
	for i := range res.Families {
		redactRate(&res.Families[i].Rate)
	}
}
