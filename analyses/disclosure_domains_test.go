package analyses

import "testing"

// TestMarkDomains holds the class rule of issue 12 for life-domain
// classes: a small class, or everybody in one class, withholds the three;
// marks that with the published n would narrow a hidden class are dropped
// for dashes (the demo's families domain with n = 23 and "×", "×", "<10"
// left 10–12); the means go with the counts.
func TestMarkDomains(t *testing.T) {
	tests := []struct {
		name          string
		n, i, u, w    int
		zeros         bool
		wantHidden    bool
		wantMarks     [3]Mark
		wantRule      Rule
		wantMeansGone bool
	}{
		{"all published", 100, 50, 40, 10, false, false, [3]Mark{}, "", false},
		{"one small class, wide", 100, 50, 45, 5, false, true, [3]Mark{MarkHidden, MarkHidden, MarkSmall}, RulePrimary, true},
		{"one small class, narrow", 23, 11, 10, 2, false, true, [3]Mark{MarkWithheld, MarkWithheld, MarkWithheld}, RulePrimary, true},
		{"all in one class", 30, 30, 0, 0, false, true, [3]Mark{MarkWithheld, MarkWithheld, MarkWithheld}, RuleClass, true},
		{"zero published", 60, 30, 30, 0, false, false, [3]Mark{}, "", false},
		{"zero disclosive", 60, 30, 30, 0, true, true, [3]Mark{MarkHidden, MarkHidden, MarkSmall}, RulePrimary, true},
		{"two small classes", 40, 3, 33, 4, false, true, [3]Mark{MarkSmall, MarkHidden, MarkSmall}, RulePrimary, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := []DomainChange{{N: tc.n, Improved: tc.i, Unchanged: tc.u, Worse: tc.w}}
			markDomains(ds, rules{minCell: 10, zeros: tc.zeros})
			d := ds[0]
			if d.CountsSuppressed != tc.wantHidden || d.MeansSuppressed != tc.wantMeansGone {
				t.Fatalf("counts hidden %v, means hidden %v; want %v, %v", d.CountsSuppressed, d.MeansSuppressed, tc.wantHidden, tc.wantMeansGone)
			}
			if tc.wantHidden && (d.CountMarks != tc.wantMarks || d.countsRule != tc.wantRule) {
				t.Errorf("marks %v rule %q, want %v %q", d.CountMarks, d.countsRule, tc.wantMarks, tc.wantRule)
			}
		})
	}
}
