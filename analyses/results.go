package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// Results is everything the reports publish about a run, already checked
// against the minimum cell size.
type Results struct {
	Study *study.Study
	Run   Provenance
	// Rates per programme, window and cohort, in study programme order:
	// for each programme and window the all-cohorts total (Cohort 0) first,
	// then the cohorts by year.
	Rates []Rate
	// Breakdowns holds the all-cohorts rates per programme and window split
	// by sex, age band and partner (Rate.Breakdown, Rate.Group), in study
	// programme order.
	Breakdowns []Rate
	// Files is the data quality of every export read.
	Files []FileQuality
	// Linkage describes the probabilistic linkage (linkage.go); nil when
	// the study does not turn it on.
	Linkage *Linkage

	// The members below are filled by the analyses of issue 5; a report
	// shows a section only when its member is non-empty.

	// Survival holds a Kaplan–Meier curve per programme and outcome (time
	// to the first qualifying event, censored at the cut-off).
	Survival []SurvivalCurve
	// LogRank compares the curves of the programmes that share an outcome.
	LogRank []LogRankTest
	// Comparisons compares pairs of programmes that share an outcome, per
	// window: risk difference, relative risk, Fisher's exact test.
	Comparisons []Comparison
	// References summarises the reference dates per programme (source,
	// exclusions, delayed entry; reference.go). A count withheld by
	// disclosure control is -1.
	References []ReferenceSummary
	// Contrasts holds, per contrast (study.Study.ComparisonContrasts), the
	// overlap of its groups and its Cox models (contrasts.go).
	Contrasts []ContrastResult
	// Adjusted holds the WODC-style adjusted rates and the Cox hazard ratios.
	Adjusted []AdjustedRate
	Cox      []CoxModel
	// LifeDomains holds the change per programme and life domain between
	// the first and last assessment.
	LifeDomains []DomainChange
	// Families holds the outcomes of the families-of-detainees analyses.
	Families []FamilyOutcome
	// SPM2 holds the returns to homelessness after HUD's System
	// Performance Measure 2 (spm2.go): a row per shelter, housing and
	// shelter_return programme, then the system-wide row.
	SPM2 []SPM2Row
	// FamilyCoverage is each family programme's coverage chain: the
	// households reaching each step from the export to a closed window
	// (families.go).
	FamilyCoverage []FamilyCoverage
	// Definitions holds every recidivism definition's prevalence and
	// frequency per programme, window and monitor cohort (table
	// recidivism_definition); Incidence the Aalen–Johansen cumulative
	// incidence per programme and outcome, with death and emigration as
	// competing events; Exports each export's extraction date and rows
	// after the cut-off (justice.go).
	Definitions []DefinitionRate
	Incidence   []IncidenceStep
	Exports     []ExportExtraction
	// PersonTime holds, per survival curve, the first events per
	// person-year with an exact Poisson interval.
	PersonTime []PersonTimeRate
	// Ascertainment holds, per programme, the share of its subjects who
	// can be found in the sources of its outcome's events.
	Ascertainment []Ascertainment
	// SurvivalAt reads every curve out at the study's chosen times.
	SurvivalAt []SurvivalAt
	// Disclosure lists every cell not published, with its rule (the
	// disclosure_log table).
	Disclosure []LogEntry
}

// SurvivalCurve is a Kaplan–Meier curve of one programme and outcome. Times
// are in days since the reference date. Steps and AtRisk are already checked
// against the minimum cell size: a step is left out (and Truncated set) from
// the point where fewer than MinCell persons are at risk.
type SurvivalCurve struct {
	Programme string
	Outcome   study.OutcomeKind
	N, Events int
	// Steps: at each event time, the survival estimate and its 95% CI
	// (R's default log transform); reports plot 1 − S as the cumulative share
	// with the outcome.
	Steps []stats.KMStep
	// AtRisk is the number-at-risk table at fixed months (0, 6, 12, 18, 24,
	// ...): at risk, cumulative events, cumulative censored.
	AtRisk    []AtRiskRow
	Truncated bool
	// Suppressed marks a curve not published at all: fewer than MinCell
	// persons, or between 1 and MinCell-1 events. Steps and AtRisk are then
	// empty and Events 0.
	Suppressed bool
	// Median is the median time to the event in days with its 95% CI, as R's
	// quantile(survfit(...), 0.5); NaN where the curve (or its published
	// part) does not reach 0.5.
	Median stats.Estimate

	// points are the indices of the Steps that may be published (see
	// markSurvival); withheldSteps counts the others; rule says why a
	// suppressed curve is.
	points        []int
	withheldSteps int
	rule          Rule
}

