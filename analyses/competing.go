package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/outcomes-research/outcomes/study"
)

// ddlCumulativeIncidence documents table cumulative_incidence.
const ddlCumulativeIncidence = `CREATE OR REPLACE TABLE cumulative_incidence (
    programme       VARCHAR,
    outcome         VARCHAR,
    time_days       DOUBLE,   -- a time with an event, a competing event or a censoring, days since the reference date
    at_risk         INTEGER,  -- persons followed up to at least this day
    events          INTEGER,  -- first qualifying events on this day
    competing       INTEGER,  -- deaths and emigrations (before any event) on this day
    censored        INTEGER,  -- follow-up ends (censor_date) on this day
    cif             DOUBLE,   -- Aalen-Johansen cumulative incidence of the outcome (R survfit with a factor status, pstate)
    cif_competing   DOUBLE,   -- cumulative incidence of the competing events
    researcher_only BOOLEAN   -- a step beyond the published part (only under disclosure.researcher_exact)
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
}

// competingSubject is one subject's follow-up: days from the reference
// date to its end, and how it ended (0 censored, 1 the outcome, 2 a death
// or emigration).
type competingSubject struct {
	days   float64
	status int
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
SELECT programme, outcome, ref_date, censor_date, first_event, ending_date
FROM outcome_subject WHERE ref_date <= censor_date ORDER BY programme, outcome, person_id`)
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
		if err := rows.Scan(&k.programme, &k.outcome, &ref, &censor, &first, &ending); err != nil {
			return nil, err
		}
		groups[k] = append(groups[k], competingFollowUp(ref, censor, first, ending))
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
// (status 1) and one competing event (status 2), without delayed entry: at
// each distinct time t with n at risk, d1 events and d2 competing events,
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
	var out []IncidenceStep
	surv, cif1, cif2 := 1.0, 0.0, 0.0
	atRisk := len(s)
	for i := 0; i < len(s); {
		t := s[i].days
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

// incidenceTable renders table cumulative_incidence: hidden steps only
// under researcher_exact, marked researcher_only.
func incidenceTable(steps []IncidenceStep, researcherExact bool) table {
	t := table{name: "cumulative_incidence", ddl: ddlCumulativeIncidence}
	for _, s := range steps {
		if s.Hidden && !researcherExact {
			continue
		}
		t.rows = append(t.rows, []any{s.Programme, string(s.Outcome), s.Time, s.AtRisk, s.Events, s.Competing, s.Censored,
			num(s.CIF), num(s.CIFCompeting), s.Hidden})
	}
	return t
}
