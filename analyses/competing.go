package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/outcomes-research/outcomes/study"
)

// ddlCumulativeIncidence documents table cumulative_incidence.
const ddlCumulativeIncidence = `CREATE OR REPLACE TABLE cumulative_incidence (
    programme       VARCHAR,
    outcome         VARCHAR,
    time_days       DOUBLE,   -- a published point (at least min_cell persons left the risk set since the previous one), days since the reference date; exact rows: every time with an event, a competing event or a censoring
    at_risk         INTEGER,  -- persons at risk just after the previous point (exact rows: followed up to at least this day)
    events          INTEGER,  -- first qualifying events since the previous point (exact rows: on this day)
    competing       INTEGER,  -- deaths and emigrations (before any event) since the previous point; NULL when the curve's competing events are below min_cell
    censored        INTEGER,  -- follow-up ends (censor_date) since the previous point
    cif             DOUBLE,   -- Aalen-Johansen cumulative incidence of the outcome (R survfit with a factor status, pstate)
    cif_competing   DOUBLE,   -- cumulative incidence of the competing events; NULL when withheld
    researcher_only BOOLEAN   -- false: a published point; true: an exact step (only under disclosure.researcher_exact)
)`

// IncidenceStep is one step of an Aalen–Johansen cumulative incidence
// curve.
type IncidenceStep struct {
	Programme                           string
	Outcome                             study.OutcomeKind
	Time                                float64
	AtRisk, Events, Competing, Censored int
	CIF, CIFCompeting                   float64
	// Hidden marks a step with fewer than min_cell persons at risk, and
	// every later one: not published.
	Hidden bool
	// Point marks a step published as a point of the curve (markIncidence);
	// once redacted, a point's Events, Competing and Censored count since
	// the previous point and AtRisk is the number at risk just after it.
	// Suppressed marks every step of a curve not published at all, and
	// CompetingHidden a curve whose competing events (fewer than min_cell
	// in all) are withheld: CIFCompeting is then NaN.
	Point, Suppressed, CompetingHidden bool
}

// markIncidence applies the survival curves' rule (markSurvival) to the
// cumulative incidence curves (steps of one programme and outcome are
// consecutive, as computeIncidence returns them): a curve of fewer than T
// persons, with between 1 and T − 1 events, or where everybody had the
// event is not published; otherwise a step is a published point when at
// least T persons left the risk set (events, competing events and
// censorings) since the previous point, while at least T are at risk
// (Hidden marks the rest). The competing curve is withheld when the
// curve's competing events number between 1 and T − 1.
func markIncidence(steps []IncidenceStep, r rules) {
	for from := 0; from < len(steps); {
		to := from
		for to < len(steps) && steps[to].Programme == steps[from].Programme && steps[to].Outcome == steps[from].Outcome {
			to++
		}
		curve := steps[from:to]
		n, events, competing := curve[0].AtRisk, 0, 0
		for _, s := range curve {
			events += s.Events
			competing += s.Competing
		}
		suppressed := r.small(n) || r.small(events) && events > 0 || (r.minCell > 1 && events == n) || (r.zeros && events == 0)
		left := 0
		for i := range curve {
			s := &curve[i]
			s.Suppressed, s.CompetingHidden, s.Point = suppressed, r.small(competing) && competing > 0, false
			if suppressed || s.Hidden || s.AtRisk < r.minCell {
				continue
			}
			left += s.Events + s.Competing + s.Censored
			if left >= r.minCell {
				s.Point, left = true, 0
			}
		}
		from = to
	}
}

// publishedIncidence returns the published points of the curves, each
// with the counts since the previous point (see IncidenceStep.Point).
func publishedIncidence(steps []IncidenceStep) []IncidenceStep {
	var out []IncidenceStep
	for from, i := 0, 0; i < len(steps); i++ {
		if i > 0 && (steps[i].Programme != steps[i-1].Programme || steps[i].Outcome != steps[i-1].Outcome) {
			from = i
		}
		if !steps[i].Point {
			continue
		}
		p := steps[i]
		p.AtRisk, p.Events, p.Competing, p.Censored = steps[from].AtRisk, 0, 0, 0
		for _, x := range steps[from : i+1] {
			p.Events += x.Events
			p.Competing += x.Competing
			p.Censored += x.Censored
		}
		if p.CompetingHidden {
			p.Competing, p.CIFCompeting = 0, math.NaN()
		}
		out = append(out, p)
		from = i + 1
	}
	return out
}

// competingSubject is one subject's follow-up: days from the reference
// date to its end, and how it ended (0 censored, 1 the outcome, 2 a death
// or emigration).
type competingSubject struct {
	days   float64
	status int
	// entry is the day the subject enters the risk set (delayed entry,
	// outcome_subject.entry_days; 0 from the reference date).
	entry float64
}

