package analyses

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/outcomes-research/outcomes/analyses/stats"
	"github.com/outcomes-research/outcomes/study"
)

// Relation says how the persons of a contrast's two programmes overlap.
type Relation string

const (
	// RelationDisjoint: no person is in both programmes.
	RelationDisjoint Relation = "disjoint"
	// RelationOverlap: some persons are in both, each programme has
	// persons the other has not.
	RelationOverlap Relation = "overlap"
	// RelationProgrammeInReference: every person of the programme is also
	// a person of the reference (e.g. relapse prevention after the shelter
	// it recruits from).
	RelationProgrammeInReference Relation = "programme_in_reference"
	// RelationReferenceInProgramme: every person of the reference is also
	// a person of the programme.
	RelationReferenceInProgramme Relation = "reference_in_programme"
	// RelationEqual: the two programmes have the same persons.
	RelationEqual Relation = "equal"
)

// relationOf classifies two groups of nA and nB persons of which both are
// in both.
func relationOf(nA, nB, both int) Relation {
	switch {
	case both == 0:
		return RelationDisjoint
	case both == nA && both == nB:
		return RelationEqual
	case both == nA:
		return RelationProgrammeInReference
	case both == nB:
		return RelationReferenceInProgramme
	}
	return RelationOverlap
}

// phAlpha is the level below which the Schoenfeld test's p counts as a
// failure of proportional hazards.
const phAlpha = 0.05

// ContrastResult is one contrast (study.Study.ComparisonContrasts) on the
// time to the first qualifying event: the programme against its reference.
type ContrastResult struct {
	study.Contrast
	// NProgramme and NReference are the subjects followed (those of the
	// survival curves), EventsProgramme and EventsReference their events
	// before the cut-off; Overlap the persons who are subjects of both.
	NProgramme, NReference           int
	EventsProgramme, EventsReference int
	Overlap                          int
	Relation                         Relation
	// Unadjusted and Adjusted (age, sex, prior offences; see caseMix) are
	// Cox models of the stacked subjects of both programmes with one term,
	// programme (1) against reference (0). A person in both contributes two
	// rows, so when Overlap > 0 the standard errors are person-clustered
	// (robust); otherwise model-based.
	Unadjusted, Adjusted ContrastModel
	// Disjoint compares distinct persons (fromProgrammeStart for a
	// programme within its reference, else disjointGroups); empty (Groups
	// "") when the relation is disjoint (the stacked model already is) or
	// equal (nothing to compare).
	Disjoint ContrastModel
	// TimeSplit holds the hazard ratio before and after the median event
	// time when the unadjusted model fails the proportional-hazards test.
	TimeSplit []SplitHazardRatio
	// Suppressed: a curve of either programme is suppressed, so the whole
	// contrast is not published.
	Suppressed bool

	overlapHidden bool // Overlap (and so the groups' complements) is a small count
}

// ContrastModel is one Cox model of a contrast.
type ContrastModel struct {
	// Groups says what is compared: "stacked" (every subject of both
	// programmes), or for Disjoint "with_programme_from_start_vs_without"
	// (the reference's subjects, the programme a time-varying exposure from
	// its start; see fromProgrammeStart), "without_reference_vs_with" (the
	// programme's subjects who are not in the reference against those who
	// are) or "programme_only_vs_reference_only".
	Groups string
	// N and Events are the rows in the model and their events; NExposed
	// and EventsExposed those of the group coded 1 (for Disjoint, whose
	// groups are no published curves).
	N, Events               int
	NExposed, EventsExposed int
	// HR is the hazard ratio of the exposed group with its 95% Wald
	// interval, P its two-sided Wald p; SE the standard error of the log
	// hazard ratio used (robust when Robust), NaiveSE the model-based one.
	HR          stats.Estimate
	P           float64
	SE, NaiveSE float64
	Robust      bool
	// LogRank is the log-rank test of the two groups (Disjoint only).
	LogRank *stats.ChiSqTest
	// PH is the Schoenfeld-residual test (cox.zph) of the contrast term,
	// PHGlobal of the whole model.
	PH, PHGlobal stats.ChiSqTest
	// Terms are the adjusted model's other hazard ratios (age, sex:v,
	// prior_offences), for the researcher appendix.
	Terms []HazardRatio
	// Skipped says why the model was not fitted or is not published;
	// Dropped lists constant covariates left out.
	Skipped string
	Dropped []string
}

