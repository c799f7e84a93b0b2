package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"

	"github.com/outcomes-research/outcomes/study"
)

// The result tables. Each is replaced as a whole by every run; the DDL
// comments are the column documentation (also in doc.go, "Result tables").
//
// Disclosure: a row marked suppressed holds, in its sensitive columns, NULL,
// unless the study file sets disclosure.researcher_exact, in which case it
// holds the exact value and researcher_only is true: such a row is for the
// study's researchers and may not be published.
const (
	ddlOutcomeRate = `CREATE OR REPLACE TABLE outcome_rate (
    programme       VARCHAR,  -- programme code
    outcome         VARCHAR,  -- an outcome kind with subjects of its own (study.OutcomeKinds)
    window_months   INTEGER,  -- the fixed window after the reference date
    cohort          INTEGER,  -- year of the reference date (recidivism: the monitor's cohorts, a person in each year with a reference date, from the first one in it; see outcome_cohort); NULL = all cohorts
    breakdown       VARCHAR,  -- NULL for cohort rows and totals; sex, age_band or partner
    breakdown_value VARCHAR,  -- the group within the breakdown (v, 25-34, a partner name)
    n               INTEGER,  -- persons whose window closed before the cut-off; NULL when suppressed and below min_cell
    events          INTEGER,  -- of them, with the outcome within the window; NULL when suppressed
    rate            DOUBLE,   -- events / n; NULL when suppressed or n = 0
    ci_lower        DOUBLE,   -- Wilson score 95% interval
    ci_upper        DOUBLE,
    exact_lower     DOUBLE,   -- Clopper-Pearson (exact) 95% interval, R's binom.test
    exact_upper     DOUBLE,
    one_sided_upper DOUBLE,   -- exact one-sided 95% upper bound when events = 0 (binom.test alternative "less"); NULL otherwise
    one_sided_lower DOUBLE,   -- exact one-sided 95% lower bound when events = n (alternative "greater"); NULL otherwise
    suppressed      BOOLEAN,  -- below the minimum cell size, or hidden so that it cannot be recomputed: not for publication
    researcher_only BOOLEAN,  -- exact values of a suppressed row, kept under disclosure.researcher_exact
    definition      VARCHAR,  -- recidivism: the headline definition counted (outcomes.recidivism_definition; all definitions are in recidivism_definition); NULL for the other kinds
    partial         BOOLEAN   -- a cohort row whose year has not closed: 31 December of the year + window lies after the follow-up end, so members released late in the year are missing (not a complete year)
)`
	ddlSurvivalCurve = `CREATE OR REPLACE TABLE survival_curve (
    programme       VARCHAR,
    outcome         VARCHAR,
    n               INTEGER,  -- persons followed (reference date on or before the cut-off); NULL when suppressed
    events          INTEGER,  -- of them, with the event before the cut-off; NULL when suppressed
    median_days     DOUBLE,   -- median time to the event; NULL when not reached (or not published)
    median_lower    DOUBLE,   -- its 95% CI; NULL when not reached
    median_upper    DOUBLE,
    truncated       BOOLEAN,  -- later steps had fewer than min_cell persons at risk and are not published
    suppressed      BOOLEAN,  -- the whole curve is not published
    researcher_only BOOLEAN
)`
	ddlSurvivalStep = `CREATE OR REPLACE TABLE survival_step (
    programme       VARCHAR,
    outcome         VARCHAR,
    time_days       DOUBLE,   -- an event time, days since the reference date
    at_risk         INTEGER,  -- persons followed up to at least this day
    events          INTEGER,  -- events on this day
    censored        INTEGER,  -- censored since the previous step, up to this day
    survival        DOUBLE,   -- Kaplan-Meier estimate: share still without the event
    std_err         DOUBLE,   -- Greenwood standard error of survival
    ci_lower        DOUBLE,   -- 95% pointwise interval, log transform (R's default)
    ci_upper        DOUBLE,
    researcher_only BOOLEAN   -- false: a published point (events and censored since the previous point, at_risk after it); true: an exact step (only under disclosure.researcher_exact)
)`
	ddlSurvivalAtRisk = `CREATE OR REPLACE TABLE survival_at_risk (
    programme       VARCHAR,
    outcome         VARCHAR,
    month           INTEGER,  -- 0, 6, ..., 36
    time_days       INTEGER,  -- round(month * 365.25 / 12)
    at_risk         INTEGER,  -- persons followed up to at least this day; NULL when suppressed
    events          INTEGER,  -- cumulative events up to and including this day; NULL when suppressed
    censored        INTEGER,  -- cumulative censorings up to and including this day; NULL when suppressed
    suppressed      BOOLEAN,
    researcher_only BOOLEAN
)`
	ddlLogRank = `CREATE OR REPLACE TABLE logrank_test (
    outcome    VARCHAR,
    programmes VARCHAR,  -- the programmes compared, comma-separated, in study order
    chisq      DOUBLE,   -- log-rank chi-square; NULL when skipped
    df         INTEGER,
    p          DOUBLE,
    skipped    VARCHAR   -- why the test could not be computed; NULL when it was
)`
	ddlComparison = `CREATE OR REPLACE TABLE comparison (
    outcome             VARCHAR,
    window_months       INTEGER,
    programme_a         VARCHAR,
    programme_b         VARCHAR,
    n_a                 INTEGER,  -- the all-cohorts cells of outcome_rate; NULL when suppressed
    events_a            INTEGER,
    n_b                 INTEGER,
    events_b            INTEGER,
    risk_difference     DOUBLE,   -- rate A - rate B
    rd_lower            DOUBLE,   -- Newcombe hybrid score 95% interval
    rd_upper            DOUBLE,
    relative_risk       DOUBLE,   -- rate A / rate B
    rr_lower            DOUBLE,   -- log-scale (Katz) 95% interval; NULL when a group has no events
    rr_upper            DOUBLE,
    fisher_p            DOUBLE,   -- two-sided Fisher exact test
    small_group_warning BOOLEAN,  -- a group has fewer than 2 * min_cell persons or fewer than 5 events; NULL when suppressed
    overlap             INTEGER,  -- persons in both cells (the tests above assume none); NULL when suppressed or when it, or a cell without it, is between 1 and min_cell - 1
    relation            VARCHAR,  -- disjoint, overlap, programme_in_reference (every person of A is in B), reference_in_programme, equal
    suppressed          BOOLEAN,  -- a cell compared is suppressed
    researcher_only     BOOLEAN
)`
	ddlAdjustedRate = `CREATE OR REPLACE TABLE adjusted_rate (
    programme       VARCHAR,
    outcome         VARCHAR,
    window_months   INTEGER,
    n               INTEGER,  -- persons of the programme in the model (= n of the all-cohorts rate)
    observed        DOUBLE,   -- observed rate
    expected        DOUBLE,   -- mean predicted probability (logistic model on age, sex, prior offences over all programmes)
    overall         DOUBLE,   -- observed rate of everyone in the model
    adjusted        DOUBLE,   -- indirectly standardised rate: observed - expected + overall
    oe_ratio        DOUBLE,   -- observed / expected events (standardised ratio)
    oe_lower        DOUBLE,   -- exact Poisson 95% interval of O given E (R's poisson.test)
    oe_upper        DOUBLE,
    suppressed      BOOLEAN,  -- follows the all-cohorts rate cell
    researcher_only BOOLEAN,
    skipped         VARCHAR,  -- why the model was not fitted; NULL when it was
    dropped         VARCHAR   -- constant covariates left out, comma-separated
)`
	ddlCoxModel = `CREATE OR REPLACE TABLE cox_model (
    outcome   VARCHAR,
    reference VARCHAR,  -- the reference programme of the programme terms
    n         INTEGER,  -- persons in the model (those of survival_curve); NULL when a curve of the outcome is suppressed
    events    INTEGER,  -- NULL when between 1 and min_cell - 1, or when it would reveal a suppressed curve
    skipped   VARCHAR,  -- why the model was not fitted; NULL when it was
    dropped   VARCHAR,  -- constant covariates left out, comma-separated
    researcher_only BOOLEAN -- events is an exact value that may not be published
)`
	ddlCoxTerm = `CREATE OR REPLACE TABLE cox_term (
    outcome         VARCHAR,
    term            VARCHAR,  -- programme:<code>, age, sex:v, prior_offences
    hazard_ratio    DOUBLE,   -- exp(coefficient), Efron ties
    ci_lower        DOUBLE,   -- 95% Wald interval
    ci_upper        DOUBLE,
    p               DOUBLE,   -- Wald test
    suppressed      BOOLEAN,  -- the programme's survival curve is suppressed
    researcher_only BOOLEAN
)`
)

