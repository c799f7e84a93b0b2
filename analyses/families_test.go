package analyses

import (
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestFamilies checks detainee recidivism split by household participation
// on hand-made data. The Wilson limits are from the closed form (R's
// prop.test(2, 3, correct = FALSE) gives 0.2076596 0.9385081), tolerance
// 1e-7.
func TestFamilies(t *testing.T) {
	db := testDB(t)
	persons := []person{{id: "d1"}, {id: "d2"}, {id: "d3"}, {id: "d4"}, {id: "d5"},
		{id: "m1"}, {id: "m2"}, {id: "m3"}, {id: "m4"}, {id: "m5"}}
	trajs := []traj{
		{person: "d1", programme: "AMB", start: "2021-12-01", release: "2022-01-10"},
		{person: "d2", programme: "AMB", start: "2022-02-01", release: "2022-03-01"},
		{person: "d3", programme: "AMB", start: "2022-04-01", release: "2022-05-01"},
		{person: "d4", programme: "AMB", start: "2024-05-01", release: "2024-06-01"},
		// d5 returns twice: the earliest release is the reference date.
		{person: "d5", programme: "AMB", start: "2020-12-01", release: "2021-01-01"},
		{person: "d5", programme: "AMB", start: "2022-12-01", release: "2023-01-01"},
		// Household members in the family programme (m2 is linked but did not take part).
		{person: "m1", programme: "FAM", start: "2022-02-01"},
		{person: "m3", programme: "FAM", start: "2022-06-01"},
		{person: "m4", programme: "FAM", start: "2022-06-01"},
		{person: "m5", programme: "FAM", start: "2021-02-01"},
	}
	events := []ev{
		{"d1", "offence", "2022-06-01"}, // within 12 months
		{"d2", "offence", "2023-05-01"}, // in months 13-24
		{"d3", "offence", "2022-04-01"}, // before the return: not counted
		{"d4", "offence", "2024-08-01"}, // within 12; d4's 24-month window is open at the cut-off
		{"d5", "offence", "2021-12-31"}, // within 12 of the first release
		{"m1", "offence", "2022-07-01"}, // a member's own offence is no detainee's
	}
	load(t, db, persons, trajs, events)
	for i, h := range []struct{ member, relation, detainee string }{
		{"m1", "partner", "d1"}, {"m2", "child", "d2"}, {"m3", "child", "d3"}, {"m4", "partner", "d3"}, {"m5", "parent", "d5"},
	} {
		mustExec(t, db, `INSERT INTO household_link (file_id, line, person_id, partner, relation, detainee_id, detainee_linkage, linkage)
			VALUES (4, ?, ?, 'G', ?, ?, 'bsn', 'bsn')`, i+2, h.member, h.relation, h.detainee)
	}
	programmes := []study.Programme{{Code: "AMB", Outcome: study.OutcomeRecidivism}, {Code: "FAM", Outcome: study.OutcomeFamily}}

	t.Run("counts and intervals", func(t *testing.T) {
		st := testStudy(t, "2025-12-31", 1, programmes...)
		st.Outcomes.RecidivismWindows = []int{12, 24}
		res := compute(t, db, st)
		want := []struct {
			window     int
			in         bool
			n, events  int
			lower, upp float64
		}{
			{12, true, 3, 2, 0.20765960080204768, 0.9385080552796037},
			{12, false, 2, 1, 0.09453120573423071, 0.9054687942657693},
			{24, true, 3, 2, 0.20765960080204768, 0.9385080552796037},
			{24, false, 1, 1, 0.20654931437723742, 1},
		}
		if len(res.Families) != len(want) {
			t.Fatalf("%d family outcomes, want %d: %+v", len(res.Families), len(want), res.Families)
		}
		for i, w := range want {
			f := res.Families[i]
			if f.Programme != "FAM" || f.WindowMonths != w.window || f.HouseholdInProgramme != w.in ||
				f.Rate.N != w.n || f.Rate.Events != w.events || f.Rate.Suppressed {
				t.Errorf("family outcome %d = %+v, want window %d in=%v n=%d events=%d, published", i, f, w.window, w.in, w.n, w.events)
			}
			if !near(f.Rate.CI.Lower, w.lower, 1e-7) || !near(f.Rate.CI.Upper, w.upp, 1e-7) {
				t.Errorf("family outcome %d: CI [%.9f, %.9f], want [%.9f, %.9f]", i, f.Rate.CI.Lower, f.Rate.CI.Upper, w.lower, w.upp)
			}
		}
		var rows, events int
		if err := db.QueryRow(`SELECT count(*), sum(events) FROM family_outcome WHERE NOT suppressed`).Scan(&rows, &events); err != nil {
			t.Fatal(err)
		}
		if rows != 4 || events != 6 {
			t.Errorf("family_outcome: %d rows with %d events, want 4 with 6", rows, events)
		}
	})

	t.Run("a small cell suppresses its pair", func(t *testing.T) {
		// min_cell 3: in the programme 2 of 3 (1 without the event) is too
		// small, and the other group could be subtracted from the total.
		res := compute(t, db, testStudy(t, "2025-12-31", 3, programmes...))
		if len(res.Families) != 2 {
			t.Fatalf("%d family outcomes, want 2", len(res.Families))
		}
		for _, f := range res.Families {
			if !f.Rate.Suppressed || f.Rate.Events != 0 || f.Rate.Rate != 0 {
				t.Errorf("%+v: want suppressed and redacted", f)
			}
		}
		var withheld int
		if err := db.QueryRow(`SELECT count(*) FROM family_outcome WHERE suppressed AND events IS NULL AND rate IS NULL`).Scan(&withheld); err != nil {
			t.Fatal(err)
		}
		if withheld != 2 {
			t.Errorf("%d family_outcome rows withheld, want 2", withheld)
		}
	})
}
