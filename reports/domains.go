package reports

import (
	"fmt"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
)

// domainsSection shows, per programme, the mean score per life domain at
// intake and at the latest assessment, and the share that improved.
func (b builder) domainsSection() (section, bool) {
	if len(b.res.LifeDomains) == 0 {
		return section{}, false
	}
	s := section{ID: "life_domains", Heading: b.t.f("domains"), Audience: b.t.f("audience_all"), Intro: []string{b.t.f("domains_intro")}}
	byProg := map[string][]analyses.DomainChange{}
	var order []string
	for _, c := range b.res.LifeDomains {
		if _, ok := byProg[c.Programme]; !ok {
			order = append(order, c.Programme)
		}
		byProg[c.Programme] = append(byProg[c.Programme], c)
	}
	for _, code := range order {
		name := b.programmeName(code)
		title := b.t.f("domains_title", name)
		d := chartData{ID: "chart_domains_" + slug(code), Kind: kindBars, Title: title, XName: b.t.f("axis_domain"), YName: b.t.f("axis_score"),
			Series: []series{{Name: b.t.f("series_first")}, {Name: b.t.f("series_last")}}}
		tb := newTable("domains_"+slug(code), title, b.t.f("col_domain"), "#"+b.t.f("col_n"), "#"+b.t.f("col_first"), "#"+b.t.f("col_last"),
			"#"+b.t.f("col_change"), "#"+b.t.f("col_improved"), "#"+b.t.f("col_unchanged"), "#"+b.t.f("col_worse"))
		var improved []string
		for _, c := range byProg[code] {
			domain := b.domainName(c.Domain)
			if !c.Suppressed && !c.CountsSuppressed && c.N >= b.minCell && (c.Improved == 0 || c.Improved >= b.minCell) {
				improved = append(improved, b.t.f("improved_item", domain, percent0(float64(c.Improved)/float64(c.N), b.lang)))
			}
			if c.Suppressed || c.N < b.minCell {
				d.Left = append(d.Left, domain)
				tb.add(domain, b.lessThan(), "–", "–", "–", "–", "–", "–")
				continue
			}
			if c.MeansSuppressed {
				// The counts are withheld, and with them the means, which
				// would pin them down.
				d.Left = append(d.Left, domain)
				tb.add(domain, number(c.N, b.lang), "–", "–", "–", b.classMark(c.CountMarks[0]), b.classMark(c.CountMarks[1]), b.classMark(c.CountMarks[2]))
				continue
			}
			x := float64(len(d.Categories))
			d.Categories = append(d.Categories, domain)
			d.Series[0].Points = append(d.Series[0].Points, point{X: x, Y: round3(c.MeanFirst)})
			d.Series[1].Points = append(d.Series[1].Points, point{X: x, Y: round3(c.MeanLast)})
			change := fmt.Sprintf("%s (%s – %s)", signed(c.MeanChange.Value, b.lang), signed(c.MeanChange.Lower, b.lang), signed(c.MeanChange.Upper, b.lang))
			improved, unchanged, worse := b.share(c.Improved, c.N), b.share(c.Unchanged, c.N), b.share(c.Worse, c.N)
			if c.CountsSuppressed {
				improved, unchanged, worse = b.lessThan(), b.lessThan(), b.lessThan()
			}
			tb.add(domain, number(c.N, b.lang), decimal(c.MeanFirst, 2, b.lang), decimal(c.MeanLast, 2, b.lang), change,
				improved, unchanged, worse)
		}
		bl := b.chartWithTable(d, tb)
		bl.Heading = name
		if len(improved) > 0 {
			bl.Paragraphs = []string{b.t.f("improved_sentence", strings.Join(improved, "; "))}
		}
		s.Blocks = append(s.Blocks, bl)
		if dl, ok := b.domainDetailBlock(code, byProg[code]); ok {
			s.Blocks = append(s.Blocks, dl)
		}
		if tl, ok := b.transitionsBlock(code, byProg[code]); ok {
			s.Blocks = append(s.Blocks, tl)
		}
	}
	return s, true
}

// share shows "n (p%)", or "<MinCell" for a count between 1 and MinCell−1.
func (b builder) share(n, total int) string {
	if n > 0 && n < b.minCell {
		return b.lessThan()
	}
	return fmt.Sprintf("%s (%s)", number(n, b.lang), percent0(float64(n)/float64(total), b.lang))
}

// domainName translates a life-domain code; unknown codes are shown as they
// are.
func (b builder) domainName(code string) string {
	if s, ok := b.t["domain_"+code]; ok {
		return s
	}
	return code
}

// classMark shows a withheld life-domain class: its mark, or a dash when
// the marks themselves would narrow a class (analyses.MarkWithheld).
func (b builder) classMark(m analyses.Mark) string {
	if m == analyses.MarkWithheld {
		return "–"
	}
	return b.mark(m)
}
