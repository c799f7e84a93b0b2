package analyses

import (
	"context"
	"database/sql"
	"math"
	"testing"

	"github.com/outcomes-research/outcomes/study"
)

// score is one assessment row; programme "" is NULL.
type score struct {
	person, programme, date, domain string
	score                           int
}

func loadScores(t testing.TB, db *sql.DB, scores []score) {
	t.Helper()
	for i, s := range scores {
		var prog any
		if s.programme != "" {
			prog = s.programme
		}
		mustExec(t, db, `INSERT INTO assessment (file_id, line, person_id, partner, assessment_date, domain, score, programme, linkage)
			VALUES (3, ?, ?, 'K', CAST(? AS DATE), ?, ?, ?, 'bsn')`, i+2, s.person, s.date, s.domain, s.score, prog)
	}
}

func findChange(t *testing.T, cs []DomainChange, programme, domain string) DomainChange {
	t.Helper()
	for _, c := range cs {
		if c.Programme == programme && c.Domain == domain {
			return c
		}
	}
	t.Fatalf("no life-domain change for %s %s in %+v", programme, domain, cs)
	return DomainChange{}
}

// near reports whether got is within tol of want; NaN matches NaN.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

// TestLifeDomains checks the first-to-last change on hand-made assessments.
// Expected values are worked by hand; the t quantiles are R's
// qt(0.975, 3) = 3.182446305284263 and qt(0.975, 1) = 12.70620473617471,
// so the intervals are mean ∓ q·sd/√n (tolerance 1e-9).
func TestLifeDomains(t *testing.T) {
	db := testDB(t)
	st := testStudy(t, "2025-12-31", 2,
		study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "OPVS", Outcome: study.OutcomeShelterReturn, Shelter: true},
		study.Programme{Code: "PREV", Outcome: study.OutcomeShelterReturn})
	// Family and (ex-)partner are scored as one domain.
	st.LifeDomains = map[string]string{study.DomainFamily: "relations", study.DomainPartner: "relations"}
	load(t, db, nil, []traj{
		{person: "p6", programme: "OPVS", start: "2020-01-01", end: "2021-02-28"},
		{person: "p6", programme: "PREV", start: "2021-03-01"},
	}, nil)
	loadScores(t, db, []score{
		// housing in AMB: changes +2 (three dates: first and last count), +1, 0, -1; p4 has one date.
		{"p1", "AMB", "2021-01-01", "housing", 2}, {"p1", "AMB", "2021-06-01", "housing", 3}, {"p1", "AMB", "2021-12-01", "housing", 4},
		{"p2", "AMB", "2021-01-01", "housing", 1}, {"p2", "AMB", "2021-07-01", "housing", 2},
		{"p3", "AMB", "2021-01-01", "housing", 3}, {"p3", "AMB", "2021-07-01", "housing", 3},
		{"p4", "AMB", "2021-01-01", "housing", 4},
		{"p5", "AMB", "2021-08-01", "housing", 4}, {"p5", "AMB", "2021-02-01", "housing", 5},
		// relations in AMB: p1 (2+3)/2 = 2.5 then 4; p2 3 then 2.
		{"p1", "AMB", "2021-01-01", "family", 2}, {"p1", "AMB", "2021-01-01", "partner", 3},
		{"p1", "AMB", "2021-07-01", "family", 4}, {"p1", "AMB", "2021-07-01", "partner", 4},
		{"p2", "AMB", "2021-01-01", "family", 3}, {"p2", "AMB", "2021-07-01", "partner", 2},
		// No programme column: p6's first score falls in OPVS (one date,
		// left out), the others in PREV (latest start on or before the
		// date); p7 has no trajectory and is left out.
		{"p6", "", "2021-01-01", "safety", 2}, {"p6", "", "2021-03-01", "safety", 3}, {"p6", "", "2021-09-01", "safety", 5},
		{"p7", "", "2021-01-01", "safety", 1}, {"p7", "", "2021-09-01", "safety", 5},
	})
	got, err := computeLifeDomains(context.Background(), db, st)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name                     string
		programme, domain        string
		n                        int
		first, last, mean        float64
		lower, upper             float64
		improved, same, worse    int
		suppressed, countsHidden bool
	}{
		{"housing: paired t over four persons", "AMB", "housing", 4, 2.75, 3.25, 0.5,
			0.5 - 3.182446305284263*math.Sqrt(5.0/3)/2, 0.5 + 3.182446305284263*math.Sqrt(5.0/3)/2, 2, 1, 1, false, true},
		{"family and partner scored as relations, averaged per date", "AMB", "relations", 2, 2.75, 3, 0.25,
			0.25 - 12.70620473617471*1.25, 0.25 + 12.70620473617471*1.25, 1, 0, 1, false, true},
		{"programme from the trajectory running at the date", "PREV", "safety", 1, 3, 5, 2, nan, nan, 1, 0, 0, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := findChange(t, got, tc.programme, tc.domain)
			if c.N != tc.n || c.Improved != tc.improved || c.Unchanged != tc.same || c.Worse != tc.worse {
				t.Errorf("n=%d improved/unchanged/worse=%d/%d/%d, want n=%d %d/%d/%d", c.N, c.Improved, c.Unchanged, c.Worse, tc.n, tc.improved, tc.same, tc.worse)
			}
			for _, v := range []struct {
				name      string
				got, want float64
			}{{"mean first", c.MeanFirst, tc.first}, {"mean last", c.MeanLast, tc.last}, {"mean change", c.MeanChange.Value, tc.mean},
				{"ci lower", c.MeanChange.Lower, tc.lower}, {"ci upper", c.MeanChange.Upper, tc.upper}} {
				if !near(v.got, v.want, 1e-9) {
					t.Errorf("%s = %.12g, want %.12g", v.name, v.got, v.want)
				}
			}
			if c.Suppressed != tc.suppressed || c.CountsSuppressed != tc.countsHidden {
				t.Errorf("suppressed=%v counts suppressed=%v, want %v %v", c.Suppressed, c.CountsSuppressed, tc.suppressed, tc.countsHidden)
			}
		})
	}
	t.Run("only persons with two dates, no unattributed programme", func(t *testing.T) {
		if len(got) != 3 {
			t.Errorf("%d rows, want 3 (AMB housing, AMB relations, PREV safety): %+v", len(got), got)
		}
		if got[0].Domain != "housing" || got[1].Domain != "relations" || got[2].Programme != "PREV" {
			t.Errorf("rows not in study programme and domain order: %+v", got)
		}
	})
	t.Run("result table withholds suppressed values", func(t *testing.T) {
		if err := writeTables(context.Background(), db, []table{lifeDomainTable(got, false)}, nil); err != nil {
			t.Fatal(err)
		}
		var nullN, nullCounts, rows int
		if err := db.QueryRow(`SELECT count(*) FILTER (WHERE n IS NULL AND mean_change IS NULL),
			count(*) FILTER (WHERE improved IS NULL), count(*) FROM life_domain_change`).Scan(&nullN, &nullCounts, &rows); err != nil {
			t.Fatal(err)
		}
		if rows != 3 || nullN != 1 || nullCounts != 3 {
			t.Errorf("rows=%d with n withheld=%d with counts withheld=%d, want 3, 1, 3", rows, nullN, nullCounts)
		}
		c := got[0]
		redactDomainChange(&c)
		if c.Improved != 0 || c.N != 4 || c.MeanChange.Value != 0.5 {
			t.Errorf("redacted housing row = %+v; want the counts cleared and the mean kept", c)
		}
	})
}