// SplitHazardRatio is the hazard ratio of one period of follow-up
// [FromDays, ToDays) (ToDays 0: to the end).
type SplitHazardRatio struct {
	FromDays, ToDays float64
	N, Events        int
	HR               stats.Estimate
	P                float64
	Robust           bool
	Skipped          string
}

// Fails reports whether the model's contrast term fails the
// proportional-hazards test.
func (m ContrastModel) Fails() bool { return m.Skipped == "" && m.PH.DF > 0 && m.PH.P < phAlpha }

// computeContrasts computes the contrasts of one outcome from its subjects
// (loadSubjects), in the order the study declares them. curves are the
// outcome's marked survival curves: a contrast is suppressed with either
// programme's curve.
//
// Overlap is counted on persons (pseudonyms). The stacked models use every
// subject of both programmes, each on its own reference date; the disjoint
// model (disjointGroups) uses each person once. Models need minModelEvents
// events and the study's residual degrees of freedom (disclosure.min_residual_df); a disjoint group
// below the minimum cell size (smallGroup) is not modelled.
func computeContrasts(outcome study.OutcomeKind, st *study.Study, subs []subject, curves []SurvivalCurve) []ContrastResult {
	byProgramme := map[string][]subject{}
	for _, s := range subs {
		byProgramme[s.programme] = append(byProgramme[s.programme], s)
	}
	suppressed := map[string]bool{}
	for _, c := range curves {
		suppressed[c.Programme] = c.Suppressed
	}
	var out []ContrastResult
	for _, ct := range st.ComparisonContrasts() {
		if ct.Outcome != outcome {
			continue
		}
		a, b := byProgramme[ct.Programme], byProgramme[ct.Reference]
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		r := ContrastResult{Contrast: ct, NProgramme: len(a), NReference: len(b),
			Suppressed: suppressed[ct.Programme] || suppressed[ct.Reference]}
		inA, inB := persons(a), persons(b)
		for p := range inA {
			if inB[p] {
				r.Overlap++
			}
		}
		r.EventsProgramme, r.EventsReference = countEvents(a), countEvents(b)
		r.Relation = relationOf(len(inA), len(inB), r.Overlap)
		small := func(k int) bool { return k > 0 && k < st.MinCell }
		r.overlapHidden = small(r.Overlap) || small(len(inA)-r.Overlap) || small(len(inB)-r.Overlap)

		rows := append(append([]subject(nil), a...), b...)
		exposed := make([]bool, len(rows))
		for i := range a {
			exposed[i] = true
		}
		robust := r.Overlap > 0
		r.Unadjusted = contrastModel("stacked", rows, exposed, nil, robust, st)
		r.Adjusted = contrastModel("stacked", rows, exposed, caseMix(), robust, st)
		if r.Relation == RelationProgrammeInReference {
			r.Disjoint = fromProgrammeStart(a, b, st)
		} else if groups, g, ex := disjointGroups(r.Relation, a, b, inA, inB); groups != "" {
			r.Disjoint = contrastModel(groups, g, ex, nil, false, st)
			nEx, eEx := 0, 0
			for i, s := range g {
				if ex[i] {
					nEx++
					if s.event {
						eEx++
					}
				}
			}
			if smallGroup(nEx, eEx, st.MinCell) || smallGroup(len(g)-nEx, countEvents(g)-eEx, st.MinCell) {
				r.Disjoint = ContrastModel{Groups: groups, Skipped: fmt.Sprintf("a group has fewer than %d persons or events", st.MinCell)}
			} else {
				var g1, g0 []stats.Subject
				for i, s := range g {
					if ex[i] {
						g1 = append(g1, s.followUp())
					} else {
						g0 = append(g0, s.followUp())
					}
				}
				if lr, err := stats.LogRank(g1, g0); err == nil {
					r.Disjoint.LogRank = &stats.ChiSqTest{ChiSq: lr.ChiSq, DF: lr.DF, P: lr.P}
				}
			}
		}
		if r.Unadjusted.Fails() {
			r.TimeSplit = timeSplit(rows, exposed, robust, st)
		}
		out = append(out, r)
	}
	return out
}

