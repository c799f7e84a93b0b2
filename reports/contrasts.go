package reports

import (
	"math"
	"strings"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/study"
)

// contrastBlocks are the researchers' tables of the contrasts
// (analyses.ContrastResult), one per outcome: per contrast the persons in
// both groups, the unadjusted and adjusted hazard ratio of the programme
// against its reference (person-clustered when a person is in both), the
// comparison of distinct persons where the groups share persons, and the
// Schoenfeld test of proportional hazards; notes name a subset relation and
// every failed proportional-hazards test with its time-split hazard ratios.
func (b builder) contrastBlocks() []block {
	var out []block
	for _, def := range study.OutcomeKinds() {
		var cs []analyses.ContrastResult
		for _, c := range b.res.Contrasts {
			if c.Outcome == def.Kind {
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			continue
		}
		o := b.outcomeName(def.Kind)
		title := b.t.f("contrast_title", o)
		tb := newTable("contrasts_"+string(def.Kind), title, b.t.f("col_comparison"), b.t.f("col_model"), "#"+b.t.f("col_overlap"),
			"#"+b.t.f("col_n"), "#"+b.t.f("col_events"), "#"+b.t.f("col_hr"), "#"+b.t.f("col_ci"), "#"+b.t.f("col_p"), b.t.f("col_variance"), "#"+b.t.f("col_ph_p"))
		var notes, warnings []string
		for _, c := range cs {
			label := b.t.f("contrast_label", b.programmeName(c.Programme), b.programmeName(c.Reference))
			if !c.Declared {
				label += " " + b.t.f("contrast_default")
			}
			if c.Suppressed {
				tb.add(label, "–", "–", "–", "–", "–", "–", "–", "–", b.t.f("remark_suppressed", b.minCell))
				continue
			}
			overlap := number(c.Overlap, b.lang)
			if c.Overlap == 0 && c.Relation != analyses.RelationDisjoint {
				overlap = b.lessThan()
			}
			models := []struct {
				key string
				m   analyses.ContrastModel
			}{{"model_unadjusted", c.Unadjusted}, {"model_adjusted", c.Adjusted}}
			if c.Disjoint.Groups != "" {
				models = append(models, struct {
					key string
					m   analyses.ContrastModel
				}{"model_" + c.Disjoint.Groups, c.Disjoint})
			}
			for _, x := range models {
				m := x.m
				if m.Skipped != "" {
					tb.add(label, b.t.f(x.key), overlap, "–", "–", "–", "–", "–", "–", b.t.f("not_computed", b.skipped(m.Skipped)))
					continue
				}
				variance := b.t.f("variance_model")
				if m.Robust {
					variance = b.t.f("variance_robust")
				}
				ph := "–"
				if m.PH.DF > 0 {
					ph = pValue(m.PH.P, b.lang)
				}
				tb.add(label, b.t.f(x.key), overlap, number(m.N, b.lang), number(m.Events, b.lang), decimal(m.HR.Value, 2, b.lang),
					decimal(m.HR.Lower, 2, b.lang)+" – "+decimal(m.HR.Upper, 2, b.lang), pValue(m.P, b.lang), variance, ph)
				if m.Fails() {
					warnings = append(warnings, b.t.f("ph_fails", label, b.t.f(x.key), pValue(m.PH.P, b.lang)))
				}
			}
			for _, s := range c.TimeSplit {
				period := b.t.f("period_from", decimal(s.FromDays, 0, b.lang))
				if s.ToDays > 0 {
					period = b.t.f("period_between", decimal(s.FromDays, 0, b.lang), decimal(s.ToDays, 0, b.lang))
				}
				if s.Skipped != "" || math.IsNaN(s.HR.Value) {
					tb.add(label, period, overlap, "–", "–", "–", "–", "–", "–", b.t.f("not_computed", b.skipped(s.Skipped)))
					continue
				}
				variance := b.t.f("variance_model")
				if s.Robust {
					variance = b.t.f("variance_robust")
				}
				tb.add(label, period, overlap, number(s.N, b.lang), number(s.Events, b.lang), decimal(s.HR.Value, 2, b.lang),
					decimal(s.HR.Lower, 2, b.lang)+" – "+decimal(s.HR.Upper, 2, b.lang), pValue(s.P, b.lang), variance, "–")
			}
			switch c.Relation {
			case analyses.RelationProgrammeInReference:
				notes = append(notes, b.t.f("note_subset", b.programmeName(c.Programme), b.programmeName(c.Reference)))
			case analyses.RelationReferenceInProgramme:
				notes = append(notes, b.t.f("note_subset_reverse", b.programmeName(c.Reference), b.programmeName(c.Programme)))
			case analyses.RelationEqual:
				notes = append(notes, b.t.f("note_equal", b.programmeName(c.Programme), b.programmeName(c.Reference)))
			case analyses.RelationOverlap:
				notes = append(notes, b.t.f("note_overlap", label))
			}
		}
		out = append(out, block{Heading: title, Paragraphs: []string{b.t.f("contrast_intro")}, Table: tb, Warnings: warnings, Notes: notes})
	}
	return out
}

// overlapWarning is the policy section's warning on a comparison of two
// rate cells that share persons: Fisher's test and Newcombe's interval treat
// them as independent groups.
func (b builder) overlapWarning(c analyses.Comparison, label string) (string, bool) {
	if c.Suppressed || c.Relation == "" || c.Relation == analyses.RelationDisjoint {
		return "", false
	}
	n := number(c.Overlap, b.lang)
	if c.OverlapHidden {
		n = b.lessThan()
	}
	return b.t.f("warn_comparison_overlap", label, n), true
}

// referenceBlock is the researchers' table of reference dates per programme
// (analyses.ReferenceSummary): the chosen date, the persons and subjects,
// those excluded for lacking it, the source of the subjects' dates and the
// delayed entry (days from the reference date to the programme start).
func (b builder) referenceBlock() (block, bool) {
	if len(b.res.References) == 0 {
		return block{}, false
	}
	title := b.t.f("ref_title")
	tb := newTable("reference_dates", title, b.t.f("col_programme"), b.t.f("col_setting"), "#"+b.t.f("col_persons_traj"), "#"+b.t.f("col_subjects"),
		"#"+b.t.f("col_excluded"), b.t.f("col_sources"), "#"+b.t.f("col_delayed"), "#"+b.t.f("col_gap"))
	count := func(n int) string {
		switch n {
		case analyses.ReferenceSmall:
			return b.lessThan()
		case analyses.ReferenceWithheld:
			return "–"
		}
		return number(n, b.lang)
	}
	for _, r := range b.res.References {
		setting := b.t.f("ref_default")
		if r.Setting != study.RefKindDefault {
			setting = b.sourceName(string(r.Setting))
		}
		var sources []string
		for _, s := range r.Sources {
			sources = append(sources, b.sourceName(s.Source)+" "+count(s.N))
		}
		gap := "–"
		if r.Delayed > 0 && !math.IsNaN(r.GapMedian) {
			gap = decimal(r.GapMedian, 0, b.lang) + " (" + decimal(r.GapP25, 0, b.lang) + "–" + decimal(r.GapP75, 0, b.lang) + ")"
		}
		src := "–"
		if len(sources) > 0 {
			src = strings.Join(sources, "; ")
		}
		tb.add(b.programmeName(r.Programme), setting, count(r.Persons), count(r.Subjects), count(r.Excluded), src, count(r.Delayed), gap)
	}
	return block{Heading: title, Paragraphs: []string{b.t.f("ref_intro")}, Table: tb}, true
}

// sourceName says a reference-date source in words.
func (b builder) sourceName(source string) string {
	switch source {
	case "release":
		return b.t.f("source_release")
	case "start":
		return b.t.f("source_start")
	case "end":
		return b.t.f("source_end")
	case "exit_to_housing":
		return b.t.f("source_exit_to_housing")
	}
	return source
}
