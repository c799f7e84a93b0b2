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

// atRiskMonths are the columns of the number-at-risk table.
func atRiskMonths() []int { return []int{0, 6, 12, 18, 24, 30, 36} }

// daysPerMonth converts the at-risk table's months to days on the curve's
// time axis: month m is day round(m · 365.25/12). Follow-up is counted in
// days because reference dates differ per person; the calendar month of one
// person is within a day or two of this average.
const daysPerMonth = 365.25 / 12

// monthDays returns the day on the time axis of month m.
func monthDays(m int) float64 { return math.Round(float64(m) * daysPerMonth) }

// subject is one row of outcome_subject with the model covariates, for the
// survival analyses and the models.
type subject struct {
	programme string
	// person is the pseudonym (person_id): a person in two programmes of
	// the outcome is two subjects with one person (see contrasts.go); ref
	// is the reference date.
	person string
	ref    time.Time
	// age at the reference date; hasAge is false when the partner did not
	// record it (the models then put the person in the age band unknown,
	// see caseMix; the curves do not use age).
	age    float64
	hasAge bool
	// female is sex = v; persons with sex m, x or unknown are the other
	// level.
	female bool
	// prior is the number of the person's counting criminal cases
	// (offence_case) dated in the outcomes.prior_lookback_years before the
	// reference date (priorCasesSQL); priorKnown is false when the person is
	// outside the justice exports' coverage (priorKnownSQL), and prior then
	// means nothing.
	prior      int
	priorKnown bool
	// days is the follow-up: from the reference date to the first
	// qualifying event when it is on or before the cut-off (event true),
	// else to the cut-off (censored).
	days  float64
	event bool
	// entry is the day the subject enters the risk set (outcome_subject's
	// entry_days: the programme start after the reference date; 0 from
	// the reference date itself). Subjects that never enter (entered
	// false) are not loaded; for the others days > entry.
	entry float64
	// closed[i] is true when window i (of windows(st, outcome)) has closed:
	// reference date + window months (day clamped to the month's end) on or
	// before the cut-off; hit[i] when the first qualifying event falls in
	// it.
	closed, hit []bool
}

// followUp is the subject's follow-up for the survival statistics, with its
// delayed entry.
func (s subject) followUp() stats.Subject {
	return stats.Subject{Entry: s.entry, Time: s.days, Event: s.event}
}

