package reports

import (
	"fmt"

	"github.com/outcomes-research/outcomes/analyses"
)

// familyCoverageBlock is the coverage chain of the family programmes
// (analyses.FamilyCoverage): per step the households reaching it, with a
// member in the programme at any time and by the detainee's return plus the
// grace period, so that households lost on the way (no records of the
// detainee, no aftercare or justice follow-up, window not closed) are
// counted. Withheld counts show "<T" or "×".
func (b builder) familyCoverageBlock() (block, bool) {
	if len(b.res.FamilyCoverage) == 0 {
		return block{}, false
	}
	title := b.t.f("coverage_title")
	tb := newTable("family_coverage", title, b.t.f("col_programme"), b.t.f("col_step"), "#"+b.t.f("col_households"),
		"#"+b.t.f("col_in_programme_any"), "#"+b.t.f("col_in_programme_landmark"))
	for _, c := range b.res.FamilyCoverage {
		cell := func(k, v int) string {
			switch {
			case v < 0:
				return "–"
			case !c.Hidden[k]:
				return number(v, b.lang)
			case c.Marks[k] == analyses.MarkSmall:
				return b.lessThan()
			case c.Marks[k] == analyses.MarkZero:
				return number(0, b.lang)
			}
			return "×"
		}
		var step string
		switch c.Step {
		case analyses.CoverageHouseholds:
			step = b.t.f("cov_households")
		case analyses.CoverageDetaineeFound:
			step = b.t.f("cov_detainee_found")
		case analyses.CoverageDetaineeSubject:
			step = b.t.f("cov_detainee_subject")
		case analyses.CoverageAtLandmark:
			step = b.t.f("cov_at_landmark", b.res.Study.Outcomes.FamilyGraceDays)
		case analyses.CoverageFollowed:
			step = b.t.f("cov_followed", c.WindowMonths)
		default:
			step = fmt.Sprint(c.Step)
		}
		tb.add(b.programmeName(c.Programme), step, cell(0, c.Households), cell(1, c.InProgrammeAny), cell(2, c.InProgramme))
	}
	return block{Heading: title, Paragraphs: []string{b.t.f("coverage_intro", b.res.Study.Outcomes.FamilyGraceDays)}, Table: tb}, true
}
