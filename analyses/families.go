package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/outcomes-research/outcomes/study"
)

// ddlFamilyOutcome documents table family_outcome.
const ddlFamilyOutcome = `CREATE OR REPLACE TABLE family_outcome (
    family_programme       VARCHAR,  -- the families-of-detainees programme (outcome: family)
    household_in_programme BOOLEAN,  -- a household member of the detainee took part in it
    window_months          INTEGER,  -- recidivism window after the detainee's return
    n                      INTEGER,  -- detainees whose window closed before the cut-off; NULL when suppressed and below min_cell
    events                 INTEGER,  -- of them, with a qualifying offence within the window; NULL when suppressed
    rate                   DOUBLE,   -- events / n; NULL when suppressed or n = 0
    ci_lower               DOUBLE,   -- Wilson score 95% interval
    ci_upper               DOUBLE,
    exact_lower            DOUBLE,   -- Clopper-Pearson (exact) 95% interval, R's binom.test
    exact_upper            DOUBLE,
    one_sided_upper        DOUBLE,   -- exact one-sided 95% upper bound when events = 0; NULL otherwise
    one_sided_lower        DOUBLE,   -- exact one-sided 95% lower bound when events = n; NULL otherwise
    suppressed             BOOLEAN,  -- below the minimum cell size, or its pair is: not for publication
    researcher_only        BOOLEAN   -- exact values of a suppressed row, kept under disclosure.researcher_exact
)`

// computeFamilies measures, per families-of-detainees programme and window,
// the recidivism of detainees after their return, split by whether their
// household took part in the programme by then. Such a programme is one
// whose outcome kind is measured by linked detainees
// (study.OutcomeDef.DetaineeOutcome: family, by recidivism); the windows are
// that kind's (outcomes.recidivism_windows).
//
//   - Detainees: every person who is a subject of the kind's detainee
//     outcome (outcome_subject, outcome recidivism) of any programme and is
//     linked to a household (household_link): the comparison is among
//     detainees with a household, never against every other recidivism
//     subject. The return is the person's earliest reference date over
//     those programmes (the release date, else programme end, else start),
//     and the first qualifying event is the one after that date
//     (outcomes.recidivism_events).
//   - Exposure, fixed at the landmark return + outcomes.family_grace_days
//     (G): the household took part when a member linked to the detainee
//     has a trajectory in the programme that starts on or before the
//     landmark. A household that joins later is in the comparison group
//     (its exposure is counted as at the landmark; no time before the
//     programme is credited to it). A detainee whose first event lies
//     within the grace period (on or before the landmark) is left out of
//     both groups when G > 0 (a landmark analysis: who is compared must
//     have been at risk at the landmark), and counted in the coverage
//     chain.
//   - Denominator per window W: detainees whose return + W months is on or
//     before the follow-up end; numerator: those with a qualifying event in
//     (return, return + W months]. Wilson score 95% interval.
//   - Disclosure: a cell is suppressed by the rule of Suppress (n, events
//     or non-events between 1 and MinCell − 1); the two groups of a window
//     are suppressed together, since together they are all detainees with
//     a household, whose totals the coverage chain publishes.
//
// Household members' own life-domain change is in the life-domain results,
// under the family programme (their assessments made in it).
func computeFamilies(ctx context.Context, db *sql.DB, st *study.Study) ([]FamilyOutcome, error) {
	var out []FamilyOutcome
	for _, p := range st.Programmes {
		def, ok := p.Outcome.Definition()
		if !ok || def.OwnSubjects() {
			continue
		}
		for _, w := range def.Windows(st.Outcomes) {
			pair, err := familyWindow(ctx, db, p.Code, def.DetaineeOutcome, w, st.Outcomes.FamilyGraceDays)
			if err != nil {
				return nil, err
			}
			hide := tooSmall(pair[0].Rate.N, pair[0].Rate.Events, st.MinCell) || tooSmall(pair[1].Rate.N, pair[1].Rate.Events, st.MinCell)
			for i := range pair {
				pair[i].Rate.Suppressed = hide
			}
			out = append(out, pair[:]...)
		}
	}
	return out, nil
}

