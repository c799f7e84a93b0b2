package analyses

import (
	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// daysPerYear converts follow-up days to person-years.
const daysPerYear = 365.25

// PersonTimeRate is a programme's first events per person-year of
// follow-up, with the exact Poisson 95% interval (R's poisson.test).
//
// Population and time are those of the programme's survival curve
// (computeSurvival): every subject whose reference date is on or before the
// cut-off, followed from the reference date to the first qualifying event or
// the cut-off, whichever comes first. Unlike a fixed-window rate nobody is
// left out for a window that has not closed, so partial follow-up counts.
// Only the first event per person counts (a person leaves the risk set at
// it); repeated events are the frequency measure, not this one. The Poisson
// interval assumes a constant hazard over the follow-up.
type PersonTimeRate struct {
	Programme string
	Outcome   study.OutcomeKind
	N, Events int
	// PersonYears is the summed follow-up in days / 365.25.
	PersonYears float64
	// Rate is Events/PersonYears with its exact (Garwood) 95% interval.
	Rate stats.Estimate
	// Suppressed follows the programme's survival curve (same persons, same
	// events; see markSurvival); N, Events, PersonYears and Rate are then
	// zero in Results.
	Suppressed bool
	// NPublished: N is published although the row is suppressed, as it is
	// the programme's subjects, which reference_date and ascertainment
	// publish too (subjectsPublished: one decision for the three).
	NPublished bool
}

// computePersonTime returns one PersonTimeRate per curve of the outcome,
// from the same subjects (groups as computeSurvival returned them); curves
// must already be marked (markSurvival).
func computePersonTime(outcome study.OutcomeKind, groups map[string][]stats.Subject, curves []SurvivalCurve) []PersonTimeRate {
	var out []PersonTimeRate
	for _, c := range curves {
		r := PersonTimeRate{Programme: c.Programme, Outcome: outcome, Suppressed: c.Suppressed}
		days := 0.0
		for _, s := range groups[c.Programme] {
			r.N++
			days += s.Time - s.Entry
			if s.Event {
				r.Events++
			}
		}
		r.PersonYears = days / daysPerYear
		r.Rate = stats.PoissonRate(r.Events, r.PersonYears, 0.95)
		out = append(out, r)
	}
	return out
}

// markPersonTime sets NPublished on the suppressed rows whose persons may
// be published (see subjectsPublished).
func markPersonTime(rows []PersonTimeRate, r rules) []PersonTimeRate {
	for i := range rows {
		rows[i].NPublished = rows[i].Suppressed && subjectsPublished(rows[i].N, r)
	}
	return rows
}

const ddlPersonTime = `CREATE OR REPLACE TABLE person_time_rate (
    programme       VARCHAR,
    outcome         VARCHAR,
    n               INTEGER,  -- persons followed (those of survival_curve); NULL when 1..min_cell-1 (published with a suppressed row otherwise: reference_date publishes them too)
    events          INTEGER,  -- first qualifying events before the cut-off; NULL when suppressed
    person_years    DOUBLE,   -- follow-up from the reference date (the programme start, with delayed entry) to the first event or the cut-off, days / 365.25
    rate            DOUBLE,   -- events per person-year
    ci_lower        DOUBLE,   -- exact Poisson 95% interval (R's poisson.test)
    ci_upper        DOUBLE,
    suppressed      BOOLEAN,  -- follows the survival curve
    researcher_only BOOLEAN
)`

// personTimeTable renders Results.PersonTime, not yet redacted.
func personTimeTable(res *Results, researcherExact bool) table {
	t := table{name: "person_time_rate", ddl: ddlPersonTime}
	for _, r := range res.PersonTime {
		withheld, ro := cells(r.Suppressed, researcherExact)
		row := []any{r.Programme, r.Outcome}
		row = append(row, hide(withheld, r.N, r.Events, num(r.PersonYears), num(r.Rate.Value), num(r.Rate.Lower), num(r.Rate.Upper))...)
		if r.NPublished {
			row[2] = r.N
		}
		t.rows = append(t.rows, append(row, r.Suppressed, ro))
	}
	return t
}

func redactPersonTime(res *Results) {
	for i := range res.PersonTime {
		if r := &res.PersonTime[i]; r.Suppressed {
			if !r.NPublished {
				r.N = 0
			}
			r.Events, r.PersonYears, r.Rate = 0, 0, stats.Estimate{}
		}
	}
}
