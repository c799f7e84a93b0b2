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

// ddlExportExtraction documents table export_extraction, which
// buildExtraction writes before the subjects are built.
const ddlExportExtraction = `CREATE OR REPLACE TABLE export_extraction (
    file_id             INTEGER,  -- source_file.file_id of the newest run
    partner             VARCHAR,
    file                VARCHAR,  -- path as written in the study file
    kind                VARCHAR,
    declared_extraction DATE,     -- extraction_date in the study file; NULL when not given
    detected_extraction DATE,     -- the latest date in the export's loaded rows
    extraction_date     DATE,     -- declared, else detected: the last date the export covers
    rows_after_cutoff   BIGINT,   -- loaded rows dated after the cut-off (events; trajectories starting after it): loaded, not counted
    ends_before_cutoff  BOOLEAN   -- the export's extraction date lies before the cut-off: its outcomes are censored there (warning)
)`

// buildExtraction writes export_extraction: per export of the newest run
// (duplicates left out), its extraction date, declared in the study file
// (study.File.ExtractionDate) or else detected as the latest date of any of
// its loaded rows, and how many of its rows lie after the cut-off. Rows
// after the cut-off are loaded, not quarantined: they are accounted here
// and never counted as outcomes.
func buildExtraction(ctx context.Context, db *sql.DB, st *study.Study) error {
	var declared []string
	for _, p := range st.Partners {
		for _, f := range p.Files {
			if !f.ExtractionDate.IsZero() {
				declared = append(declared, fmt.Sprintf("(%s, %s, DATE '%s')",
					sqlList([]string{p.Name}), sqlList([]string{f.Name}), f.ExtractionDate.Format(time.DateOnly)))
			}
		}
	}
	declaredSQL := "SELECT NULL::VARCHAR AS partner, NULL::VARCHAR AS file, NULL::DATE AS d WHERE false"
	if len(declared) > 0 {
		declaredSQL = "SELECT * FROM (VALUES " + strings.Join(declared, ", ") + ") v(partner, file, d)"
	}
	cutoff := "DATE '" + st.Cutoff.Format(time.DateOnly) + "'"
	q := ddlExportExtraction + `;
INSERT INTO export_extraction
WITH latest AS (
    SELECT file_id, max(greatest(event_date, coalesce(registration_date, event_date), coalesce(end_date, event_date))) AS d,
           count(*) FILTER (WHERE event_date > ` + cutoff + `) AS after
    FROM event GROUP BY file_id
    UNION ALL
    SELECT file_id, max(greatest(start_date, coalesce(end_date, start_date), coalesce(release_date, start_date))),
           count(*) FILTER (WHERE start_date > ` + cutoff + `)
    FROM trajectory GROUP BY file_id
    UNION ALL
    SELECT file_id, max(assessment_date), count(*) FILTER (WHERE assessment_date > ` + cutoff + `)
    FROM assessment GROUP BY file_id
), declared AS (
    ` + declaredSQL + `
)
SELECT f.file_id, f.partner, f.file, f.kind, d.d, max(l.d),
       coalesce(d.d, max(l.d)), coalesce(sum(l.after), 0),
       coalesce(coalesce(d.d, max(l.d)) < ` + cutoff + `, false)
FROM source_file f
LEFT JOIN latest l USING (file_id)
LEFT JOIN declared d ON d.partner = f.partner AND d.file = f.file
WHERE f.run_id = (SELECT max(run_id) FROM source_file) AND f.duplicate_of IS NULL
GROUP BY f.file_id, f.partner, f.file, f.kind, d.d
ORDER BY f.file_id`
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("finding the exports' extraction dates: %w", err)
	}
	return nil
}