// AtRiskRow is one column of a KMunicate number-at-risk table.
type AtRiskRow struct {
	// Month is the column's month; Day the day on the curve's time axis,
	// round(Month · 365.25/12).
	Month, Day               int
	AtRisk, Events, Censored int
	Suppressed               bool
}

// LogRankTest is a log-rank test between the programmes of one outcome.
type LogRankTest struct {
	Outcome    study.OutcomeKind
	Programmes []string
	ChiSq      float64
	DF         int
	P          float64
	// Skipped says why the test could not be computed (e.g. nobody had the
	// event); ChiSq, DF and P are then zero.
	Skipped string
}

// Comparison contrasts programme A with programme B (A − B, A / B) for one
// outcome and window.
type Comparison struct {
	Outcome           study.OutcomeKind
	WindowMonths      int
	A, B              string
	RiskDifference    stats.Estimate // Newcombe hybrid score 95% CI
	RelativeRisk      stats.Estimate // log-scale (Katz) 95% CI
	FisherP           float64
	Suppressed        bool // either group below the minimum cell size
	SmallGroupWarning bool // a group too small to conclude anything; always set when Suppressed
	// Overlap is the number of persons in both cells, Relation how the
	// cells overlap (markComparisonOverlap); OverlapHidden withholds
	// Overlap (then 0) when it, or a cell's persons outside it, is between
	// 1 and min_cell − 1.
	Overlap       int
	Relation      Relation
	OverlapHidden bool

	nA, eventsA, nB, eventsB int // the cells compared, for the result table
}

// AdjustedRate is a programme's observed rate next to the rate expected from
// a logistic model (age, sex, prior offences) fitted on all programmes of the
// outcome: adjusted = observed − expected + overall.
type AdjustedRate struct {
	Programme                             string
	Outcome                               study.OutcomeKind
	WindowMonths, N                       int
	Observed, Expected, Overall, Adjusted float64
	// OE is the standardised ratio observed/expected events (O/E, the
	// standardised incidence ratio of indirect standardisation) with the
	// exact Poisson 95% interval of O given E (R's poisson.test(O, E));
	// NaN when the model was skipped.
	OE stats.Estimate
	// Suppressed follows the programme's all-cohorts rate cell of the same
	// window, and covers every programme of the window when exactly one
	// cell is suppressed (see markAdjusted); the rates are then zero.
	Suppressed bool
	// Skipped says why the model was not fitted (too few events, no
	// covariate left); only N and Observed are then filled. Dropped lists
	// covariates left out because they were constant.
	Skipped string
	// Reason is Skipped as a rule with its numbers, for the report.
	Reason  SkipReason
	Dropped []string
}

// CoxModel is a Cox proportional-hazards model (Efron ties) of one outcome:
// hazard ratios of each programme against the first, adjusted for the
// covariates.
type CoxModel struct {
	Outcome   study.OutcomeKind
	Reference string // the reference programme
	Terms     []HazardRatio
	N, Events int
	// Skipped says why the model was not fitted (too few events, no
	// covariate left); Terms is then empty. Dropped lists covariates left
	// out because they were constant.
	Skipped string
	// Reason is Skipped as a rule with its numbers, for the report.
	Reason  SkipReason
	Dropped []string
	// Baselines names the baseline level of each banded covariate
	// ("age:30-39", "prior_offences:0"): the hazard ratio of a band compares
	// it with this one.
	Baselines []string

	eventsHidden bool // Events may not be published (see markCox); it is then 0
	nHidden      bool // N may not be published (see markCox); it is then 0
	dfSkipped    bool // fewer residual degrees of freedom than the study allows (see markModel)
	// exactN, exactEvents and minCell keep what CountMarks needs once N
	// and Events are cleared; they never leave the package.
	exactN, exactEvents, minCell int
}

