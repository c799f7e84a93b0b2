package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/study"
)

// headline is a programme's primary outcome at its longest closed window.
type headline struct {
	programme study.Programme
	outcome   study.OutcomeDef // of the programme's outcome kind
	rate      analyses.Rate
	found     bool // some window is closed for someone
}

// headlines picks, per programme in study order, the all-cohort rate of its
// primary outcome at the longest window that has closed for at least one
// person.
func (b builder) headlines() []headline {
	var out []headline
	for _, p := range b.res.Study.Programmes {
		h := headline{programme: p}
		h.outcome, _ = p.Outcome.Definition()
		if !h.outcome.OwnSubjects() {
			// Evaluated by the linked detainees' outcome (recidivism after
			// return), among households that took part.
			for _, f := range b.res.Families {
				if f.Programme == p.Code && f.HouseholdInProgramme && (f.Rate.N > 0 || f.Rate.Suppressed) && (!h.found || f.WindowMonths > h.rate.WindowMonths) {
					h.rate, h.found = f.Rate, true
					h.rate.WindowMonths = f.WindowMonths
				}
			}
			out = append(out, h)
			continue
		}
		for _, r := range b.res.Rates {
			// A hidden cell (its n hidden too) still has a closed window:
			// it is reported as too small to publish, not as "no one's
			// window has passed".
			if r.Programme != p.Code || r.Outcome != p.Outcome || r.Cohort != 0 || (r.N == 0 && !r.Suppressed) {
				continue
			}
			if !h.found || r.WindowMonths > h.rate.WindowMonths {
				h.rate, h.found = r, true
			}
		}
		out = append(out, h)
	}
	return out
}

// span says a window in words: "twee jaar", "18 maanden".
func (b builder) span(months int) string {
	if months%12 == 0 {
		switch y := months / 12; y {
		case 1, 2, 3, 4, 5:
			return b.t.f(fmt.Sprintf("span_y%d", y))
		default:
			return b.t.f("span_years", y)
		}
	}
	return b.t.f("span_months", months)
}

// fundersSection is the first chapter: one plain sentence per programme, a
// headline chart, the trend over cohort years and what the numbers cannot
// say.
func (b builder) fundersSection() section {
	s := section{ID: "summary", Heading: b.t.f("summary"), Audience: b.t.f("audience_funders"), Intro: []string{b.t.f("summary_intro")}}
	hs := b.headlines()
	var sentences []string
	// One headline chart per outcome: recidivism and a return to the
	// shelter are different measures and never share an axis.
	var kinds []study.OutcomeKind
	byKind := map[study.OutcomeKind]*chartData{}
	chart := func(k study.OutcomeKind) *chartData {
		if d, ok := byKind[k]; ok {
			return d
		}
		kinds = append(kinds, k)
		byKind[k] = &chartData{ID: "chart_headline_" + string(k), Kind: kindBar, Title: b.t.f("headline_chart", b.outcomeName(k)),
			XName: b.t.f("axis_programme"), YName: b.t.f("axis_rate"), Series: []series{{Name: b.t.f("series_rate")}}}
		return byKind[k]
	}
	tb := newTable("headline", b.t.f("headline_title"), b.rateCols(b.t.f("col_programme"), b.t.f("col_outcome"), "#"+b.t.f("col_window"))...)
	for _, h := range hs {
		p := h.programme
		var d *chartData
		if h.found {
			d = chart(p.Outcome)
		}
		switch {
		case !h.found:
			sentences = append(sentences, b.t.f("summary_none", p.Name))
			continue
		case h.rate.Suppressed && h.rate.Rule == analyses.RuleSecondary:
			sentences = append(sentences, b.t.f("summary_protected", p.Name, b.span(h.rate.WindowMonths)))
			d.Left = append(d.Left, p.Name)
		case h.rate.Suppressed:
			// "The group is too small" only when the group is: a group of
			// 98 with 6 events is hidden for its events.
			key := "summary_suppressed"
			if h.rate.NMark != analyses.MarkSmall {
				key = "summary_suppressed_events"
			}
			sentences = append(sentences, b.t.f(key, p.Name, b.span(h.rate.WindowMonths), b.minCell))
			d.Left = append(d.Left, p.Name)
		default:
			r := h.rate
			sentences = append(sentences, b.t.f(h.outcome.Texts.Summary, p.Name, number(r.Events, b.lang), number(r.N, b.lang),
				percent0(r.Rate, b.lang), percent0(r.CI.Lower, b.lang), percent0(r.CI.Upper, b.lang), b.span(r.WindowMonths)))
			if d := b.detection(r); d != "" {
				sentences = append(sentences, d)
			}
			if w := b.ascertainmentWarning(p.Code, r); w != "" {
				sentences = append(sentences, w)
			}
			d.Categories = append(d.Categories, b.t.f("headline_label", p.Name, r.WindowMonths))
			d.Series[0].Points = append(d.Series[0].Points, ratePoint(len(d.Categories)-1, r))
		}
		tb.add(append([]string{p.Name, b.outcomeName(p.Outcome), fmt.Sprint(h.rate.WindowMonths)}, b.rateCells(h.rate)...)...)
	}
	s.Blocks = append(s.Blocks, block{Paragraphs: sentences})
	for i, k := range kinds {
		var t *table
		if i == len(kinds)-1 {
			t = tb // the headline table follows the last chart
		}
		s.Blocks = append(s.Blocks, b.chartWithTable(*byKind[k], t))
	}
	if len(kinds) == 0 {
		s.Blocks = append(s.Blocks, block{Table: tb})
	}

	for _, h := range hs {
		if h.found {
			if bl, ok := b.trend(h); ok {
				s.Blocks = append(s.Blocks, bl)
			}
		}
	}
	cannot := []string{b.t.f("cannot_cause"), b.t.f("cannot_registered"), b.t.f("cannot_windows"), b.t.f("cannot_small", b.minCell)}
	if b.res.Study.Demo {
		cannot = append(cannot, b.t.f("cannot_demo"))
	}
	s.Blocks = append(s.Blocks, block{Heading: b.t.f("cannot_heading"), List: cannot})
	return s
}