// followEnd is the last date on which an outcome kind's follow-up (and a
// window) may end: the cut-off, or, when earlier, the earliest extraction
// date of the exports that produce the kind's events minus the study's
// registration lag (outcomes.registration_lag_months). Without any such
// export (or without export_extraction rows, as in tests that fill the
// tables by hand) it is the cut-off.
func followEnd(ctx context.Context, db *sql.DB, st *study.Study, def study.OutcomeDef) (time.Time, error) {
	producers := []string{fmt.Sprintf("SELECT file_id FROM event WHERE event_type IN (%s)", sqlList(def.Events.EventTypes(st.Outcomes)))}
	if def.Events.ShelterStays {
		var shelters []string
		for _, p := range st.Programmes {
			if p.Shelter || (def.Events.TransferDays != nil && slices.Contains(st.Outcomes.HousingProgrammes, p.Code)) {
				shelters = append(shelters, p.Code)
			}
		}
		producers = append(producers, fmt.Sprintf("SELECT file_id FROM trajectory WHERE programme IN (%s)", sqlList(shelters)))
	}
	var end sql.NullTime
	err := db.QueryRowContext(ctx, fmt.Sprintf(`
SELECT CAST(min(extraction_date) - to_months(%d) AS DATE) FROM export_extraction
WHERE file_id IN (%s)`, st.Outcomes.RegistrationLagMonths, strings.Join(producers, " UNION ")),
	).Scan(&end)
	if err != nil {
		return time.Time{}, fmt.Errorf("finding the follow-up end of %s: %w", def.Kind, err)
	}
	if !end.Valid || end.Time.After(st.Cutoff) {
		return st.Cutoff, nil
	}
	return end.Time, nil
}

// tierRankSQL ranks a seriousness column as study.TierRank does.
func tierRankSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, t := range study.SeriousnessTiers() {
		fmt.Fprintf(&b, " WHEN %s THEN %d", sqlList([]string{t}), study.TierRank(t))
	}
	b.WriteString(" ELSE 0 END")
	return b.String()
}

// casesSQL is a SELECT of the persons' counting criminal cases (person_id,
// case_date, offence_type, tier): offence events grouped into cases, as the
// Recidivemonitor counts them (see the package documentation, "Criminal
// cases"):
//
//   - rows of one person with the same case_id are one case (without a
//     case_id every row is a case of its own);
//   - a row whose disposal is listed in outcomes.non_counting_disposals
//     does not count; a case counts when at least one of its rows does,
//     and its other rows are left out;
//   - a row registered after its export's extraction date cannot be in an
//     export extracted then and is left out;
//   - the case date is the earliest count date (outcomes.count_date:
//     offence date, else registration date, or the reverse) of its counting
//     rows; its tier the highest of theirs (0 unknown, 1 minor, 2 serious,
//     3 very serious) and its offence type that of its most serious row
//     (ties: the first type in alphabetical order).
func casesSQL(o study.Outcomes) string {
	date := "e.event_date"
	if o.CountDate == study.CountRegistrationDate {
		date = "coalesce(e.registration_date, e.event_date)"
	}
	// A row without case_id is a case of its own: its file and line key
	// it. The minimum of {-rank, type} is the most serious row's type, the
	// first alphabetically among equals (a NULL type sorts last).
	return fmt.Sprintf(`SELECT person_id, min(%[1]s) AS case_date,
           min({'r': -(%[2]s), 't': e.offence_type}).t AS offence_type, max(%[2]s) AS tier
    FROM event e LEFT JOIN export_extraction x USING (file_id)
    WHERE e.event_type = %[3]s AND (e.disposal IS NULL OR e.disposal NOT IN (%[4]s))
      AND (e.registration_date IS NULL OR x.extraction_date IS NULL OR e.registration_date <= x.extraction_date)
    GROUP BY e.person_id, e.case_id, CASE WHEN e.case_id IS NULL THEN e.file_id END, CASE WHEN e.case_id IS NULL THEN e.line END`,
		date, tierRankSQL("e.seriousness"), sqlList([]string{study.EventOffence}), sqlList(append([]string{""}, o.NonCounting...)))
}

// ddlOffenceCase documents table offence_case, which buildCases writes.
const ddlOffenceCase = `CREATE OR REPLACE TABLE offence_case (
    person_id    VARCHAR,
    case_date    DATE,     -- earliest count date (outcomes.count_date) of the case's counting rows
    offence_type VARCHAR,  -- type of its most serious counting row; NULL when unknown
    tier         INTEGER   -- 0 unknown, 1 minor, 2 serious (statutory maximum >= 4 years), 3 very serious (>= 8)
)`

// buildCases writes table offence_case, every person's counting criminal
// cases (casesSQL), once per run: the subjects, the index offences and the
// definitions read it.
func buildCases(ctx context.Context, db *sql.DB, st *study.Study) error {
	if _, err := db.ExecContext(ctx, ddlOffenceCase+";\nINSERT INTO offence_case "+casesSQL(st.Outcomes)); err != nil {
		return fmt.Errorf("building the criminal cases: %w", err)
	}
	return nil
}

