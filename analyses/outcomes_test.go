package analyses

import (
	"fmt"
	"slices"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestEveryOutcomeKindHasSubjectSQL fails when an outcome kind's reference
// date or qualifying events have no SQL: it computes a study with one
// programme per kind (study.OutcomeKinds) and checks that every kind with
// subjects of its own gets its subject and its rate for every window, and
// that every other kind gets its family outcomes.
func TestEveryOutcomeKindHasSubjectSQL(t *testing.T) {
	db := testDB(t)
	st := testStudy(t, "2025-12-31", 1)
	var persons []person
	var trajs []traj
	var events []ev
	for i, def := range study.OutcomeKinds() {
		code := fmt.Sprintf("P%d", i)
		st.Programmes = append(st.Programmes, study.Programme{Code: code, Outcome: def.Kind})
		id := fmt.Sprintf("p%d", i)
		persons = append(persons, person{id, "v"})
		// A trajectory every reference date rule accepts, and an event of
		// every type a year later.
		trajs = append(trajs, traj{person: id, programme: code, start: "2020-01-01", end: "2020-06-01", release: "2020-06-01", destination: study.DestIndependentHousing})
		for _, e := range study.EventTypes() {
			events = append(events, ev{id, e, "2021-06-01"})
		}
	}
	load(t, db, persons, trajs, events)
	res := compute(t, db, st)

	for i, def := range study.OutcomeKinds() {
		t.Run(string(def.Kind), func(t *testing.T) {
			code := st.Programmes[i].Code
			if !def.OwnSubjects() {
				if !slices.ContainsFunc(res.Families, func(f FamilyOutcome) bool { return f.Programme == code }) {
					t.Errorf("no family outcome for programme %s", code)
				}
				return
			}
			subjects := queryStrings(t, db, `SELECT person_id, ref_date IS NOT NULL FROM outcome_subject WHERE programme = ? AND outcome = ?`, code, string(def.Kind))
			if !slices.Equal(subjects, []string{fmt.Sprintf("p%d|true", i)}) {
				t.Errorf("subjects %v, want p%d with a reference date", subjects, i)
			}
			if len(def.Windows(st.Outcomes)) == 0 {
				t.Fatalf("testStudy sets no windows for %s; add them", def.Kind)
			}
			for _, w := range def.Windows(st.Outcomes) {
				if r := findRate(t, res.Rates, code, w, 0); r.Outcome != def.Kind || r.N != 1 {
					t.Errorf("%d months: rate %+v, want one person of outcome %s", w, r, def.Kind)
				}
			}
		})
	}
}
