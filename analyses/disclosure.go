package analyses

import (
	"fmt"
	"slices"

	"github.com/outcomes-research/outcomes/study"
)

// Mark says how one count of a suppressed cell is published.
type Mark uint8

const (
	// MarkHidden: the count is MinCell or more and hidden to protect
	// another cell or a class; shown as "×". It is the zero value, so a
	// suppressed count nobody marked is never shown as a number or as
	// "<MinCell".
	MarkHidden Mark = iota
	// MarkSmall: the count is between 1 and MinCell − 1 (or 0, when zeros
	// are disclosive); shown as "<MinCell".
	MarkSmall
	// MarkZero: the count is 0 and published (zeros publishable).
	MarkZero
	// MarkWithheld: the count is not published and its mark would say too
	// much (the life-domain classes of a row whose marks, with the
	// published n, would narrow a hidden class); shown as "–".
	MarkWithheld
)

// Rule is the reason a cell is not published, as written to the disclosure
// log.
type Rule string

const (
	// RulePrimary: persons, events or persons without the event between 1
	// and MinCell − 1 (or 0 when zeros are disclosive).
	RulePrimary Rule = "primary"
	// RuleClass: everybody in the cell had the outcome (or nobody, when zeros
	// are disclosive): an all-in-one-class cell.
	RuleClass Rule = "class"
	// RuleSecondary: hidden so that no primary or class cell can be
	// recovered from the margins it shares a population with.
	RuleSecondary Rule = "secondary"
	// RuleLinked: a statistic computed from a hidden cell (a difference, a
	// ratio, an adjusted rate, a life-domain mean).
	RuleLinked Rule = "linked"
	// RuleModel: a model output withheld (residual degrees of freedom below
	// the minimum, a constant covariate, a group size that is hidden
	// elsewhere).
	RuleModel Rule = "model"
	// RuleSurvival: exact curve steps merged into published points where
	// fewer than MinCell persons left the risk set, or at-risk columns whose
	// counts or increments are below MinCell.
	RuleSurvival Rule = "survival"
)

// Rules returns the disclosure rules in the order the run summary lists
// them.
func Rules() []Rule {
	return []Rule{RulePrimary, RuleClass, RuleSecondary, RuleLinked, RuleModel, RuleSurvival}
}

// rules are the study's disclosure settings the checks need.
type rules struct {
	minCell int
	zeros   bool // zeros are disclosive
}

func rulesOf(st *study.Study) rules {
	return rules{minCell: st.MinCell, zeros: st.Disclosure.ZerosDisclosive}
}

// small reports whether count k must not be published on its own: between 1
// and minCell − 1, or 0 when zeros are disclosive.
func (r rules) small(k int) bool {
	return (k > 0 && k < r.minCell) || (r.zeros && k == 0)
}

// primary returns the rule that hides a cell of n persons of whom events had
// the outcome on its own, or "" when the cell may be published.
func (r rules) primary(n, events int) Rule {
	without := n - events
	switch {
	case n == 0:
		if r.zeros {
			return RulePrimary
		}
		return ""
	case r.small(n) || (events > 0 && events < r.minCell) || (without > 0 && without < r.minCell):
		return RulePrimary
	case r.minCell > 1 && (without == 0 || (r.zeros && events == 0)):
		// min_cell 1 switches disclosure control off, the class rule too.
		return RuleClass
	}
	return ""
}

// marks sets how the counts of a suppressed cell are shown.
func (r rules) marks(n, events int) (nMark, eventsMark Mark) {
	mark := func(k int) Mark {
		switch {
		case r.small(k):
			return MarkSmall
		case k == 0:
			return MarkZero
		}
		return MarkHidden
	}
	return mark(n), mark(events)
}

// tooSmall reports whether a cell of n persons with events may not be
// published under the default rules (zeros publishable).
func tooSmall(n, events, minCell int) bool {
	return rules{minCell: minCell}.primary(n, events) != ""
}

// Suppress marks the cells that may not be published under a minimum cell
// size with zeros publishable; see suppressRates.
func Suppress(rates []Rate, minCell int) {
	suppressRates(rates, rules{minCell: minCell})
}

