package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// CSVFile is one export for [LoadCSVBaseline].
type CSVFile struct {
	// Path is the file; Table the table it is read into.
	Path, Table string
	// Delim is the field separator; 0 lets read_csv detect it.
	Delim rune
	// Encoding is read_csv's encoding (utf-8, latin-1, utf-16); empty
	// means utf-8.
	Encoding string
}

// LoadCSVBaseline is the yardstick of `outcomes bench`: DuckDB's own
// read_csv of each file into its table of a new database file at dbPath,
// with types detected, rows that do not parse skipped (ignore_errors) and
// no validation, pseudonymisation or accounting, as a researcher would
// load the exports by hand. It returns the number of rows loaded. The
// database is checkpointed and closed before it returns, as the
// pipeline's is.
func LoadCSVBaseline(ctx context.Context, dbPath string, files []CSVFile) (n int64, err error) {
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
	for _, f := range files {
		opts := "header = true, ignore_errors = true"
		if f.Delim != 0 {
			opts += ", delim = " + quoteLiteral(string(f.Delim))
		}
		if f.Encoding != "" {
			opts += ", encoding = " + quoteLiteral(f.Encoding)
		}
		q := fmt.Sprintf("CREATE TABLE %s AS SELECT * FROM read_csv(%s, %s)", quoteIdent(f.Table), quoteLiteral(f.Path), opts)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("reading %s with read_csv: %w", f.Path, err)
		}
		var k int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(f.Table)).Scan(&k); err != nil {
			return 0, fmt.Errorf("counting the rows of %s: %w", f.Table, err)
		}
		n += k
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return 0, fmt.Errorf("checkpointing %s: %w", dbPath, err)
	}
	return n, nil
}
