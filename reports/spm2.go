package reports

import (
	"github.com/outcomes-research/outcomes/analyses"
)

// spm2Block is the researchers' table of returns to homelessness after HUD's
// System Performance Measure 2 (analyses.SPM2Row): per programme and
// system-wide, the persons whose exit to a home has 730 closed days, and of
// them those whose first return fell 0–180, 181–365 and 366–730 days after
// the exit, with the total and its share. Withheld counts show "<T" or "×",
// shares of a withheld count "–".
func (b builder) spm2Block() (block, bool) {
	if len(b.res.SPM2) == 0 {
		return block{}, false
	}
	title := b.t.f("spm2_title")
	tb := newTable("spm2_returns", title, b.t.f("col_programme"), b.t.f("col_origin"), "#"+b.t.f("col_spm2_universe"),
		"#"+b.t.f("col_spm2_0_180"), "#"+b.t.f("col_spm2_181_365"), "#"+b.t.f("col_spm2_366_730"), "#"+b.t.f("col_spm2_total"), "#"+b.t.f("col_spm2_share"))
	for _, r := range b.res.SPM2 {
		count := func(k, v int) string {
			if !r.Hidden[k] {
				return number(v, b.lang)
			}
			switch r.Marks[k] {
			case analyses.MarkSmall:
				return b.lessThan()
			case analyses.MarkZero:
				return number(0, b.lang)
			}
			return "×"
		}
		name, origin := b.t.f("spm2_system"), b.t.f("spm2_origin_system")
		if r.Programme != "" {
			name = b.programmeName(r.Programme)
			origin = b.t.f("spm2_origin_exit")
			if r.Origin == analyses.SPM2OriginExitBeforeStart {
				origin = b.t.f("spm2_origin_exit_before_start")
			}
		}
		share := "–"
		if !r.Hidden[0] && !r.Hidden[1] && r.N > 0 {
			share = percent(float64(r.Total)/float64(r.N), b.lang)
		}
		tb.add(name, origin, count(0, r.N), count(2, r.Returns[0]), count(3, r.Returns[1]), count(4, r.Returns[2]), count(1, r.Total), share)
	}
	return block{Heading: title, Paragraphs: []string{b.t.f("spm2_intro", b.res.Study.Outcomes.TransferDays)}, Table: tb}, true
}