// familyDetaineesSQL is the common table expressions of the family
// analyses for programme $1, detainee outcome $2 and grace days $3: the
// detainees with their return (ref_date), first event and follow-up end
// (detainee), the households and the start of the programme in each
// (household: one row per detainee linked in household_link, fam_start the
// earliest start of a linked member's trajectory in the programme, NULL
// when none), and the detainees compared (compared: subjects with a
// household, in_programme by the landmark, not left out for an event
// within the grace period).
const familyDetaineesSQL = `
WITH detainee AS (
    SELECT person_id, min(ref_date) AS ref_date, arg_min(first_event, ref_date) AS first_event,
           min(censor_date) AS censor_date
    FROM outcome_subject WHERE outcome = $2
    GROUP BY person_id
), household AS (
    SELECT h.detainee_id AS person_id, min(t.start_date) AS fam_start
    FROM household_link h LEFT JOIN trajectory t ON t.person_id = h.person_id AND t.programme = $1
    GROUP BY h.detainee_id
), compared AS (
    SELECT d.*, hh.fam_start, coalesce(hh.fam_start <= d.ref_date + CAST($3 AS INTEGER), false) AS in_programme
    FROM detainee d JOIN household hh USING (person_id)
    WHERE CAST($3 AS INTEGER) = 0 OR d.first_event IS NULL OR d.first_event > d.ref_date + CAST($3 AS INTEGER)
)`

// familyWindow counts the two groups of one family programme and window:
// household in the programme first, then not.
func familyWindow(ctx context.Context, db *sql.DB, programme string, detainee study.OutcomeKind, window, grace int) ([2]FamilyOutcome, error) {
	var pair [2]FamilyOutcome
	for i, in := range []bool{true, false} {
		pair[i] = FamilyOutcome{Programme: programme, WindowMonths: window, HouseholdInProgramme: in,
			Rate: Rate{Programme: programme, Outcome: detainee, WindowMonths: window}}
	}
	rows, err := db.QueryContext(ctx, familyDetaineesSQL+`, eligible AS (
    SELECT *, CAST(ref_date + to_months(CAST($4 AS INTEGER)) AS DATE) AS window_end FROM compared
)
SELECT in_programme, count(*), count(*) FILTER (WHERE first_event IS NOT NULL AND first_event <= window_end)
FROM eligible WHERE window_end <= censor_date
GROUP BY in_programme`, programme, string(detainee), grace, window)
	if err != nil {
		return pair, fmt.Errorf("counting detainee recidivism within %d months for %s: %w", window, programme, err)
	}
	defer rows.Close()
	for rows.Next() {
		var in bool
		var n, events int
		if err := rows.Scan(&in, &n, &events); err != nil {
			return pair, fmt.Errorf("counting detainee recidivism for %s: %w", programme, err)
		}
		i := 1
		if in {
			i = 0
		}
		pair[i].Rate.N, pair[i].Rate.Events = n, events
	}
	if err := rows.Err(); err != nil {
		return pair, fmt.Errorf("counting detainee recidivism for %s: %w", programme, err)
	}
	for i := range pair {
		pair[i].Rate.setIntervals()
	}
	return pair, nil
}

// familyTable renders the family outcomes, not yet redacted, as table
// family_outcome.
func familyTable(fams []FamilyOutcome, minCell int, researcherExact bool) table {
	t := table{name: "family_outcome", ddl: ddlFamilyOutcome}
	for _, f := range fams {
		r := f.Rate
		withheld, ro := cells(r.Suppressed, researcherExact)
		var n any = r.N
		if withheld && r.N < minCell {
			n = nil
		}
		row := []any{f.Programme, f.HouseholdInProgramme, f.WindowMonths, n}
		row = append(row, hide(withheld, append([]any{r.Events}, rateColumns(r)...)...)...)
		t.rows = append(t.rows, append(row, r.Suppressed, ro))
	}
	return t
}