// table is one result table to write: its DDL and its rows, one value per
// column.
type table struct {
	name, ddl string
	rows      [][]any
}

// AppendFunc appends rows (one value per column, in column order) to
// table in bulk through conn, the driver connection a database/sql
// connection hands to sql.Conn.Raw, inside that connection's open
// transaction; the table holds what an INSERT of the same values would.
// store.AppendRows (DuckDB's Appender) is the one the pipeline passes;
// analyses itself never sees the driver.
type AppendFunc func(conn any, table string, rows [][]any) error

// Compute is ComputeWith without an AppendFunc: the result tables are
// written with INSERT statements.
func Compute(ctx context.Context, db *sql.DB, st *study.Study, runID int) (*Results, error) {
	return ComputeWith(ctx, db, st, runID, nil)
}

// rowsPerInsert is how many rows one INSERT statement of writeTables carries.
const rowsPerInsert = 200

// writeTables replaces the result tables in one transaction: each table's
// DDL, then its rows, appended in bulk by appendRows or, when it is nil,
// inserted through multi-row INSERT statements. Both give the same tables.
func writeTables(ctx context.Context, db *sql.DB, tables []table, appendRows AppendFunc) (err error) {
	if appendRows == nil {
		return insertTables(ctx, db, tables)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("writing result tables: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("writing result tables: %w", err)
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	for _, t := range tables {
		if _, err := conn.ExecContext(ctx, t.ddl); err != nil {
			return fmt.Errorf("creating %s: %w", t.name, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := conn.Raw(func(dc any) error { return appendRows(dc, t.name, t.rows) }); err != nil {
			return fmt.Errorf("writing %s: %w", t.name, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("writing result tables: %w", err)
	}
	return nil
}

// insertTables is writeTables with INSERT statements, many rows each.
func insertTables(ctx context.Context, db *sql.DB, tables []table) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("writing result tables: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, t.ddl); err != nil {
			return fmt.Errorf("creating %s: %w", t.name, err)
		}
		if len(t.rows) == 0 {
			continue
		}
		// Many rows per statement: one statement per row cost about 100 µs
		// each, which made writing the survival steps of a national study
		// take seconds.
		marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.rows[0])), ", ") + ")"
		for start := 0; start < len(t.rows); start += rowsPerInsert {
			chunk := t.rows[start:min(start+rowsPerInsert, len(t.rows))]
			args := make([]any, 0, len(chunk)*len(chunk[0]))
			for _, r := range chunk {
				args = append(args, r...)
			}
			q := fmt.Sprintf("INSERT INTO %s VALUES %s", t.name, strings.TrimSuffix(strings.Repeat(marks+", ", len(chunk)), ", "))
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("writing %s: %w", t.name, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("writing result tables: %w", err)
	}
	return nil
}

// num stores a float, with NaN and infinities as NULL.
func num(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

// nullIf stores "" as NULL.
func nullIf(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// cells decides what a row may hold: withheld reports whether the sensitive
// values must be NULL, researcherOnly whether the row holds exact values of
// a suppressed cell.
func cells(suppressed, researcherExact bool) (withheld, researcherOnly bool) {
	return suppressed && !researcherExact, suppressed && researcherExact
}

// hide returns the values, or NULLs when withheld.
func hide(withheld bool, vs ...any) []any {
	if withheld {
		return make([]any, len(vs))
	}
	return vs
}

// resultTables renders the results, not yet redacted, as result tables.
func resultTables(res *Results, minCell int, researcherExact bool) []table {
	rates := table{name: "outcome_rate", ddl: ddlOutcomeRate}
	for _, r := range append(append([]Rate(nil), res.Rates...), res.Breakdowns...) {
		withheld, ro := cells(r.Suppressed, researcherExact)
		var cohort any
		if r.Cohort != 0 {
			cohort = r.Cohort
		}
		var n any = r.N
		if withheld && r.N < minCell {
			n = nil
		}
		row := []any{r.Programme, r.Outcome, r.WindowMonths, cohort, nullIf(r.Breakdown), nullIf(r.Group), n}
		row = append(row, hide(withheld, append([]any{r.Events}, rateColumns(r)...)...)...)
		rates.rows = append(rates.rows, append(row, r.Suppressed, ro, nullIf(r.Definition), r.Partial))
	}

	curves := table{name: "survival_curve", ddl: ddlSurvivalCurve}
	steps := table{name: "survival_step", ddl: ddlSurvivalStep}
	atRisk := table{name: "survival_at_risk", ddl: ddlSurvivalAtRisk}
	for _, c := range res.Survival {
		withheld, ro := cells(c.Suppressed, researcherExact)
		row := []any{c.Programme, c.Outcome}
		row = append(row, hide(withheld, c.N, c.Events, num(c.Median.Value), num(c.Median.Lower), num(c.Median.Upper))...)
		curves.rows = append(curves.rows, append(row, c.Truncated, c.Suppressed, ro))
		if !c.Suppressed {
			for _, s := range publishedSteps(&c) {
				steps.rows = append(steps.rows, []any{c.Programme, c.Outcome, s.Time, s.AtRisk, s.Events, s.Censored,
					s.Survival, num(s.StdErr), num(s.Lower), num(s.Upper), false})
			}
		}
		if researcherExact {
			// Every exact step, for the study's researchers only.
			for _, s := range c.Steps {
				steps.rows = append(steps.rows, []any{c.Programme, c.Outcome, s.Time, s.AtRisk, s.Events, s.Censored,
					s.Survival, num(s.StdErr), num(s.Lower), num(s.Upper), true})
			}
		}
		for _, a := range c.AtRisk {
			withheld, ro := cells(a.Suppressed, researcherExact)
			row := []any{c.Programme, c.Outcome, a.Month, a.Day}
			row = append(row, hide(withheld, a.AtRisk, a.Events, a.Censored)...)
			atRisk.rows = append(atRisk.rows, append(row, a.Suppressed, ro))
		}
	}

	logrank := table{name: "logrank_test", ddl: ddlLogRank}
	for _, t := range res.LogRank {
		var chi, df, p any
		if t.Skipped == "" {
			chi, df, p = num(t.ChiSq), t.DF, num(t.P)
		}
		logrank.rows = append(logrank.rows, []any{t.Outcome, strings.Join(t.Programmes, ","), chi, df, p, nullIf(t.Skipped)})
	}

	comparisons := table{name: "comparison", ddl: ddlComparison}
	for _, c := range res.Comparisons {
		withheld, ro := cells(c.Suppressed, researcherExact)
		row := []any{c.Outcome, c.WindowMonths, c.A, c.B}
		row = append(row, hide(withheld, c.nA, c.eventsA, c.nB, c.eventsB,
			num(c.RiskDifference.Value), num(c.RiskDifference.Lower), num(c.RiskDifference.Upper),
			num(c.RelativeRisk.Value), num(c.RelativeRisk.Lower), num(c.RelativeRisk.Upper), num(c.FisherP), c.SmallGroupWarning)...)
		var overlap any = c.Overlap
		if withheld || (c.OverlapHidden && !researcherExact) {
			overlap = nil
		}
		row = append(row, overlap, string(c.Relation))
		comparisons.rows = append(comparisons.rows, append(row, c.Suppressed, ro))
	}

	adjusted := table{name: "adjusted_rate", ddl: ddlAdjustedRate}
	for _, a := range res.Adjusted {
		withheld, ro := cells(a.Suppressed, researcherExact)
		var exp, overall, adj, oe, oeLo, oeHi any
		if a.Skipped == "" {
			exp, overall, adj = num(a.Expected), num(a.Overall), num(a.Adjusted)
			oe, oeLo, oeHi = num(a.OE.Value), num(a.OE.Lower), num(a.OE.Upper)
		}
		var n any = a.N
		if withheld && a.N < minCell {
			n = nil
		}
		row := []any{a.Programme, a.Outcome, a.WindowMonths, n}
		row = append(row, hide(withheld, num(a.Observed), exp, overall, adj, oe, oeLo, oeHi)...)
		adjusted.rows = append(adjusted.rows, append(row, a.Suppressed, ro, nullIf(a.Skipped), nullIf(strings.Join(a.Dropped, ","))))
	}

	models := table{name: "cox_model", ddl: ddlCoxModel}
	terms := table{name: "cox_term", ddl: ddlCoxTerm}
	for _, m := range res.Cox {
		withheld, ro := cells(m.eventsHidden || m.nHidden, researcherExact)
		nWithheld, _ := cells(m.nHidden, researcherExact)
		row := []any{m.Outcome, m.Reference}
		row = append(row, hide(nWithheld, m.N)...)
		row = append(row, hide(withheld, m.Events)...)
		models.rows = append(models.rows, append(row, nullIf(m.Skipped), nullIf(strings.Join(m.Dropped, ",")), ro))
		for _, t := range m.Terms {
			withheld, ro := cells(t.Suppressed, researcherExact)
			row := []any{m.Outcome, t.Term}
			row = append(row, hide(withheld, num(t.Value), num(t.Lower), num(t.Upper), num(t.P))...)
			terms.rows = append(terms.rows, append(row, t.Suppressed, ro))
		}
	}
	return []table{rates, curves, steps, atRisk, logrank, comparisons, adjusted, models, terms}
}
