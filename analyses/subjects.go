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
//
//   - Index trajectory: the person's first trajectory in the programme by
//     reference date. Reference date per outcome:
//   - recidivism: release date, else programme end, else programme start;
//   - shelter_return in a shelter programme: the end of the first stay whose
//     exit destination is independent_housing (stays ending elsewhere are no
//     index stays); in any other programme: the programme start;
//   - shelter_inflow: the programme start.
//   - Qualifying events: recidivism — an event whose type is listed in
//     outcomes.recidivism_events, dated after the reference date;
//     shelter_return — a shelter entry (the start of a stay in a programme
//     marked shelter, at any partner, or a shelter_entry event) more than
//     transfer_days after the reference date (earlier entries are transfers);
//     shelter_inflow — a shelter entry after the reference date.
//   - first_event is the earliest qualifying event; follow-up is censored at
//     the data cut-off (no event after it is known).
func buildSubjects(ctx context.Context, db *sql.DB, st *study.Study) error {
	byOutcome := map[string][]string{}
	var shelters, returnShelter, returnOther []string
	for _, p := range st.Programmes {
		if p.Shelter {
			shelters = append(shelters, p.Code)
		}
		switch {
		case p.Outcome == study.OutcomeShelterReturn && p.Shelter:
			returnShelter = append(returnShelter, p.Code)
		case p.Outcome == study.OutcomeShelterReturn:
			returnOther = append(returnOther, p.Code)
		default:
			byOutcome[p.Outcome] = append(byOutcome[p.Outcome], p.Code)
		}
	}
	q := fmt.Sprintf(`
CREATE OR REPLACE TABLE outcome_subject AS
WITH hit AS (
    SELECT 'recidivism' AS hit_kind, person_id, event_date AS hit_date FROM event WHERE event_type IN (%[1]s)
    UNION ALL
    SELECT 'shelter', person_id, start_date FROM trajectory WHERE programme IN (%[2]s)
    UNION ALL
    SELECT 'shelter', person_id, event_date FROM event WHERE event_type = 'shelter_entry'
), candidate AS (
    SELECT programme, 'recidivism' AS outcome, person_id, coalesce(release_date, end_date, start_date) AS ref_date, partner, age
      FROM trajectory WHERE programme IN (%[3]s)
    UNION ALL
    SELECT programme, 'shelter_return', person_id, end_date, partner, age
      FROM trajectory WHERE programme IN (%[4]s) AND exit_destination = 'independent_housing' AND end_date IS NOT NULL
    UNION ALL
    SELECT programme, 'shelter_return', person_id, start_date, partner, age
      FROM trajectory WHERE programme IN (%[5]s)
    UNION ALL
    SELECT programme, 'shelter_inflow', person_id, start_date, partner, age
      FROM trajectory WHERE programme IN (%[6]s)
), idx AS (
    SELECT programme, outcome, person_id, min(ref_date) AS ref_date,
           arg_min(partner, ref_date) AS partner, arg_min(age, ref_date) AS age
    FROM candidate GROUP BY programme, outcome, person_id
)
SELECT i.programme, i.outcome, i.person_id, i.partner, i.ref_date,
       year(i.ref_date) AS cohort, i.age, p.sex,
       min(h.hit_date) AS first_event,
       DATE '%[7]s' AS censor_date
FROM idx i
JOIN person p USING (person_id)
LEFT JOIN hit h ON h.person_id = i.person_id
    AND h.hit_kind = CASE i.outcome WHEN 'recidivism' THEN 'recidivism' ELSE 'shelter' END
    AND h.hit_date > i.ref_date + CASE i.outcome WHEN 'shelter_return' THEN %[8]d ELSE 0 END
GROUP BY ALL
ORDER BY i.programme, i.outcome, i.person_id`,
		sqlList(st.Outcomes.RecidivismEvents), sqlList(shelters),
		sqlList(byOutcome[study.OutcomeRecidivism]), sqlList(returnShelter), sqlList(returnOther),
		sqlList(byOutcome[study.OutcomeShelterInflow]),
		st.Cutoff.Format("2006-01-02"), st.Outcomes.TransferDays)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("building outcome subjects: %w", err)
	}
	return nil
}

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
