package analyses

import (
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

func TestRecidivismRates(t *testing.T) {
	db := testDB(t)
	// Cut-off 2023-02-28 with a one-month window: a release on 2023-01-31
	// has its window end on 2023-02-28 (clamped to the month's end), so it
	// is eligible; a release on 2023-02-01 (window to 2023-03-01) is not.
	load(t, db,
		[]person{{"a", "v"}, {"b", "m"}, {"c", "m"}, {"d", "v"}, {"e", "m"}, {"f", ""}},
		[]traj{
			{person: "a", programme: "AMB", start: "2022-10-01", release: "2023-01-31", age: 23},
			{person: "b", programme: "AMB", start: "2022-10-01", release: "2023-01-31", age: 30},
			{person: "c", programme: "AMB", start: "2022-10-01", release: "2023-01-28", age: 40},
			{person: "d", programme: "AMB", start: "2022-10-01", release: "2023-02-01", age: 50},
			// e: two trajectories; the first (release 2022-12-15) is the
			// index, so the offence of 2023-01-25 is outside its window.
			{person: "e", programme: "AMB", partner: "Q", start: "2022-10-01", release: "2022-12-15", age: 33},
			{person: "e", programme: "AMB", start: "2023-01-01", release: "2023-01-20", age: 33},
			// f: no release date, so the reference date is the end.
			{person: "f", programme: "AMB", start: "2022-10-01", end: "2023-01-10"},
		},
		[]ev{
			{"a", "offence", "2023-02-28"},    // last day of the clamped window: counts
			{"b", "offence", "2023-03-01"},    // after the window and the cut-off
			{"c", "offence", "2023-01-28"},    // on the reference date: not after it
			{"c", "conviction", "2023-02-02"}, // not a recidivism event type
			{"d", "offence", "2023-02-10"},    // d is not eligible
			{"e", "offence", "2023-01-25"},
			{"f", "offence", "2023-01-20"},
		})
	st := testStudy(t, "2023-02-28", 1, study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism})
	st.Outcomes.RecidivismWindows = []int{1}
	res := compute(t, db, st)

	tests := []struct {
		name            string
		cohort          int
		wantN, wantEvts int
	}{
		{"all cohorts: a b c e f eligible, a and f with an offence", 0, 5, 2},
		{"cohort 2022: e by its first trajectory", 2022, 1, 0},
		// The monitor's cohorts: e is released again in 2023, so e is in
		// the 2023 cohort too, from 2023-01-20, and the offence of
		// 2023-01-25 lies in that window.
		{"cohort 2023: a b c f, and e again from its 2023 release", 2023, 5, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := findRate(t, res.Rates, "AMB", 1, tc.cohort)
			if r.N != tc.wantN || r.Events != tc.wantEvts {
				t.Errorf("n=%d events=%d, want n=%d events=%d", r.N, r.Events, tc.wantN, tc.wantEvts)
			}
		})
	}

	t.Run("breakdowns partition the total", func(t *testing.T) {
		want := map[string][2]int{ // breakdown/group → n, events
			"sex/m": {3, 0}, "sex/o": {1, 1}, "sex/v": {1, 1},
			"age_band/<25": {1, 1}, "age_band/25-34": {2, 0}, "age_band/35-44": {1, 0}, "age_band/unknown": {1, 1},
			"partner/P": {4, 2}, "partner/Q": {1, 0},
		}
		got := map[string][2]int{}
		for _, r := range res.Breakdowns {
			got[r.Breakdown+"/"+r.Group] = [2]int{r.N, r.Events}
		}
		if len(got) != len(want) {
			t.Errorf("got groups %v, want %v", got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: n, events = %v, want %v", k, got[k], w)
			}
		}
		var order []string
		for _, r := range res.Breakdowns {
			order = append(order, r.Breakdown+"/"+r.Group)
		}
		wantOrder := []string{"sex/m", "sex/o", "sex/v", "age_band/<25", "age_band/25-34", "age_band/35-44", "age_band/unknown", "partner/P", "partner/Q"}
		if len(order) != len(wantOrder) {
			t.Fatalf("order %v, want %v", order, wantOrder)
		}
		for i := range order {
			if order[i] != wantOrder[i] {
				t.Fatalf("order %v, want %v", order, wantOrder)
			}
		}
	})

	t.Run("outcome_rate table keeps cohort rows apart from breakdown rows", func(t *testing.T) {
		got := queryStrings(t, db, `SELECT coalesce(cohort, 0), n, events FROM outcome_rate WHERE breakdown IS NULL ORDER BY 1`)
		want := []string{"0|5|2", "2022|1|0", "2023|5|3"}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("row %d: %s, want %s", i, got[i], want[i])
			}
		}
		if n := len(queryStrings(t, db, `SELECT * FROM outcome_rate WHERE breakdown IS NOT NULL AND cohort IS NULL`)); n != 9 {
			t.Errorf("%d breakdown rows, want 9", n)
		}
	})

	t.Run("partial cohort years and the definition are marked", func(t *testing.T) {
		// Cut-off 2023-02-28, window 1 month: 2022 closed on 2023-01-31;
		// 2023 closes only on 2024-01-31.
		got := queryStrings(t, db, `SELECT coalesce(cohort, 0), partial, definition FROM outcome_rate WHERE breakdown IS NULL ORDER BY 1`)
		want := []string{"0|false|general", "2022|false|general", "2023|true|general"}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("row %d: %s, want %s", i, got[i], want[i])
			}
		}
	})
}