// trend shows a programme's headline rate per cohort year (year of the
// reference date); a suppressed cohort keeps its year on the axis, marked,
// without a bar.
func (b builder) trend(h headline) (block, bool) {
	p, w := h.programme, h.rate.WindowMonths
	var cohorts []analyses.Rate
	for _, r := range b.res.Rates {
		if r.Programme == p.Code && r.Outcome == p.Outcome && r.WindowMonths == w && r.Cohort != 0 && !r.Withdrawn {
			cohorts = append(cohorts, r)
		}
	}
	if len(cohorts) == 0 {
		return block{}, false
	}
	slices.SortFunc(cohorts, func(a, b analyses.Rate) int { return a.Cohort - b.Cohort })
	title := b.t.f("trend_title", p.Name, b.outcomeName(p.Outcome), w)
	d := chartData{ID: "chart_trend_" + slug(p.Code), Kind: kindBar, Title: title, XName: b.t.f("axis_cohort"), YName: b.t.f("axis_rate"),
		Series: []series{{Name: b.t.f("series_rate")}}}
	tb := newTable("trend_"+slug(p.Code), title, b.rateCols("#"+b.t.f("col_cohort"))...)
	partial := false
	for _, r := range cohorts {
		year := fmt.Sprint(r.Cohort)
		if r.Partial {
			// Not a complete year: say so wherever the year is shown.
			year, partial = b.t.f("cohort_partial", r.Cohort), true
		}
		if r.Suppressed {
			// A hidden year keeps its place on the axis, with no bar and
			// its mark from the table ("<10", "×") under the year, so the
			// gap is not silent.
			d.Left = append(d.Left, year)
			mark := b.mark(r.EventsMark)
			if r.NMark == analyses.MarkSmall {
				mark = b.mark(r.NMark)
			}
			d.Categories = append(d.Categories, year+"\n"+mark)
		} else {
			d.Categories = append(d.Categories, year)
			d.Series[0].Points = append(d.Series[0].Points, ratePoint(len(d.Categories)-1, r))
		}
		tb.add(append([]string{year}, b.rateCells(r)...)...)
	}
	bl := b.chartWithTable(d, tb)
	bl.Heading = b.t.f("trend_heading", p.Name)
	if partial {
		bl.Warnings = append(bl.Warnings, b.t.f("warn_partial_cohort"))
	}
	if p.Outcome == study.OutcomeRecidivism {
		bl.Notes = append(bl.Notes, b.t.f("recdef_cohorts_intro"))
	}
	return bl, true
}

