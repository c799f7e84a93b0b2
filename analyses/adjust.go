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

// minEventsPerParameter is the fewest events, and persons without the event,
// per model parameter of the logistic model of the standardised rates (the
// "ten events per variable" rule, Peduzzi et al. 1996, J. Clin. Epidemiol.
// 49:1373): below it the model is not fitted and the reason is shown.
const minEventsPerParameter = 10

// covariate is one column of a model's design matrix.
type covariate struct {
	name  string
	value func(s subject, meanAge float64) float64
}

// caseMix returns the case-mix covariates of both models:
//   - age at the reference date in years; a missing age is replaced by the
//     mean age of the model's population, so that the model covers exactly
//     the persons of the rate it adjusts;
//   - sex:v, 1 for women (v) and 0 for everyone else (m, x, unknown);
//   - prior_offences, the number of counting criminal cases (not rows:
//     offence_case) in the five years before the reference date, from any
//     source (priorCasesSQL).
func caseMix() []covariate {
	return []covariate{
		{"age", func(s subject, meanAge float64) float64 {
			if s.hasAge {
				return s.age
			}
			return meanAge
		}},
		{"sex:v", func(s subject, _ float64) float64 {
			if s.female {
				return 1
			}
			return 0
		}},
		{"prior_offences", func(s subject, _ float64) float64 { return float64(s.prior) }},
	}
}

// design builds the design matrix of subs, leaving out constant columns
// (their effect is not estimable); it returns the names of the columns kept
// and of those dropped. The matrix is nil when no column is kept.
func design(subs []subject, cols []covariate) (*mat.Dense, []string, []string) {
	mean, n := 0.0, 0
	for _, s := range subs {
		if s.hasAge {
			mean += s.age
			n++
		}
	}
	if n > 0 {
		mean /= float64(n)
	}
	var keep []covariate
	var names, dropped []string
	for _, c := range cols {
		constant := true
		for _, s := range subs {
			if c.value(s, mean) != c.value(subs[0], mean) {
				constant = false
				break
			}
		}
		if constant {
			dropped = append(dropped, c.name)
			continue
		}
		keep = append(keep, c)
		names = append(names, c.name)
	}
	if len(keep) == 0 {
		return nil, nil, dropped
	}
	x := mat.NewDense(len(subs), len(keep), nil)
	for i, s := range subs {
		for j, c := range keep {
			x.Set(i, j, c.value(s, mean))
		}
	}
	return x, names, dropped
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
		switch {
		case events < minModelEvents || len(rows)-events < minModelEvents:
			skipped = fmt.Sprintf("fewer than %d persons with the outcome, or without it", minModelEvents)
		case x == nil:
			skipped = "every covariate is constant"
		case min(events, len(rows)-events) < minEventsPerParameter*len(names):
			skipped = fmt.Sprintf("fewer than %d persons with the outcome, and without it, per model parameter (%d with, %d without, %d parameters)",
				minEventsPerParameter, events, len(rows)-events, len(names))
		default:
			var err error
			fit, err = stats.Logistic(y, x)
			switch {
			case err != nil:
				skipped = "the model cannot be estimated: " + err.Error()
			case !fit.Converged:
				skipped = "the model did not converge"
			}
		}
		for _, p := range st.Programmes {
			if p.Outcome != outcome {
				continue
			}
			group := make([]bool, len(rows))
			a := AdjustedRate{Programme: p.Code, Outcome: outcome, WindowMonths: w, Skipped: skipped, Dropped: dropped, OE: nanEstimate()}
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
		cols = append(cols, covariate{"programme:" + code, func(s subject, _ float64) float64 {
			if s.programme == code {
				return 1
			}
			return 0
		}})
	}
	cols = append(cols, caseMix()...)
	x, names, dropped := design(subs, cols)
	m.Dropped = dropped
	switch {
	case m.Events < minModelEvents:
		m.Skipped = fmt.Sprintf("fewer than %d persons with the event", minModelEvents)
		return m, true
	case x == nil:
		m.Skipped = "every covariate is constant"
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
		m.Skipped = "the model did not converge"
		return m, true
	}
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