// loadSubjects reads the subjects of one outcome in study programme order,
// then by person. Subjects whose reference date lies after the cut-off have
// no follow-up and are left out, and so are those whose follow-up ends
// before they enter the risk set (outcome_subject.entered, see
// buildSubjects).
func loadSubjects(ctx context.Context, db *sql.DB, st *study.Study, outcome study.OutcomeKind) ([]subject, error) {
	ws := windows(st, outcome)
	var cols []string
	for _, w := range ws {
		end := fmt.Sprintf("CAST(s.ref_date + to_months(%d) AS DATE)", w)
		cols = append(cols,
			fmt.Sprintf("%s <= s.censor_date", end),
			fmt.Sprintf("s.first_event IS NOT NULL AND s.first_event <= %s", end))
	}
	extra := ""
	if len(cols) > 0 {
		extra = ", " + strings.Join(cols, ", ")
	}
	var order []string
	for i, p := range st.Programmes {
		if p.Outcome == outcome {
			order = append(order, fmt.Sprintf("WHEN %s THEN %d", sqlList([]string{p.Code}), i))
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	q := fmt.Sprintf(`
WITH s AS (
    SELECT *, first_event IS NOT NULL AND first_event <= censor_date AS has_event
    FROM outcome_subject WHERE outcome = $1 AND ref_date <= censor_date AND entered
), prior AS (
    %s
)
SELECT s.programme, s.person_id, s.ref_date, s.age, coalesce(s.sex, 'o') = 'v', prior.n, prior.known,
       date_diff('day', s.ref_date, CASE WHEN s.has_event THEN s.first_event ELSE s.censor_date END),
       s.has_event, s.entry_days%s
FROM s JOIN prior USING (programme, person_id)
ORDER BY CASE s.programme %s END, s.person_id`, priorCasesSQL("s", st), extra, strings.Join(order, " "))
	rows, err := db.QueryContext(ctx, q, outcome)
	if err != nil {
		return nil, fmt.Errorf("reading %s subjects: %w", outcome, err)
	}
	defer rows.Close()
	var out []subject
	for rows.Next() {
		var s subject
		var age sql.NullInt64
		s.closed, s.hit = make([]bool, len(ws)), make([]bool, len(ws))
		dest := []any{&s.programme, &s.person, &s.ref, &age, &s.female, &s.prior, &s.priorKnown, &s.days, &s.event}
		dest = append(dest, &s.entry)
		for i := range ws {
			dest = append(dest, &s.closed[i], &s.hit[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading %s subjects: %w", outcome, err)
		}
		s.age, s.hasAge = float64(age.Int64), age.Valid
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s subjects: %w", outcome, err)
	}
	return out, nil
}

// outcomesOf returns the study's outcomes in the order their first programme
// appears.
func outcomesOf(st *study.Study) []study.OutcomeKind {
	var out []study.OutcomeKind
	for _, p := range st.Programmes {
		if windows(st, p.Outcome) != nil && !slices.Contains(out, p.Outcome) {
			out = append(out, p.Outcome)
		}
	}
	return out
}

// computeSurvival estimates, per programme of the outcome with at least one
// subject, the Kaplan–Meier curve of the time to the first qualifying event.
//
// Population: every subject of the programme (first qualifying trajectory per
// person) whose reference date is on or before the cut-off, whether or not a
// fixed window has closed, and that entered its risk set (see
// buildSubjects). Time: days from the reference date to the first
// qualifying event (event) or to the cut-off (censored); a subject whose
// programme starts after the reference date is at risk only from that day
// (delayed entry: Surv(entry, time, event), stats.Subject.Entry), in the
// curve, the at-risk table, the log-rank test and the Cox models alike. 95% pointwise
// intervals on the log scale (R's default); the median where the curve
// reaches 0.5. The at-risk table is read at months 0, 6, …, 36 (see
// monthDays): at risk at that day, and events and censorings cumulated from
// the start up to and including it. Disclosure control is applied later, by
// markSurvival.
func computeSurvival(outcome study.OutcomeKind, st *study.Study, subs []subject) ([]SurvivalCurve, map[string][]stats.Subject, error) {
	groups := map[string][]stats.Subject{}
	for _, s := range subs {
		groups[s.programme] = append(groups[s.programme], s.followUp())
	}
	var out []SurvivalCurve
	for _, p := range st.Programmes {
		g := groups[p.Code]
		if p.Outcome != outcome || len(g) == 0 {
			continue
		}
		km, err := stats.KaplanMeier(g, 0.95, stats.ConfLog)
		if err != nil {
			return nil, nil, fmt.Errorf("survival of %s for %s: %w", outcome, p.Code, err)
		}
		c := SurvivalCurve{Programme: p.Code, Outcome: outcome, N: km.N, Steps: km.Steps, Median: km.Median()}
		for _, s := range g {
			if s.Event {
				c.Events++
			}
		}
		months := atRiskMonths()
		times := make([]float64, len(months))
		for i, m := range months {
			times[i] = monthDays(m)
		}
		at, err := km.At(times)
		if err != nil {
			return nil, nil, fmt.Errorf("at-risk table of %s for %s: %w", outcome, p.Code, err)
		}
		events, censored := 0, 0
		for i, row := range at {
			events += row.Events
			censored += row.Censored
			c.AtRisk = append(c.AtRisk, AtRiskRow{Month: months[i], Day: int(times[i]), AtRisk: row.AtRisk, Events: events, Censored: censored})
		}
		out = append(out, c)
	}
	return out, groups, nil
}

// computeLogRank tests equality of the survival curves of the programmes of
// one outcome that have subjects (the same subjects as computeSurvival). It
// needs two such programmes; when the test cannot be computed (nobody had the
// event) the result says why in Skipped.
func computeLogRank(outcome study.OutcomeKind, st *study.Study, groups map[string][]stats.Subject) (LogRankTest, bool) {
	t := LogRankTest{Outcome: outcome}
	var gs [][]stats.Subject
	for _, p := range st.Programmes {
		if p.Outcome == outcome && len(groups[p.Code]) > 0 {
			t.Programmes = append(t.Programmes, p.Code)
			gs = append(gs, groups[p.Code])
		}
	}
	if len(gs) < 2 {
		return t, false
	}
	r, err := stats.LogRank(gs...)
	if err != nil {
		t.Skipped = err.Error()
		return t, true
	}
	t.ChiSq, t.DF, t.P = r.ChiSq, r.DF, r.P
	return t, true
}

// markSurvival applies disclosure control to a curve (values are cleared
// later, by redactSurvival); r holds the study's rules, T = MinCell:
//   - the whole curve is suppressed when it has fewer than T persons, between
//     1 and T − 1 events (the drops of the curve would show them), or when
//     everybody had the event (class; also nobody, when zeros are
//     disclosive);
//   - otherwise only points where at least T persons left the risk set
//     (events plus censorings) since the previous published point are
//     published, and only while at least T persons are at risk: an exact
//     step in between is merged into the next published point (its drop
//     is part of that point's drop), and after the last published point
//     the curve stops (Truncated). Each published point's events and
//     censorings are those since the previous point. The exact steps are
//     written only as researcher_only rows, under researcher_exact;
//   - a column of the at-risk table is published only when its number at
//     risk, its cumulative events and its cumulative censorings are each 0
//     (unless zeros are disclosive) or at least T, and so are their increments since the previous
//     published column (else a column minus its neighbour would give a
//     small count); a suppressed column is hidden whole.
func markSurvival(c *SurvivalCurve, r rules) {
	c.rule = ""
	switch {
	case c.N < r.minCell || (c.Events > 0 && c.Events < r.minCell) || (r.zeros && c.N == 0):
		c.rule = RulePrimary
	case r.minCell > 1 && (c.Events == c.N || (r.zeros && c.Events == 0)):
		c.rule = RuleClass
	}
	c.Suppressed = c.rule != ""
	c.points = nil
	if !c.Suppressed {
		left := 0
		for i, s := range c.Steps {
			if s.AtRisk < r.minCell {
				break
			}
			left += s.Events + s.Censored
			if left >= r.minCell {
				c.points = append(c.points, i)
				left = 0
			}
		}
	}
	c.withheldSteps = len(c.Steps) - len(c.points)
	last := -1
	if len(c.points) > 0 {
		last = c.points[len(c.points)-1]
	}
	c.Truncated = !c.Suppressed && last < len(c.Steps)-1
	open := func(k int) bool { return k == 0 && !r.zeros || k >= r.minCell }
	prevEvents, prevCensored := 0, 0
	for i := range c.AtRisk {
		a := &c.AtRisk[i]
		a.Suppressed = c.Suppressed || !open(a.AtRisk) || !open(a.Events) || !open(a.Censored) ||
			!open(a.Events-prevEvents) || !open(a.Censored-prevCensored)
		if !a.Suppressed {
			prevEvents, prevCensored = a.Events, a.Censored
		}
	}
}

// publishedSteps returns the steps of a curve that may be published, each
// carrying the events and censorings since the previous published point
// and the number at risk at the first step after it.
func publishedSteps(c *SurvivalCurve) []stats.KMStep {
	out := make([]stats.KMStep, 0, len(c.points))
	from := 0
	for _, i := range c.points {
		s := c.Steps[i]
		s.AtRisk, s.Events, s.Censored = c.Steps[from].AtRisk, 0, 0
		for _, x := range c.Steps[from : i+1] {
			s.Events += x.Events
			s.Censored += x.Censored
		}
		out = append(out, s)
		from = i + 1
	}
	return out
}

// redactSurvival drops what markSurvival found unpublishable.
func redactSurvival(c *SurvivalCurve) {
	if c.Suppressed {
		c.N, c.Events, c.Steps, c.AtRisk = 0, 0, nil, nil
		c.Median = stats.Estimate{Value: math.NaN(), Interval: stats.Interval{Lower: math.NaN(), Upper: math.NaN()}}
		return
	}
	c.Steps = publishedSteps(c)
	if c.Truncated {
		// The median and its limits come from the whole curve; keep them
		// only where they lie within the published part.
		last := 0.0
		if len(c.Steps) > 0 {
			last = c.Steps[len(c.Steps)-1].Time
		}
		for _, v := range []*float64{&c.Median.Value, &c.Median.Lower, &c.Median.Upper} {
			if *v > last {
				*v = math.NaN()
			}
		}
	}
	for i := range c.AtRisk {
		if r := &c.AtRisk[i]; r.Suppressed {
			r.AtRisk, r.Events, r.Censored = 0, 0, 0
		}
	}
}
