package analyses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// allTables renders every table of db, rows sorted, values exactly (floats
// with every digit), by table name.
func allTables(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		rs, err := db.Query("SELECT * FROM " + n + " ORDER BY ALL")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.ColumnTypes()
		var b strings.Builder
		for _, c := range cols {
			fmt.Fprintf(&b, "%s %s|", c.Name(), c.DatabaseTypeName())
		}
		b.WriteString("\n")
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&b, "%#v|", v)
			}
			b.WriteString("\n")
		}
		rs.Close()
		out[n] = b.String()
	}
	return out
}

// TestAppenderWritesWhatInsertWrites: the result tables written through
// store.AppendRows (DuckDB's Appender, the pipeline's path) hold exactly
// what the INSERT statements of Compute write: same columns, types, rows
// and values, NULLs included.
func TestAppenderWritesWhatInsertWrites(t *testing.T) {
	db := testDB(t)
	ps, ts, es := synthetic(120, "AMB", "RES")
	load(t, db, ps, ts, es)
	st := testStudy(t, "2022-06-30", 10,
		study.Programme{Code: "AMB", Outcome: study.OutcomeRecidivism},
		study.Programme{Code: "RES", Outcome: study.OutcomeRecidivism})
	ctx := context.Background()
	if _, err := Compute(ctx, db, st, 1); err != nil {
		t.Fatal(err)
	}
	inserted := allTables(t, db)
	if _, err := ComputeWith(ctx, db, st, 1, store.AppendRows); err != nil {
		t.Fatal(err)
	}
	appended := allTables(t, db)
	rowsSeen := 0
	for name, want := range inserted {
		if got := appended[name]; got != want {
			t.Errorf("table %s differs:\nappended\n%s\ninserted\n%s", name, got, want)
		}
		rowsSeen += strings.Count(want, "\n") - 1
	}
	if len(appended) != len(inserted) {
		t.Errorf("%d tables after appending, %d after inserting", len(appended), len(inserted))
	}
	if rowsSeen < 100 {
		t.Errorf("only %d rows compared: the fixture no longer exercises the writers", rowsSeen)
	}
}

// TestAppendedTablesRollBack: a failure while writing the result tables
// leaves none of them written, as with the INSERT path's transaction.
func TestAppendedTablesRollBack(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	mustExec(t, db, `CREATE TABLE first_result (x INTEGER)`)
	mustExec(t, db, `INSERT INTO first_result VALUES (1)`)
	boom := errors.New("boom")
	tables := []table{
		{name: "first_result", ddl: `CREATE OR REPLACE TABLE first_result (x INTEGER, y VARCHAR)`, rows: [][]any{{2, "a"}, {3, nil}}},
		{name: "second_result", ddl: `CREATE OR REPLACE TABLE second_result (x DOUBLE)`, rows: [][]any{{1.5}}},
	}
	calls := 0
	appendRows := func(conn any, name string, rows [][]any) error {
		if calls++; calls == 2 {
			return boom
		}
		return store.AppendRows(conn, name, rows)
	}
	if err := writeTables(ctx, db, tables, appendRows); !errors.Is(err, boom) {
		t.Fatalf("writeTables = %v, want boom", err)
	}
	var n, x int
	if err := db.QueryRow(`SELECT count(*), max(x) FROM first_result`).Scan(&n, &x); err != nil || n != 1 || x != 1 {
		t.Errorf("first_result after the failure: %d rows, max %d, %v; want the old 1 row", n, x, err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM second_result`).Scan(&n); err == nil {
		t.Errorf("second_result exists after the failure")
	}
	if err := writeTables(ctx, db, tables, store.AppendRows); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*), max(x) FROM first_result`).Scan(&n, &x); err != nil || n != 2 || x != 3 {
		t.Errorf("first_result: %d rows, max %d, %v; want 2 rows, max 3", n, x, err)
	}
}

// TestAppendRowsRefusesAFractionInAnIntegerColumn: an INSERT rounds 2.5
// into an INTEGER column and the Appender would truncate it; neither is
// what a result table means, so it is a bug.
func TestAppendRowsRefusesAFractionInAnIntegerColumn(t *testing.T) {
	db := testDB(t)
	tables := []table{{name: "frac", ddl: `CREATE OR REPLACE TABLE frac (n INTEGER, i INTERVAL, d DOUBLE)`, rows: [][]any{{2.0, nil, 2.5}, {2.5, nil, 1.0}}}}
	err := writeTables(context.Background(), db, tables, store.AppendRows)
	if err == nil || !strings.Contains(err.Error(), "bug: frac row 2 column 1") {
		t.Errorf("writeTables = %v, want a bug at row 2 column 1", err)
	}
}