// TestShelterReturnTransferRule: as in HUD's System Performance Measure 2,
// the transfer days apply only to the starts of stays in the study's
// housing programmes; a shelter entry after an exit to a home is a return
// on any day.
func TestShelterReturnTransferRule(t *testing.T) {
	db := testDB(t)
	load(t, db,
		[]person{{"q1", "m"}, {"q2", "m"}, {"q3", "v"}, {"q4", "v"}, {"q5", "v"}},
		[]traj{
			// q1 re-enters a shelter after 9 days: a return.
			{person: "q1", programme: "OPV", start: "2023-01-01", end: "2023-03-01", destination: "independent_housing"},
			{person: "q1", programme: "OPV", start: "2023-03-10", end: "2023-04-01", destination: "other"},
			// q2 has a shelter_entry event 5 days after the exit: a return.
			{person: "q2", programme: "OPV", start: "2023-01-01", end: "2023-03-01", destination: "independent_housing"},
			// q3 enters another partner's housing programme exactly 14 days after: a transfer.
			{person: "q3", programme: "OPV", start: "2023-01-01", end: "2023-03-01", destination: "independent_housing"},
			{person: "q3", programme: "BW", partner: "Other", start: "2023-03-15", end: "2023-05-01", destination: "shelter"},
			// q4 left for another shelter: no index stay, not in the population.
			{person: "q4", programme: "OPV", start: "2023-01-01", end: "2023-03-01", destination: "shelter"},
			// q5 enters the housing programme 15 days after: a return.
			{person: "q5", programme: "OPV", start: "2023-01-01", end: "2023-03-01", destination: "independent_housing"},
			{person: "q5", programme: "BW", partner: "Other", start: "2023-03-16", destination: "shelter"},
		},
		[]ev{{"q2", "shelter_entry", "2023-03-06"}})
	st := testStudy(t, "2024-12-31", 1,
		study.Programme{Code: "OPV", Outcome: study.OutcomeShelterReturn, Shelter: true},
		study.Programme{Code: "BW", Outcome: study.OutcomeShelterReturn})
	st.Outcomes.HousingProgrammes = []string{"BW"}
	res := compute(t, db, st)
	if r := findRate(t, res.Rates, "OPV", 6, 0); r.N != 4 || r.Events != 3 {
		t.Errorf("OPV 6m: n=%d events=%d, want n=4 events=3 (q1, q2, q5)", r.N, r.Events)
	}
	st.Outcomes.TransferDays = 0
	res = compute(t, db, st)
	if r := findRate(t, res.Rates, "OPV", 6, 0); r.N != 4 || r.Events != 4 {
		t.Errorf("OPV 6m without transfer days: n=%d events=%d, want n=4 events=4", r.N, r.Events)
	}
	st.Outcomes.TransferDays, st.Outcomes.HousingProgrammes = 14, nil
	res = compute(t, db, st)
	if r := findRate(t, res.Rates, "OPV", 6, 0); r.N != 4 || r.Events != 2 {
		t.Errorf("OPV 6m with no housing programmes: n=%d events=%d, want n=4 events=2 (a start in BW is then no return)", r.N, r.Events)
	}
}