// HazardRatio is one term of a Cox model.
type HazardRatio struct {
	Term string // "programme:RES", "age:18-24", "sex:v", "prior_offences:2-4"
	stats.Estimate
	P float64
	// Suppressed marks the term of a programme whose survival curve is
	// suppressed; its estimate is then zero.
	Suppressed bool
}

// DomainChange is the change in one life domain's score (1–5) between the
// first and last assessment, among persons with at least two assessments.
type DomainChange struct {
	Programme, Domain          string
	N                          int
	MeanFirst, MeanLast        float64
	MeanChange                 stats.Estimate // paired t 95% CI
	Improved, Unchanged, Worse int
	Suppressed                 bool
	// CountsSuppressed withholds Improved, Unchanged and Worse when one of
	// them is between 1 and MinCell − 1 (see computeLifeDomains).
	CountsSuppressed bool
	// Detail holds attrition, floor and ceiling, reliable change, the
	// signed-rank test, the household-clustered interval and the
	// transitions (see DomainDetail).
	Detail DomainDetail
	// MeansSuppressed withholds MeanFirst, MeanLast and MeanChange with
	// its CI whenever the counts are withheld: the means of integer scores
	// of n persons would pin the counts down (see markDomains).
	MeansSuppressed bool
	// CountMarks say how Improved, Unchanged and Worse are shown when the
	// counts are withheld.
	CountMarks [3]Mark
	// countsRule is the disclosure rule that withheld the counts (primary,
	// class or secondary; see markDomains).
	countsRule Rule
	// TransitionsPublished: the report may show Detail.Transitions, as the
	// row and its classes are published and every one of the 25 cells is 0
	// (zeros publishable) or at least MinCell (see markDomains); otherwise
	// Results carries no transitions.
	TransitionsPublished bool
}

// FamilyOutcome is the recidivism of detainees after return, split by
// whether their household took part in a family programme.
type FamilyOutcome struct {
	// Programme is the family programme (outcome family); see
	// computeFamilies for the definitions.
	Programme            string
	WindowMonths         int
	HouseholdInProgramme bool
	Rate                 Rate
}

// Provenance says where the numbers come from.
type Provenance struct {
	RunID          int
	Started        time.Time
	ToolVersion    string
	StudySHA256    string
	KeyFingerprint string
}

// FileQuality is the row accounting of one export: Read = Loaded +
// Quarantined, and Loaded = LinkedBSN + LinkedFallback + LinkedSupplier.
type FileQuality struct {
	Partner, File, Kind, SHA256               string
	Read, Loaded, Quarantined                 int
	LinkedBSN, LinkedFallback, LinkedSupplier int
	Rules                                     []RuleCount
}

// RuleCount counts the rows quarantined under one rule.
type RuleCount struct {
	Rule  string
	Count int
}

