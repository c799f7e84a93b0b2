package reports

import (
	"math"
	"strconv"
)

// linkageBlocks describe the probabilistic linkage for researchers: the
// thresholds, pairs compared, linked and left for review, persons merged,
// the distribution of match weights and the model's m and u per level.
// Counts of record pairs about the data, like the linkage table per file;
// no outcome is counted, so nothing is suppressed. None when the study
// does not link probabilistically.
func (b builder) linkageBlocks() []block {
	l := b.res.Linkage
	if l == nil {
		return nil
	}
	n := func(i int64) string { return number(int(i), b.lang) }
	prob := func(w float64) string { return decimal(1/(1+math.Exp2(-w)), 2, b.lang) }
	intro := b.t.f("plink_intro", prob(l.Upper), prob(l.Lower), n(l.Entities), n(l.Candidates), n(l.Links),
		n(l.Merged), n(l.MergedIntoBSN), n(l.Review), n(l.Refused), n(l.Decisions))
	weights := newTable("linkage_weights", b.t.f("plink_weights"), "#"+b.t.f("col_weight"), "#"+b.t.f("col_pairs"))
	for _, w := range l.Weights {
		weights.add(strconv.Itoa(w.Weight), n(w.Pairs))
	}
	model := newTable("linkage_model", b.t.f("plink_model"), b.t.f("col_field"), b.t.f("col_level"), "#m", "#u", "#"+b.t.f("col_weight"))
	for _, v := range l.Levels {
		w := "–"
		if v.M > 0 && v.U > 0 {
			w = decimal(math.Log2(v.M/v.U), 1, b.lang)
		}
		model.add(v.Field, v.Level, decimal(v.M, 4, b.lang), decimal(v.U, 6, b.lang), w)
	}
	return []block{
		{Heading: b.t.f("plink_heading"), Paragraphs: []string{intro, b.t.f("plink_strict")}, Table: weights},
		{Table: model},
	}
}
