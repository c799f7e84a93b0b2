package reports

import (
	"slices"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/study"
)

// personTimeBlock is the table of an outcome's first events per person-year
// per programme, with the exact Poisson interval (analyses.PersonTimeRate):
// everyone followed counts, however short their follow-up, so a programme
// whose fixed windows have not closed for anyone still has a number.
func (b builder) personTimeBlock(outcome study.OutcomeKind) (block, bool) {
	title := b.t.f("persontime_title", b.outcomeName(outcome))
	tb := newTable("persontime_"+string(outcome), title, b.t.f("col_programme"), "#"+b.t.f("col_n"), "#"+b.t.f("col_events"),
		"#"+b.t.f("col_person_years"), "#"+b.t.f("col_per_100py"), "#"+b.t.f("col_ci_exact"))
	for _, r := range b.res.PersonTime {
		if r.Outcome != outcome {
			continue
		}
		name := b.programmeName(r.Programme)
		if r.Suppressed {
			// Withheld with the programme's curve: a dash, as its counts
			// need not be below the threshold.
			n := "–"
			if r.NPublished {
				n = number(r.N, b.lang) // the programme's subjects, published elsewhere too
			}
			tb.add(name, n, "–", "–", "–", "–")
			continue
		}
		tb.add(name, number(r.N, b.lang), number(r.Events, b.lang), decimal(r.PersonYears, 1, b.lang),
			decimal(100*r.Rate.Value, 1, b.lang), decimal(100*r.Rate.Lower, 1, b.lang)+" – "+decimal(100*r.Rate.Upper, 1, b.lang))
	}
	if len(tb.Rows) == 0 {
		return block{}, false
	}
	return block{Heading: title, Paragraphs: []string{b.t.f("persontime_intro")}, Table: tb}, true
}

// ascertainment returns the ascertainment of a programme's outcome.
func (b builder) ascertainment(programme string) (analyses.Ascertainment, bool) {
	for _, a := range b.res.Ascertainment {
		if a.Programme == programme {
			return a, true
		}
	}
	return analyses.Ascertainment{}, false
}

// ascertainmentWarning is the funders' warning on a headline of zero events
// when not every participant can be found in the sources of the outcome's
// events: the zero may be a linkage gap. Empty otherwise.
func (b builder) ascertainmentWarning(programme string, r analyses.Rate) string {
	a, ok := b.ascertainment(programme)
	if !ok || a.Complete || r.Suppressed || r.N == 0 || r.Events != 0 {
		return ""
	}
	if a.Suppressed {
		return b.t.f("ascertain_zero_small", b.programmeName(programme))
	}
	return b.t.f("summary_ascertain_zero", b.programmeName(programme), number(a.Findable, b.lang), number(a.N, b.lang),
		percent0(a.Share(), b.lang))
}

// ascertainmentBlock is the table of an outcome's programmes with the share
// of their participants who can be found in the outcome's sources.
func (b builder) ascertainmentBlock(outcome study.OutcomeKind) (block, bool) {
	title := b.t.f("ascertain_title", b.outcomeName(outcome))
	tb := newTable("ascertainment_"+string(outcome), title, b.t.f("col_programme"), "#"+b.t.f("col_n"), "#"+b.t.f("col_findable"),
		"#"+b.t.f("col_share_findable"), "~"+b.t.f("col_named_sources"))
	var warnings []string
	for _, a := range b.res.Ascertainment {
		if a.Outcome != outcome {
			continue
		}
		name := b.programmeName(a.Programme)
		named := b.t.f("named_none")
		if len(a.NamedSources) > 0 {
			named = strings.Join(a.NamedSources, ", ")
		}
		if a.Suppressed {
			share := "100%"
			if !a.Complete {
				share = "< 100%"
			}
			n := "–"
			if a.NPublished {
				n = number(a.N, b.lang) // the programme's subjects, published elsewhere too
			}
			tb.add(name, n, "–", share, named) // withheld; not necessarily below the threshold
		} else {
			tb.add(name, number(a.N, b.lang), number(a.Findable, b.lang), percent(a.Share(), b.lang), named)
		}
		if !a.Complete {
			warnings = append(warnings, b.t.f("warn_ascertain", name))
		}
	}
	if len(tb.Rows) == 0 {
		return block{}, false
	}
	return block{Heading: title, Paragraphs: []string{b.t.f("ascertain_intro")}, Table: tb, Warnings: warnings}, true
}

// survivalAtBlock is the table of an outcome's curves read out at the study's
// chosen times (analyses.SurvivalAt): the cumulative share with the outcome
// 1 − S(t) with its 95% interval (log-log, which stays inside 0–100%; the
// log interval is in the database), the standard error and the number at
// risk.
func (b builder) survivalAtBlock(outcome study.OutcomeKind) (block, bool) {
	if !slices.ContainsFunc(b.res.SurvivalAt, func(a analyses.SurvivalAt) bool { return a.Outcome == outcome }) {
		return block{}, false
	}
	title := b.t.f("survival_at_title", b.outcomeName(outcome))
	unit := b.t.f("unit_months")
	if b.res.Study.SurvivalTimes.Unit == "days" {
		unit = b.t.f("unit_days")
	}
	tb := newTable("survival_at_"+string(outcome), title, b.t.f("col_programme"), "#"+b.t.f("col_time", unit), "#"+b.t.f("col_at_risk_t"),
		"#"+b.t.f("col_cumulative"), "#"+b.t.f("col_se"), "#"+b.t.f("col_ci_loglog"))
	for _, a := range b.res.SurvivalAt {
		if a.Outcome != outcome {
			continue
		}
		name := b.programmeName(a.Programme)
		atRisk := number(a.AtRisk, b.lang)
		if a.AtRiskHidden {
			atRisk = b.lessThan()
			if a.Suppressed {
				atRisk = "–"
			}
		}
		if a.Suppressed {
			tb.add(name, number(a.Time, b.lang), atRisk, "–", "–", "–")
			continue
		}
		tb.add(name, number(a.Time, b.lang), atRisk, percent(1-a.Survival, b.lang), decimal(100*a.StdErr, 1, b.lang),
			percent(1-a.LogLog.Upper, b.lang)+" – "+percent(1-a.LogLog.Lower, b.lang))
	}
	if len(tb.Rows) == 0 {
		return block{}, false
	}
	return block{Heading: title, Paragraphs: []string{b.t.f("survival_at_intro")}, Table: tb}, true
}