// fromProgrammeStart compares, when the programme is a subset of its
// reference (relapse prevention recruited from a shelter), the reference's
// subjects by whether they are in the programme, from the reference's own
// reference date, with the programme as a time-varying exposure that starts
// at the programme's reference date: a person is unexposed from the
// reference date until the programme starts and exposed after it (one row
// (0, gap] without the event and one (gap, days] with it); a person whose
// event or censoring comes on or before the programme start is unexposed
// throughout (issue 14's aftercare-after-release case); a programme
// starting on or before the reference date exposes from day 0. The two rows
// of a person cover disjoint times, so the model-based variance holds (R:
// coxph(Surv(start, stop, event) ~ exposed)). This avoids the immortal time
// a fixed split (exposed from the reference date) would credit to the
// programme. A subject whose follow-up ends on the reference date is left
// out (no risk set holds it, as R drops stop <= start). No log-rank or
// Schoenfeld test is given for it.
func fromProgrammeStart(a, b []subject, st *study.Study) ContrastModel {
	const groups = "with_programme_from_start_vs_without"
	start := map[string]time.Time{}
	for _, s := range a {
		start[s.person] = s.ref
	}
	var rows []stats.EntrySubject
	var exposed []bool
	persons, exposedPersons, exposedEvents := 0, 0, 0
	for _, s := range b {
		persons++
		ps, ok := start[s.person]
		gap := 0.0
		if ok {
			gap = math.Round(ps.Sub(s.ref).Hours() / 24)
		}
		switch {
		case !ok || gap >= s.days:
			rows = append(rows, stats.EntrySubject{Time: s.days, Event: s.event})
			exposed = append(exposed, false)
		case gap <= 0:
			rows = append(rows, stats.EntrySubject{Time: s.days, Event: s.event})
			exposed = append(exposed, true)
		default:
			rows = append(rows, stats.EntrySubject{Time: gap}, stats.EntrySubject{Entry: gap, Time: s.days, Event: s.event})
			exposed = append(exposed, false, true)
		}
		if ok && gap < s.days {
			exposedPersons++
			if s.event {
				exposedEvents++
			}
		}
	}
	// A subject with no follow-up (event or censoring on the reference
	// date) is in no risk set of counting-process data; as R, leave it out.
	keep := rows[:0]
	keptExposed := exposed[:0]
	for i, r := range rows {
		if r.Time > r.Entry {
			keep = append(keep, r)
			keptExposed = append(keptExposed, exposed[i])
		}
	}
	rows, exposed = keep, keptExposed
	m := ContrastModel{Groups: groups, N: len(rows), NExposed: exposedPersons, EventsExposed: exposedEvents}
	for _, r := range rows {
		if r.Event {
			m.Events++
		}
	}
	switch {
	case smallGroup(exposedPersons, exposedEvents, st.MinCell) || smallGroup(persons-exposedPersons, m.Events-exposedEvents, st.MinCell):
		m.Skipped = fmt.Sprintf("a group has fewer than %d persons or events", st.MinCell)
		return m
	case m.Events < minModelEvents:
		m.Skipped = fmt.Sprintf("fewer than %d persons with the event", minModelEvents)
		return m
	case persons-1 < minResidualDF(st):
		m.Skipped = fmt.Sprintf("fewer than %d residual degrees of freedom", minResidualDF(st))
		return m
	}
	x := mat.NewDense(len(rows), 1, nil)
	for i, e := range exposed {
		if e {
			x.Set(i, 0, 1)
		}
	}
	fit, err := stats.CoxPHEntry(rows, x)
	switch {
	case err != nil:
		m.Skipped = "the model cannot be estimated: " + err.Error()
		return m
	case !fit.Converged:
		m.Skipped = "the model did not converge"
		return m
	}
	m.HR, m.P = fit.HazardRatios[0], fit.Coefficients[0].P
	m.SE, m.NaiveSE = fit.Coefficients[0].StdErr, fit.Coefficients[0].StdErr
	return m
}

// disjointGroups returns the comparison of persons who are in one group
// only, when the two programmes share persons (a programme within its
// reference goes to fromProgrammeStart instead; its case here, a fixed
// split from the reference date, is kept for other callers):
//   - programme within reference: the reference's subjects who are also in
//     the programme against those who are not, all from the reference's own
//     reference date;
//   - reference within programme: the programme's subjects who are not in
//     the reference against those who are, from the programme's reference
//     date;
//   - partial overlap: the programme's subjects not in the reference
//     against the reference's subjects not in the programme, each from
//     their own reference date (those in both are left out).
//
// It returns "" for disjoint groups (the stacked model is already a
// comparison of distinct persons) and for equal ones (nothing to compare).
func disjointGroups(rel Relation, a, b []subject, inA, inB map[string]bool) (string, []subject, []bool) {
	var rows []subject
	var exposed []bool
	add := func(subs []subject, keep func(subject) bool, ex func(subject) bool) {
		for _, s := range subs {
			if keep(s) {
				rows = append(rows, s)
				exposed = append(exposed, ex(s))
			}
		}
	}
	all := func(subject) bool { return true }
	switch rel {
	case RelationProgrammeInReference:
		add(b, all, func(s subject) bool { return inA[s.person] })
		return "with_programme_vs_without", rows, exposed
	case RelationReferenceInProgramme:
		add(a, all, func(s subject) bool { return !inB[s.person] })
		return "without_reference_vs_with", rows, exposed
	case RelationOverlap:
		add(a, func(s subject) bool { return !inB[s.person] }, all)
		add(b, func(s subject) bool { return !inA[s.person] }, func(subject) bool { return false })
		return "programme_only_vs_reference_only", rows, exposed
	}
	return "", nil, nil
}

