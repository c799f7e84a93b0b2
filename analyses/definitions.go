package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// ddlRecidivismDefinition documents table recidivism_definition.
const ddlRecidivismDefinition = `CREATE OR REPLACE TABLE recidivism_definition (
    programme       VARCHAR,  -- a programme of outcome recidivism
    definition      VARCHAR,  -- general, serious, very_serious, specific or custodial (study.RecidivismDefinitions)
    window_months   INTEGER,
    cohort          INTEGER,  -- monitor cohort: persons with a reference date in this year, from their first one in it; NULL = all cohorts (one row per person, earliest reference date)
    partial         BOOLEAN,  -- cohort year not yet closed: 31 December of the year + window lies after the follow-up end, so later members are missing
    n               INTEGER,  -- persons whose window closed (reference + window on or before the follow-up end); NULL when withheld: outcome_rate hides the same population's n, or it is below min_cell
    events          INTEGER,  -- of them, with at least one qualifying case (or detention) within the window
    rate            DOUBLE,   -- prevalence events / n
    ci_lower        DOUBLE,   -- Wilson score 95% interval
    ci_upper        DOUBLE,
    cases           INTEGER,  -- qualifying cases within the windows of the n persons (frequency numerator)
    years_at_liberty DOUBLE,  -- person-years within the windows, less custody spells and time after death or emigration
    per_year        DOUBLE,   -- cases / years_at_liberty
    per_year_lower  DOUBLE,   -- exact Poisson (Garwood) 95% interval, R's poisson.test
    per_year_upper  DOUBLE,
    nb_per_year     DOUBLE,   -- the same rate from a negative binomial (NB2) model, persons as units, log years at liberty as offset (stats.NegBinRate; persons with no time at liberty left out); NULL when it cannot be fitted (no case)
    nb_lower        DOUBLE,   -- its Wald 95% interval, which allows for overdispersion
    nb_upper        DOUBLE,
    nb_theta        DOUBLE,   -- the dispersion θ (variance μ + μ²/θ); NULL (infinite) when there is no overdispersion and the fit is the Poisson one
    suppressed      BOOLEAN,  -- the prevalence (events, rate, interval) or the frequency is withheld (suppressDefinitions)
    researcher_only BOOLEAN
)`

// DefinitionRate is one row of table recidivism_definition: the
// prevalence and frequency of one recidivism definition (study.
// RecidivismDefinitions) in one programme, window and cohort.
//
// Population: the programme's recidivism subjects; for Cohort 0 one row per
// person from the index trajectory (earliest reference date), as in
// outcome_subject; for a cohort year Y, every person with a reference date
// in Y, from the first one in Y (the Recidivemonitor's cohorts: a person
// released in two years is in both). Denominator: those whose window closed
// by the kind's follow-up end (censor_date). Prevalence numerator: persons
// with at least one qualifying case (or new detention, custodial) after the
// reference date and within the window. Frequency: the qualifying cases
// within the window over the time at liberty within it (window days less
// the days in custody spells, and less the days after a death or
// emigration), in years of 365.25 days, with the exact Poisson interval.
type DefinitionRate struct {
	Programme, Definition string
	WindowMonths          int
	Cohort                int
	Partial               bool
	N, Events, Cases      int
	Years                 float64
	Rate                  float64
	CI                    stats.Interval
	PerYear               stats.Estimate
	// NegBin is the rate per year at liberty of a negative binomial
	// (NB2) model with the log years at liberty as offset, with its Wald
	// 95% interval, and Theta its dispersion (variance μ + μ²/θ); NaN
	// when it cannot be fitted (see stats.NegBinRate).
	NegBin stats.Estimate
	Theta  float64
	// Suppressed marks a row whose prevalence (events, rate, interval)
	// and frequency may not be published (see suppressDefinitions); Rule
	// says why, NMark and EventsMark how reports show its counts. NHidden
	// withholds N as well (it is then shown by NMark); FrequencyHidden
	// withholds the cases, years at liberty and rates per year only.
	Suppressed      bool
	Rule            Rule
	NHidden         bool
	NMark           Mark
	EventsMark      Mark
	FrequencyHidden bool
}