// domainAndFamilyTables are the result tables of this file and
// lifedomains.go.
func domainAndFamilyTables(res *Results, minCell int, researcherExact bool) []table {
	return []table{lifeDomainTable(res.LifeDomains, researcherExact), transitionTable(res.LifeDomains, minCell, researcherExact),
		familyTable(res.Families, minCell, researcherExact)}
}

// redactDomainsAndFamilies clears the unpublishable values of the
// life-domain and family results.
func redactDomainsAndFamilies(res *Results) {
	for i := range res.LifeDomains {
		redactDomainChange(&res.LifeDomains[i])
	}
	for i := range res.Families {
		redactRate(&res.Families[i].Rate)
	}
}

// The steps of the families' coverage chain (FamilyCoverage.Step), in order.
const (
	// CoverageHouseholds: households in the households exports (each
	// detainee linked in household_link is one household).
	CoverageHouseholds = "households"
	// CoverageDetaineeFound: the detainee has records of their own (a
	// trajectory or an event) in the study's exports.
	CoverageDetaineeFound = "detainee_found"
	// CoverageDetaineeSubject: the detainee is a subject of the detainee
	// outcome (recidivism) of some programme: a return date is known.
	CoverageDetaineeSubject = "detainee_subject"
	// CoverageAtLandmark: no qualifying event within the grace period
	// after the return (outcomes.family_grace_days; all when it is 0).
	CoverageAtLandmark = "at_landmark"
	// CoverageFollowed: the window of WindowMonths after the return closed
	// before the follow-up end (the family_outcome rows' persons).
	CoverageFollowed = "followed"
)

// FamilyCoverage is one step of a family programme's coverage chain: how
// many households reach it, so that households whose detainee is not in an
// aftercare programme, or not followed, are counted, never lost silently.
type FamilyCoverage struct {
	Programme string
	Step      string
	// WindowMonths is the window of a CoverageFollowed step, else 0.
	WindowMonths int
	// Households reach the step; InProgrammeAny of them have a member with
	// a trajectory in the programme at any time; InProgramme by the
	// landmark (return + grace), −1 before the return is known (the first
	// two steps).
	Households, InProgrammeAny, InProgramme int
	// Hidden withholds Households, InProgrammeAny and InProgramme; Marks say
	// how; Rule why (set by markFamilyCoverage).
	Hidden [3]bool
	Marks  [3]Mark
	Rule   Rule
}

func (c FamilyCoverage) counts() [3]int { return [3]int{c.Households, c.InProgrammeAny, c.InProgramme} }

