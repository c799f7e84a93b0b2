package reports

import (
	"fmt"

	"github.com/outcomes-research/outcomes/analyses"
)

// transitionsBlock is the table of a programme's life domains by intake
// score (rows 1–5) and follow-up score (columns 1–5): the persons who moved
// from each score to each other (analyses.DomainDetail.Transitions). A
// domain's 25 cells are shown only whole (analyses' markDomains publishes
// them when every cell is 0 or at least MinCell); a withheld domain reads
// as one row of dashes, explained in the note.
func (b builder) transitionsBlock(code string, changes []analyses.DomainChange) (block, bool) {
	title := b.t.f("transitions_title", b.programmeName(code))
	cols := []string{b.t.f("col_domain"), "#" + b.t.f("col_intake_score")}
	for k := 1; k <= 5; k++ {
		cols = append(cols, "#"+b.t.f("col_to_score", k))
	}
	tb := newTable("transitions_"+slug(code), title, cols...)
	withheld := false
	for _, c := range changes {
		domain := b.domainName(c.Domain)
		if !c.TransitionsPublished {
			withheld = true
			tb.add(domain, "–", "–", "–", "–", "–", "–")
			continue
		}
		for r, row := range c.Detail.Transitions {
			cells := []string{domain, fmt.Sprint(r + 1)}
			for _, k := range row {
				cells = append(cells, number(k, b.lang))
			}
			tb.add(cells...)
		}
	}
	if len(tb.Rows) == 0 {
		return block{}, false
	}
	bl := block{Heading: title, Paragraphs: []string{b.t.f("transitions_intro")}, Table: tb}
	if withheld {
		bl.Notes = []string{b.t.f("transitions_withheld", b.minCell)}
	}
	return bl, true
}
