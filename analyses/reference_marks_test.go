package analyses

import "testing"

// TestMarkReference: no count of the reference-date table follows from
// the published ones by subtraction. On a 60-person synthetic study the
// table published 17 persons and 9 followed with "<10" excluded (8 by
// subtraction), and 7 followed where the programme's rates hid n.
func TestMarkReference(t *testing.T) {
	for _, tc := range []struct {
		name                               string
		persons, subjects, delayed         int
		sources                            []int
		wantPersons, wantSubjects, wantExc bool
		wantDelay                          bool
		wantSources                        []bool
	}{
		{"all large", 120, 100, 30, []int{60, 40}, false, false, false, false, []bool{false, false}},
		{"small excluded hides persons", 17, 9 + 10, 0, []int{19}, false, false, false, false, []bool{false}},
		{"excluded 8 of 27", 27, 19, 0, []int{19}, true, false, true, false, []bool{false}},
		{"small subjects hide what they give", 17, 9, 0, []int{9}, true, true, true, true, []bool{true}},
		{"small subjects, large excluded", 40, 9, 0, []int{9}, false, true, true, true, []bool{true}},
		{"a source with a small rest", 100, 95, 0, []int{90, 5}, true, false, true, false, []bool{true, true}},
		{"delayed with a small rest", 100, 100, 96, []int{100}, false, false, false, true, []bool{false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ReferenceSummary{Persons: tc.persons, Subjects: tc.subjects, Excluded: tc.persons - tc.subjects, Delayed: tc.delayed, minCell: 10}
			for _, n := range tc.sources {
				r.Sources = append(r.Sources, SourceCount{N: n})
			}
			markReference(&r)
			if r.hiddenPersons != tc.wantPersons || r.hiddenSubjects != tc.wantSubjects || r.hiddenExcluded != tc.wantExc || r.hiddenDelay != tc.wantDelay {
				t.Errorf("hidden persons %v subjects %v excluded %v delayed %v; want %v %v %v %v",
					r.hiddenPersons, r.hiddenSubjects, r.hiddenExcluded, r.hiddenDelay, tc.wantPersons, tc.wantSubjects, tc.wantExc, tc.wantDelay)
			}
			for i, s := range r.Sources {
				if s.hidden != tc.wantSources[i] {
					t.Errorf("source %d (n %d): hidden %v, want %v", i, s.N, s.hidden, tc.wantSources[i])
				}
			}
			// Whatever stays published must not give a hidden count by
			// subtraction.
			if !r.hiddenExcluded && r.Excluded > 0 && r.Excluded < 10 {
				t.Errorf("excluded %d published", r.Excluded)
			}
			if r.hiddenExcluded && !r.hiddenPersons && !r.hiddenSubjects {
				t.Errorf("excluded hidden but persons %d and subjects %d published", r.Persons, r.Subjects)
			}
		})
	}
}
