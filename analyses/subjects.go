package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

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
//     reference date; for shelter_return also the start of a stay in one
//     of outcomes.housing_programmes, dated more than
//     outcomes.transfer_days after it (an earlier one is a transfer). As
//     in HUD's System Performance Measure 2, the transfer days apply to
//     nothing else: a shelter entry on day 5 is a return.
//   - first_event is the earliest qualifying event; follow-up is censored at
//     the data cut-off (no event after it is known).
//   - Delayed entry: entry_days is the days from the reference date to the
//     programme start when the programme starts later (aftercare after
//     release), else 0; the subject is at risk from then on, as
//     Surv(entry, stop, event). entered is false when the follow-up (to the
//     first event, else to censor_date) ends on or before that day: an
//     offence on day 20 after release, aftercare from day 40. Such a
//     subject never enters the programme's risk set, and every published
//     measure of the programme leaves it out (the rows stay, for
//     researchers and for measures not of the programme, e.g. a family's
//     detainee). This is the one place the rule is decided.
func buildSubjects(ctx context.Context, db *sql.DB, st *study.Study) error {
	if err := buildExtraction(ctx, db, st); err != nil {
		return err
	}
	if err := buildCases(ctx, db, st); err != nil {
		return err
	}
	ends := map[study.OutcomeKind]time.Time{}
	for _, def := range study.OutcomeKinds() {
		if !def.OwnSubjects() {
			continue
		}
		end, err := followEnd(ctx, db, st, def)
		if err != nil {
			return err
		}
		ends[def.Kind] = end
	}
	q, err := subjectsSQL(st, ends)
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
// of candidate index trajectories, of qualifying events, of transfer days
// and of the follow-up end (ends, see followEnd; the cut-off for a kind
// missing there) for every outcome kind with subjects of its own.
func subjectsSQL(st *study.Study, ends map[study.OutcomeKind]time.Time) (string, error) {
	var hits, candidates, censor []string
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
		end, ok := ends[def.Kind]
		if !ok {
			end = st.Cutoff
		}
		censor = append(censor, fmt.Sprintf("WHEN %s THEN DATE '%s'", kindLiteral(def.Kind), end.Format(time.DateOnly)))
	}
	sameType := ""
	if d, _ := study.RecidivismDefinition(st.Outcomes.RecidivismDefinition); d.SameType {
		sameType = fmt.Sprintf("\n    AND (i.outcome <> %s OR h.offence_type = it.index_type)", kindLiteral(study.OutcomeRecidivism))
	}
	return fmt.Sprintf(`
CREATE OR REPLACE TABLE outcome_subject AS
WITH hit AS (
    -- count_from: a hit counts after this day (hit_date - gap_days). The
    -- conditions on the hit alone are applied here, so that the join below
    -- compares one hit column with one subject column and DuckDB can hash
    -- join it; a condition mixing both sides made it a nested loop (103.8 s
    -- of the 1M-event analyses).
    SELECT *, hit_date - gap_days AS count_from FROM (
    %[1]s
    ) WHERE hit_date <= DATE '%[3]s' AND (after_date IS NULL OR hit_date - gap_days > after_date)
), candidate AS (
    %[2]s
), idx AS (
    SELECT programme, outcome, person_id, min(ref_date) AS ref_date,
           arg_min(partner, ref_date) AS partner, arg_min(age, ref_date) AS age,
           arg_min(ref_source, ref_date) AS ref_source, arg_min(start_date, ref_date) AS start_date
    FROM candidate WHERE ref_date <= DATE '%[3]s' GROUP BY programme, outcome, person_id
), itype AS (
    %[6]s
), ending AS (
    %[7]s
), subject AS (
SELECT i.programme, i.outcome, i.person_id, i.partner, i.ref_date,
       year(i.ref_date) AS cohort, i.age, p.sex,
       min(h.hit_date) AS first_event,
       CASE i.outcome %[5]s END AS censor_date,
       any_value(it.index_type) AS index_type,
       min(en.ending_date) AS ending_date,
       arg_min(en.ending_type, en.ending_date) AS ending_type,
       i.ref_source, greatest(0, date_diff('day', i.ref_date, i.start_date)) AS entry_days
FROM idx i
JOIN person p USING (person_id)
LEFT JOIN itype it ON it.programme = i.programme AND it.person_id = i.person_id AND i.outcome = %[9]s
LEFT JOIN ending en ON en.person_id = i.person_id AND en.ending_date > i.ref_date AND en.ending_date <= DATE '%[3]s'
LEFT JOIN hit h ON h.person_id = i.person_id AND h.outcome = i.outcome
    AND h.count_from > i.ref_date%[8]s
GROUP BY i.programme, i.outcome, i.person_id, i.partner, i.ref_date, i.age, p.sex, i.ref_source, i.start_date
)
SELECT *, entry_days = 0 OR date_diff('day', ref_date, least(first_event, censor_date)) > entry_days AS entered
FROM subject
ORDER BY programme, outcome, person_id`,
		strings.Join(hits, unionAll), strings.Join(candidates, unionAll),
		st.Cutoff.Format(time.DateOnly), "", strings.Join(censor, " "),
		indexTypeSQL(st.Outcomes), endingSQL(), sameType, kindLiteral(study.OutcomeRecidivism)), nil
}

