package analyses

import (
	"math"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestReferenceDates checks the study file's choice of reference date per
// programme: the date taken, its source stored per subject, subjects lacking
// the chosen date excluded and counted, the delayed entry of aftercare that
// starts after release (issue 14's case b: start 40 days after release,
// offence on day 20), and the exit to a home before a prevention programme.
func TestReferenceDates(t *testing.T) {
	db := testDB(t)
	persons := []person{{"a", "m"}, {"b", "m"}, {"c", "v"}, {"d", "m"}, {"e", "v"}, {"f", "v"}}
	trajs := []traj{
		// AMB, reference release: a and b released, b starts 40 days
		// later; c has no release date: excluded.
		{person: "a", programme: "AMB", start: "2023-01-01", release: "2023-01-01"},
		{person: "b", programme: "AMB", start: "2023-03-12", release: "2023-01-31"},
		{person: "c", programme: "AMB", start: "2023-02-01"},
		// f starts 30 days after release and has no offence.
		{person: "f", programme: "AMB", start: "2023-05-01", release: "2023-04-01"},
		// OPV shelter; d leaves for a home, then PREV (exit_to_housing
		// before its start); e has PREV without a shelter exit: excluded.
		{person: "d", programme: "OPV", start: "2022-01-01", end: "2022-06-30", destination: study.DestIndependentHousing},
		{person: "d", programme: "PREV", start: "2022-07-10"},
		{person: "e", programme: "PREV", start: "2022-08-01"},
	}
	events := []ev{{"b", study.EventOffence, "2023-02-20"}}
	load(t, db, persons, trajs, events)
	st := testStudy(t, "2025-12-31", 1,
		study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism, Reference: study.RefRelease},
		study.Programme{Code: "OPV", Outcome: study.OutcomeShelterReturn, Shelter: true},
		study.Programme{Code: "PREV", Outcome: study.OutcomeShelterReturn, Reference: study.RefExitToHousing})
	res := compute(t, db, st)
	got := queryStrings(t, db, `SELECT programme, person_id, ref_date, ref_source, entry_days, first_event FROM outcome_subject ORDER BY ALL`)
	want := []string{
		"AMB|a|2023-01-01 00:00:00 +0000 UTC|release|0|∅",
		"AMB|b|2023-01-31 00:00:00 +0000 UTC|release|40|2023-02-20 00:00:00 +0000 UTC",
		"AMB|f|2023-04-01 00:00:00 +0000 UTC|release|30|∅",
		"OPV|d|2022-06-30 00:00:00 +0000 UTC|exit_to_housing|0|∅",
		"PREV|d|2022-06-30 00:00:00 +0000 UTC|exit_to_housing|10|∅",
	}
	if len(got) != len(want) {
		t.Fatalf("subjects\n%v\nwant\n%v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("subject %q, want %q", got[i], want[i])
		}
	}
	byProg := map[string]ReferenceSummary{}
	for _, r := range res.References {
		byProg[r.Programme] = r
	}
	amb := byProg["AMB"]
	// b re-offended before the aftercare started: never at risk in AMB, so
	// not one of its subjects (the rates' and curves' n) but excluded,
	// with c.
	if amb.Persons != 4 || amb.Subjects != 2 || amb.Excluded != 2 || amb.Delayed != 1 || amb.GapMedian != 30 {
		t.Errorf("AMB summary %+v, want 4 persons, 2 subjects, 2 excluded, 1 delayed by 30 days", amb)
	}
	if len(amb.Sources) != 1 || amb.Sources[0].Source != "release" || amb.Sources[0].N != 2 {
		t.Errorf("AMB sources %+v", amb.Sources)
	}
	prev := byProg["PREV"]
	if prev.Persons != 2 || prev.Subjects != 1 || prev.Excluded != 1 || prev.Setting != study.RefExitToHousing {
		t.Errorf("PREV summary %+v", prev)
	}
	if opv := byProg["OPV"]; opv.Delayed != 0 || !math.IsNaN(opv.GapMedian) {
		t.Errorf("OPV summary %+v", opv)
	}
	if n := len(queryStrings(t, db, `SELECT * FROM reference_date`)); n != 3 {
		t.Errorf("reference_date has %d rows, want 3", n)
	}
}