// ComputeWith runs every analysis on the loaded database of run runID,
// stores the result tables (appended in bulk by appendRows; nil: with
// INSERT statements, see Compute), and returns the results for reports.
func ComputeWith(ctx context.Context, db *sql.DB, st *study.Study, runID int, appendRows AppendFunc) (*Results, error) {
	res := &Results{Study: st}
	if err := db.QueryRowContext(ctx, `SELECT run_id, started, tool_version, study_sha256, key_fingerprint FROM run WHERE run_id = ?`, runID).
		Scan(&res.Run.RunID, &res.Run.Started, &res.Run.ToolVersion, &res.Run.StudySHA256, &res.Run.KeyFingerprint); err != nil {
		return nil, fmt.Errorf("reading run %d: %w", runID, err)
	}
	if err := buildSubjects(ctx, db, st); err != nil {
		return nil, err
	}
	if err := buildCohorts(ctx, db, st); err != nil {
		return nil, err
	}
	if err := computeAll(ctx, db, st, res); err != nil {
		return nil, err
	}
	markDomains(res.LifeDomains, rulesOf(st))
	markFamilies(res.Families, rulesOf(st))
	markFamilyCoverage(res.FamilyCoverage, res.Families, st)
	if err := computeJustice(ctx, db, st, res); err != nil {
		return nil, err
	}
	res.Disclosure = append(append(disclosureLog(res), contrastLog(res)...), justiceLog(res)...)
	res.Disclosure = append(res.Disclosure, spm2Log(res.SPM2)...)
	res.Disclosure = append(res.Disclosure, familyCoverageLog(res.FamilyCoverage)...)
	tables := append(resultTables(res, st.MinCell, st.Disclosure.ResearcherExact),
		domainAndFamilyTables(res, st.MinCell, st.Disclosure.ResearcherExact)...)
	tables = append(tables, disclosureTable(res.Disclosure))
	tables = append(tables, personTimeTable(res, st.Disclosure.ResearcherExact), ascertainmentTable(res, st.Disclosure.ResearcherExact),
		survivalAtTable(res, st.Disclosure.ResearcherExact))
	tables = append(tables, contrastTable(res, st.Disclosure.ResearcherExact))
	tables = append(tables, referenceTable(res))
	tables = append(tables, spm2Table(res.SPM2, st.Disclosure.ResearcherExact))
	tables = append(tables, familyCoverageTable(res.FamilyCoverage, st.Disclosure.ResearcherExact))
	tables = append(tables, justiceTables(res, st)...)
	if err := writeTables(ctx, db, tables, appendRows); err != nil {
		return nil, err
	}
	if err := finishTables(ctx, db, tables); err != nil {
		return nil, err
	}
	redact(res, st.MinCell)
	redactSPM2(res.SPM2)
	redactFamilyCoverage(res.FamilyCoverage)
	redactJustice(res)
	roundCounts(res, st.Disclosure.Rounding)
	var err error
	if res.Files, err = fileQuality(ctx, db, runID); err != nil {
		return nil, err
	}
	if res.Linkage, err = linkageSummary(ctx, db); err != nil {
		return nil, err
	}
	return res, nil
}

// computeAll fills the outcome results of res with exact values and marks
// what may not be published (Suppressed, Truncated); redact clears those
// values once the result tables are written.
func computeAll(ctx context.Context, db *sql.DB, st *study.Study, res *Results) error {
	rates, err := computeRates(ctx, db, st)
	if err != nil {
		return err
	}
	breakdowns, err := computeBreakdowns(ctx, db, st)
	if err != nil {
		return err
	}
	all := append(rates, breakdowns...)
	suppressRates(all, rulesOf(st))
	res.Rates, res.Breakdowns = all[:len(rates)], all[len(rates):]
	res.Comparisons = computeComparisons(st, res.Rates, st.MinCell)

	type rateKey struct {
		programme string
		window    int
	}
	suppressedRate := map[rateKey]bool{}
	for _, r := range res.Rates {
		if r.Cohort == 0 {
			suppressedRate[rateKey{r.Programme, r.WindowMonths}] = r.Suppressed
		}
	}
	for _, outcome := range outcomesOf(st) {
		subs, err := loadSubjects(ctx, db, st, outcome)
		if err != nil {
			return err
		}
		curves, groups, err := computeSurvival(outcome, st, subs)
		if err != nil {
			return err
		}
		for i := range curves {
			markSurvival(&curves[i], rulesOf(st))
		}
		res.Survival = append(res.Survival, curves...)
		res.PersonTime = append(res.PersonTime, markPersonTime(computePersonTime(outcome, groups, curves), rulesOf(st))...)
		at, err := computeSurvivalAt(outcome, st, groups, curves)
		if err != nil {
			return err
		}
		res.SurvivalAt = append(res.SurvivalAt, at...)
		if t, ok := computeLogRank(outcome, st, groups); ok {
			res.LogRank = append(res.LogRank, t)
		}
		markComparisonOverlap(res.Comparisons, outcome, st, subs)
		res.Contrasts = append(res.Contrasts, computeContrasts(outcome, st, subs, curves)...)
		adjusted := computeAdjusted(outcome, st, subs)
		markAdjusted(adjusted, func(programme string, window int) bool {
			return suppressedRate[rateKey{programme, window}]
		}, st.MinCell)
		res.Adjusted = append(res.Adjusted, adjusted...)
		if m, ok := computeCox(outcome, st, subs); ok {
			markCox(&m, curves, st.MinCell)
			markModel(&m, st)
			res.Cox = append(res.Cox, m)
		}
	}
	if res.References, err = computeReferenceDates(ctx, db, st); err != nil {
		return err
	}
	if res.LifeDomains, err = computeLifeDomains(ctx, db, st); err != nil {
		return err
	}
	if res.Ascertainment, err = computeAscertainment(ctx, db, st); err != nil {
		return err
	}
	if res.Families, err = computeFamilies(ctx, db, st); err != nil {
		return err
	}
	if res.SPM2, err = computeSPM2(ctx, db, st); err != nil {
		return err
	}
	markSPM2(res.SPM2, res.Rates, st)
	if res.FamilyCoverage, err = computeFamilyCoverage(ctx, db, st); err != nil {
		return err
	}
	return nil
}

