package analyses

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/outcomes-research/outcomes/internal/sqldoc"
)

// tableComments describe the result tables (their DDL's column comments
// describe the columns; doc.go, "Result tables", says more). A table
// whose DDL starts with comment lines takes those instead.
var tableComments = map[string]string{
	"outcome_rate":           "Share of subjects with the outcome within a fixed window, per programme, outcome, window and cohort (NULL cohort: all cohorts), with breakdowns by sex, age band and partner; Wilson and exact 95% intervals. Suppressed rows are not for publication.",
	"survival_curve":         "One Kaplan-Meier curve per programme and outcome: persons, events, median time to the event.",
	"survival_step":          "The steps of each Kaplan-Meier curve: published points (researcher_only false) and, under disclosure.researcher_exact, every exact step.",
	"survival_at_risk":       "Numbers at risk, cumulative events and censorings of each curve every 6 months.",
	"survival_at":            "Each curve read out at the study's survival_times: S(t), Greenwood standard error, log and log-log 95% intervals, number at risk.",
	"logrank_test":           "Log-rank tests between the programmes of an outcome.",
	"comparison":             "Declared comparisons of two programmes' all-cohorts rates: risk difference (Newcombe), relative risk (Katz), Fisher's exact test, and the persons the two groups share.",
	"adjusted_rate":          "Indirectly standardised rates (observed - expected + overall) from a logistic model on age, sex and prior offences, with the O/E ratio and its exact Poisson interval.",
	"cox_model":              "Cox proportional-hazards model per outcome (Efron ties): persons, events, why a model was not fitted.",
	"cox_term":               "The terms of each Cox model: hazard ratios with 95% Wald intervals and p-values.",
	"ascertainment":          "Per programme and outcome: how many subjects the outcome's source can find at all (ascertainment).",
	"cumulative_incidence":   "Aalen-Johansen cumulative incidence of the first recidivism case with death and emigration as competing events.",
	"contrast":               "Contrasts of programmes with a reference on disjoint strata or with person-clustered variance, with the overlap of their populations.",
	"recidivism_definition":  "Recidivism per WODC definition (general, serious, very serious, specific, custodial), programme, window and monitor cohort, with the frequency per year at liberty.",
	"disclosure_log":         "Every cell not published, with the table, row keys, column and the rule that hid it; never a value.",
	"family_outcome":         "Family outcomes: recidivism of detainees after return, by whether their household took part.",
	"export_extraction":      "Per export: its extraction (last covered) date, dates after the cut-off, and the registration lag used for window closure.",
	"offence_case":           "The criminal cases built from the offence rows: one row per person and case, with offence date, type, seriousness and disposal (analyses/doc.go, Recidivism).",
	"life_domain_change":     "Change per life domain between intake and follow-up assessment per programme: means, mean change with its interval, improved / unchanged / worse, attrition, floor and ceiling, reliable change.",
	"life_domain_transition": "Transitions between scores (1-5) from intake to follow-up per programme and life domain.",
	"person_time_rate":       "First events per 100 person-years per programme and outcome, with exact Poisson intervals.",
	"reference_date":         "Per programme and reference-date source: persons with a trajectory, subjects, those excluded, delayed entry.",
	"spm2_return":            "Returns to a shelter after an exit to a home, as HUD System Performance Measure 2 counts them (6, 12 and 24 months on one universe).",
	"outcome_cohort":         "Recidivism monitor cohorts: a subject is in the cohort of every year with a reference date in the programme, from that year's first reference date, with the first qualifying event after it.",
	"family_coverage":        "The families programme's chain from households to followed detainees (households, detainee found, detainee a subject, at the landmark, followed per window), with how many had a household member in the programme.",
}

// document gives the result tables, outcome_subject and analysis_dataset
// their comments (COMMENT ON, internal/sqldoc): the tables the run wrote
// (written) with their DDL, and every table of tableComments that exists,
// its columns from the shared vocabulary when no DDL documents them.
func document(ctx context.Context, db *sql.DB, written []table) error {
	var docs []sqldoc.Table
	for _, t := range written {
		docs = append(docs, sqldoc.Parse(t.ddl)...)
	}
	for _, ddl := range []string{ddlExportExtraction, ddlOffenceCase, ddlOutcomeCohort, ddlSubjectDocs, ddlDataset} {
		docs = append(docs, sqldoc.Parse(ddl)...)
	}
	seen := map[string]bool{}
	for i := range docs {
		seen[docs[i].Name] = true
		if docs[i].Comment == "" {
			docs[i].Comment = tableComments[docs[i].Name]
		}
	}
	for name, c := range tableComments {
		if !seen[name] {
			docs = append(docs, sqldoc.Table{Name: name, Comment: c})
		}
	}
	if _, err := sqldoc.Apply(ctx, db, docs); err != nil {
		return fmt.Errorf("documenting the result tables: %w", err)
	}
	return nil
}

// finishTables writes the analysis dataset and documents every table the
// analyses wrote.
func finishTables(ctx context.Context, db *sql.DB, written []table) error {
	if err := buildDataset(ctx, db); err != nil {
		return err
	}
	return document(ctx, db, written)
}