// contrastModel fits a Cox model (Efron ties) of rows on the exposure
// (1 for exposed rows) and the covariates cols (nil: unadjusted), with the
// person-clustered robust variance when robust, and its Schoenfeld test.
func contrastModel(groups string, rows []subject, exposed []bool, cols []covariate, robust bool, st *study.Study) ContrastModel {
	m := ContrastModel{Groups: groups, N: len(rows), Robust: robust}
	for i, s := range rows {
		if s.event {
			m.Events++
		}
		if exposed[i] {
			m.NExposed++
			if s.event {
				m.EventsExposed++
			}
		}
	}
	// The exposure column first; design drops constant columns.
	x, names, dropped := designExposed(rows, exposed, cols)
	m.Dropped = dropped
	switch {
	case m.Events < minModelEvents:
		m.Skipped = fmt.Sprintf("fewer than %d persons with the event", minModelEvents)
		return m
	case x == nil || names[0] != "exposed":
		m.Skipped = "both groups hold the same subjects"
		return m
	case m.N-len(names) < minResidualDF(st):
		m.Skipped = fmt.Sprintf("fewer than %d residual degrees of freedom", minResidualDF(st))
		return m
	}
	times := make([]stats.Subject, len(rows))
	ids := make([]string, len(rows))
	for i, s := range rows {
		times[i] = s.followUp()
		ids[i] = s.person
	}
	fit, err := stats.CoxPH(times, x)
	switch {
	case err != nil:
		m.Skipped = "the model cannot be estimated: " + err.Error()
		return m
	case !fit.Converged:
		m.Skipped = "the model did not converge"
		return m
	}
	m.NaiveSE = fit.Coefficients[0].StdErr
	hrs, coefs := fit.HazardRatios, fit.Coefficients
	if robust {
		rob, err := stats.CoxRobust(times, x, ids, fit)
		if err != nil {
			m.Skipped = "the robust variance cannot be computed: " + err.Error()
			return m
		}
		hrs, coefs = rob.HazardRatios, rob.Coefficients
	}
	m.HR, m.P, m.SE = hrs[0], coefs[0].P, coefs[0].StdErr
	for j := 1; j < len(names); j++ {
		m.Terms = append(m.Terms, HazardRatio{Term: names[j], Estimate: hrs[j], P: coefs[j].P})
	}
	if ph, err := stats.CoxZPH(times, x, fit); err == nil {
		m.PH, m.PHGlobal = ph.Terms[0], ph.Global
	}
	return m
}

// designExposed is design with the exposure as the first column, named
// "exposed".
func designExposed(rows []subject, exposed []bool, cols []covariate) (*mat.Dense, []string, []string) {
	// covariate values are functions of the subject only, so the exposure
	// travels in a copy of the rows' programme field.
	tagged := make([]subject, len(rows))
	for i, s := range rows {
		s.programme = "0"
		if exposed[i] {
			s.programme = "1"
		}
		tagged[i] = s
	}
	all := append([]covariate{{"exposed", "", func(s subject) float64 { return indicator(s.programme == "1") }}}, cols...)
	return design(tagged, all)
}

