package reports

import (
	"github.com/outcomes-research/outcomes/analyses"
)

// domainDetailBlock is the table beside a programme's life-domain changes
// that says how far they can be trusted (analyses.DomainDetail): who was
// followed up and who was lost (with both groups' intake means), who
// started at the floor or the ceiling, who changed reliably
// (Jacobson–Truax), the signed-rank test and the household-clustered
// interval. A row whose counts are withheld shows marks and dashes.
func (b builder) domainDetailBlock(code string, changes []analyses.DomainChange) (block, bool) {
	title := b.t.f("domains_detail_title", b.programmeName(code))
	tb := newTable("domain_detail_"+slug(code), title, b.t.f("col_domain"), "#"+b.t.f("col_n_intake"), "#"+b.t.f("col_n_followed"),
		"#"+b.t.f("col_intake_lost"), "#"+b.t.f("col_floor_ceiling"), "#"+b.t.f("col_reliable"),
		"#"+b.t.f("col_wilcoxon"), "#"+b.t.f("col_cluster_ci"))
	threshold := ""
	for _, c := range changes {
		domain := b.domainName(c.Domain)
		d := c.Detail
		if c.Suppressed {
			tb.add(domain, "–", b.lessThan(), "–", "–", "–", "–", "–")
			continue
		}
		if d.NIntake == 0 {
			continue // no detail computed (results from before issue 15)
		}
		if threshold == "" && d.ReliableChange == d.ReliableChange {
			threshold = decimal(d.ReliableChange, 2, b.lang)
		}
		wil := "–"
		if d.WilcoxonP == d.WilcoxonP {
			wil = pValue(d.WilcoxonP, b.lang)
		}
		ci := "–"
		if d.Clustered.Lower == d.Clustered.Lower {
			ci = signed(d.Clustered.Lower, b.lang) + " – " + signed(d.Clustered.Upper, b.lang)
		}
		if d.Suppressed {
			tb.add(domain, "–", number(c.N, b.lang), decimal(c.MeanFirst, 2, b.lang)+" / –", "–", "–", wil, ci)
			continue
		}
		lost := "–"
		if d.MeanIntakeLost == d.MeanIntakeLost {
			lost = decimal(d.MeanIntakeLost, 2, b.lang)
		}
		floor := percent0(float64(d.AtFloor)/float64(d.NIntake), b.lang) + " / " + percent0(float64(d.AtCeiling)/float64(d.NIntake), b.lang)
		reliable := b.t.f("reliable_cell", b.fraction(d.ReliablyImproved, d.CouldImprove), b.fraction(d.ReliablyWorse, d.CouldWorsen))
		tb.add(domain, number(d.NIntake, b.lang), number(c.N, b.lang), decimal(c.MeanFirst, 2, b.lang)+" / "+lost, floor, reliable, wil, ci)
	}
	if len(tb.Rows) == 0 || threshold == "" && !anyDetail(changes) {
		return block{}, false
	}
	set := b.res.Study.LifeDomainAnalysis
	follow := b.t.f("domains_follow_exit")
	if set.FollowUpMonths > 0 {
		follow = b.t.f("domains_follow_months", set.FollowUpMonths, set.ToleranceMonths)
	}
	if threshold == "" {
		threshold = "–"
	}
	return block{Paragraphs: []string{b.t.f("domains_detail_intro", follow, set.GraceDays, decimal(set.Reliability, 2, b.lang), threshold)}, Table: tb}, true
}

// fraction shows "k of n (p%)" with p over those who could move that way.
func (b builder) fraction(k, n int) string {
	if n == 0 {
		return "–"
	}
	return b.t.f("fraction", number(k, b.lang), number(n, b.lang), percent0(float64(k)/float64(n), b.lang))
}

func anyDetail(changes []analyses.DomainChange) bool {
	for _, c := range changes {
		if c.Detail.NIntake > 0 {
			return true
		}
	}
	return false
}