// redact clears every value marked unpublishable, so that nothing suppressed
// leaves the package through Results.
func redact(res *Results, minCell int) {
	redactDomainsAndFamilies(res)
	for i := range res.LifeDomains {
		if d := &res.LifeDomains[i]; d.MeansSuppressed {
			d.MeanFirst, d.MeanLast, d.MeanChange = 0, 0, nanEstimate()
		}
	}
	redactPersonTime(res)
	redactAscertainment(res)
	redactSurvivalAt(res)
	for i := range res.Rates {
		redactRate(&res.Rates[i])
	}
	for i := range res.Breakdowns {
		redactRate(&res.Breakdowns[i])
	}
	for i := range res.Survival {
		redactSurvival(&res.Survival[i])
	}
	for i := range res.Comparisons {
		redactComparison(&res.Comparisons[i])
	}
	for i := range res.Contrasts {
		redactContrast(&res.Contrasts[i])
	}
	redactReferences(res)
	for i := range res.Adjusted {
		if a := &res.Adjusted[i]; a.Suppressed {
			a.Observed, a.Expected, a.Overall, a.Adjusted = 0, 0, 0, 0
		}
	}
	for i := range res.Adjusted {
		res.Adjusted[i].Dropped = nil // never name a constant covariate
		if a := &res.Adjusted[i]; a.Suppressed {
			a.N = 0
		}
	}
	for i := range res.Cox {
		m := &res.Cox[i]
		m.Dropped = nil // never name a constant covariate
		if m.eventsHidden {
			m.Events = 0
		}
		if m.nHidden {
			m.N = 0
		}
		for j := range m.Terms {
			if t := &m.Terms[j]; t.Suppressed {
				t.Estimate, t.P = stats.Estimate{}, 0
			}
		}
	}
}

func fileQuality(ctx context.Context, db *sql.DB, runID int) ([]FileQuality, error) {
	rows, err := db.QueryContext(ctx, `SELECT file_id, partner, file, kind, sha256, rows_read, rows_loaded, rows_quarantined,
		linked_bsn, linked_fallback, linked_supplier FROM source_file WHERE run_id = ? ORDER BY file_id`, runID)
	if err != nil {
		return nil, fmt.Errorf("reading source files: %w", err)
	}
	defer rows.Close()
	var out []FileQuality
	var ids []int
	for rows.Next() {
		var f FileQuality
		var id int
		if err := rows.Scan(&id, &f.Partner, &f.File, &f.Kind, &f.SHA256, &f.Read, &f.Loaded, &f.Quarantined,
			&f.LinkedBSN, &f.LinkedFallback, &f.LinkedSupplier); err != nil {
			return nil, err
		}
		out = append(out, f)
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		rr, err := db.QueryContext(ctx, `SELECT rule, count(*) FROM quarantine WHERE file_id = ? GROUP BY rule ORDER BY rule`, id)
		if err != nil {
			return nil, err
		}
		for rr.Next() {
			var rc RuleCount
			if err := rr.Scan(&rc.Rule, &rc.Count); err != nil {
				rr.Close()
				return nil, err
			}
			out[i].Rules = append(out[i].Rules, rc)
		}
		rr.Close()
	}
	return out, nil
}