// timeSplit fits the stacked unadjusted model separately before and after
// the median event time τ (the lower median of the event days): the first
// period censors everyone at τ, the second keeps the rows still at risk
// after τ (a Cox model's risk sets after τ are exactly those rows, so no
// counting-process data are needed). Checked against R's coxph on
// survSplit data.
func timeSplit(rows []subject, exposed []bool, robust bool, st *study.Study) []SplitHazardRatio {
	var ev []float64
	for _, s := range rows {
		if s.event {
			ev = append(ev, s.days)
		}
	}
	if len(ev) == 0 {
		return nil
	}
	slices.Sort(ev)
	tau := ev[(len(ev)-1)/2]
	var early, late []subject
	var exEarly, exLate []bool
	for i, s := range rows {
		e := s
		if e.days > tau {
			e.days, e.event = tau, false
			late = append(late, s)
			exLate = append(exLate, exposed[i])
		}
		early = append(early, e)
		exEarly = append(exEarly, exposed[i])
	}
	var out []SplitHazardRatio
	for _, p := range []struct {
		from, to float64
		rows     []subject
		ex       []bool
	}{{0, tau, early, exEarly}, {tau, 0, late, exLate}} {
		m := contrastModel("stacked", p.rows, p.ex, nil, robust, st)
		out = append(out, SplitHazardRatio{FromDays: p.from, ToDays: p.to, N: m.N, Events: m.Events,
			HR: m.HR, P: m.P, Robust: m.Robust, Skipped: m.Skipped})
	}
	return out
}

// smallGroup reports whether a group of n persons with events events may
// not be modelled on its own: the primary rule of disclosure control
// (tooSmall: fewer than minCell persons, or between 1 and minCell − 1 with
// or without the event).
func smallGroup(n, events, minCell int) bool { return tooSmall(n, events, minCell) }

// persons returns the set of persons of subs.
func persons(subs []subject) map[string]bool {
	out := map[string]bool{}
	for _, s := range subs {
		out[s.person] = true
	}
	return out
}

func countEvents(subs []subject) int {
	n := 0
	for _, s := range subs {
		if s.event {
			n++
		}
	}
	return n
}

// windowOverlap returns, per window of the outcome, the persons whose
// window closed in both programmes of a contrast: the overlap of the two
// rate cells the comparison table compares.
func windowOverlap(subs []subject, programme, reference string, nWindows int) []int {
	closedA := make([]map[string]bool, nWindows)
	out := make([]int, nWindows)
	for i := range closedA {
		closedA[i] = map[string]bool{}
	}
	for _, s := range subs {
		if s.programme != programme {
			continue
		}
		for i, c := range s.closed {
			if c {
				closedA[i][s.person] = true
			}
		}
	}
	for _, s := range subs {
		if s.programme != reference {
			continue
		}
		for i, c := range s.closed {
			if c && closedA[i][s.person] {
				out[i]++
			}
		}
	}
	return out
}

// markComparisonOverlap sets the overlap of each comparison of the outcome
// (persons in both rate cells) and hides it when it, or either cell's
// persons outside it, is between 1 and min_cell − 1.
func markComparisonOverlap(cs []Comparison, outcome study.OutcomeKind, st *study.Study, subs []subject) {
	ws := windows(st, outcome)
	cache := map[[2]string][]int{}
	for i := range cs {
		c := &cs[i]
		if c.Outcome != outcome {
			continue
		}
		k := [2]string{c.A, c.B}
		if _, ok := cache[k]; !ok {
			cache[k] = windowOverlap(subs, c.A, c.B, len(ws))
		}
		wi := slices.Index(ws, c.WindowMonths)
		if wi < 0 {
			continue
		}
		c.Overlap = cache[k][wi]
		c.Relation = relationOf(c.nA, c.nB, c.Overlap)
		small := func(k int) bool { return k > 0 && k < st.MinCell }
		c.OverlapHidden = small(c.Overlap) || small(c.nA-c.Overlap) || small(c.nB-c.Overlap)
	}
}

// redactContrast clears a suppressed contrast.
func redactContrast(c *ContrastResult) {
	if c.overlapHidden || c.Suppressed {
		c.Overlap = 0
	}
	if c.Suppressed {
		c.NProgramme, c.NReference, c.EventsProgramme, c.EventsReference = 0, 0, 0, 0
		c.Unadjusted, c.Adjusted, c.Disjoint, c.TimeSplit = ContrastModel{}, ContrastModel{}, ContrastModel{}, nil
	}
}

