package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/outcomes-research/outcomes/study"
)

// buildSubjects writes table outcome_subject: one row per person, programme
// and outcome, the person's index trajectory and first qualifying event.
// What that means per outcome kind comes from its definition
// (study.OutcomeKinds), for every kind with subjects of its own:
//
//   - Index trajectory: the person's first trajectory in the programme by
//     reference date (study.ReferenceDate; see candidatesSQL): for
//     recidivism the release date, else programme end, else programme
//     start; for shelter_return in a shelter programme the end of a stay
//     whose exit destination is independent_housing (stays ending elsewhere
//     are no index stays), in any other programme the programme start; for
//     shelter_inflow the programme start.
//   - Qualifying events (study.QualifyingEvents; see hitsSQL): events of the
//     kind's event types (recidivism: outcomes.recidivism_events; shelter
//     kinds: shelter_entry) and, for the shelter kinds, the start of a stay
//     in a programme marked shelter at any partner, dated after the
//     reference date plus the kind's transfer days (shelter_return:
//     outcomes.transfer_days; earlier entries are transfers).
//   - first_event is the earliest qualifying event; follow-up is censored at
//     the data cut-off (no event after it is known).
func buildSubjects(ctx context.Context, db *sql.DB, st *study.Study) error {
	q, err := subjectsSQL(st)
	if err != nil {
		return fmt.Errorf("building outcome subjects: %w", err)
	}
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("building outcome subjects: %w", err)
	}
	return nil
}

// unionAll joins the SELECT branches of one common table expression.
const unionAll = "\n    UNION ALL\n    "

// subjectsSQL is the statement that writes outcome_subject, with a branch
// of candidate index trajectories, of qualifying events and of transfer days
// for every outcome kind with subjects of its own.
func subjectsSQL(st *study.Study) (string, error) {
	var hits, candidates, transfers []string
	for _, def := range study.OutcomeKinds() {
		if !def.OwnSubjects() {
			continue
		}
		c, err := candidatesSQL(def, st)
		if err != nil {
			return "", err
		}
		candidates = append(candidates, c...)
		hits = append(hits, hitsSQL(def, st)...)
		transfers = append(transfers, fmt.Sprintf("WHEN %s THEN %d", kindLiteral(def.Kind), transferDays(def, st.Outcomes)))
	}
	return fmt.Sprintf(`
CREATE OR REPLACE TABLE outcome_subject AS
WITH hit AS (
    %[1]s
), candidate AS (
    %[2]s
), idx AS (
    SELECT programme, outcome, person_id, min(ref_date) AS ref_date,
           arg_min(partner, ref_date) AS partner, arg_min(age, ref_date) AS age
    FROM candidate GROUP BY programme, outcome, person_id
)
SELECT i.programme, i.outcome, i.person_id, i.partner, i.ref_date,
       year(i.ref_date) AS cohort, i.age, p.sex,
       min(h.hit_date) AS first_event,
       DATE '%[3]s' AS censor_date
FROM idx i
JOIN person p USING (person_id)
LEFT JOIN hit h ON h.person_id = i.person_id AND h.outcome = i.outcome
    AND h.hit_date > i.ref_date + CASE i.outcome %[4]s END
GROUP BY ALL
ORDER BY i.programme, i.outcome, i.person_id`,
		strings.Join(hits, unionAll), strings.Join(candidates, unionAll),
		st.Cutoff.Format("2006-01-02"), strings.Join(transfers, " ")), nil
}

// candidatesSQL selects the candidate index trajectories of an outcome
// kind's programmes (programme, outcome, person_id, ref_date, partner, age)
// by the kind's reference date. A reference date without SQL here is an
// error (TestEveryOutcomeKindHasSubjectSQL).
func candidatesSQL(def study.OutcomeDef, st *study.Study) ([]string, error) {
	var all, shelters, others []string
	for _, p := range st.Programmes {
		if p.Outcome != def.Kind {
			continue
		}
		all = append(all, p.Code)
		if p.Shelter {
			shelters = append(shelters, p.Code)
		} else {
			others = append(others, p.Code)
		}
	}
	sel := func(refDate string, programmes []string, condition string) string {
		return fmt.Sprintf("SELECT programme, %s AS outcome, person_id, %s AS ref_date, partner, age\n      FROM trajectory WHERE programme IN (%s)%s",
			kindLiteral(def.Kind), refDate, sqlList(programmes), condition)
	}
	switch def.Reference {
	case study.ReferenceRelease:
		return []string{sel("coalesce(release_date, end_date, start_date)", all, "")}, nil
	case study.ReferenceExitToHousing:
		return []string{
			sel("end_date", shelters, fmt.Sprintf(" AND exit_destination = %s AND end_date IS NOT NULL", sqlList([]string{study.DestIndependentHousing}))),
			sel("start_date", others, ""),
		}, nil
	case study.ReferenceStart:
		return []string{sel("start_date", all, "")}, nil
	}
	return nil, fmt.Errorf("outcome %s: reference date %q has no SQL", def.Kind, def.Reference)
}

// hitsSQL selects an outcome kind's qualifying events (outcome, person_id,
// hit_date): the events of its event types and, where the kind counts them,
// the starts of stays in programmes marked shelter.
func hitsSQL(def study.OutcomeDef, st *study.Study) []string {
	kind := kindLiteral(def.Kind)
	out := []string{fmt.Sprintf("SELECT %s AS outcome, person_id, event_date AS hit_date FROM event WHERE event_type IN (%s)",
		kind, sqlList(def.Events.EventTypes(st.Outcomes)))}
	if def.Events.ShelterStays {
		var shelters []string
		for _, p := range st.Programmes {
			if p.Shelter {
				shelters = append(shelters, p.Code)
			}
		}
		out = append(out, fmt.Sprintf("SELECT %s, person_id, start_date FROM trajectory WHERE programme IN (%s)", kind, sqlList(shelters)))
	}
	return out
}

// transferDays is the number of days after the reference date in which an
// event does not count for the kind.
func transferDays(def study.OutcomeDef, o study.Outcomes) int {
	if def.Events.TransferDays == nil {
		return 0
	}
	return def.Events.TransferDays(o)
}

// kindLiteral renders an outcome kind as a SQL string literal.
func kindLiteral(kind study.OutcomeKind) string { return sqlList([]string{string(kind)}) }

// sqlList renders codes as a SQL list of string literals; codes come from the
// validated study file, and quotes are doubled all the same. An empty list
// renders as NULL, which matches nothing.
func sqlList(codes []string) string {
	if len(codes) == 0 {
		return "NULL"
	}
	q := make([]string, len(codes))
	for i, c := range codes {
		q[i] = "'" + strings.ReplaceAll(c, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}
