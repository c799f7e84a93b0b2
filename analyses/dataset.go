package analyses

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/outcomes-research/outcomes/study"
)

// ddlDataset builds analysis_dataset, the researchers' analysis file: one
// row per subject (person × programme × outcome, the rows of
// outcome_subject) with the follow-up and the case-mix covariates the
// models use, so that R, SPSS or Python users can fit their own models on
// exactly the populations of the report. It is written to the Parquet
// export too (store.WriteParquet, partitioned by cohort). Like
// outcomes.duckdb it is pseudonymised microdata for the study's researchers,
// not a published table: it is not under disclosure control.
const ddlDataset = `-- The researchers' analysis file: one row per person, programme and
-- outcome (the subjects of outcome_subject) with follow-up and covariates;
-- pseudonymised microdata, not for publication. time_days and event give
-- the survival data; a fixed window of W months counts in outcome_rate only
-- once it closed before the cut-off (see outcome_rate).
-- @person_id: keyed pseudonym of the person (never a clear identifier)
-- @programme: programme code (table programme)
-- @outcome: outcome kind (recidivism, shelter_return, shelter_inflow, …)
-- @partner: the partner of the subject's reference trajectory
-- @cohort: year of the reference date
-- @ref_date: the reference date (release, start, end or exit to housing, see ref_source)
-- @ref_source: which date the reference date is: release, start, end or exit_to_housing
-- @entry_days: days from the reference date to the programme start (delayed entry; 0 when the programme starts on or before it)
-- @age: age in whole years at the reference date
-- @sex: m, v (female), x or o (unknown)
-- @birth_year: year of birth (the full birth date is never stored)
-- @linkage: best linkage of the person's records: bsn, fallback or supplier
-- @prior_offences: offence events of the person, from any source, strictly before the reference date (the models' covariate)
-- @event: true when the first qualifying event lies after the reference date and on or before censor_date
-- @time_days: days from the reference date to the first event (event true) or to censor_date (event false)
-- @first_event: date of the first qualifying event after the reference date (on or before the cut-off); NULL when none
-- @censor_date: end of follow-up: the cut-off or the outcome kind's follow-up end
-- @ending_date: death or emigration after the reference date (a competing event), if any
-- @ending_type: death or emigration
-- @index_type: recidivism: the offence type of the index case; NULL otherwise
CREATE OR REPLACE TABLE analysis_dataset AS
WITH prior AS (
    SELECT s.programme, s.outcome, s.person_id, count(e.person_id) AS prior_offences
    FROM outcome_subject s
    LEFT JOIN event e ON e.person_id = s.person_id AND e.event_type = '%s' AND e.event_date < s.ref_date
    GROUP BY ALL
), s AS (
    SELECT *, coalesce(first_event IS NOT NULL AND first_event <= censor_date, false) AS has_event FROM outcome_subject
)
SELECT s.person_id, s.programme, s.outcome, s.partner, s.cohort, s.ref_date, s.ref_source, s.entry_days,
       s.age, s.sex, p.birth_year, p.linkage, pr.prior_offences::INTEGER AS prior_offences,
       s.has_event AS event,
       date_diff('day', s.ref_date, CASE WHEN s.has_event THEN s.first_event ELSE s.censor_date END)::INTEGER AS time_days,
       s.first_event, s.censor_date, s.ending_date, s.ending_type, s.index_type
FROM s
JOIN person p USING (person_id)
JOIN prior pr USING (programme, outcome, person_id)
ORDER BY s.outcome, s.programme, s.cohort, s.person_id`

// ddlSubjectDocs documents outcome_subject, which buildSubjects makes with
// CREATE TABLE … AS (sqldoc reads the @column lines).
const ddlSubjectDocs = `-- The population: one row per person, programme and outcome, from the
-- person's first qualifying trajectory in the programme (analyses/doc.go,
-- "Population"). Every measure counts a person once per programme from it.
-- @programme: programme code (table programme)
-- @outcome: outcome kind
-- @person_id: keyed pseudonym of the person
-- @partner: the partner of the reference trajectory
-- @ref_date: the reference date
-- @cohort: year of the reference date
-- @age: age in whole years at the reference date
-- @sex: m, v (female), x or o (unknown)
-- @first_event: the first qualifying event after the reference date (and its gap), on or before the cut-off; NULL when none
-- @censor_date: end of follow-up: the cut-off, or the outcome kind's follow-up end
-- @index_type: recidivism: the offence type of the index case
-- @ending_date: death or emigration after the reference date, on or before the cut-off
-- @ending_type: death or emigration
-- @ref_source: which date the reference date is: release, start, end or exit_to_housing
-- @entry_days: days from the reference date to the programme start (delayed entry)
-- @entered: false when the follow-up ends on or before the programme start (entry_days): never at risk in the programme, left out of its published measures
CREATE TABLE outcome_subject AS`

// buildDataset writes analysis_dataset from outcome_subject.
func buildDataset(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, fmt.Sprintf(ddlDataset, study.EventOffence)); err != nil {
		return fmt.Errorf("writing analysis_dataset: %w", err)
	}
	return nil
}