// ddlContrast is the contrast table (doc.go, "Result tables").
const ddlContrast = `CREATE OR REPLACE TABLE contrast (
    outcome          VARCHAR,
    programme        VARCHAR,  -- the programme evaluated
    reference        VARCHAR,  -- the programme it is compared with
    declared         BOOLEAN,  -- named in the study file's contrasts; false: a default pair
    model            VARCHAR,  -- unadjusted, adjusted (stacked subjects of both programmes), disjoint (persons in one group only), split_early, split_late (unadjusted, before and after the median event day, when proportional hazards fail)
    groups           VARCHAR,  -- what the model compares (stacked, with_programme_vs_without, without_reference_vs_with, programme_only_vs_reference_only)
    n_programme      INTEGER,  -- subjects followed (those of survival_curve); NULL when suppressed
    n_reference      INTEGER,
    overlap          INTEGER,  -- persons who are subjects of both; NULL when it, or either group without it, is between 1 and min_cell - 1
    relation         VARCHAR,  -- disjoint, overlap, programme_in_reference, reference_in_programme, equal
    n                INTEGER,  -- rows in the model (a person in both programmes is two rows of the stacked models)
    events           INTEGER,
    from_days        DOUBLE,   -- the period of a split model: [from_days, to_days); NULL otherwise
    to_days          DOUBLE,   -- NULL: to the end of follow-up
    hazard_ratio     DOUBLE,   -- programme (or the first-named group) against reference
    ci_lower         DOUBLE,   -- 95% Wald interval from std_err
    ci_upper         DOUBLE,
    p                DOUBLE,
    std_err          DOUBLE,   -- of the log hazard ratio: person-clustered (robust) when robust
    naive_std_err    DOUBLE,   -- model-based, treating every row as an independent person
    robust           BOOLEAN,  -- a person contributes two rows, so the variance is clustered by person (R coxph + cluster(id))
    logrank_chisq    DOUBLE,   -- log-rank test of the disjoint groups (1 df)
    logrank_p        DOUBLE,
    ph_chisq         DOUBLE,   -- Schoenfeld-residual test of the programme term (R cox.zph, km transform)
    ph_p             DOUBLE,
    ph_global_chisq  DOUBLE,   -- the same for the whole model
    ph_global_df     INTEGER,
    ph_global_p      DOUBLE,
    skipped          VARCHAR,  -- why the model was not fitted or is not published
    suppressed       BOOLEAN,  -- a survival curve of either programme is suppressed
    researcher_only  BOOLEAN
)`

// contrastTable renders the contrasts, not yet redacted.
func contrastTable(res *Results, researcherExact bool) table {
	t := table{name: "contrast", ddl: ddlContrast}
	for _, c := range res.Contrasts {
		withheld, ro := cells(c.Suppressed, researcherExact)
		var overlap any = c.Overlap
		if withheld || (c.overlapHidden && !researcherExact) {
			overlap = nil
		}
		model := func(name string, m ContrastModel, from, to any) {
			row := []any{string(c.Outcome), c.Programme, c.Reference, c.Declared, name, m.Groups}
			row = append(row, hide(withheld, c.NProgramme, c.NReference)...)
			row = append(row, overlap, string(c.Relation))
			var lrc, lrp any
			if m.LogRank != nil {
				lrc, lrp = num(m.LogRank.ChiSq), num(m.LogRank.P)
			}
			fitted := m.Skipped == ""
			est := func(vs ...any) []any { return hide(withheld || !fitted, vs...) }
			row = append(row, hide(withheld, m.N, m.Events)...)
			row = append(row, from, to)
			row = append(row, est(num(m.HR.Value), num(m.HR.Lower), num(m.HR.Upper), num(m.P), num(m.SE), num(m.NaiveSE))...)
			row = append(row, m.Robust)
			row = append(row, hide(withheld, lrc, lrp)...)
			var ph []any
			if m.PH.DF > 0 {
				ph = est(num(m.PH.ChiSq), num(m.PH.P), num(m.PHGlobal.ChiSq), m.PHGlobal.DF, num(m.PHGlobal.P))
			} else {
				ph = make([]any, 5)
			}
			row = append(row, ph...)
			t.rows = append(t.rows, append(row, nullIf(m.Skipped), c.Suppressed, ro))
		}
		model("unadjusted", c.Unadjusted, nil, nil)
		model("adjusted", c.Adjusted, nil, nil)
		if c.Disjoint.Groups != "" {
			model("disjoint", c.Disjoint, nil, nil)
		}
		for i, s := range c.TimeSplit {
			name := "split_early"
			var to any = s.ToDays
			if i > 0 {
				name, to = "split_late", nil
			}
			model(name, ContrastModel{Groups: "stacked", N: s.N, Events: s.Events, HR: s.HR, P: s.P, Robust: s.Robust, Skipped: s.Skipped}, s.FromDays, to)
		}
	}
	return t
}