// inf is an unbounded count in the interval arithmetic of suppressRates.
const inf = int64(1) << 40

// interval is what a reader can know of one count: lo ≤ count ≤ hi.
type interval struct{ lo, hi int64 }

// cellBounds are the intervals of a cell's persons (n), events (e) and
// persons without the event (u = n − e).
type cellBounds struct{ n, e, u interval }

// suppressRates marks the cells of rates (cohort rows, all-cohorts totals and
// breakdown rows, in any order) that may not be published.
//
// Primary and class suppression: rules.primary on each cell on its own.
//
// Secondary suppression: the cohort rows of one programme, outcome and window
// partition its all-cohorts total, and so does each breakdown dimension (sex,
// age band, partner): these relations link every table of that population,
// so the pattern is chosen over all of them together. A reader knows every
// published count, the interval each mark announces ("<T": 1..T−1, "×": T or
// more) and the relations; suppressRates propagates those intervals through
// the relations (and n = events + without) to a fixpoint and asks, for every
// hidden count, that the reader learns no more than its label allows (see
// protected): it is not pinned to one value and keeps at least ⌈T/2⌉
// possible values. When a
// hidden cell fails, one more published cell of its relations is hidden
// (see hideOneMore), and the check repeats. This interval propagation is
// the suppression's own audit; the attacker test (internal/attack) checks
// the published tables independently, by linear programming.
func suppressRates(rates []Rate, r rules) {
	for i := range rates {
		rates[i].Rule = r.primary(rates[i].N, rates[i].Events)
		rates[i].Suppressed = rates[i].Rule != ""
	}
	type group struct {
		programme string
		outcome   study.OutcomeKind
		window    int
	}
	totals := map[group]int{}
	parts := map[group]map[string][]int{}
	var order []group
	for i, x := range rates {
		g := group{x.Programme, x.Outcome, x.WindowMonths}
		if parts[g] == nil {
			parts[g] = map[string][]int{}
			order = append(order, g)
		}
		switch {
		case x.Breakdown == "" && x.Cohort == 0:
			totals[g] = i
		case x.Breakdown == "":
			parts[g]["cohort"] = append(parts[g]["cohort"], i)
		default:
			parts[g][x.Breakdown] = append(parts[g][x.Breakdown], i)
		}
	}
	for _, g := range order {
		t, hasTotal := totals[g]
		if !hasTotal {
			continue
		}
		var dims []string
		for d := range parts[g] {
			dims = append(dims, d)
		}
		slices.Sort(dims)
		var relations [][]int // total first, then its cells
		for _, d := range dims {
			relations = append(relations, append([]int{t}, parts[g][d]...))
		}
		relations = withdrawHidden(rates, relations)
		for range len(rates) + 1 {
			failing := protectionFailures(rates, relations, r)
			if len(failing) == 0 {
				break
			}
			var changed bool
			if relations, changed = hideOneMore(rates, relations, failing, r); !changed || len(relations) == 0 {
				break
			}
			relations = withdrawHidden(rates, relations)
		}
	}
	for i := range rates {
		if rates[i].Suppressed {
			rates[i].NMark, rates[i].EventsMark = r.marks(rates[i].N, rates[i].Events)
		}
	}
}

// withdrawHidden withdraws every partition (cohort years, a breakdown
// dimension) of relations that a reader would learn nothing from and that
// would only narrow hidden cells: the partition of a total that is itself
// hidden (a breakdown of a cell too small to publish), and a partition
// whose every group is hidden (all "<10" or "×" under a published total
// still bound each group by the total and the others' labels). Output
// checkers withdraw such a table rather than publish it empty (the report
// says the breakdown is withheld because its groups are too small). It
// returns the relations left.
func withdrawHidden(rates []Rate, relations [][]int) [][]int {
	var kept [][]int
	for _, rel := range relations {
		all := true
		for _, i := range rel[1:] {
			all = all && rates[i].Suppressed
		}
		if !rates[rel[0]].Suppressed && !all {
			kept = append(kept, rel)
			continue
		}
		for _, i := range rel[1:] {
			if !rates[i].Suppressed {
				rates[i].Suppressed, rates[i].Rule = true, RuleSecondary
			}
			rates[i].Withdrawn = true
		}
	}
	return kept
}

