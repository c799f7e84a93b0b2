package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// LoadCSVBaseline is the yardstick of `outcomes bench`: DuckDB's own
// read_csv of one export into table baseline of a new database file at
// dbPath, with no validation, pseudonymisation or accounting. It returns
// the number of rows loaded. The database is checkpointed and closed before
// it returns, as the pipeline's is.
func LoadCSVBaseline(ctx context.Context, dbPath, csvPath string, delim rune) (n int64, err error) {
	if _, err := os.Stat(dbPath); err == nil {
		return 0, fmt.Errorf("creating database %s: the file already exists", dbPath)
	}
	connector, err := duckdb.NewConnector(dsn(dbPath, false), nil)
	if err != nil {
		return 0, fmt.Errorf("opening database %s: %w", dbPath, err)
	}
	db := sql.OpenDB(connector)
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if cerr := connector.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	opts := "header = true"
	if delim != 0 {
		opts += ", delim = " + quoteLiteral(string(delim))
	}
	q := fmt.Sprintf("CREATE TABLE baseline AS SELECT * FROM read_csv(%s, %s)", quoteLiteral(csvPath), opts)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return 0, fmt.Errorf("reading %s with read_csv: %w", csvPath, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM baseline").Scan(&n); err != nil {
		return 0, fmt.Errorf("counting baseline rows: %w", err)
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return 0, fmt.Errorf("checkpointing %s: %w", dbPath, err)
	}
	return n, nil
}