// defSubject is one person's entry into a programme's follow-up.
type defSubject struct {
	person          string
	ref, censor     time.Time
	cohort          int // 0 for the all-cohorts entry
	indexType       string
	ending          time.Time // death or emigration after ref; zero when none
	cases           []defCase
	spells          [][2]time.Time
	detentionStarts []time.Time
}

type defCase struct {
	date time.Time
	typ  string
	tier int
}

// computeDefinitions computes table recidivism_definition for every
// programme of outcome recidivism and every definition in
// outcomes.recidivism_definitions with its windows.
func computeDefinitions(ctx context.Context, db *sql.DB, st *study.Study) ([]DefinitionRate, error) {
	def, _ := study.OutcomeKind(study.OutcomeRecidivism).Definition()
	cands, err := candidatesSQL(def, st)
	if err != nil {
		return nil, err
	}
	var progs []string
	for _, p := range st.Programmes {
		if p.Outcome == study.OutcomeRecidivism {
			progs = append(progs, p.Code)
		}
	}
	if len(progs) == 0 {
		return nil, nil
	}
	cutoff := "DATE '" + st.Cutoff.Format(time.DateOnly) + "'"
	// Entries: the all-cohorts one from outcome_subject, and one per
	// reference year from the candidate trajectories.
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`
WITH candidate AS (
    %s
), entry AS (
    SELECT programme, person_id, ref_date, 0 AS cohort FROM outcome_subject WHERE outcome = %s AND entered
    UNION ALL
    SELECT programme, person_id, min(ref_date), year(ref_date) FROM candidate
    WHERE ref_date <= %s GROUP BY programme, person_id, year(ref_date)
)
SELECT e.programme, e.person_id, e.ref_date, e.cohort, s.censor_date, coalesce(s.index_type, ''), s.ending_date
FROM entry e JOIN outcome_subject s ON s.programme = e.programme AND s.person_id = e.person_id AND s.outcome = %s AND s.entered
ORDER BY e.programme, e.person_id, e.cohort`, strings.Join(cands, unionAll), kindLiteral(study.OutcomeRecidivism), cutoff, kindLiteral(study.OutcomeRecidivism)))
	if err != nil {
		return nil, fmt.Errorf("reading recidivism subjects: %w", err)
	}
	byProg := map[string][]*defSubject{}
	byPerson := map[string][]*defSubject{}
	for rows.Next() {
		var prog string
		var s defSubject
		var ending sql.NullTime
		if err := rows.Scan(&prog, &s.person, &s.ref, &s.cohort, &s.censor, &s.indexType, &ending); err != nil {
			rows.Close()
			return nil, err
		}
		if ending.Valid {
			s.ending = ending.Time
		}
		byProg[prog] = append(byProg[prog], &s)
		byPerson[s.person] = append(byPerson[s.person], &s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The persons' cases, custody spells and detention starts.
	caseRows, err := db.QueryContext(ctx, "SELECT person_id, case_date, coalesce(offence_type, ''), tier FROM offence_case WHERE case_date <= "+cutoff)
	if err != nil {
		return nil, fmt.Errorf("reading cases: %w", err)
	}
	for caseRows.Next() {
		var person string
		var c defCase
		if err := caseRows.Scan(&person, &c.date, &c.typ, &c.tier); err != nil {
			caseRows.Close()
			return nil, err
		}
		for _, s := range byPerson[person] {
			s.cases = append(s.cases, c)
		}
	}
	caseRows.Close()
	if err := caseRows.Err(); err != nil {
		return nil, err
	}
	spellRows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT e.person_id, e.event_date, least(coalesce(e.end_date, %[1]s), %[1]s)
FROM event e LEFT JOIN export_extraction x USING (file_id)
WHERE e.event_type = %[2]s AND e.event_date <= %[1]s AND (x.extraction_date IS NULL OR e.event_date <= x.extraction_date)`,
		cutoff, sqlList([]string{study.EventDetention})))
	if err != nil {
		return nil, fmt.Errorf("reading custody spells: %w", err)
	}
	for spellRows.Next() {
		var person string
		var start, end time.Time
		if err := spellRows.Scan(&person, &start, &end); err != nil {
			spellRows.Close()
			return nil, err
		}
		for _, s := range byPerson[person] {
			s.spells = append(s.spells, [2]time.Time{start, end})
			s.detentionStarts = append(s.detentionStarts, start)
		}
	}
	spellRows.Close()
	if err := spellRows.Err(); err != nil {
		return nil, err
	}

	var out []DefinitionRate
	for _, prog := range progs {
		subs := byProg[prog]
		var cohorts []int
		for _, s := range subs {
			if s.cohort != 0 && !slices.Contains(cohorts, s.cohort) {
				cohorts = append(cohorts, s.cohort)
			}
		}
		slices.Sort(cohorts)
		for _, d := range study.RecidivismDefinitions() {
			for _, w := range st.Outcomes.Definitions[d.Name] {
				for _, cohort := range append([]int{0}, cohorts...) {
					out = append(out, definitionCell(prog, d, w, cohort, subs))
				}
			}
		}
	}
	return out, nil
}

// definitionCell counts one row of recidivism_definition.
func definitionCell(prog string, d study.RecidivismDef, window, cohort int, subs []*defSubject) DefinitionRate {
	r := DefinitionRate{Programme: prog, Definition: d.Name, WindowMonths: window, Cohort: cohort}
	minTier := study.TierRank(d.MinTier)
	var counts []int
	var exposure []float64
	for _, s := range subs {
		if s.cohort != cohort {
			continue
		}
		if cohort != 0 && addMonths(time.Date(cohort, 12, 31, 0, 0, 0, 0, time.UTC), window).After(s.censor) {
			r.Partial = true
		}
		end := addMonths(s.ref, window)
		if end.After(s.censor) {
			continue
		}
		r.N++
		hits := 0
		if d.Custodial {
			for _, t := range s.detentionStarts {
				if t.After(s.ref) && !t.After(end) {
					hits++
				}
			}
		} else {
			for _, c := range s.cases {
				if !c.date.After(s.ref) || c.date.After(end) || c.tier < minTier {
					continue
				}
				if d.SameType && (s.indexType == "" || c.typ != s.indexType) {
					continue
				}
				hits++
			}
		}
		if hits > 0 {
			r.Events++
		}
		r.Cases += hits
		years := libertyDays(s.ref, end, s.ending, s.spells) / 365.25
		r.Years += years
		if years > 0 {
			counts, exposure = append(counts, hits), append(exposure, years)
		}
	}
	if r.N > 0 {
		r.Rate = float64(r.Events) / float64(r.N)
	}
	r.CI = stats.Wilson(r.Events, r.N, 0.95)
	r.PerYear = stats.PoissonRate(r.Cases, r.Years, 0.95)
	r.NegBin, r.Theta = nanEstimate(), math.NaN()
	if fit, err := stats.NegBinRate(counts, exposure, 0.95); err == nil {
		r.NegBin, r.Theta = fit.Rate, fit.Theta
	}
	return r
}

// libertyDays is the number of days in (ref, end] not spent in custody:
// days after a death or emigration (ending, when not zero) are left out,
// and so are the days of the custody spells (start, end], merged where
// they overlap.
func libertyDays(ref, end, ending time.Time, spells [][2]time.Time) float64 {
	if !ending.IsZero() && ending.Before(end) {
		end = ending
	}
	total := end.Sub(ref).Hours() / 24
	var clipped [][2]time.Time
	for _, sp := range spells {
		a, b := sp[0], sp[1]
		if a.Before(ref) {
			a = ref
		}
		if b.After(end) {
			b = end
		}
		if b.After(a) {
			clipped = append(clipped, [2]time.Time{a, b})
		}
	}
	slices.SortFunc(clipped, func(x, y [2]time.Time) int { return x[0].Compare(y[0]) })
	var cur [2]time.Time
	for i, sp := range clipped {
		switch {
		case i == 0:
			cur = sp
		case !sp[0].After(cur[1]):
			if sp[1].After(cur[1]) {
				cur[1] = sp[1]
			}
		default:
			total -= cur[1].Sub(cur[0]).Hours() / 24
			cur = sp
		}
	}
	if len(clipped) > 0 {
		total -= cur[1].Sub(cur[0]).Hours() / 24
	}
	return total
}

// addMonths adds whole months as DuckDB's date + to_months does: the day is
// clamped to the end of the target month.
func addMonths(t time.Time, months int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// suppressDefinitions applies disclosure control to recidivism_definition,
// given the outcome_rate cells (rates, already marked by suppressRates).
// The definitions of one programme, window and cohort share their
// population, so they share n: n is the n of outcome_rate's cell of the
// same programme, window and cohort when there is one, and then it is
// published exactly when that cell is (a hidden or withdrawn cell hides n,
// and with it every definition's row, so that no definition row gives back
// what outcome_rate hides); for a window outcome_rate does not have, n is
// published when it is not small. A row with n published is suppressed
// when its events or persons without the event are small, or all-in-one
// class (rules.primary), and its frequency (cases, years at liberty, rate
// per year) is withheld with it or when its cases are small. The
// definitions are nested (very serious within serious within general) and
// cohorts overlap (one person can be in several), so no count of one row
// is the sum or difference of published ones: no complementary
// suppression is needed beyond the shared n (see doc.go).
func suppressDefinitions(defs []DefinitionRate, rates []Rate, r rules) {
	type key struct {
		programme    string
		window, year int
	}
	cell := map[key]Rate{}
	for _, x := range rates {
		if x.Outcome == study.OutcomeRecidivism && x.Breakdown == "" {
			cell[key{x.Programme, x.WindowMonths, x.Cohort}] = x
		}
	}
	for i := range defs {
		d := &defs[i]
		d.Suppressed, d.Rule, d.NHidden, d.FrequencyHidden = false, "", false, false
		d.NMark, d.EventsMark = r.marks(d.N, d.Events)
		x, shared := cell[key{d.Programme, d.WindowMonths, d.Cohort}]
		switch {
		case shared && (x.Suppressed || x.Withdrawn):
			d.Suppressed, d.NHidden, d.Rule = true, true, RuleLinked
			// A withdrawn cell is suppressed too and carries its own
			// honest mark: "×" on a withdrawn cohort of fewer than
			// MinCell persons claimed MinCell or more, which the
			// programme's "<MinCell" total contradicts.
			d.NMark = x.NMark
			// The events keep their own mark (r.marks): "<MinCell" when
			// small, "×" when MinCell or more, a published zero as "0".
			// Marking a zero "×" claimed MinCell or more, which the nested
			// definitions contradict (a very serious "×" under a general
			// "<10").
		case !shared && r.small(d.N):
			d.Suppressed, d.NHidden, d.Rule = true, true, RulePrimary
		default:
			d.Rule = r.primary(d.N, d.Events)
			d.Suppressed = d.Rule != ""
		}
		d.FrequencyHidden = d.Suppressed || r.small(d.Cases)
	}
	protectCohorts(defs, r)
}

// protectCohorts hides further cohort rows of a programme, definition and
// window while a hidden cohort row could be narrowed through the
// all-cohorts row. Monitor cohorts overlap (a person released in two years
// is in both, counted from the first release of each year), so the
// all-cohorts persons, persons with and persons without the outcome are at
// most the sums of the cohorts' (a person's first release opens a cohort
// that counts them the same way): with the other cohorts published,
// total − Σ others bounds a hidden cohort count from below (the attacker of
// internal/attack found AMB's custodial 2021 cohort pinned to 8–9 events on
// the demo this way). The largest published row of the group is then hidden
// as well (RuleSecondary): its n stays published, so the bound falls by that
// n, as a reader cannot tell how its n divides.
func protectCohorts(defs []DefinitionRate, r rules) {
	type group struct {
		programme, definition string
		window                int
	}
	total := map[group]int{}
	var groups []group
	members := map[group][]int{}
	for i, d := range defs {
		g := group{d.Programme, d.Definition, d.WindowMonths}
		if d.Cohort == 0 {
			total[g] = i
			continue
		}
		if members[g] == nil {
			groups = append(groups, g)
		}
		members[g] = append(members[g], i)
	}
	for _, g := range groups {
		t, ok := total[g]
		if !ok || defs[t].NHidden {
			continue
		}
		rows := members[g]
		for !cohortsProtected(defs, t, rows, r) {
			next := -1
			for _, j := range rows {
				if !defs[j].Suppressed && !defs[j].NHidden && (next < 0 || defs[j].N > defs[next].N) {
					next = j
				}
			}
			if next < 0 {
				break
			}
			d := &defs[next]
			d.Suppressed, d.Rule, d.FrequencyHidden = true, RuleSecondary, true
			_, d.EventsMark = r.marks(d.N, d.Events)
		}
	}
}

// cohortsProtected reports whether every hidden cohort row of rows keeps,
// for its persons with and without the outcome, as wide a range as the
// attacker's criterion asks (internal/attack.Protected: at least
// min(the mark's width, MinCell/2)) once bounded from below by the
// all-cohorts row t: total − Σ published − Σ other hidden rows' n.
func cohortsProtected(defs []DefinitionRate, t int, rows []int, r rules) bool {
	if defs[t].Suppressed {
		return true // the total's counts are not published
	}
	const unbounded = 1 << 40
	wide := func(lo, hi, bound int) bool {
		need := min(hi-lo, r.minCell/2)
		return hi-max(lo, bound) >= need
	}
	for _, i := range rows {
		d := defs[i]
		if !d.Suppressed || d.NHidden {
			continue // published, or n withheld with outcome_rate's cell, which protects it
		}
		lbE, lbW := defs[t].Events, defs[t].N-defs[t].Events
		for _, j := range rows {
			switch {
			case j == i:
			case defs[j].NHidden:
				lbE, lbW = -unbounded, -unbounded
			case defs[j].Suppressed:
				lbE, lbW = lbE-defs[j].N, lbW-defs[j].N
			default:
				lbE, lbW = lbE-defs[j].Events, lbW-(defs[j].N-defs[j].Events)
			}
		}
		// The range the events' mark leaves ("<MinCell", "×" up to n, or
		// a published zero), and the persons without as n minus it.
		lo, hi := r.minCell, d.N
		switch {
		case r.small(d.Events):
			lo, hi = 1, r.minCell-1
			if r.zeros {
				lo = 0
			}
		case d.Events == 0:
			continue // a published zero: nothing hidden to narrow
		}
		if !wide(lo, hi, lbE) || !wide(d.N-hi, d.N-lo, lbW) {
			return false
		}
	}
	return true
}

// definitionTable renders table recidivism_definition.
func definitionTable(defs []DefinitionRate, minCell int, researcherExact bool) table {
	t := table{name: "recidivism_definition", ddl: ddlRecidivismDefinition}
	for _, d := range defs {
		withheld, ro := cells(d.Suppressed, researcherExact)
		var cohort any
		if d.Cohort != 0 {
			cohort = d.Cohort
		}
		nWithheld, _ := cells(d.NHidden, researcherExact)
		freqWithheld, freqRO := cells(d.FrequencyHidden, researcherExact)
		row := []any{d.Programme, d.Definition, d.WindowMonths, cohort, d.Partial}
		row = append(row, hide(nWithheld, d.N)...)
		row = append(row, hide(withheld, d.Events, num(d.Rate), num(d.CI.Lower), num(d.CI.Upper))...)
		row = append(row, hide(freqWithheld, d.Cases, num(d.Years),
			num(d.PerYear.Value), num(d.PerYear.Lower), num(d.PerYear.Upper),
			num(d.NegBin.Value), num(d.NegBin.Lower), num(d.NegBin.Upper), num(d.Theta))...)
		t.rows = append(t.rows, append(row, d.Suppressed || d.FrequencyHidden, ro || freqRO))
	}
	return t
}

// redactJustice clears the values of suppressed definition rows and hidden
// incidence steps before the results leave the package.
func redactJustice(res *Results) {
	for i := range res.Definitions {
		d := &res.Definitions[i]
		if d.NHidden {
			d.N = 0
		}
		if d.Suppressed {
			d.Events, d.Rate, d.CI = 0, 0, stats.Interval{}
		}
		if d.FrequencyHidden {
			d.Cases, d.Years, d.PerYear, d.NegBin, d.Theta = 0, 0, nanEstimate(), nanEstimate(), math.NaN()
		}
	}
	res.Incidence = publishedIncidence(res.Incidence)
}
