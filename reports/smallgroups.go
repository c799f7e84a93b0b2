package reports

import (
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
			lt := b.lessThan()
			tb.add(name, lt, lt, "–", "–", "–")
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
