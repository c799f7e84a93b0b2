package analyses

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// TestLifeDomainDetail checks the follow-up window, the attribution grace
// period, attrition, floor and ceiling, reliable change, the signed-rank
// test, household clustering and the transition table on nine hand-made
// persons. The R values come from testdata/make_lifedomain_reference.R
// (t.test, wilcox.test, sandwich::vcovCL, the Jacobson–Truax formula);
// tolerance 1e-9 for closed forms, 1e-6 for quantiles and p-values.
func TestLifeDomainDetail(t *testing.T) {
	db := testDB(t)
	st := testStudy(t, "2025-12-31", 1, study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism})
	st.LifeDomainAnalysis = study.LifeDomainAnalysis{DomainSet: study.DomainSetJouwKracht, FollowUpMonths: 6, ToleranceMonths: 2, GraceDays: 30, Reliability: 0.8}
	// q9's trajectory ended 2020-12-20: an assessment 21 days later is
	// within the grace period, one in July is not.
	load(t, db, nil, []traj{{person: "q9", programme: "AMB", start: "2020-06-01", end: "2020-12-20"}}, nil)
	for i, m := range []string{"q7", "q8"} {
		mustExec(t, db, `INSERT INTO household_link (file_id, line, person_id, partner, relation, detainee_id, detainee_linkage, linkage)
			VALUES (4, ?, ?, 'G', 'child', 'd1', 'bsn', 'bsn')`, i+2, m)
	}
	h := "housing"
	loadScores(t, db, []score{
		// q1: March is outside 6 ± 2 months, July nearest, December farther: 2 → 4.
		{"q1", "AMB", "2021-01-01", h, 2}, {"q1", "AMB", "2021-03-01", h, 3}, {"q1", "AMB", "2021-07-01", h, 4}, {"q1", "AMB", "2021-12-01", h, 5},
		{"q2", "AMB", "2021-01-01", h, 1}, {"q2", "AMB", "2021-06-15", h, 1}, // floor, unchanged
		{"q3", "AMB", "2021-01-01", h, 5}, {"q3", "AMB", "2021-07-01", h, 4}, // ceiling, worse
		{"q4", "AMB", "2021-01-01", h, 3}, {"q4", "AMB", "2021-02-01", h, 4}, // no follow-up in the window: lost
		{"q5", "AMB", "2021-01-01", h, 1}, // intake only: lost
		{"q6", "AMB", "2021-01-01", h, 2}, {"q6", "AMB", "2021-08-01", h, 5},
		{"q7", "AMB", "2021-01-01", h, 3}, {"q7", "AMB", "2021-07-01", h, 4},
		{"q8", "AMB", "2021-01-01", h, 2}, {"q8", "AMB", "2021-07-01", h, 4},
		{"q9", "", "2021-01-10", h, 4}, {"q9", "", "2021-07-10", h, 5}, // intake by grace; July unattributed: lost
	})
	got, err := computeLifeDomains(context.Background(), db, st)
	if err != nil {
		t.Fatal(err)
	}
	// The same aggregated in hash partitions of the households (as a
	// large study is): every value equal, floats to rounding.
	for _, rows := range []int{1, 3} {
		parted, err := computeLifeDomainsIn(context.Background(), db, st, rows)
		if err != nil {
			t.Fatal(err)
		}
		if diff := changesDiffer(got, parted); diff != "" {
			t.Errorf("partitions of %d rows: %s", rows, diff)
		}
	}
	c := findChange(t, got, "AMB", h)
	d := c.Detail
	ints := []struct {
		name      string
		got, want int
	}{
		{"n followed", c.N, 6}, {"n intake", d.NIntake, 9}, {"at floor", d.AtFloor, 2}, {"at ceiling", d.AtCeiling, 1},
		{"could improve", d.CouldImprove, 5}, {"could worsen", d.CouldWorsen, 5},
		{"improved", c.Improved, 4}, {"unchanged", c.Unchanged, 1}, {"worse", c.Worse, 1},
		{"reliably improved", d.ReliablyImproved, 3}, {"reliably worse", d.ReliablyWorse, 0},
		{"clusters", d.Clusters, 5},
		{"2 → 4", d.Transitions[1][3], 2}, {"1 → 1", d.Transitions[0][0], 1}, {"5 → 4", d.Transitions[4][3], 1},
		{"2 → 5", d.Transitions[1][4], 1}, {"3 → 4", d.Transitions[2][3], 1},
	}
	for _, v := range ints {
		if v.got != v.want {
			t.Errorf("%s = %d, want %d", v.name, v.got, v.want)
		}
	}
	floats := []struct {
		name           string
		got, want, tol float64
	}{
		{"mean first", c.MeanFirst, 2.5, 1e-12}, {"mean last", c.MeanLast, 11.0 / 3, 1e-12},
		{"mean intake lost", d.MeanIntakeLost, 8.0 / 3, 1e-12}, {"mean intake", d.MeanIntake, 23.0 / 9, 1e-12},
		{"t lower", c.MeanChange.Lower, -0.37806076936051219, 1e-6}, {"t upper", c.MeanChange.Upper, 2.7113941026938457, 1e-6},
		{"wilcoxon p", d.WilcoxonP, 0.13441657417036029, 1e-6},
		{"cluster lower", d.Clustered.Lower, -0.51420050497851899, 1e-6}, {"cluster upper", d.Clustered.Upper, 2.8475338383118523, 1e-6},
		{"reliable change", d.ReliableChange, 1.7086569883178813, 1e-9},
	}
	for _, v := range floats {
		if math.Abs(v.got-v.want) > v.tol*math.Max(1, math.Abs(v.want)) {
			t.Errorf("%s = %.12g, want %.12g", v.name, v.got, v.want)
		}
	}
	if d.Suppressed {
		t.Error("min_cell 1: nothing to withhold")
	}

	t.Run("intake to exit", func(t *testing.T) {
		st.LifeDomainAnalysis.FollowUpMonths = 0
		got, err := computeLifeDomains(context.Background(), db, st)
		if err != nil {
			t.Fatal(err)
		}
		c := findChange(t, got, "AMB", h)
		// Last assessment: q1 5 (December), q4 4 (February) now followed.
		if c.N != 7 || c.Detail.NIntake != 9 || c.MeanLast != (5+1+4+4+5+4+4)/7.0 {
			t.Errorf("n %d, n intake %d, mean last %v; want 7, 9, %v", c.N, c.Detail.NIntake, c.MeanLast, 27.0/7)
		}
	})
	t.Run("small counts withheld", func(t *testing.T) {
		st.LifeDomainAnalysis.FollowUpMonths = 6
		st.MinCell = 3
		got, err := computeLifeDomains(context.Background(), db, st)
		if err != nil {
			t.Fatal(err)
		}
		c := findChange(t, got, "AMB", h)
		if !c.Detail.Suppressed {
			t.Error("at ceiling 1 < min_cell 3: the detail counts must be withheld")
		}
		tb := transitionTable(got, 3, false)
		for _, r := range tb.rows {
			if r[4] != nil {
				t.Fatalf("transition cell published with a count of 1 in its table: %v", r)
			}
		}
		redactDomainChange(&c)
		if c.Detail.AtCeiling != 0 || c.Detail.NIntake != 0 || c.Detail.Transitions != [5][5]int{} {
			t.Errorf("redacted detail still holds counts: %+v", c.Detail)
		}
	})
}

