package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/store/storetest"
	"github.com/outcomes-research/outcomes/study"
)

// testDB opens an in-memory database with the canonical schema and one run.
func testDB(t testing.TB) *sql.DB {
	t.Helper()
	db := storetest.Open(t).DB()
	mustExec(t, db, `INSERT INTO run (run_id, started, tool_version, study_name, study_sha256, key_fingerprint, cutoff, parameters)
		VALUES (1, TIMESTAMP '2026-01-01 00:00:00', 'test', 't', 'sha', 'fp', DATE '2026-01-01', '{}')`)
	return db
}

func mustExec(t testing.TB, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func date(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// traj is one trajectory row; empty strings are NULL.
type traj struct {
	person, partner, programme, start, end, release, destination string
	age                                                          int // 0 = unknown
}

// ev is one event row.
type ev struct {
	person, eventType, date string
}

// person is one person row.
type person struct {
	id, sex string
}

// load inserts persons, trajectories and events with plain SQL.
func load(t testing.TB, db *sql.DB, persons []person, trajs []traj, events []ev) {
	t.Helper()
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, p := range persons {
		mustExec(t, db, `INSERT INTO person (person_id, birth_year, sex, linkage) VALUES (?, 1980, ?, 'bsn')`, p.id, null(p.sex))
	}
	for i, tr := range trajs {
		var age any
		if tr.age > 0 {
			age = tr.age
		}
		partner := tr.partner
		if partner == "" {
			partner = "P"
		}
		mustExec(t, db, `INSERT INTO trajectory (file_id, line, person_id, partner, programme, start_date, end_date, release_date, exit_destination, age, linkage)
			VALUES (1, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), ?, ?, 'bsn')`,
			i+2, tr.person, partner, tr.programme, tr.start, null(tr.end), null(tr.release), null(tr.destination), age)
	}
	for i, e := range events {
		mustExec(t, db, `INSERT INTO event (file_id, line, person_id, partner, event_type, event_date, linkage)
			VALUES (2, ?, ?, 'J', ?, CAST(? AS DATE), 'bsn')`, i+2, e.person, e.eventType, e.date)
	}
}

// testStudy is a study with the given cut-off, minimum cell size and
// programmes, and one window per outcome unless windows are set.
func testStudy(t testing.TB, cutoff string, minCell int, programmes ...study.Programme) *study.Study {
	return &study.Study{
		Name: "t", Cutoff: date(t, cutoff), MinCell: minCell,
		Outcomes: study.Outcomes{
			RecidivismWindows: []int{12}, RecidivismEvents: []string{study.EventOffence},
			ShelterReturnWindows: []int{6}, TransferDays: 14, InflowWindows: []int{12}, PriorLookbackYears: 5,
		},
		Programmes: programmes,
	}
}

func compute(t testing.TB, db *sql.DB, st *study.Study) *Results {
	t.Helper()
	res, err := ComputeWith(context.Background(), db, st, 1, store.AppendRows)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// findRate returns the cohort-or-total rate of a programme and window.
func findRate(t testing.TB, rates []Rate, programme string, window, cohort int) Rate {
	t.Helper()
	for _, r := range rates {
		if r.Programme == programme && r.WindowMonths == window && r.Cohort == cohort && r.Breakdown == "" {
			return r
		}
	}
	t.Fatalf("no rate for %s %dm cohort %d", programme, window, cohort)
	return Rate{}
}

// synthetic builds n persons in programmes with reproducible dates: person i
// is released on day 7·i mod 700 after 2020-01-01, has an offence after
// (i·37 mod 900) days when i mod 3 != 0, an earlier offence when i mod 4 == 0,
// age 18 + (i·13 mod 50) (unknown when i mod 11 == 0) and sex v when i mod 5
// < 2. It returns the rows.
func synthetic(n int, programmes ...string) ([]person, []traj, []ev) {
	var ps []person
	var ts []traj
	var es []ev
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		id := fmt.Sprintf("p%03d", i)
		sex := "m"
		if i%5 < 2 {
			sex = "v"
		}
		ps = append(ps, person{id, sex})
		rel := base.AddDate(0, 0, 7*i%700)
		age := 18 + i*13%50
		if i%11 == 0 {
			age = 0
		}
		ts = append(ts, traj{person: id, partner: []string{"A", "B"}[i%2], programme: programmes[i%len(programmes)],
			start: rel.AddDate(0, -3, 0).Format(time.DateOnly), release: rel.Format(time.DateOnly), age: age})
		if i%3 != 0 {
			es = append(es, ev{id, study.EventOffence, rel.AddDate(0, 0, 1+i*37%900).Format(time.DateOnly)})
		}
		if i%4 == 0 {
			es = append(es, ev{id, study.EventOffence, rel.AddDate(0, 0, -30).Format(time.DateOnly)})
		}
	}
	return ps, ts, es
}

// queryStrings runs a query and returns each row as its columns joined by
// "|", NULL as "∅".
func queryStrings(t testing.TB, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	_, out := storetest.Rows(t, db, func(v any) string {
		if v == nil {
			return "∅"
		}
		return fmt.Sprint(v)
	}, q, args...)
	return out
}