// computeIncidence computes, per programme and outcome kind with subjects
// of its own, the Aalen–Johansen cumulative incidence of the first
// qualifying event with death and emigration (study.EventDeath,
// study.EventEmigration) as competing events. Follow-up of a subject ends
// at the first of: its first qualifying event (status 1), a death or
// emigration after the reference date (status 2; an outcome on the same
// day comes first), and the kind's follow-up end (censor_date; status 0).
// With no competing event in the data the curve equals 1 − Kaplan–Meier.
// Steps from the first with fewer than minCell persons at risk are hidden,
// as survival curves are.
func computeIncidence(ctx context.Context, db *sql.DB, st *study.Study, minCell int) ([]IncidenceStep, error) {
	rows, err := db.QueryContext(ctx, `
SELECT programme, outcome, ref_date, censor_date, first_event, ending_date, entry_days
FROM outcome_subject WHERE ref_date <= censor_date AND entered ORDER BY programme, outcome, person_id`)
	if err != nil {
		return nil, fmt.Errorf("reading subjects for cumulative incidence: %w", err)
	}
	defer rows.Close()
	type key struct {
		programme string
		outcome   study.OutcomeKind
	}
	groups := map[key][]competingSubject{}
	for rows.Next() {
		var k key
		var ref, censor time.Time
		var first, ending sql.NullTime
		var entry float64
		if err := rows.Scan(&k.programme, &k.outcome, &ref, &censor, &first, &ending, &entry); err != nil {
			return nil, err
		}
		s := competingFollowUp(ref, censor, first, ending)
		if s.entry = entry; entry > 0 && s.days <= entry {
			// A death or emigration before the programme start: never at
			// risk (entered covers the event and the censoring only).
			continue
		}
		groups[k] = append(groups[k], s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []IncidenceStep
	for _, p := range st.Programmes {
		for _, def := range study.OutcomeKinds() {
			subs := groups[key{p.Code, def.Kind}]
			if len(subs) == 0 {
				continue
			}
			steps := aalenJohansen(subs)
			hidden := false
			for i := range steps {
				steps[i].Programme, steps[i].Outcome = p.Code, def.Kind
				hidden = hidden || steps[i].AtRisk < minCell
				steps[i].Hidden = hidden
			}
			out = append(out, steps...)
		}
	}
	return out, nil
}

// competingFollowUp is one subject's time and status (see computeIncidence).
func competingFollowUp(ref, censor time.Time, first, ending sql.NullTime) competingSubject {
	days := func(t time.Time) float64 { return t.Sub(ref).Hours() / 24 }
	s := competingSubject{days: days(censor)}
	if ending.Valid && !ending.Time.After(censor) {
		s = competingSubject{days: days(ending.Time), status: 2}
	}
	if first.Valid && !first.Time.After(censor) && (s.status == 0 || !first.Time.After(ending.Time)) {
		s = competingSubject{days: days(first.Time), status: 1}
	}
	return s
}

// aalenJohansen is the Aalen–Johansen estimator for one event of interest
// (status 1) and one competing event (status 2), with delayed entry (a
// subject is at risk at t when entry < t <= days, as R's survfit with
// Surv(entry, time, state)): at each distinct time t with n at risk, d1 events and d2 competing events,
// CIF₁ += S(t−)·d1/n, CIF₂ += S(t−)·d2/n and S(t) = S(t−)·(1 − (d1+d2)/n),
// S being the Kaplan–Meier estimate of remaining free of both. Censorings
// at t are at risk at t (R's convention).
func aalenJohansen(subs []competingSubject) []IncidenceStep {
	s := slices.Clone(subs)
	slices.SortFunc(s, func(a, b competingSubject) int {
		switch {
		case a.days < b.days:
			return -1
		case a.days > b.days:
			return 1
		}
		return 0
	})
	var entries []float64
	for _, x := range s {
		if x.entry > 0 {
			entries = append(entries, x.entry)
		}
	}
	slices.Sort(entries)
	var out []IncidenceStep
	surv, cif1, cif2 := 1.0, 0.0, 0.0
	atRisk := len(s) - len(entries)
	in := 0
	for i := 0; i < len(s); {
		t := s[i].days
		for in < len(entries) && entries[in] < t {
			atRisk++
			in++
		}
		step := IncidenceStep{Time: t, AtRisk: atRisk}
		for ; i < len(s) && s[i].days == t; i++ {
			switch s[i].status {
			case 1:
				step.Events++
			case 2:
				step.Competing++
			default:
				step.Censored++
			}
		}
		n := float64(atRisk)
		cif1 += surv * float64(step.Events) / n
		cif2 += surv * float64(step.Competing) / n
		surv *= 1 - float64(step.Events+step.Competing)/n
		step.CIF, step.CIFCompeting = cif1, cif2
		atRisk -= step.Events + step.Competing + step.Censored
		out = append(out, step)
	}
	return out
}

// incidenceTable renders table cumulative_incidence: the published points
// (markIncidence), and every exact step only under researcher_exact,
// marked researcher_only.
func incidenceTable(steps []IncidenceStep, researcherExact bool) table {
	t := table{name: "cumulative_incidence", ddl: ddlCumulativeIncidence}
	row := func(s IncidenceStep, exact bool) []any {
		var competing any = s.Competing
		if s.CompetingHidden && !exact {
			competing = nil
		}
		return []any{s.Programme, string(s.Outcome), s.Time, s.AtRisk, s.Events, competing, s.Censored,
			num(s.CIF), num(s.CIFCompeting), exact}
	}
	for _, s := range publishedIncidence(steps) {
		t.rows = append(t.rows, row(s, false))
	}
	if researcherExact {
		for _, s := range steps {
			t.rows = append(t.rows, row(s, true))
		}
	}
	return t
}