// definitionHitsSQL is a SELECT of a recidivism definition's qualifying
// events (person_id, hit_date, offence_type): the counting cases of at
// least its tier, or, for custodial recidivism, the starts of detentions
// (registered no later than their export's extraction date).
func definitionHitsSQL(d study.RecidivismDef, o study.Outcomes) string {
	if d.Custodial {
		return fmt.Sprintf(`SELECT e.person_id, e.event_date AS hit_date, NULL::VARCHAR AS offence_type
    FROM event e LEFT JOIN export_extraction x USING (file_id)
    WHERE e.event_type = %s AND (x.extraction_date IS NULL OR e.event_date <= x.extraction_date)`,
			sqlList([]string{study.EventDetention}))
	}
	where := ""
	if d.MinTier != "" {
		where = fmt.Sprintf(" WHERE tier >= %d", study.TierRank(d.MinTier))
	}
	return "SELECT person_id, case_date AS hit_date, offence_type FROM offence_case" + where
}

// indexTypeSQL is a SELECT of the index offence type of each recidivism
// subject (programme, person_id, index_type): the offence type of the
// person's latest counting case dated on or before the reference date (the
// case that led to the detention, as far as the exports show); NULL when
// there is none, and then no case is specific recidivism.
func indexTypeSQL(o study.Outcomes) string {
	return `SELECT i.programme, i.person_id, arg_max(c.offence_type, c.case_date) AS index_type
    FROM idx i JOIN offence_case c ON c.person_id = i.person_id AND c.case_date <= i.ref_date
    WHERE i.outcome = ` + kindLiteral(study.OutcomeRecidivism) + `
    GROUP BY i.programme, i.person_id`
}

// endingSQL is a SELECT of each person's ending events (person_id,
// ending_date, ending_type): deaths and emigrations (study.EventDeath,
// study.EventEmigration), which end follow-up and compete with every
// outcome.
func endingSQL() string {
	return fmt.Sprintf("SELECT person_id, event_date AS ending_date, event_type AS ending_type FROM event WHERE event_type IN (%s)",
		sqlList([]string{study.EventDeath, study.EventEmigration}))
}

// ExportExtraction is one row of export_extraction.
type ExportExtraction struct {
	Partner, File, Kind string
	// Extraction is the declared extraction date, else the detected one
	// (Declared false); zero when the export has no loaded row.
	Extraction       time.Time
	Declared         bool
	AfterCutoff      int
	EndsBeforeCutoff bool
}

