package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"math"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// AppendRows appends rows (one value per column, in the table's column
// order) to table in bulk through DuckDB's Appender on conn, the driver
// connection of a database/sql connection (what sql.Conn.Raw hands its
// function), inside that connection's open transaction if it has one.
// It is how analyses writes its result tables (analyses.AppendFunc),
// without importing the driver.
//
// Values are converted as database/sql converts statement arguments
// (named string types to string, integers to int64), so the table holds
// what an INSERT of the same values would hold. A float with a fraction
// for an integer column, which an INSERT would round and the Appender
// would truncate, is refused as a bug.
func AppendRows(conn any, table string, rows [][]any) (err error) {
	if len(rows) == 0 {
		return nil
	}
	dc, ok := conn.(driver.Conn)
	if !ok {
		return fmt.Errorf("bug: appending to %s: %T is not a driver connection", table, conn)
	}
	integer, err := integerColumns(dc, table)
	if err != nil {
		return err
	}
	a, err := duckdb.NewAppenderFromConn(dc, "", table)
	if err != nil {
		return fmt.Errorf("appending to %s: %w", table, err)
	}
	defer func() {
		if cerr := a.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("appending to %s: %w", table, cerr)
		}
	}()
	vals := make([]driver.Value, 0, len(rows[0]))
	for i, r := range rows {
		vals = vals[:0]
		for j, v := range r {
			dv, err := driver.DefaultParameterConverter.ConvertValue(v)
			if err != nil {
				return fmt.Errorf("bug: %s row %d column %d: %w", table, i+1, j+1, err)
			}
			if f, ok := dv.(float64); ok && j < len(integer) && integer[j] && f != math.Trunc(f) {
				return fmt.Errorf("bug: %s row %d column %d: %v for an integer column", table, i+1, j+1, f)
			}
			vals = append(vals, dv)
		}
		if err := a.AppendRow(vals...); err != nil {
			return fmt.Errorf("appending to %s (row %d): %w", table, i+1, err)
		}
	}
	return nil
}

// integerColumns reports, per column of table in order, whether it holds
// integers.
func integerColumns(dc driver.Conn, table string) ([]bool, error) {
	q, ok := dc.(driver.QueryerContext)
	if !ok {
		return nil, fmt.Errorf("bug: appending to %s: the connection cannot query", table)
	}
	rows, err := q.QueryContext(context.Background(), `SELECT data_type FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = `+quoteLiteral(table)+`
		ORDER BY column_index`, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the columns of %s: %w", table, err)
	}
	defer rows.Close()
	var out []bool
	dest := make([]driver.Value, 1)
	for {
		if err := rows.Next(dest); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("reading the columns of %s: %w", table, err)
		}
		t, _ := dest[0].(string)
		switch strings.ToUpper(t) {
		case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
			out = append(out, true)
		default:
			out = append(out, false)
		}
	}
}