// changesDiffer describes the first difference between two lists of
// changes (floats compared to 1e-12 relative, NaN equal to NaN), or "".
func changesDiffer(a, b []DomainChange) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d changes, want %d", len(b), len(a))
	}
	for i := range a {
		x, y := fmt.Sprintf("%v", roundedChange(a[i])), fmt.Sprintf("%v", roundedChange(b[i]))
		if x != y {
			return fmt.Sprintf("change %d:\n got %s\nwant %s", i, y, x)
		}
	}
	return ""
}

// roundedChange is c with every float rounded to 12 significant digits.
func roundedChange(c DomainChange) DomainChange {
	r := func(f *float64) {
		if !math.IsNaN(*f) && *f != 0 {
			*f, _ = strconv.ParseFloat(strconv.FormatFloat(*f, 'g', 12, 64), 64)
		}
	}
	for _, f := range []*float64{&c.MeanFirst, &c.MeanLast, &c.MeanChange.Value, &c.MeanChange.Lower, &c.MeanChange.Upper,
		&c.Detail.MeanIntake, &c.Detail.MeanIntakeLost, &c.Detail.ReliableChange, &c.Detail.WilcoxonP,
		&c.Detail.Clustered.Lower, &c.Detail.Clustered.Upper} {
		r(f)
	}
	return c
}
