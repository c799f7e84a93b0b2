package analyses

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// minModelEvents is the fewest events (and, for the logistic model, the
// fewest persons without the event) a model is fitted on.
const minModelEvents = 10

// minEventsPerParameter is the fewest events (and, for the logistic model
// of the standardised rates, persons without the event) per model
// parameter, a parameter being a column of the design (a programme, a band
// other than its factor's baseline, sex): the "ten events per variable"
// rule of Peduzzi et al. 1996 (J. Clin. Epidemiol. 49:1373) for logistic
// and Peduzzi et al. 1995 (J. Clin. Epidemiol. 48:1503) for Cox models.
// Below it the model is not fitted and the reason is shown.
const minEventsPerParameter = 10

// covariate is one column of a model's design matrix. A column of a
// banded covariate names its factor ("age", "prior_offences") and is the
// indicator of one level ("age:25-29"); design keeps the levels with
// members other than the factor's baseline.
type covariate struct {
	name   string
	factor string
	value  func(s subject) float64
}

// ageBands are the age bands of the models' case mix (caseMix), at the
// reference date, in order; "unknown" holds persons without an age (no
// birth year recorded), as a category of its own, never imputed. They
// follow the WODC Recidivemonitor's tables of background characteristics
// (see doc.go, Case mix). The breakdowns of the rates use the coarser
// ageBands of rates.go, a separate decision: there a band is a published
// cell that must reach min_cell.
func modelAgeBands() []string {
	return []string{"<18", "18-24", "25-29", "30-39", "40-49", "50+", bandUnknown}
}

// priorBands are the bands of the prior-offence count (priorCasesSQL) in
// the models' case mix, in order; "unknown" holds persons outside the
// justice exports' coverage (priorKnownSQL), never counted as 0.
func priorBands() []string { return []string{"0", "1", "2-4", "5-10", "11+", bandUnknown} }

const bandUnknown = "unknown"

// ageBandOf returns the model age band of a subject.
func ageBandOf(s subject) string {
	switch {
	case !s.hasAge:
		return bandUnknown
	case s.age < 18:
		return "<18"
	case s.age < 25:
		return "18-24"
	case s.age < 30:
		return "25-29"
	case s.age < 40:
		return "30-39"
	case s.age < 50:
		return "40-49"
	}
	return "50+"
}

// priorBandOf returns the prior-offence band of a subject.
func priorBandOf(s subject) string {
	switch {
	case !s.priorKnown:
		return bandUnknown
	case s.prior <= 1:
		return fmt.Sprint(s.prior)
	case s.prior <= 4:
		return "2-4"
	case s.prior <= 10:
		return "5-10"
	}
	return "11+"
}

