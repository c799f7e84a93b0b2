package store

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/outcomes-research/outcomes/study"
)

// ParquetDir is the folder of the Parquet export in the output folder.
const ParquetDir = "parquet"

// Output modes of the researchers' microdata. The database and the Parquet
// files hold pseudonymised personal data (no clear identifier, but data
// about persons): readable by their owner only, whatever the umask. The
// report and the tables, which are for publication, are 0644 (reports).
const (
	PrivateFile os.FileMode = 0o600
	PrivateDir  os.FileMode = 0o700
)

// parquetTables are the tables WriteParquet exports, each with the column
// it is partitioned by (hive style, cohort=2021/…), or "" for one file.
var parquetTables = []struct{ name, partition string }{
	{"run", ""}, {"source_file", ""}, {"quarantine", ""}, {"programme", ""},
	{"person", ""}, {"trajectory", ""}, {"event", ""}, {"assessment", ""}, {"household_link", ""},
	{"outcome_subject", "cohort"}, {"analysis_dataset", "cohort"},
}

// ParquetTables names the tables WriteParquet exports, with the column
// each is partitioned by ("" for a single file).
func ParquetTables() [][2]string {
	out := make([][2]string, len(parquetTables))
	for i, t := range parquetTables {
		out[i] = [2]string{t.name, t.partition}
	}
	return out
}

// WriteParquet writes the canonical tables (the provenance, the programmes,
// person, trajectory, event, assessment, household_link) and the
// analyses' subjects and analysis dataset as Parquet files into dir, so
// that R (arrow), Python (pyarrow, polars) and any Parquet reader can use
// them without DuckDB: dir/<table>.parquet, or for a table with a cohort
// dir/<table>/cohort=<year>/data_0.parquet. A table the run did not make
// is left out. The files are written with DuckDB's COPY and get the
// private modes (PrivateFile, PrivateDir): they are pseudonymised
// microdata for the study's researchers, like the database, not published
// tables.
func (s *Store) WriteParquet(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, PrivateDir); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	for _, t := range parquetTables {
		var n int
		err := s.conn.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()
			AND schema_name = 'main' AND table_name = ?`, t.name).Scan(&n)
		if err != nil {
			return fmt.Errorf("writing Parquet: %w", err)
		}
		if n == 0 {
			continue
		}
		q := fmt.Sprintf("COPY %s TO %s (FORMAT parquet, COMPRESSION zstd)", quoteIdent(t.name),
			quoteLiteral(filepath.Join(dir, t.name+".parquet")))
		if t.partition != "" {
			q = fmt.Sprintf("COPY %s TO %s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (%s))", quoteIdent(t.name),
				quoteLiteral(filepath.Join(dir, t.name)), quoteIdent(t.partition))
		}
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("writing %s as Parquet: %w", t.name, err)
		}
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := PrivateFile
		if d.IsDir() {
			mode = PrivateDir
		}
		return os.Chmod(p, mode)
	})
}

// Finish ends the run after the analyses, the last things the database
// gets before it is closed: it records the study's programmes (table
// programme), gives every table and column of the store's schema its
// comment (document), stamps the run's end time (FinishRun), writes the
// Parquet export into parquetDir (WriteParquet) and makes the database
// file private (PrivateFile: pseudonymised personal data, for its owner
// only whatever the umask). The analyses document their own tables.
func (s *Store) Finish(ctx context.Context, runID int, finished time.Time, st *study.Study, parquetDir string) error {
	if err := s.recordProgrammes(ctx, st); err != nil {
		return err
	}
	if err := s.document(ctx); err != nil {
		return err
	}
	if err := s.FinishRun(ctx, runID, finished); err != nil {
		return err
	}
	if err := s.WriteParquet(ctx, parquetDir); err != nil {
		return err
	}
	if s.path == "" {
		return nil
	}
	if err := os.Chmod(s.path, PrivateFile); err != nil {
		return fmt.Errorf("making %s private: %w", s.path, err)
	}
	return nil
}