// subjectsPublished is the one decision whether a programme's subjects
// (the persons of its curve) are published: reference_date's subjects,
// ascertainment's and person_time_rate's n. They are published unless
// small, also where the curve, the person-time rate or the ascertainment's
// findable count is withheld: a count published in one table and hidden in
// another is recovered by anyone who reads both (the attacker's "[14, 14]
// by subtraction").
func subjectsPublished(n int, r rules) bool { return !r.small(n) }

// labelBounds is what a reader knows of a cell from its own published
// cells.
func labelBounds(x Rate, r rules) cellBounds {
	if !x.Suppressed {
		n, e := int64(x.N), int64(x.Events)
		return cellBounds{interval{n, n}, interval{e, e}, interval{n - e, n - e}}
	}
	nm, em := r.marks(x.N, x.Events)
	of := func(m Mark, k int) interval {
		switch m {
		case MarkSmall:
			lo := int64(1)
			if r.zeros {
				lo = 0
			}
			return interval{lo, int64(r.minCell - 1)}
		case MarkZero:
			return interval{0, 0}
		}
		return interval{int64(r.minCell), inf}
	}
	b := cellBounds{n: of(nm, x.N), e: of(em, x.Events)}
	b.u = interval{max(0, b.n.lo-b.e.hi), b.n.hi - b.e.lo}
	if b.u.hi > inf/2 {
		b.u.hi = inf
	}
	// The report's disclosure log does not say whether a cell is below the
	// threshold or protects another, but the database's does: the pattern
	// is chosen against a reader who knows it. A secondary cell has no
	// small count, so at least T persons without the event; a primary cell
	// whose persons and events are both "×" has its small count among those
	// without the event.
	switch {
	case x.Rule == RuleSecondary:
		b.u.lo = max(b.u.lo, int64(r.minCell))
	case nm == MarkHidden && em == MarkHidden:
		b.u.hi = min(b.u.hi, int64(r.minCell-1))
	}
	return b
}

// propagate tightens bounds through the relations (total = Σ cells for n, e
// and u) and n = e + u, to a fixpoint.
func propagate(bounds map[int]*cellBounds, relations [][]int) {
	clamp := func(v int64) int64 {
		if v > inf/2 {
			return inf
		}
		return v
	}
	counts := []func(*cellBounds) *interval{
		func(b *cellBounds) *interval { return &b.n },
		func(b *cellBounds) *interval { return &b.e },
		func(b *cellBounds) *interval { return &b.u },
	}
	for range 200 {
		changed := false
		tighten := func(v *interval, lo, hi int64) {
			lo, hi = clamp(lo), clamp(hi)
			if lo > v.lo {
				v.lo, changed = lo, true
			}
			if hi < v.hi {
				v.hi, changed = hi, true
			}
		}
		for _, rel := range relations {
			for _, count := range counts {
				total := count(bounds[rel[0]])
				var sumLo, sumHi int64
				for _, i := range rel[1:] {
					c := count(bounds[i])
					sumLo, sumHi = sumLo+c.lo, clamp(sumHi+c.hi)
				}
				tighten(total, sumLo, sumHi)
				for _, i := range rel[1:] {
					c := count(bounds[i])
					othersLo, othersHi := sumLo-c.lo, sumHi
					if sumHi < inf {
						othersHi = sumHi - c.hi
					}
					lo := int64(-inf)
					if othersHi < inf {
						lo = total.lo - othersHi
					}
					hi := inf
					if total.hi < inf {
						hi = total.hi - othersLo
					}
					tighten(c, lo, hi)
				}
			}
		}
		for _, b := range bounds {
			tighten(&b.u, b.n.lo-b.e.hi, sub(b.n.hi, b.e.lo))
			tighten(&b.n, b.e.lo+b.u.lo, clamp(b.e.hi+b.u.hi))
			tighten(&b.e, b.n.lo-b.u.hi, sub(b.n.hi, b.u.lo))
		}
		if !changed {
			return
		}
	}
}