// caseMix returns the case-mix covariates of the models (the logistic
// model of the standardised rates, the Cox models, the adjusted
// comparisons), the one place they are defined:
//   - age: the age band at the reference date (modelAgeBands), one
//     indicator per band, unknown its own band;
//   - sex:v, 1 for women (v) and 0 for everyone else (m, x, unknown);
//   - prior_offences: the band (priorBands) of the number of counting
//     criminal cases (not rows: offence_case) dated in the
//     outcomes.prior_lookback_years before the reference date, from any
//     source (priorCasesSQL), unknown its own band.
//
// Each banded factor's baseline is its most populous band in the model's
// population (design).
func caseMix() []covariate {
	var out []covariate
	for _, b := range modelAgeBands() {
		out = append(out, covariate{"age:" + b, "age", func(s subject) float64 { return indicator(ageBandOf(s) == b) }})
	}
	out = append(out, covariate{"sex:v", "", func(s subject) float64 { return indicator(s.female) }})
	for _, b := range priorBands() {
		out = append(out, covariate{"prior_offences:" + b, "prior_offences", func(s subject) float64 { return indicator(priorBandOf(s) == b) }})
	}
	return out
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// plan decides the columns of a design over subs: a plain covariate is
// kept unless constant (then named in dropped); of a banded factor, the
// levels without members are no columns, the most populous level (the
// first in order among equals) is the baseline (named in baselines, "age:30-39")
// and the other levels with members are columns; a factor with one level
// present is constant (its name in dropped). R's model.matrix on
// relevel(droplevels(factor(band, levels)), ref = the modal band) builds
// the same columns.
func plan(subs []subject, cols []covariate) (keep []covariate, dropped, baselines []string) {
	members := make([]int, len(cols))
	for j, c := range cols {
		for _, s := range subs {
			if c.factor != "" && c.value(s) != 0 {
				members[j]++
			}
		}
	}
	base := map[string]int{}
	for j, c := range cols {
		if c.factor == "" {
			continue
		}
		if b, ok := base[c.factor]; !ok || members[j] > members[b] {
			base[c.factor] = j
		}
	}
	levels := map[string]int{}
	for j, c := range cols {
		if c.factor != "" && members[j] > 0 {
			levels[c.factor]++
		}
	}
	seen := map[string]bool{}
	for j, c := range cols {
		if c.factor == "" {
			constant := true
			for _, s := range subs {
				if c.value(s) != c.value(subs[0]) {
					constant = false
					break
				}
			}
			if constant {
				dropped = append(dropped, c.name)
			} else {
				keep = append(keep, c)
			}
			continue
		}
		if levels[c.factor] < 2 {
			if !seen[c.factor] {
				seen[c.factor] = true
				dropped = append(dropped, c.factor)
			}
			continue
		}
		switch {
		case base[c.factor] == j:
			baselines = append(baselines, c.name)
		case members[j] > 0:
			keep = append(keep, c)
		}
	}
	return keep, dropped, baselines
}

// design builds the design matrix of subs from the columns plan keeps; it
// returns the names of the columns kept and of the covariates dropped. The
// matrix is nil when no column is kept.
func design(subs []subject, cols []covariate) (*mat.Dense, []string, []string) {
	keep, dropped, _ := plan(subs, cols)
	if len(keep) == 0 || len(subs) == 0 {
		return nil, nil, dropped
	}
	var names []string
	x := mat.NewDense(len(subs), len(keep), nil)
	for j, c := range keep {
		names = append(names, c.name)
		for i, s := range subs {
			x.Set(i, j, c.value(s))
		}
	}
	return x, names, dropped
}

// emptyBand reports whether a band column (a name with ":" other than a
// programme or sex) of x has no event among its members.
func emptyBand(x *mat.Dense, names []string, subs []subject) bool {
	for j, name := range names {
		if !strings.HasPrefix(name, "age:") && !strings.HasPrefix(name, "prior_offences:") {
			continue
		}
		hit := false
		for i, s := range subs {
			if x.At(i, j) == 1 && s.event {
				hit = true
				break
			}
		}
		if !hit {
			return true
		}
	}
	return false
}

// Skip rules: why a model was not fitted, for the report to say in its
// language (SkipReason).
const (
	// SkipFewEvents: fewer than minModelEvents persons with the outcome
	// (or, for the logistic model, without it).
	SkipFewEvents = "few_events"
	// SkipConstant: every covariate is constant.
	SkipConstant = "constant"
	// SkipPerParameter: fewer than minEventsPerParameter events (and, for
	// the logistic model, persons without the event) per model parameter.
	SkipPerParameter = "per_parameter"
	// SkipEmptyBand: a band column of the Cox model has members but no
	// event among them (monotone likelihood: an infinite hazard ratio).
	SkipEmptyBand = "empty_band"
	// SkipNotConverged: the fit did not converge.
	SkipNotConverged = "not_converged"
)

// SkipReason says why a model was not fitted: Rule is one of the Skip
// rules ("" when it was fitted, or for a reason given only in Skipped);
// Events and NonEvents are the persons with and without the outcome (the
// Cox model: NonEvents 0), Parameters the model's columns and Needed the
// fewest events the rule asks for.
type SkipReason struct {
	Rule                                  string
	Events, NonEvents, Parameters, Needed int
}

// computeAdjusted computes the indirectly standardised rates of one outcome
// (what the WODC monitor calls adjusted rates), per window: a logistic model of the outcome within the window on the case-mix
// covariates (see caseMix) is fitted on all subjects of the outcome whose
// window has closed, over all programmes and cohorts, without a programme
// term. Per programme: Observed is its rate (the same denominator as its
// all-cohorts Rate), Expected the mean predicted probability of its persons,
// Overall the rate of all persons in the model, Adjusted = Observed −
// Expected + Overall, the indirectly standardised rate (O − E + overall).
// OE is the standardised ratio of observed to expected events, with the
// exact Poisson interval of the observed count given the expected (R's
// poisson.test(O, E)). The persons of all programmes together have Observed =
// Expected (a property of the fit), so N-weighted Observed − Expected sums to
// zero.
//
// The model is also skipped when the persons with, or without, the outcome
// number fewer than minEventsPerParameter per covariate kept.
//
// A model is skipped, with the reason in Skipped, when fewer than
// minModelEvents persons have the outcome or fewer than minModelEvents do
// not, when every covariate is constant, or when the fit fails or does not
// converge. A constant covariate is left out and named in Dropped.
func computeAdjusted(outcome study.OutcomeKind, st *study.Study, subs []subject) []AdjustedRate {
	var out []AdjustedRate
	for wi, w := range windows(st, outcome) {
		var rows []subject
		var y []bool
		events := 0
		for _, s := range subs {
			if s.closed[wi] {
				rows = append(rows, s)
				y = append(y, s.hit[wi])
				if s.hit[wi] {
					events++
				}
			}
		}
		if len(rows) == 0 {
			continue
		}
		var fit *stats.LogisticFit
		x, names, dropped := design(rows, caseMix())
		skipped := ""
		reason := SkipReason{Events: events, NonEvents: len(rows) - events, Parameters: len(names)}
		switch {
		case events < minModelEvents || len(rows)-events < minModelEvents:
			reason.Rule, reason.Needed = SkipFewEvents, minModelEvents
			skipped = fmt.Sprintf("fewer than %d persons with the outcome, or without it", minModelEvents)
		case x == nil:
			reason.Rule = SkipConstant
			skipped = "every covariate is constant"
		case min(events, len(rows)-events) < minEventsPerParameter*len(names):
			reason.Rule, reason.Needed = SkipPerParameter, minEventsPerParameter*len(names)
			skipped = fmt.Sprintf("fewer than %d persons with the outcome, and without it, per model parameter (%d with, %d without, %d parameters)",
				minEventsPerParameter, events, len(rows)-events, len(names))
		default:
			var err error
			fit, err = stats.Logistic(y, x)
			switch {
			case err != nil:
				skipped = "the model cannot be estimated: " + err.Error()
			case !fit.Converged:
				reason.Rule = SkipNotConverged
				skipped = "the model did not converge"
			}
		}
		if skipped == "" {
			reason = SkipReason{}
		}
		for _, p := range st.Programmes {
			if p.Outcome != outcome {
				continue
			}
			group := make([]bool, len(rows))
			a := AdjustedRate{Programme: p.Code, Outcome: outcome, WindowMonths: w, Skipped: skipped, Reason: reason, Dropped: dropped, OE: nanEstimate()}
			hits := 0
			for i, s := range rows {
				group[i] = s.programme == p.Code
				if group[i] {
					a.N++
					if y[i] {
						hits++
					}
				}
			}
			if a.N == 0 {
				continue
			}
			a.Observed = float64(hits) / float64(a.N)
			if skipped == "" {
				r, err := fit.AdjustedRate(group)
				if err != nil {
					a.Skipped = "the adjusted rate cannot be computed: " + err.Error()
				} else {
					a.Expected, a.Overall, a.Adjusted = r.Expected, r.Overall, r.Adjusted
					if e := r.Expected * float64(a.N); e > 0 {
						a.OE = stats.PoissonRate(hits, e, 0.95)
					}
				}
			}
			out = append(out, a)
		}
	}
	return out
}

// computeCox fits a Cox proportional-hazards model (Efron ties) of the time
// to the first qualifying event of one outcome: the subjects and follow-up of
// computeSurvival, over all programmes of the outcome that have subjects.
// Covariates: one indicator per programme other than the reference (the
// first programme of the study file with subjects for this outcome), then the
// case-mix covariates (see caseMix). A hazard ratio compares persons one unit
// apart (or in the programme against the reference) with the others held
// fixed.
//
// The model is skipped, with the reason in Skipped, when fewer than
// minModelEvents persons have the event, when no covariate is left, or when
// the fit fails or does not converge. A constant case-mix covariate is left
// out and named in Dropped.
func computeCox(outcome study.OutcomeKind, st *study.Study, subs []subject) (CoxModel, bool) {
	m := CoxModel{Outcome: outcome, N: len(subs)}
	if len(subs) == 0 {
		return m, false
	}
	present := map[string]bool{}
	for _, s := range subs {
		present[s.programme] = true
		if s.event {
			m.Events++
		}
	}
	var cols []covariate
	for _, p := range st.Programmes {
		if p.Outcome != outcome || !present[p.Code] {
			continue
		}
		if m.Reference == "" {
			m.Reference = p.Code
			continue
		}
		code := p.Code
		cols = append(cols, covariate{"programme:" + code, "", func(s subject) float64 { return indicator(s.programme == code) }})
	}
	cols = append(cols, caseMix()...)
	x, names, dropped := design(subs, cols)
	_, _, m.Baselines = plan(subs, cols)
	m.Dropped = dropped
	m.Reason = SkipReason{Events: m.Events, Parameters: len(names)}
	switch {
	case m.Events < minModelEvents:
		m.Reason.Rule, m.Reason.Needed = SkipFewEvents, minModelEvents
		m.Skipped = fmt.Sprintf("fewer than %d persons with the event", minModelEvents)
		return m, true
	case x == nil:
		m.Reason.Rule = SkipConstant
		m.Skipped = "every covariate is constant"
		return m, true
	case emptyBand(x, names, subs):
		m.Reason.Rule = SkipEmptyBand
		m.Skipped = "a band of a covariate has no person with the event (its hazard ratio would be infinite)"
		return m, true
	case m.Events < minEventsPerParameter*len(names):
		m.Reason.Rule, m.Reason.Needed = SkipPerParameter, minEventsPerParameter*len(names)
		m.Skipped = fmt.Sprintf("fewer than %d persons with the event per model parameter (%d with, %d parameters)", minEventsPerParameter, m.Events, len(names))
		return m, true
	}
	times := make([]stats.Subject, len(subs))
	for i, s := range subs {
		times[i] = s.followUp()
	}
	fit, err := stats.CoxPH(times, x)
	switch {
	case err != nil:
		m.Skipped = "the model cannot be estimated: " + err.Error()
		return m, true
	case !fit.Converged:
		m.Reason.Rule = SkipNotConverged
		m.Skipped = "the model did not converge"
		return m, true
	}
	m.Reason = SkipReason{}
	for j, name := range names {
		m.Terms = append(m.Terms, HazardRatio{Term: name, Estimate: fit.HazardRatios[j], P: fit.Coefficients[j].P})
	}
	return m, true
}

// markAdjusted applies disclosure control to the adjusted rates of one
// outcome. A row is suppressed when the programme's all-cohorts rate cell of
// the window is (cellSuppressed). Every row of a window is suppressed when
// exactly one of them is, or when the model's persons as a whole are too few
// (see tooSmall): Overall is the rate of all programmes together, so with the
// published rates it would give away the one hidden programme's events (and
// Adjusted − Observed + Expected equals Overall).
func markAdjusted(rows []AdjustedRate, cellSuppressed func(programme string, window int) bool, minCell int) {
	byWindow := map[int][]int{}
	for i := range rows {
		rows[i].Suppressed = cellSuppressed(rows[i].Programme, rows[i].WindowMonths)
		byWindow[rows[i].WindowMonths] = append(byWindow[rows[i].WindowMonths], i)
	}
	for _, idx := range byWindow {
		n, events, hidden := 0, 0, 0
		for _, i := range idx {
			n += rows[i].N
			events += int(math.Round(rows[i].Observed * float64(rows[i].N)))
			if rows[i].Suppressed {
				hidden++
			}
		}
		if hidden == 1 || tooSmall(n, events, minCell) {
			for _, i := range idx {
				rows[i].Suppressed = true
			}
		}
	}
}

// markCox hides a model's event count when it is between 1 and minCell-1,
// its n and event count when one of the outcome's survival curves is
// suppressed (the counts minus the published curves' would give that
// curve's away), and the programme terms of suppressed curves.
func markCox(m *CoxModel, curves []SurvivalCurve, minCell int) {
	hidden := map[string]bool{}
	suppressed := 0
	for _, c := range curves {
		hidden[c.Programme] = c.Suppressed
		if c.Suppressed {
			suppressed++
		}
	}
	// Any hidden curve hides the model's n and events: with one hidden, the
	// model's counts minus the published curves' give it away; with more,
	// their sum.
	m.eventsHidden = (m.Events > 0 && m.Events < minCell) || suppressed > 0
	m.nHidden = suppressed > 0
	m.exactN, m.exactEvents, m.minCell = m.N, m.Events, minCell
	for i, t := range m.Terms {
		if code, isProgramme := strings.CutPrefix(t.Term, "programme:"); isProgramme {
			m.Terms[i].Suppressed = hidden[code]
		}
	}
}

func nan() float64 { return math.NaN() }

func nanEstimate() stats.Estimate {
	return stats.Estimate{Value: nan(), Interval: stats.Interval{Lower: nan(), Upper: nan()}}
}
