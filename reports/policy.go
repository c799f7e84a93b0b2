package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/study"
)

// outcomeSections is the policy staff's part: per outcome kind with
// subjects of its own, in the order of study.OutcomeKinds, rates side by
// side per window, the forest plots of the differences, and the
// Kaplan–Meier curves with their number-at-risk table. A kind without
// results gets no section.
func (b builder) outcomeSections() []section {
	var out []section
	for _, def := range study.OutcomeKinds() {
		if !def.OwnSubjects() {
			continue
		}
		outcome := def.Kind
		s := section{ID: string(outcome), Heading: b.outcomeName(outcome), Audience: b.t.f("audience_policy")}
		s.Blocks = append(s.Blocks, b.rateBlocks(outcome)...)
		if bl, ok := b.breakdownBlock(outcome); ok {
			s.Blocks = append(s.Blocks, bl)
		}
		if bl, ok := b.personTimeBlock(outcome); ok {
			s.Blocks = append(s.Blocks, bl)
		}
		if bl, ok := b.ascertainmentBlock(outcome); ok {
			s.Blocks = append(s.Blocks, bl)
		}
		if bl, ok := b.survivalAtBlock(outcome); ok {
			s.Blocks = append(s.Blocks, bl)
		}
		s.Blocks = append(s.Blocks, b.forestBlocks(outcome)...)
		s.Blocks = append(s.Blocks, b.recidivismBlocks(outcome)...)
		s.Blocks = append(s.Blocks, b.survivalBlocks(outcome)...)
		if len(s.Blocks) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// rateBlocks are the all-cohort rates of an outcome's programmes, one chart
// per window.
func (b builder) rateBlocks(outcome study.OutcomeKind) []block {
	byWindow := map[int][]analyses.Rate{}
	var order []int
	for _, r := range b.res.Rates {
		if r.Outcome != outcome || r.Cohort != 0 {
			continue
		}
		if _, seen := byWindow[r.WindowMonths]; !seen {
			order = append(order, r.WindowMonths)
		}
		byWindow[r.WindowMonths] = append(byWindow[r.WindowMonths], r)
	}
	var out []block
	for _, w := range order {
		title := b.t.f("chart_title", b.outcomeName(outcome), w)
		d := chartData{ID: fmt.Sprintf("chart_%s_%d", outcome, w), Kind: kindBar, Title: title,
			XName: b.t.f("axis_programme"), YName: b.t.f("axis_rate"), Series: []series{{Name: b.t.f("series_rate")}}}
		tb := newTable(fmt.Sprintf("rates_%s_%d", outcome, w), title, b.rateCols(b.t.f("col_programme"), "#"+b.t.f("col_window"))...)
		var warnings []string
		for _, r := range byWindow[w] {
			name := b.programmeName(r.Programme)
			switch {
			case r.Suppressed:
				d.Left = append(d.Left, name)
				warnings = append(warnings, b.t.f("warn_small", name, b.minCell))
			case r.N == 0:
				warnings = append(warnings, b.t.f("warn_none", name, w))
			default:
				d.Categories = append(d.Categories, name)
				d.Series[0].Points = append(d.Series[0].Points, ratePoint(len(d.Categories)-1, r))
			}
			tb.add(append([]string{name, fmt.Sprint(w)}, b.rateCells(r)...)...)
		}
		bl := b.chartWithTable(d, tb)
		bl.Warnings = warnings
		out = append(out, bl)
	}
	return out
}

// breakdownBlock is the table of an outcome's rates split by sex, age band
// and partner, for every programme and window.
func (b builder) breakdownBlock(outcome study.OutcomeKind) (block, bool) {
	title := b.t.f("breakdown_title", b.outcomeName(outcome))
	tb := newTable("breakdown_"+string(outcome), title, b.rateCols(b.t.f("col_programme"), "#"+b.t.f("col_window"), b.t.f("col_breakdown"), b.t.f("col_group"))...)
	for _, r := range b.res.Breakdowns {
		if r.Outcome != outcome || r.Withdrawn {
			continue // a withdrawn breakdown is not published at all
		}
		tb.add(append([]string{b.programmeName(r.Programme), fmt.Sprint(r.WindowMonths), b.t.f("breakdown_" + r.Breakdown), b.groupName(r.Breakdown, r.Group)},
			b.rateCells(r)...)...)
	}
	if len(tb.Rows) == 0 {
		return block{}, false
	}
	return block{Heading: title, Paragraphs: []string{b.t.f("breakdown_intro")}, Table: tb}, true
}

// groupName says a breakdown group in words where it is a code.
func (b builder) groupName(breakdown, group string) string {
	if s, ok := b.t["group_"+breakdown+"_"+group]; ok {
		return s
	}
	return group
}

// forestBlocks are the risk differences and relative risks between
// programmes of an outcome, as forest plots with a table.
func (b builder) forestBlocks(outcome study.OutcomeKind) []block {
	var cs []analyses.Comparison
	for _, c := range b.res.Comparisons {
		if c.Outcome == outcome {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return nil
	}
	o := b.outcomeName(outcome)
	rd := chartData{ID: "chart_rd_" + string(outcome), Kind: kindForest, Title: b.t.f("forest_rd_title", o), XName: b.t.f("axis_rd"),
		Series: []series{{Name: b.t.f("col_rd")}}}
	rr := chartData{ID: "chart_rr_" + string(outcome), Kind: kindForest, Title: b.t.f("forest_rr_title", o), XName: b.t.f("axis_rr"),
		Series: []series{{Name: b.t.f("col_rr")}}, Reference: 1, LogX: true}
	tb := newTable("comparisons_"+string(outcome), b.t.f("comparisons_title", o), b.t.f("col_comparison"), "#"+b.t.f("col_window"),
		"#"+b.t.f("col_rd"), "#"+b.t.f("col_rr"), "#"+b.t.f("col_fisher"), b.t.f("col_remark"))
	var warnings []string
	for _, c := range cs {
		label := b.t.f("comparison_label", b.programmeName(c.A), b.programmeName(c.B), c.WindowMonths)
		if c.Suppressed {
			rd.Left, rr.Left = append(rd.Left, label), append(rr.Left, label)
			tb.add(label, fmt.Sprint(c.WindowMonths), "–", "–", "–", b.t.f("remark_suppressed", b.minCell))
			continue
		}
		remark := "–"
		if c.SmallGroupWarning {
			remark = b.t.f("remark_small")
			warnings = append(warnings, b.t.f("warn_comparison_small", label))
		}
		if w, ok := b.overlapWarning(c, label); ok {
			warnings = append(warnings, w)
		}
		rdCell := fmt.Sprintf("%s (%s – %s)", points(c.RiskDifference.Value, b.lang), points(c.RiskDifference.Lower, b.lang), points(c.RiskDifference.Upper, b.lang))
		rrCell := fmt.Sprintf("%s (%s – %s)", decimal(c.RelativeRisk.Value, 2, b.lang), decimal(c.RelativeRisk.Lower, 2, b.lang), decimal(c.RelativeRisk.Upper, 2, b.lang))
		tb.add(label, fmt.Sprint(c.WindowMonths), rdCell, rrCell, pValue(c.FisherP, b.lang), remark)
		if finite(c.RiskDifference.Value, c.RiskDifference.Lower, c.RiskDifference.Upper) {
			rd.Categories = append(rd.Categories, label)
			rd.Series[0].Points = append(rd.Series[0].Points, point{X: float64(len(rd.Categories) - 1),
				Y: round1(100 * c.RiskDifference.Value), Lo: round1(100 * c.RiskDifference.Lower), Hi: round1(100 * c.RiskDifference.Upper)})
		} else {
			rd.Left = append(rd.Left, label)
		}
		if finitePositive(c.RelativeRisk.Value, c.RelativeRisk.Lower, c.RelativeRisk.Upper) {
			rr.Categories = append(rr.Categories, label)
			rr.Series[0].Points = append(rr.Series[0].Points, point{X: float64(len(rr.Categories) - 1),
				Y: round3(c.RelativeRisk.Value), Lo: round3(c.RelativeRisk.Lower), Hi: round3(c.RelativeRisk.Upper)})
		} else {
			rr.Left = append(rr.Left, label)
		}
	}
	first := b.chartWithTable(rd, tb)
	first.Heading = b.t.f("comparisons_title", o)
	first.Paragraphs = []string{b.t.f("forest_intro")}
	first.Warnings = warnings
	second := b.chartWithTable(rr, nil)
	second.Notes = nil
	if len(rr.Left) > len(rd.Left) {
		second.Notes = []string{b.t.f("left_out_rr", strings.Join(rr.Left[len(rd.Left):], ", "))}
	}
	return []block{first, second}
}

// monthsOrDash shows a time in days as months, or "–" where it is not
// estimable (NaN or infinite).
func monthsOrDash(days float64, lang string) string {
	if math.IsNaN(days) || math.IsInf(days, 0) {
		return "–"
	}
	return decimal(days/daysPerMonth, 1, lang)
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func finitePositive(xs ...float64) bool {
	for _, x := range xs {
		if !(x > 0) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// daysPerMonth converts survival times (days) to months on the chart.
const daysPerMonth = 365.25 / 12

// survivalBlocks are the Kaplan–Meier curves of an outcome's programmes,
// plotted as the cumulative share with the outcome (1 − S) with CI bands,
// and the number-at-risk table under them.
func (b builder) survivalBlocks(outcome study.OutcomeKind) []block {
	var curves []analyses.SurvivalCurve
	for _, c := range b.res.Survival {
		if c.Outcome == outcome {
			curves = append(curves, c)
		}
	}
	if len(curves) == 0 {
		return nil
	}
	o := b.outcomeName(outcome)
	title := b.t.f("km_title", o)
	d := chartData{ID: "chart_km_" + string(outcome), Kind: kindKM, Title: title, XName: b.t.f("axis_months"), YName: b.t.f("axis_cumulative")}
	// The months of the number-at-risk table: the union over the curves.
	var months []int
	seen := map[int]bool{}
	for _, c := range curves {
		for _, a := range c.AtRisk {
			if !seen[a.Month] {
				seen[a.Month] = true
				months = append(months, a.Month)
			}
		}
	}
	cols := []string{b.t.f("col_programme"), b.t.f("col_row")}
	for _, m := range months {
		cols = append(cols, "#"+b.t.f("col_month", m))
	}
	tb := newTable("at_risk_"+string(outcome), b.t.f("at_risk_title", o), cols...)
	// The numbers behind the curves: cumulative share per month column
	// (rows) and programme (columns).
	cum := map[int][]string{}
	cumCols := []string{"#" + b.t.f("col_months")}
	var warnings, medians []string
	for _, c := range curves {
		name := b.programmeName(c.Programme)
		if c.Suppressed {
			d.Left = append(d.Left, name)
			warnings = append(warnings, b.t.f("warn_small", name, b.minCell))
			// Not published: a dash, never "<MinCell", which would claim
			// a count below the threshold.
			row := []string{name, b.t.f("row_at_risk")}
			for range months {
				row = append(row, "–")
			}
			tb.add(row...)
			for _, m := range months {
				cum[m] = append(cum[m], "–")
			}
			cumCols = append(cumCols, "#"+name)
			continue
		}
		cumCols = append(cumCols, "#"+name)
		if c.Truncated {
			warnings = append(warnings, b.t.f("warn_truncated", name, b.minCell))
		}
		d.Series = append(d.Series, series{Name: name, Points: kmPoints(c)})
		if m := c.Median; m.Value > 0 && !math.IsNaN(m.Value) && !math.IsInf(m.Value, 0) {
			medians = append(medians, b.t.f("median_item", name, decimal(m.Value/daysPerMonth, 1, b.lang),
				monthsOrDash(m.Lower, b.lang), monthsOrDash(m.Upper, b.lang)))
		}
		byMonth := map[int]analyses.AtRiskRow{}
		for _, a := range c.AtRisk {
			byMonth[a.Month] = a
		}
		rows := [][]string{{name, b.t.f("row_at_risk")}, {name, b.t.f("row_events")}, {name, b.t.f("row_censored")}}
		for _, m := range months {
			a, ok := byMonth[m]
			switch {
			case !ok:
				for i := range rows {
					rows[i] = append(rows[i], "–")
				}
				cum[m] = append(cum[m], "–")
			case a.Suppressed:
				// A month between published points (fewer than MinCell
				// left the risk set since the last one): not published,
				// shown as a dash; its counts need not be small.
				for i := range rows {
					rows[i] = append(rows[i], "–")
				}
				cum[m] = append(cum[m], "–")
			default:
				rows[0] = append(rows[0], number(a.AtRisk, b.lang))
				rows[1] = append(rows[1], number(a.Events, b.lang))
				rows[2] = append(rows[2], number(a.Censored, b.lang))
				cum[m] = append(cum[m], b.cumulativeAt(c, a))
			}
		}
		for _, r := range rows {
			tb.add(r...)
		}
	}
	bl := b.chartWithTable(d, tb)
	bl.Heading = title
	bl.Paragraphs = []string{b.t.f("km_intro")}
	if len(medians) > 0 {
		bl.Paragraphs = append(bl.Paragraphs, b.t.f("median_sentence", strings.Join(medians, "; ")))
	}
	bl.Warnings = warnings
	for _, lr := range b.res.LogRank {
		if lr.Outcome == outcome {
			bl.Paragraphs = append(bl.Paragraphs, b.t.f("logrank_sentence", decimal(lr.ChiSq, 2, b.lang), lr.DF, pRelation(lr.P, b.lang)))
		}
	}
	if len(d.Series) == 0 {
		// No curve may be published: say so, without empty tables.
		bl.Table, bl.Paragraphs = nil, nil
		return []block{bl}
	}
	numbers := newTable("km_"+string(outcome), b.t.f("km_numbers_title", o), cumCols...)
	for _, m := range months {
		numbers.add(append([]string{fmt.Sprint(m)}, cum[m]...)...)
	}
	return []block{bl, {Table: numbers}}
}

// kmPoints turns a curve's steps into chart points: months against the
// cumulative share with the outcome (1 − S) and its CI, in percent, starting
// at 0 and ending at the last published number-at-risk month.
func kmPoints(c analyses.SurvivalCurve) []point {
	pts := []point{{}}
	for _, s := range c.Steps {
		y := 1 - s.Survival
		lo, hi := 1-s.Upper, 1-s.Lower
		if math.IsNaN(lo) || math.IsNaN(hi) {
			lo, hi = y, y
		}
		pts = append(pts, point{X: round1(s.Time / daysPerMonth), Y: round1(100 * y), Lo: round1(100 * lo), Hi: round1(100 * hi)})
	}
	if !c.Truncated {
		last := pts[len(pts)-1]
		for _, a := range c.AtRisk {
			if !a.Suppressed && float64(a.Month) > last.X {
				last.X = float64(a.Month)
			}
		}
		if last.X > pts[len(pts)-1].X {
			pts = append(pts, last)
		}
	}
	return pts
}

// cumulativeAt is the cumulative share with the outcome at the time of
// at-risk column a with its CI, from the last step at or before it.
func (b builder) cumulativeAt(c analyses.SurvivalCurve, a analyses.AtRiskRow) string {
	day := float64(a.Day)
	if a.Day == 0 {
		day = math.Round(float64(a.Month) * daysPerMonth)
	}
	y, lo, hi := 0.0, 0.0, 0.0
	for _, s := range c.Steps {
		if s.Time > day {
			break
		}
		y, lo, hi = 1-s.Survival, 1-s.Upper, 1-s.Lower
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return percent(y, b.lang)
	}
	return fmt.Sprintf("%s (%s – %s)", percent(y, b.lang), percent(lo, b.lang), percent(hi, b.lang))
}

// familiesSection shows the recidivism of detainees after return by
// whether their household took part in a family programme.
func (b builder) familiesSection() (section, bool) {
	if len(b.res.Families) == 0 {
		return section{}, false
	}
	s := section{ID: "families", Heading: b.t.f("families"), Audience: b.t.f("audience_policy"),
		Intro: []string{b.t.f("families_intro"), b.t.f("families_method", b.res.Study.Outcomes.FamilyGraceDays)}}
	title := b.t.f("families_title")
	d := chartData{ID: "chart_families", Kind: kindBar, Title: title, XName: b.t.f("axis_group"), YName: b.t.f("axis_rate"),
		Series: []series{{Name: b.t.f("series_rate")}}}
	tb := newTable("families", title, b.rateCols(b.t.f("col_programme"), b.t.f("col_household"), "#"+b.t.f("col_window"))...)
	var warnings []string
	for _, f := range b.res.Families {
		group := b.t.f("household_no")
		if f.HouseholdInProgramme {
			group = b.t.f("household_yes")
		}
		label := b.t.f("families_label", b.programmeName(f.Programme), group, f.WindowMonths)
		switch {
		case f.Rate.N == 0:
		case f.Rate.Suppressed:
			d.Left = append(d.Left, label)
			warnings = append(warnings, b.t.f("warn_small", label, b.minCell))
		default:
			d.Categories = append(d.Categories, label)
			d.Series[0].Points = append(d.Series[0].Points, ratePoint(len(d.Categories)-1, f.Rate))
		}
		tb.add(append([]string{b.programmeName(f.Programme), group, fmt.Sprint(f.WindowMonths)}, b.rateCells(f.Rate)...)...)
	}
	bl := b.chartWithTable(d, tb)
	bl.Warnings = warnings
	s.Blocks = append(s.Blocks, bl)
	if cb, ok := b.familyCoverageBlock(); ok {
		s.Blocks = append(s.Blocks, cb)
	}
	return s, true
}
