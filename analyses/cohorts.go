package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/outcomes-research/outcomes/study"
)

// ddlOutcomeCohort documents table outcome_cohort, which buildCohorts
// writes after outcome_subject.
const ddlOutcomeCohort = `CREATE OR REPLACE TABLE outcome_cohort (
    programme   VARCHAR,  -- a recidivism subject's programme (as in outcome_subject)
    outcome     VARCHAR,  -- recidivism
    person_id   VARCHAR,
    cohort      INTEGER,  -- a year with a reference date of the person in the programme
    ref_date    DATE,     -- the person's first reference date in that year
    first_event DATE,     -- the first qualifying event after ref_date, on or before the cut-off
    censor_date DATE      -- the kind's follow-up end (as in outcome_subject)
)`

// buildCohorts writes table outcome_cohort: for every recidivism subject,
// one row per calendar year in which the person has a reference date in
// the programme (the Recidivemonitor's cohorts: everyone released in year
// Y, from their first release in Y; a person released in two years is in
// two cohorts), with the first qualifying event after that year's
// reference date, counted as outcome_subject counts it (the study's
// headline definition; specific recidivism against the index case of that
// reference date). The cohort rows of outcome_rate for recidivism count
// these; the all-cohorts row keeps one row per person (outcome_subject).
// The other outcome kinds have no row here: their cohorts are the year of
// the index reference date (see doc.go, "Cohorts").
func buildCohorts(ctx context.Context, db *sql.DB, st *study.Study) error {
	def, _ := study.OutcomeKind(study.OutcomeRecidivism).Definition()
	if _, err := db.ExecContext(ctx, ddlOutcomeCohort); err != nil {
		return fmt.Errorf("building the monitor cohorts: %w", err)
	}
	cands, err := candidatesSQL(def, st)
	if err != nil {
		return err
	}
	hits := hitsSQL(def, st)
	if len(cands) == 0 || len(hits) == 0 {
		return nil
	}
	sameType := ""
	if d, _ := study.RecidivismDefinition(st.Outcomes.RecidivismDefinition); d.SameType {
		sameType = "\n    AND h.offence_type = it.index_type"
	}
	cutoff := "DATE '" + st.Cutoff.Format(time.DateOnly) + "'"
	q := fmt.Sprintf(`
INSERT INTO outcome_cohort
WITH hit AS (
    SELECT person_id, hit_date, offence_type FROM (%[1]s)
), candidate AS (
    %[2]s
), entry AS (
    SELECT programme, person_id, year(ref_date) AS cohort, min(ref_date) AS ref_date
    FROM candidate WHERE ref_date <= %[3]s GROUP BY programme, person_id, year(ref_date)
), itype AS (
    SELECT e.programme, e.person_id, e.cohort, arg_max(c.offence_type, c.case_date) AS index_type
    FROM entry e JOIN offence_case c ON c.person_id = e.person_id AND c.case_date <= e.ref_date
    GROUP BY e.programme, e.person_id, e.cohort
)
SELECT e.programme, %[4]s, e.person_id, e.cohort, e.ref_date, min(h.hit_date), any_value(s.censor_date)
FROM entry e
JOIN outcome_subject s ON s.programme = e.programme AND s.person_id = e.person_id AND s.outcome = %[4]s AND s.entered
LEFT JOIN itype it ON it.programme = e.programme AND it.person_id = e.person_id AND it.cohort = e.cohort
LEFT JOIN hit h ON h.person_id = e.person_id AND h.hit_date > e.ref_date AND h.hit_date <= %[3]s%[5]s
GROUP BY e.programme, e.person_id, e.cohort, e.ref_date
ORDER BY e.programme, e.person_id, e.cohort`,
		strings.Join(hits, unionAll), strings.Join(cands, unionAll), cutoff, kindLiteral(study.OutcomeRecidivism), sameType)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("building the monitor cohorts: %w", err)
	}
	return nil
}

// cohortSource is the table whose rows make an outcome kind's cohort rows
// in outcome_rate: outcome_cohort for recidivism (the monitor's cohorts),
// outcome_subject (the year of the index reference date) for the others.
func cohortSource(kind study.OutcomeKind) string {
	if kind == study.OutcomeRecidivism {
		return "outcome_cohort"
	}
	return "outcome_subject"
}

// rateDefinition names what outcome_rate counts for an outcome kind: the
// study's headline recidivism definition (outcomes.recidivism_definition)
// for recidivism, "" (NULL) for the other kinds, which have one
// definition each (see study.OutcomeKinds).
func rateDefinition(st *study.Study, kind study.OutcomeKind) string {
	switch {
	case kind != study.OutcomeRecidivism:
		return ""
	case st.Outcomes.RecidivismDefinition == "":
		return study.DefGeneral // what an unset definition counts (study.RecidivismDefinition)
	}
	return st.Outcomes.RecidivismDefinition
}

// partialCohort reports whether a cohort year's window has not closed for
// all who can be in it: 31 December of the year plus the window lies after
// the follow-up end, so members with a reference date late in the year are
// not yet counted.
func partialCohort(cohort, window int, followEnd time.Time) bool {
	return cohort != 0 && addMonths(time.Date(cohort, 12, 31, 0, 0, 0, 0, time.UTC), window).After(followEnd)
}