// computeJustice fills the results of the justice model: the recidivism
// definitions (with their suppression), the cumulative incidence and the
// exports' extraction dates. It runs after buildSubjects.
func computeJustice(ctx context.Context, db *sql.DB, st *study.Study, res *Results) error {
	defs, err := computeDefinitions(ctx, db, st)
	if err != nil {
		return err
	}
	suppressDefinitions(defs, res.Rates, rulesOf(st))
	res.Definitions = defs
	if res.Incidence, err = computeIncidence(ctx, db, st, st.MinCell); err != nil {
		return err
	}
	markIncidence(res.Incidence, rulesOf(st))
	rows, err := db.QueryContext(ctx, `SELECT partner, file, kind, extraction_date, declared_extraction IS NOT NULL, rows_after_cutoff, ends_before_cutoff
FROM export_extraction ORDER BY file_id`)
	if err != nil {
		return fmt.Errorf("reading export_extraction: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var x ExportExtraction
		var d sql.NullTime
		if err := rows.Scan(&x.Partner, &x.File, &x.Kind, &d, &x.Declared, &x.AfterCutoff, &x.EndsBeforeCutoff); err != nil {
			return err
		}
		if d.Valid {
			x.Extraction = d.Time
		}
		res.Exports = append(res.Exports, x)
	}
	return rows.Err()
}

// justiceTables renders recidivism_definition and cumulative_incidence
// (export_extraction is written by buildExtraction).
func justiceTables(res *Results, st *study.Study) []table {
	return []table{
		definitionTable(res.Definitions, st.MinCell, st.Disclosure.ResearcherExact),
		incidenceTable(res.Incidence, st.Disclosure.ResearcherExact),
	}
}

// justiceLog lists the cells of recidivism_definition and
// cumulative_incidence that are not published, with their rule.
func justiceLog(res *Results) []LogEntry {
	var out []LogEntry
	for _, d := range res.Definitions {
		keys := fmt.Sprintf("programme=%s definition=%s window_months=%d", d.Programme, d.Definition, d.WindowMonths)
		if d.Cohort != 0 {
			keys += fmt.Sprintf(" cohort=%d", d.Cohort)
		}
		switch {
		case d.Suppressed:
			column := "events,rate,ci_lower,ci_upper,cases,years_at_liberty,per_year"
			if d.NHidden {
				column = "n," + column
			}
			out = append(out, LogEntry{Table: "recidivism_definition", Keys: keys, Column: column, Rule: d.Rule})
		case d.FrequencyHidden:
			out = append(out, LogEntry{Table: "recidivism_definition", Keys: keys, Column: "cases,years_at_liberty,per_year", Rule: RulePrimary})
		}
	}
	type curve struct {
		programme string
		outcome   study.OutcomeKind
	}
	seen := map[curve]bool{}
	withheld := map[curve]int{}
	total := map[curve]int{}
	var order []curve
	for _, s := range res.Incidence {
		c := curve{s.Programme, s.Outcome}
		if !seen[c] {
			seen[c] = true
			order = append(order, c)
		}
		total[c]++
		if !s.Point {
			withheld[c]++
		}
	}
	for _, c := range order {
		var first IncidenceStep
		for _, s := range res.Incidence {
			if s.Programme == c.programme && s.Outcome == c.outcome {
				first = s
				break
			}
		}
		keys := fmt.Sprintf("programme=%s outcome=%s", c.programme, c.outcome)
		switch {
		case first.Suppressed:
			out = append(out, LogEntry{Table: "cumulative_incidence", Keys: keys, Rule: RulePrimary})
			continue
		case withheld[c] > 0:
			out = append(out, LogEntry{Table: "cumulative_incidence", Keys: keys, Column: fmt.Sprintf("%d of %d steps", withheld[c], total[c]), Rule: RuleSurvival})
		}
		if first.CompetingHidden {
			out = append(out, LogEntry{Table: "cumulative_incidence", Keys: keys, Column: "competing,cif_competing", Rule: RulePrimary})
		}
	}
	return out
}

// priorCasesSQL is a SELECT of the prior-offence covariate of the subjects
// in the CTE named subjects (programme, person_id, ref_date): per subject
// (programme, person_id, n, known) the number of counting criminal cases
// (offence_case: rows of one case once, acquittals and technical decisions
// left out) with a case date in [ref_date − look-back, ref_date), the
// look-back being outcomes.prior_lookback_years (default 5), and whether
// that count is known (priorKnownSQL). A fixed look-back gives every
// subject the same stretch of history whatever the date the exports start
// (a person released early in the data would otherwise show fewer prior
// cases than one released late); see doc.go, Case mix.
func priorCasesSQL(subjects string, st *study.Study) string {
	return fmt.Sprintf(`SELECT s.programme, s.person_id, count(c.person_id) AS n, %[3]s AS known
    FROM %[1]s s LEFT JOIN offence_case c ON c.person_id = s.person_id AND c.case_date < s.ref_date
        AND c.case_date >= CAST(s.ref_date - to_years(%[2]d) AS DATE)
    LEFT JOIN person pe ON pe.person_id = s.person_id
    GROUP BY s.programme, s.person_id, s.ref_date, pe.linkage`, subjects, st.Outcomes.PriorLookbackYears, priorKnownSQL(st))
}

// priorKnownSQL is the SQL condition (over s.ref_date and pe.linkage) under
// which a subject's prior-offence count is known, i.e. the subject is inside
// the justice exports' coverage:
//   - the study declares an export that can hold offence rows (a study with
//     partners but none leaves every count unknown; a study built in code
//     without partners, as in tests, counts as covered);
//   - the person can be found in every such export: linked by national ID,
//     or every such export carries names (the ascertainment rule, see
//     Ascertainment);
//   - the reference date is on or before the earliest extraction date of
//     the exports with offence rows (a later reference date would miss the
//     cases between the two).
//
// An unknown count is its own category of the banded covariate (priorBand),
// never 0 and never imputed.
func priorKnownSQL(st *study.Study) string {
	all, named := sourcesOf(st, []string{study.EventOffence}, false)
	if len(st.Partners) > 0 && len(all) == 0 {
		return "false"
	}
	linked := "true"
	if len(all) == 0 || len(named) < len(all) {
		linked = "coalesce(pe.linkage, '') <> 'fallback'"
	}
	return linked + ` AND coalesce(s.ref_date <= (SELECT min(x.extraction_date) FROM export_extraction x
        WHERE x.file_id IN (SELECT file_id FROM event WHERE event_type = ` + sqlList([]string{study.EventOffence}) + `)), true)`
}