// computeFamilyCoverage counts, per family programme, the coverage chain
// (the steps above) over the same detainees as computeFamilies.
func computeFamilyCoverage(ctx context.Context, db *sql.DB, st *study.Study) ([]FamilyCoverage, error) {
	var out []FamilyCoverage
	for _, p := range st.Programmes {
		def, ok := p.Outcome.Definition()
		if !ok || def.OwnSubjects() {
			continue
		}
		grace := st.Outcomes.FamilyGraceDays
		q := familyDetaineesSQL + `, chain AS (
    SELECT hh.person_id, hh.fam_start IS NOT NULL AS any_fam,
           EXISTS (SELECT 1 FROM trajectory t WHERE t.person_id = hh.person_id)
               OR EXISTS (SELECT 1 FROM event e WHERE e.person_id = hh.person_id) AS found,
           d.person_id IS NOT NULL AS subject,
           coalesce(hh.fam_start <= d.ref_date + CAST($3 AS INTEGER), false) AS in_time,
           c.person_id IS NOT NULL AS at_landmark,
           c.ref_date, c.censor_date
    FROM household hh LEFT JOIN detainee d USING (person_id) LEFT JOIN compared c USING (person_id)
)
SELECT count(*), count(*) FILTER (WHERE any_fam),
       count(*) FILTER (WHERE found), count(*) FILTER (WHERE found AND any_fam),
       count(*) FILTER (WHERE subject), count(*) FILTER (WHERE subject AND any_fam), count(*) FILTER (WHERE subject AND in_time),
       count(*) FILTER (WHERE at_landmark), count(*) FILTER (WHERE at_landmark AND any_fam), count(*) FILTER (WHERE at_landmark AND in_time)
FROM chain`
		var c [10]int
		if err := db.QueryRowContext(ctx, q, p.Code, string(def.DetaineeOutcome), grace).Scan(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8], &c[9]); err != nil {
			return nil, fmt.Errorf("counting the coverage of %s: %w", p.Code, err)
		}
		out = append(out,
			FamilyCoverage{Programme: p.Code, Step: CoverageHouseholds, Households: c[0], InProgrammeAny: c[1], InProgramme: -1},
			FamilyCoverage{Programme: p.Code, Step: CoverageDetaineeFound, Households: c[2], InProgrammeAny: c[3], InProgramme: -1},
			FamilyCoverage{Programme: p.Code, Step: CoverageDetaineeSubject, Households: c[4], InProgrammeAny: c[5], InProgramme: c[6]},
			FamilyCoverage{Programme: p.Code, Step: CoverageAtLandmark, Households: c[7], InProgrammeAny: c[8], InProgramme: c[9]})
		for _, w := range def.Windows(st.Outcomes) {
			var f FamilyCoverage
			f.Programme, f.Step, f.WindowMonths = p.Code, CoverageFollowed, w
			if err := db.QueryRowContext(ctx, familyDetaineesSQL+`
SELECT count(*), count(*) FILTER (WHERE fam_start IS NOT NULL), count(*) FILTER (WHERE in_programme)
FROM compared WHERE CAST(ref_date + to_months(CAST($4 AS INTEGER)) AS DATE) <= censor_date`,
				p.Code, string(def.DetaineeOutcome), grace, w).Scan(&f.Households, &f.InProgrammeAny, &f.InProgramme); err != nil {
				return nil, fmt.Errorf("counting the coverage of %s: %w", p.Code, err)
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// markFamilyCoverage applies disclosure control to the coverage chain: a
// count between 1 and min_cell − 1 is withheld (primary); so is a count
// whose difference to the step before it, or (for the two in-programme
// columns) to the households of its step, is between 1 and min_cell − 1
// (secondary: the households lost at a step, or not in the programme, are
// cells too); the followed step of a window whose family_outcome n is
// withheld is withheld whole (linked: its counts are those n's sums).
func markFamilyCoverage(cs []FamilyCoverage, fams []FamilyOutcome, st *study.Study) {
	r := rulesOf(st)
	nHidden := map[string]bool{}
	for _, f := range fams {
		if f.Rate.Suppressed && r.small(f.Rate.N) {
			nHidden[fmt.Sprint(f.Programme, f.WindowMonths)] = true
		}
	}
	for i := range cs {
		c := &cs[i]
		cnt := c.counts()
		c.Hidden, c.Rule = [3]bool{}, ""
		for k, v := range cnt {
			if v >= 0 && r.small(v) {
				c.Hidden[k], c.Rule = true, RulePrimary
			}
		}
		for k := 1; k < 3; k++ {
			if cnt[k] >= 0 && !c.Hidden[k] && !c.Hidden[0] && r.small(cnt[0]-cnt[k]) && cnt[0] != cnt[k] {
				c.Hidden[k], c.Rule = true, cmpOr(c.Rule, RuleSecondary)
			}
		}
		if c.Step == CoverageFollowed && nHidden[fmt.Sprint(c.Programme, c.WindowMonths)] {
			c.Hidden, c.Rule = [3]bool{true, true, true}, RuleLinked
		}
	}
	// The differences along the chain (every followed step follows the
	// landmark step).
	prev := map[string]int{}
	for i := range cs {
		c := &cs[i]
		if c.Step == CoverageHouseholds {
			prev = map[string]int{}
		}
		key := c.Programme
		if j, ok := prev[key]; ok {
			p := cs[j].counts()
			for k, v := range c.counts() {
				if v < 0 || p[k] < 0 || c.Hidden[k] || cs[j].Hidden[k] {
					continue
				}
				if d := p[k] - v; d > 0 && r.small(d) {
					c.Hidden[k], c.Rule = true, cmpOr(c.Rule, RuleSecondary)
				}
			}
		}
		if c.Step != CoverageFollowed {
			prev[key] = i
		}
	}
	for i := range cs {
		for k, v := range cs[i].counts() {
			cs[i].Marks[k] = MarkHidden
			if r.small(v) {
				cs[i].Marks[k] = MarkSmall
			} else if v == 0 {
				cs[i].Marks[k] = MarkZero
			}
		}
	}
}

// ddlFamilyCoverage documents table family_coverage.
const ddlFamilyCoverage = `CREATE OR REPLACE TABLE family_coverage (
    family_programme VARCHAR,  -- the families-of-detainees programme
    step             VARCHAR,  -- households, detainee_found, detainee_subject, at_landmark, followed (in this order)
    window_months    INTEGER,  -- the window of a followed step; NULL for the others
    households       INTEGER,  -- households (linked detainees) reaching the step; NULL when withheld
    in_programme_any INTEGER,  -- of them, with a member in the programme at any time; NULL when withheld
    in_programme     INTEGER,  -- of them, with a member in it by the detainee's return + family_grace_days (the exposed group); NULL before the return is known or when withheld
    suppressed       BOOLEAN,  -- some count withheld (disclosure_log says which and why)
    researcher_only  BOOLEAN   -- exact values of a suppressed row, kept under disclosure.researcher_exact
)`

// familyCoverageTable renders the chain, not yet redacted, as table
// family_coverage.
func familyCoverageTable(cs []FamilyCoverage, researcherExact bool) table {
	t := table{name: "family_coverage", ddl: ddlFamilyCoverage}
	for _, c := range cs {
		var window any
		if c.Step == CoverageFollowed {
			window = c.WindowMonths
		}
		vals := []any{c.Households, c.InProgrammeAny, c.InProgramme}
		ro, sup := false, false
		for k := range vals {
			if k == 2 && c.InProgramme < 0 {
				vals[k] = nil
				continue
			}
			if c.Hidden[k] {
				sup = true
				if researcherExact {
					ro = true
				} else {
					vals[k] = nil
				}
			}
		}
		t.rows = append(t.rows, append(append([]any{c.Programme, c.Step, window}, vals...), sup, ro))
	}
	return t
}

// familyCoverageLog lists the withheld counts of the chain.
func familyCoverageLog(cs []FamilyCoverage) []LogEntry {
	names := [3]string{"households", "in_programme_any", "in_programme"}
	var out []LogEntry
	for _, c := range cs {
		var cols []string
		for k, h := range c.Hidden {
			if h && !(k == 2 && c.InProgramme < 0) {
				cols = append(cols, names[k])
			}
		}
		if len(cols) > 0 {
			out = append(out, LogEntry{Table: "family_coverage", Keys: fmt.Sprintf("family_programme=%s step=%s window_months=%d", c.Programme, c.Step, c.WindowMonths),
				Column: strings.Join(cols, ","), Rule: c.Rule})
		}
	}
	return out
}

// redactFamilyCoverage clears the withheld counts.
func redactFamilyCoverage(cs []FamilyCoverage) {
	for i := range cs {
		c := &cs[i]
		if c.Hidden[0] {
			c.Households = 0
		}
		if c.Hidden[1] {
			c.InProgrammeAny = 0
		}
		if c.Hidden[2] && c.InProgramme >= 0 {
			c.InProgramme = 0
		}
	}
}