// candidatesSQL selects the candidate index trajectories of an outcome
// kind's programmes (programme, outcome, person_id, ref_date, partner, age)
// by the kind's reference date. A reference date without SQL here is an
// error (TestEveryOutcomeKindHasSubjectSQL).
func candidatesSQL(def study.OutcomeDef, st *study.Study) ([]string, error) {
	var all, shelters, others []string
	var chosen []study.Programme
	for _, p := range st.Programmes {
		if p.Outcome != def.Kind {
			continue
		}
		if p.Reference != study.RefKindDefault {
			chosen = append(chosen, p)
			continue
		}
		all = append(all, p.Code)
		if p.Shelter {
			shelters = append(shelters, p.Code)
		} else {
			others = append(others, p.Code)
		}
	}
	cutoff := "DATE '" + st.Cutoff.Format(time.DateOnly) + "'"
	// Every branch also says which date it took (ref_source) and carries
	// the programme start, from which delayed entry is measured.
	sel := func(refDate, source string, programmes []string, condition string) string {
		return fmt.Sprintf("SELECT programme, %s AS outcome, person_id, %s AS ref_date, %s AS ref_source, start_date, partner, age\n      FROM trajectory WHERE programme IN (%s)%s",
			kindLiteral(def.Kind), refDate, source, sqlList(programmes), condition)
	}
	housing := sqlList([]string{study.DestIndependentHousing})
	// Programmes whose reference date the study file chooses: only that
	// date, a trajectory lacking it gives no candidate (excluded, counted
	// by computeReferenceDates).
	var out []string
	var allShelters []string
	for _, p := range st.Programmes {
		if p.Shelter {
			allShelters = append(allShelters, p.Code)
		}
	}
	for _, p := range chosen {
		one := []string{p.Code}
		switch p.Reference {
		case study.RefRelease:
			out = append(out, sel("release_date", "'release'", one, " AND release_date IS NOT NULL"))
		case study.RefStart:
			out = append(out, sel("start_date", "'start'", one, ""))
		case study.RefEnd:
			out = append(out, sel("end_date", "'end'", one, fmt.Sprintf(" AND end_date IS NOT NULL AND end_date <= %s", cutoff)))
		case study.RefExitToHousing:
			if p.Shelter {
				out = append(out, sel("end_date", "'exit_to_housing'", one, fmt.Sprintf(" AND exit_destination = %s AND end_date IS NOT NULL AND end_date <= %s", housing, cutoff)))
				continue
			}
			// The latest exit to a home from any shelter stay on or before
			// the programme start.
			out = append(out, sel(fmt.Sprintf("(SELECT max(x.end_date) FROM trajectory x WHERE x.person_id = trajectory.person_id AND x.programme IN (%s) AND x.exit_destination = %s AND x.end_date <= trajectory.start_date)",
				sqlList(allShelters), housing), "'exit_to_housing'", one, ""))
		default:
			return nil, fmt.Errorf("programme %s: reference date %q has no SQL", p.Code, p.Reference)
		}
	}
	switch def.Reference {
	case study.ReferenceRelease:
		// A programme end after the cut-off is not known at the cut-off:
		// the trajectory is still running, and without a release date its
		// start is the reference. A release after the cut-off gives a
		// reference date after it: not yet followed.
		return append(out, sel(fmt.Sprintf("CASE WHEN release_date IS NOT NULL THEN release_date WHEN end_date <= %s THEN end_date ELSE start_date END", cutoff),
			fmt.Sprintf("CASE WHEN release_date IS NOT NULL THEN 'release' WHEN end_date <= %s THEN 'end' ELSE 'start' END", cutoff), all, "")), nil
	case study.ReferenceExitToHousing:
		// A stay still running at the cut-off (end after it) is no exit yet.
		return append(out,
			sel("end_date", "'exit_to_housing'", shelters, fmt.Sprintf(" AND exit_destination = %s AND end_date IS NOT NULL AND end_date <= %s", housing, cutoff)),
			sel("start_date", "'start'", others, ""),
		), nil
	case study.ReferenceStart:
		return append(out, sel("start_date", "'start'", all, "")), nil
	}
	return nil, fmt.Errorf("outcome %s: reference date %q has no SQL", def.Kind, def.Reference)
}

