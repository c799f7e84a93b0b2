package analyses

import (
	"slices"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// SurvivalAt is a survival curve read out at one of the study's chosen times
// (study.Study.SurvivalTimes): S(t), the share still without the event
// (reports show 1 − S(t), the cumulative share with it), its Greenwood
// standard error, the 95% intervals on the log scale (R's default) and the
// log-log scale, and the number at risk, as R's summary(survfit(...,
// conf.type = "log" / "log-log"), times = t).
//
// Disclosure: a value is published only where the curve is and where the
// last event time at or before t is one of the curve's published points (or
// there is none: S = 1), so it says nothing the published curve does not;
// the number at risk only when it is at least MinCell.
type SurvivalAt struct {
	Programme string
	Outcome   study.OutcomeKind
	// Time is the chosen time in the study file's unit; Day the day on the
	// curves' time axis.
	Time int
	Day  float64
	// AtRisk: persons followed up to at least Day.
	AtRisk   int
	Survival float64
	StdErr   float64
	Log      stats.Interval
	LogLog   stats.Interval
	// Suppressed withholds everything but the time; AtRiskHidden only the
	// number at risk.
	Suppressed, AtRiskHidden bool
}

// computeSurvivalAt reads every curve of the outcome at the study's chosen
// times; curves must be marked (markSurvival).
func computeSurvivalAt(outcome study.OutcomeKind, st *study.Study, groups map[string][]stats.Subject, curves []SurvivalCurve) ([]SurvivalAt, error) {
	days := st.SurvivalTimes.Days()
	if len(days) == 0 {
		return nil, nil
	}
	var out []SurvivalAt
	for _, c := range curves {
		g := groups[c.Programme]
		if len(g) == 0 {
			continue
		}
		logKM, err := stats.KaplanMeier(g, 0.95, stats.ConfLog)
		if err != nil {
			return nil, err
		}
		llKM, err := stats.KaplanMeier(g, 0.95, stats.ConfLogLog)
		if err != nil {
			return nil, err
		}
		logAt, err := logKM.At(days)
		if err != nil {
			return nil, err
		}
		llAt, err := llKM.At(days)
		if err != nil {
			return nil, err
		}
		for i, d := range days {
			a := SurvivalAt{Programme: c.Programme, Outcome: outcome, Time: st.SurvivalTimes.Times[i], Day: d,
				AtRisk: logAt[i].AtRisk, Survival: logAt[i].Survival, StdErr: logAt[i].StdErr, Log: logAt[i].Interval, LogLog: llAt[i].Interval}
			last := -1
			for k, s := range c.Steps {
				if s.Time <= d {
					last = k
				}
			}
			a.Suppressed = c.Suppressed || (last >= 0 && !slices.Contains(c.points, last))
			a.AtRiskHidden = a.Suppressed || (a.AtRisk > 0 && a.AtRisk < st.MinCell)
			out = append(out, a)
		}
	}
	return out, nil
}

const ddlSurvivalAt = `CREATE OR REPLACE TABLE survival_at (
    programme       VARCHAR,
    outcome         VARCHAR,
    time            INTEGER,  -- the chosen time (study file survival_times, in its unit)
    time_days       DOUBLE,   -- the day on the curve's time axis
    at_risk         INTEGER,  -- persons followed up to at least this day; NULL when suppressed or below min_cell
    survival        DOUBLE,   -- Kaplan-Meier S(t); NULL when suppressed
    std_err         DOUBLE,   -- Greenwood standard error of S(t)
    log_lower       DOUBLE,   -- 95% interval, log transform (R's default)
    log_upper       DOUBLE,
    loglog_lower    DOUBLE,   -- 95% interval, log-log transform
    loglog_upper    DOUBLE,
    suppressed      BOOLEAN,  -- the curve is suppressed, or S(t) lies on a step that is not published
    researcher_only BOOLEAN
)`

func survivalAtTable(res *Results, researcherExact bool) table {
	t := table{name: "survival_at", ddl: ddlSurvivalAt}
	for _, a := range res.SurvivalAt {
		withheld, ro := cells(a.Suppressed, researcherExact)
		var atRisk any = a.AtRisk
		if a.AtRiskHidden && !researcherExact {
			atRisk = nil
		}
		row := []any{a.Programme, a.Outcome, a.Time, a.Day, atRisk}
		row = append(row, hide(withheld, num(a.Survival), num(a.StdErr), num(a.Log.Lower), num(a.Log.Upper), num(a.LogLog.Lower), num(a.LogLog.Upper))...)
		t.rows = append(t.rows, append(row, a.Suppressed, ro || (a.AtRiskHidden && researcherExact)))
	}
	return t
}

func redactSurvivalAt(res *Results) {
	for i := range res.SurvivalAt {
		a := &res.SurvivalAt[i]
		if a.Suppressed {
			*a = SurvivalAt{Programme: a.Programme, Outcome: a.Outcome, Time: a.Time, Day: a.Day, Suppressed: true, AtRiskHidden: true}
		} else if a.AtRiskHidden {
			a.AtRisk = 0
		}
	}
}