// sub is a − b for an upper bound a that may be unbounded.
func sub(a, b int64) int64 {
	if a >= inf {
		return inf
	}
	return a - b
}

// protected reports whether a reader who knows f of a count learns no more
// than its label l allows (see suppressRates): the count is not pinned to
// one value, and at least ⌈T/2⌉ values stay possible (for T = 10: 5),
// or all the label's values when it allows fewer. A "<10" label by itself
// leaves 9 values; a reader may narrow that by combining labels (three
// cohorts with "<10" events each have at least 3 together), but never to
// fewer than half the threshold's range.
func protected(l, f interval, minCell int) bool {
	if l.lo == l.hi {
		return true // published
	}
	need := min(l.hi-l.lo, int64(minCell)/2)
	return f.lo < f.hi && f.hi-f.lo >= need
}

// protectionFailures returns the hidden cells of the relations that a
// reader could narrow beyond their labels.
func protectionFailures(rates []Rate, relations [][]int, r rules) []int {
	labels := map[int]cellBounds{}
	bounds := map[int]*cellBounds{}
	for _, rel := range relations {
		for _, i := range rel {
			if _, ok := labels[i]; !ok {
				labels[i] = labelBounds(rates[i], r)
				b := labels[i]
				bounds[i] = &b
			}
		}
	}
	propagate(bounds, relations)
	var out []int
	for i, l := range labels {
		if !rates[i].Suppressed {
			continue
		}
		f := bounds[i]
		if !protected(l.n, f.n, r.minCell) || !protected(l.e, f.e, r.minCell) || !protected(l.u, f.u, r.minCell) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// hideOneMore suppresses one more published cell for the first failing
// cell that allows it: of the published cells in its relations and their
// total, the one after which the fewest hidden cells fail, and of those the
// one with the fewest persons. When that is the total and the failing cell
// is a cohort or breakdown group, the group's whole partition is withdrawn
// instead (its rows are not published at all, see Rate.Withdrawn): a
// programme's total is worth more than its breakdown by one dimension.
// When every cell is hidden already and their labels alone narrow a count
// (five cohorts with "<10" events under a total with "<10" have at most 5
// each), a partition of the failing cell is withdrawn too. It returns the
// relations left and whether it changed anything.
func hideOneMore(rates []Rate, relations [][]int, failing []int, r rules) ([][]int, bool) {
	for _, f := range failing {
		var candidates []int
		for _, rel := range relations {
			if f != rel[0] && !slices.Contains(rel[1:], f) {
				continue
			}
			for _, i := range rel[1:] {
				if !rates[i].Suppressed && !slices.Contains(candidates, i) {
					candidates = append(candidates, i)
				}
			}
		}
		total := relations[0][0]
		if !rates[total].Suppressed {
			candidates = append(candidates, total)
		}
		best, bestFailing := -1, 0
		for _, c := range candidates {
			rates[c].Suppressed = true
			n := len(protectionFailures(rates, relations, r))
			rates[c].Suppressed = false
			if best < 0 || n < bestFailing || (n == bestFailing && rates[c].N < rates[best].N) {
				best, bestFailing = c, n
			}
		}
		if best < 0 {
			// Every cell is hidden already and their labels alone narrow
			// f: withdraw a partition of f (the one with the most cells,
			// whose lower bounds add up most).
			k := -1
			for j, rel := range relations {
				if (f == rel[0] || slices.Contains(rel[1:], f)) && (k < 0 || len(rel) > len(relations[k])) {
					k = j
				}
			}
			if k < 0 {
				return relations, false
			}
			for _, i := range relations[k][1:] {
				rates[i].Withdrawn = true
			}
			return slices.Delete(slices.Clone(relations), k, k+1), true
		}
		if best == total && f != total {
			for k, rel := range relations {
				if !slices.Contains(rel[1:], f) {
					continue
				}
				for _, i := range rel[1:] {
					if !rates[i].Suppressed {
						rates[i].Suppressed, rates[i].Rule = true, RuleSecondary
					}
					rates[i].Withdrawn = true
				}
				return slices.Delete(slices.Clone(relations), k, k+1), true
			}
		}
		if best >= 0 {
			rates[best].Suppressed, rates[best].Rule = true, RuleSecondary
			return relations, true
		}
	}
	return relations, false
}

// LogEntry is one row of the disclosure log: a cell not published, where
// it is and why, never its value.
type LogEntry struct {
	// Table is the result table (outcome_rate, survival_curve, …).
	Table string
	// Keys identifies the row, as column=value pairs separated by spaces,
	// in the table's key order.
	Keys string
	// Column is the cell's column, or "" for the whole row.
	Column string
	Rule   Rule
}

// disclosureLog lists every cell that Results does not publish.
func disclosureLog(res *Results) []LogEntry {
	var out []LogEntry
	add := func(table, keys, column string, rule Rule) {
		out = append(out, LogEntry{Table: table, Keys: keys, Column: column, Rule: rule})
	}
	for _, x := range append(append([]Rate(nil), res.Rates...), res.Breakdowns...) {
		if !x.Suppressed {
			continue
		}
		keys := fmt.Sprintf("programme=%s outcome=%s window_months=%d", x.Programme, x.Outcome, x.WindowMonths)
		switch {
		case x.Breakdown != "":
			keys += fmt.Sprintf(" breakdown=%s breakdown_value=%s", x.Breakdown, x.Group)
		case x.Cohort != 0:
			keys += fmt.Sprintf(" cohort=%d", x.Cohort)
		}
		column := ""
		if x.Withdrawn {
			column = "row withdrawn"
		}
		add("outcome_rate", keys, column, x.Rule)
	}
	for _, c := range res.Survival {
		keys := fmt.Sprintf("programme=%s outcome=%s", c.Programme, c.Outcome)
		if c.Suppressed {
			add("survival_curve", keys, "", c.rule)
			continue
		}
		if c.withheldSteps > 0 {
			add("survival_step", keys, fmt.Sprintf("%d of %d steps", c.withheldSteps, len(c.Steps)), RuleSurvival)
		}
		for _, a := range c.AtRisk {
			if a.Suppressed {
				add("survival_at_risk", keys+fmt.Sprintf(" month=%d", a.Month), "", RuleSurvival)
			}
		}
	}
	for _, c := range res.Comparisons {
		if c.Suppressed {
			add("comparison", fmt.Sprintf("outcome=%s window_months=%d programme_a=%s programme_b=%s", c.Outcome, c.WindowMonths, c.A, c.B), "", RuleLinked)
		}
	}
	for _, a := range res.Adjusted {
		if a.Suppressed {
			add("adjusted_rate", fmt.Sprintf("programme=%s outcome=%s window_months=%d", a.Programme, a.Outcome, a.WindowMonths), "", RuleLinked)
		}
	}
	for _, m := range res.Cox {
		keys := fmt.Sprintf("outcome=%s", m.Outcome)
		if m.nHidden {
			add("cox_model", keys, "n", RuleModel)
		}
		if m.eventsHidden {
			add("cox_model", keys, "events", RuleModel)
		}
		if len(m.Dropped) > 0 {
			add("cox_model", keys, "dropped", RuleModel)
		}
		if m.dfSkipped {
			add("cox_term", keys, "", RuleModel)
		}
		for _, t := range m.Terms {
			if t.Suppressed {
				add("cox_term", keys+" term="+t.Term, "", RuleLinked)
			}
		}
	}
	for _, a := range res.Adjusted {
		if len(a.Dropped) > 0 {
			add("adjusted_rate", fmt.Sprintf("programme=%s outcome=%s window_months=%d", a.Programme, a.Outcome, a.WindowMonths), "dropped", RuleModel)
		}
	}
	for _, d := range res.LifeDomains {
		keys := fmt.Sprintf("programme=%s domain=%s", d.Programme, d.Domain)
		switch {
		case d.Suppressed:
			add("life_domain_change", keys, "", RulePrimary)
		case d.CountsSuppressed:
			rule := d.countsRule
			if rule == "" {
				rule = RulePrimary
			}
			add("life_domain_change", keys, "improved,unchanged,worse", rule)
			add("life_domain_change", keys, "mean_first,mean_last,mean_change,ci_lower,ci_upper", RuleLinked)
		}
		if !d.Suppressed && !d.TransitionsPublished {
			// Withheld whole in the report (the database's
			// life_domain_transition hides its cells one by one).
			add("life_domain_transition", keys, "report", RulePrimary)
		}
	}
	for _, f := range res.Families {
		if f.Rate.Suppressed {
			add("family_outcome", fmt.Sprintf("family_programme=%s household_in_programme=%t window_months=%d", f.Programme, f.HouseholdInProgramme, f.WindowMonths), "", f.Rate.Rule)
		}
	}
	return out
}

// RuleCounts counts the log's entries per rule, in Rules order, leaving out
// rules with none.
func RuleCounts(log []LogEntry) []RuleCount {
	n := map[Rule]int{}
	for _, e := range log {
		n[e.Rule]++
	}
	var out []RuleCount
	for _, r := range Rules() {
		if n[r] > 0 {
			out = append(out, RuleCount{Rule: string(r), Count: n[r]})
		}
	}
	return out
}

const ddlDisclosureLog = `CREATE OR REPLACE TABLE disclosure_log (
    table_name VARCHAR,  -- the result table holding the cell
    row_keys   VARCHAR,  -- the row's key columns, column=value separated by spaces
    column_name VARCHAR, -- the cell's column; NULL for the whole row
    rule       VARCHAR   -- primary, class, secondary, linked, model or survival
)`

func disclosureTable(log []LogEntry) table {
	t := table{name: "disclosure_log", ddl: ddlDisclosureLog}
	for _, e := range log {
		t.rows = append(t.rows, []any{e.Table, e.Keys, nullIf(e.Column), string(e.Rule)})
	}
	return t
}

// minResidualDF is the study's minimum residual degrees of freedom of a
// published model (study.Disclosure.MinResidualDF, default 10).
func minResidualDF(st *study.Study) int {
	if st.Disclosure.MinResidualDF > 0 {
		return st.Disclosure.MinResidualDF
	}
	return 10
}

// markModel withholds a fitted Cox model whose residual degrees of freedom
// (persons minus estimated terms) are below the study's minimum: its terms
// are dropped and Skipped says why (ACRO's rule for regression output).
func markModel(m *CoxModel, st *study.Study) {
	if m.Skipped != "" || len(m.Terms) == 0 {
		return
	}
	if df := m.N - len(m.Terms); df < minResidualDF(st) {
		m.dfSkipped = true
		m.Terms = nil
		m.Skipped = fmt.Sprintf("fewer than %d residual degrees of freedom", minResidualDF(st))
	}
}

// markDomains applies the class rule to the life-domain classes improved,
// unchanged and worse of each published row (n at least MinCell):
//
//   - primary: a class between 1 and MinCell − 1 (or 0, when zeros are
//     disclosive) withholds the three classes;
//   - class: everybody in one class (the others 0) withholds them too, as
//     "all n improved" says something of each person;
//   - secondary: the published n is the sum of the three, so the classes'
//     marks ("<10" 1–9, "×" 10 or more, "0") bound each hidden class; when
//     a hidden class keeps fewer values than protected allows (n = 23 with
//     "×", "×", "<10" leaves 10–12), the three are withheld without marks
//     (MarkWithheld, "–"; the log keeps the primary or class rule);
//   - linked: the means and their interval are withheld whenever the
//     classes are: the mean first and last score and the mean change of n
//     integer scores, with the CI's spread, leave few combinations of
//     improved, unchanged and worse (issue 12 found a domain with two).
func markDomains(ds []DomainChange, r rules) {
	for i := range ds {
		d := &ds[i]
		if !d.Suppressed {
			classes := []int{d.Improved, d.Unchanged, d.Worse}
			rule := Rule("")
			switch {
			case slices.ContainsFunc(classes, r.small) || d.CountsSuppressed:
				rule = RulePrimary
			case r.minCell > 1 && d.N > 0 && slices.Contains(classes, d.N):
				rule = RuleClass
			}
			if rule != "" {
				d.CountsSuppressed, d.countsRule = true, rule
				for j, k := range classes {
					d.CountMarks[j], _ = r.marks(k, 0)
				}
				if !classesProtected(d.N, d.CountMarks, r) {
					d.CountMarks = [3]Mark{MarkWithheld, MarkWithheld, MarkWithheld}
				}
			}
		}
		d.MeansSuppressed = d.Suppressed || d.CountsSuppressed
		// The report shows a domain's transitions only whole: with the
		// published classes (each a triangle's sum) and the means (each a
		// weighted sum of the margins), one hidden cell among them would
		// be narrowed or recovered, so a single cell that may not be
		// published withholds all 25.
		d.TransitionsPublished = !d.Suppressed && !d.CountsSuppressed && !d.Detail.Suppressed
		for _, row := range d.Detail.Transitions {
			for _, k := range row {
				if r.small(k) {
					d.TransitionsPublished = false
				}
			}
		}
	}
}

// classesProtected reports whether a reader who knows n = Σ classes and
// each class's mark learns of no hidden class more than its mark allows
// (see protected). With one sum over a box the exact range of each class
// is its mark's interval cut by n minus the others' extremes.
func classesProtected(n int, marks [3]Mark, r rules) bool {
	var lo, hi [3]int64
	for j, m := range marks {
		switch m {
		case MarkSmall:
			lo[j], hi[j] = 1, int64(r.minCell-1)
			if r.zeros {
				lo[j] = 0
			}
		case MarkZero:
			lo[j], hi[j] = 0, 0
		default:
			lo[j], hi[j] = int64(r.minCell), int64(n)
		}
	}
	for j := range marks {
		if lo[j] == hi[j] {
			continue
		}
		var othersLo, othersHi int64
		for k := range marks {
			if k != j {
				othersLo, othersHi = othersLo+lo[k], othersHi+hi[k]
			}
		}
		got := interval{max(lo[j], int64(n)-othersHi), min(hi[j], int64(n)-othersLo)}
		if !protected(interval{lo[j], hi[j]}, got, r.minCell) {
			return false
		}
	}
	return true
}

// roundCounts rounds every published count of the rate cells to the nearest
// multiple of base (study.Disclosure.Rounding); base 0 or 1 leaves them.
// Rates and intervals stay those of the exact counts.
func roundCounts(res *Results, base int) {
	if base <= 1 {
		return
	}
	round := func(k int) int { return (k + base/2) / base * base }
	for _, rs := range [][]Rate{res.Rates, res.Breakdowns} {
		for i := range rs {
			if !rs[i].Suppressed {
				rs[i].N, rs[i].Events = round(rs[i].N), round(rs[i].Events)
			}
		}
	}
}

// CountMarks says whether the model's N and Events are withheld (see
// markCox) and, for each withheld one, its mark.
func (m CoxModel) CountMarks() (nHidden, eventsHidden bool, n, events Mark) {
	r := rules{minCell: 10}
	if m.minCell > 0 {
		r.minCell = m.minCell
	}
	n, events = r.marks(m.exactN, m.exactEvents)
	if events == MarkZero {
		events = MarkHidden
	}
	return m.nHidden, m.eventsHidden, n, events
}

// markFamilies gives the suppressed family-outcome cells (see
// computeFamilies: a window's two groups are hidden together) their rule
// and marks.
func markFamilies(fs []FamilyOutcome, r rules) {
	for i := range fs {
		x := &fs[i].Rate
		if !x.Suppressed {
			continue
		}
		x.Rule = r.primary(x.N, x.Events)
		if x.Rule == "" {
			x.Rule = RuleSecondary
		}
		x.NMark, x.EventsMark = r.marks(x.N, x.Events)
	}
}