// hitsSQL selects an outcome kind's qualifying events (outcome, person_id,
// hit_date, offence_type, gap_days, after_date): the events of its event
// types and, where the kind counts them, the starts of stays in programmes
// marked shelter (gap 0) and, where the kind has transfer days, the starts
// of stays in the study's housing programmes (gap: the transfer days;
// after_date: the latest end of the person's earlier housing stays). An
// event counts when it lies more than gap_days after its anchor
// (transferAnchorSQL): the reference date, or for a housing start the
// later end of an earlier housing stay. This is the one place of the
// transfer rule; computeSPM2 uses it too.
func hitsSQL(def study.OutcomeDef, st *study.Study) []string {
	kind := kindLiteral(def.Kind)
	types := def.Events.EventTypes(st.Outcomes)
	var out []string
	if def.Kind == study.OutcomeRecidivism {
		// Offences count as the criminal cases of the study's recidivism
		// definition; the other configured event types row by row.
		d, _ := study.RecidivismDefinition(st.Outcomes.RecidivismDefinition)
		if d.Custodial || slices.Contains(types, study.EventOffence) {
			out = append(out, fmt.Sprintf("SELECT %s AS outcome, person_id, hit_date, offence_type, 0 AS gap_days, NULL::DATE AS after_date FROM (%s)", kind, definitionHitsSQL(d, st.Outcomes)))
		}
		types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == study.EventOffence || (d.Custodial && t == study.EventDetention) })
	}
	if len(types) > 0 || len(out) == 0 {
		out = append(out, fmt.Sprintf("SELECT %s AS outcome, person_id, event_date AS hit_date, NULL::VARCHAR AS offence_type, 0 AS gap_days, NULL::DATE AS after_date FROM event WHERE event_type IN (%s)",
			kind, sqlList(types)))
	}
	if def.Events.ShelterStays {
		var shelters []string
		for _, p := range st.Programmes {
			if p.Shelter {
				shelters = append(shelters, p.Code)
			}
		}
		out = append(out, fmt.Sprintf("SELECT %s, person_id, start_date, NULL::VARCHAR, 0, NULL::DATE FROM trajectory WHERE programme IN (%s)", kind, sqlList(shelters)))
		if def.Events.TransferDays != nil && len(st.Outcomes.HousingProgrammes) > 0 {
			// HUD's rolling window: after_date is the latest end of the
			// person's housing stays before this one (open-ended: never),
			// so a start within the transfer days of leaving another
			// housing project is a transfer too (see transferAnchorSQL).
			out = append(out, fmt.Sprintf(`SELECT %s, person_id, start_date, NULL::VARCHAR, %d,
        max(coalesce(end_date, DATE '9999-12-31')) OVER (PARTITION BY person_id ORDER BY start_date, end_date
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
      FROM trajectory WHERE programme IN (%s)`,
				kind, transferDays(def, st.Outcomes), sqlList(st.Outcomes.HousingProgrammes)))
		}
	}
	return out
}

// transferAnchorSQL is the date from which a hit of table alias h must
// lie more than gap_days to count, for the reference date ref: HUD's
// rolling 14-day window (System Performance Measure 2: a re-entry into a
// housing project within 14 days of the exit from the last one is a
// transfer, and each transfer moves the window to that project's exit).
// A housing start counts when it lies more than the transfer days after
// both the reference date and the end of every earlier housing stay of the
// person (still running: never); since the first such start is the
// return, the earlier stays between the reference date and it are all
// transfers. For every other hit (after_date NULL) the anchor is ref.
func transferAnchorSQL(h, ref string) string {
	return fmt.Sprintf("CASE WHEN %[1]s.after_date > %[2]s THEN %[1]s.after_date ELSE %[2]s END", h, ref)
}

// transferDays is the number of days after the reference date in which
// the start of a stay in a housing programme does not count for the kind.
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
