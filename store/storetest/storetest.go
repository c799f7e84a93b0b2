// Package storetest holds test helpers that put studies into a real DuckDB
// store: an in-memory database with the canonical schema, and the load path
// of the pipeline (ingest → pseudonymise → store) without the command line.
// Only tests import it.
package storetest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// KeyText is the study key tests use. It is public: never use it for a real
// study.
const KeyText = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// Key returns the test study key.
func Key(tb testing.TB) pseudonymise.Key {
	tb.Helper()
	key, err := pseudonymise.KeyFromText(KeyText)
	if err != nil {
		tb.Fatal(err)
	}
	return key
}

// WriteStudy writes files (name → content, study.yaml among them) into a
// new temporary folder and loads its study.yaml.
func WriteStudy(tb testing.TB, files map[string]string) *study.Study {
	tb.Helper()
	dir := tb.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	st, err := study.Load(filepath.Join(dir, "study.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// Open creates an in-memory database with the canonical schema; it is
// closed when the test ends.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Create(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// LoadStudy streams every export of st through the pipeline's flow
// (flow.Stream: read, pseudonymise with Key, load) into s as run 1, in
// batches of batchSize rows (0: the default), then links persons, as the
// pipeline does.
func LoadStudy(tb testing.TB, s *store.Store, st *study.Study, batchSize int) {
	tb.Helper()
	ctx := context.Background()
	key := Key(tb)
	p := pseudonymise.NewForStudy(key, st)
	if err := s.StartRun(ctx, store.Run{ID: 1, Study: st, ToolVersion: "test", KeyFingerprint: key.Fingerprint(), Parameters: "{}"}); err != nil {
		tb.Fatal(err)
	}
	for _, partner := range st.Partners {
		for _, f := range partner.Files {
			fl, err := s.BeginFile(ctx, 1, partner.Name)
			if err != nil {
				tb.Fatal(err)
			}
			res, err := flow.Stream(ctx, flow.Export{Study: st, Partner: partner.Name, File: f}, p, fl, flow.Options{BatchSize: batchSize})
			if err != nil {
				tb.Fatal(err)
			}
			if err := fl.Finish(ctx, store.FileRecord{Result: res.File, Links: res.Links}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := s.Link(ctx); err != nil {
		tb.Fatal(err)
	}
}

// Rows runs a query and returns its column names and each row as its cells,
// each written by cell, joined by "|".
func Rows(tb testing.TB, db *sql.DB, cell func(any) string, q string, args ...any) (columns, rows []string) {
	tb.Helper()
	r, err := db.Query(q, args...)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	columns, err = r.Columns()
	if err != nil {
		tb.Fatal(err)
	}
	for r.Next() {
		vals := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = cell(v)
		}
		rows = append(rows, strings.Join(parts, "|"))
	}
	if err := r.Err(); err != nil {
		tb.Fatal(err)
	}
	return columns, rows
}

// Undocumented lists what the database behind db leaves without a comment:
// "table" for a table or view of the main schema with no comment,
// "table.column" for a column with none. Researchers read these comments
// (duckdb_tables(), duckdb_columns()); every table and column has one.
func Undocumented(tb testing.TB, db *sql.DB) []string {
	tb.Helper()
	rows, err := db.Query(`SELECT table_name, NULL FROM duckdb_tables()
		 WHERE database_name = current_database() AND schema_name = 'main' AND coalesce(comment, '') = ''
		UNION ALL SELECT view_name, NULL FROM duckdb_views()
		 WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND coalesce(comment, '') = ''
		UNION ALL SELECT table_name, column_name FROM duckdb_columns()
		 WHERE database_name = current_database() AND schema_name = 'main' AND coalesce(comment, '') = ''
		ORDER BY 1, 2`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table string
		var column sql.NullString
		if err := rows.Scan(&table, &column); err != nil {
			tb.Fatal(err)
		}
		if column.Valid {
			table += "." + column.String
		}
		out = append(out, table)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