// chartWithTable is a block with chart d (drawn only if it has a point),
// the table of its numbers and a note on what was left out.
func (b builder) chartWithTable(d chartData, tb *table) block {
	bl := block{Table: tb}
	if len(d.Left) > 0 {
		bl.Notes = append(bl.Notes, b.t.f("left_out", strings.Join(d.Left, ", "), b.minCell))
	}
	drawable := len(d.Flows) > 0
	for _, s := range d.Series {
		drawable = drawable || len(s.Points) > 0
		for _, p := range s.Points {
			if !finite(p.X, p.Y, p.Lo, p.Hi) {
				// A value that cannot be drawn (a bug upstream): keep the
				// table, say so, and leave the chart out rather than fail
				// the report.
				bl.Notes = append(bl.Notes, b.t.f("not_drawable"))
				return bl
			}
		}
	}
	if drawable && d.Kind == kindBar && !slices.ContainsFunc(d.Series[0].Points, func(p point) bool { return p.Y > 0 }) {
		// A lone 0% (or only 0%s) draws as an empty chart with a huge
		// whisker: say so instead.
		bl.Notes = append(bl.Notes, b.t.f("chart_nothing"))
		return bl
	}
	if drawable {
		bl.Chart = renderChart(d, b.t)
	}
	return bl
}

// ratePoint is a rate as a chart point in percent.
func ratePoint(x int, r analyses.Rate) point {
	return point{X: float64(x), Y: round1(100 * r.Rate), Lo: round1(100 * r.CI.Lower), Hi: round1(100 * r.CI.Upper)}
}

// rateCols is the header of a table of rates: the leading columns lead,
// then the columns of rateCells (numeric).
func (b builder) rateCols(lead ...string) []string {
	return append(lead, "#"+b.t.f("col_n"), "#"+b.t.f("col_events"), "#"+b.t.f("col_rate"),
		"#"+b.t.f("col_ci_wilson"), "#"+b.t.f("col_ci_exact"), "#"+b.t.f("col_bound"))
}

// rateCells are the N, events, rate, Wilson interval, exact
// (Clopper–Pearson) interval and one-sided exact bound cells of a rate, with
// suppression: a suppressed cell shows its counts' marks ("<MinCell" below
// the threshold, "×" hidden to protect another cell) and a dash for the
// rate and the intervals. The one-sided bound is shown only for
// 0 events ("≤ upper") or N events ("≥ lower"), where the two-sided
// interval is least informative; otherwise "–".
func (b builder) rateCells(r analyses.Rate) []string {
	switch {
	case r.Suppressed:
		// Counts by their marks; a rate of hidden counts is a dash, never
		// "<MinCell", which would read as a number.
		return []string{b.mark(r.NMark), b.mark(r.EventsMark), "–", "–", "–", "–"}
	case r.N == 0:
		return []string{"0", "–", "–", "–", "–", "–"}
	default:
		bound := "–"
		switch {
		case r.Events == 0:
			bound = "≤ " + percent(r.Bound, b.lang)
		case r.Events == r.N:
			bound = "≥ " + percent(r.Bound, b.lang)
		}
		return []string{number(r.N, b.lang), number(r.Events, b.lang), percent(r.Rate, b.lang),
			percent(r.CI.Lower, b.lang) + " – " + percent(r.CI.Upper, b.lang),
			percent(r.Exact.Lower, b.lang) + " – " + percent(r.Exact.Upper, b.lang), bound}
	}
}

// detectionTrueRate is the true rate the funders' detection sentence asks
// about: what a group of this size shows at zero events when one in ten
// would have the outcome (the example of issue 15).
const detectionTrueRate = 0.10

// detection is the funders' sentence on what a headline of 0 (or N) events
// can and cannot show: with n people a true rate of 10% still gives zero
// events (1 − 0.1)^n of the time, and the one-sided exact 95% bound is the
// largest true rate zero events leave open. Empty for other headlines.
func (b builder) detection(r analyses.Rate) string {
	switch {
	case r.Suppressed || r.N == 0:
		return ""
	case r.Events == 0:
		return b.t.f("summary_detect_zero", number(r.N, b.lang), percent0(detectionTrueRate, b.lang),
			percent(r.ZeroEventChance(detectionTrueRate), b.lang), percent(r.Bound, b.lang))
	case r.Events == r.N:
		return b.t.f("summary_detect_all", number(r.N, b.lang), percent(r.Bound, b.lang))
	}
	return ""
}

// slug turns a code into a lower-case identifier for table and chart IDs.
func slug(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	return sb.String()
}
