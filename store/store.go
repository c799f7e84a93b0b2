package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/study"
)

//go:embed schema.sql
var schemaSQL string

// Store is an open outcomes database.
type Store struct {
	path      string
	connector *duckdb.Connector
	db        *sql.DB
	conn      *sql.Conn // the connection Arrow views and appenders use
	arrow     arrowScanner
	nextFile  int
	nextView  int
	runID     int // set by Begin
	// probabilistic, when set, makes Link run the probabilistic step
	// (linkage.go) after the exact one.
	probabilistic *Probabilistic
	// streams are the files' streams (fileStream); Close ends any that a
	// failed load left open.
	streams []*fileStream
}

// memoryLimit caps DuckDB's buffer manager when a database is opened; a
// run then sets its own limit from the size of its exports (Budget, Begin). Without it DuckDB takes up to
// 80% of the machine's memory, and linking 10 million records peaked at
// 1.5 GB RSS; with it the whole run stays under 1 GiB (BENCHMARKS.md), and
// larger joins and aggregates spill to a temporary folder next to the
// database instead.
const memoryLimit = "512MB"

// dsn builds a DuckDB data source name that never reaches for the network.
func dsn(path string, readOnly bool) string {
	q := "?autoinstall_known_extensions=false&autoload_known_extensions=false&memory_limit=" + memoryLimit
	if readOnly {
		q += "&access_mode=read_only"
	}
	return path + q
}

// Create makes a new database file at path with the canonical schema. It
// refuses to overwrite an existing file. An empty path makes an in-memory
// database (for tests).
func Create(ctx context.Context, path string) (*Store, error) {
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return nil, fmt.Errorf("creating database %s: the file already exists", path)
		}
	}
	s, err := open(ctx, path, false)
	if err != nil {
		return nil, err
	}
	for _, sql := range []string{schemaSQL, linkageSQL} {
		if _, err := s.conn.ExecContext(ctx, sql); err != nil {
			s.Close()
			return nil, fmt.Errorf("creating schema in %s: %w", path, err)
		}
	}
	return s, nil
}

// Open opens an existing database, read-only when readOnly is set.
func Open(ctx context.Context, path string, readOnly bool) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	return open(ctx, path, readOnly)
}

func open(ctx context.Context, path string, readOnly bool) (*Store, error) {
	connector, err := duckdb.NewConnector(dsn(path, readOnly), nil)
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	s := &Store{path: path, connector: connector, db: sql.OpenDB(connector)}
	if s.conn, err = s.db.Conn(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connecting to database %s: %w", path, err)
	}
	err = s.conn.Raw(func(dc any) error {
		a, err := newArrowScanner(dc.(driver.Conn))
		s.arrow = a
		return err
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("opening Arrow interface of %s: %w", path, err)
	}
	return s, nil
}

// DB returns the database handle for queries.
func (s *Store) DB() *sql.DB { return s.db }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close checkpoints and closes the database.
func (s *Store) Close() error {
	var errs []error
	for _, fs := range s.streams {
		fs.finish() // its error was the load's; only a failed load leaves one open
	}
	if s.conn != nil {
		if s.path != "" {
			if _, err := s.conn.ExecContext(context.Background(), "CHECKPOINT"); err != nil {
				errs = append(errs, err)
			}
		}
		errs = append(errs, s.conn.Close())
	}
	errs = append(errs, s.db.Close(), s.connector.Close())
	return errors.Join(errs...)
}

// Run is the provenance of one pipeline run.
type Run struct {
	ID             int
	Started        time.Time
	ToolVersion    string
	Study          *study.Study
	KeyFingerprint string
	Parameters     string // JSON
	// ToolCommit is the VCS revision of the binary ("" when unknown);
	// CommandLine the command as run.
	ToolCommit, CommandLine string
	// MemoryLimit is DuckDB's memory_limit for the run in bytes
	// (Budget.DuckDB); 0 keeps the default of Create.
	MemoryLimit int64
}

// Begin creates the database of a new run at path and records the run r,
// with DuckDB's memory limit r.MemoryLimit and one thread for the loads
// that follow (Link gives DuckDB every core again).
// When previous names an existing database (the output folder's, from an
// earlier run), its run and source_file rows are carried over
// (ImportHistory) and r gets the next run id; otherwise r.ID is 1. Errors
// creating or opening the databases are *outdir.Error.
//
// The provenance then shows, run by run, which file versions (SHA-256)
// were read, so a corrected export is visible as a new hash of the same
// file in a later run. The data tables hold the newest run's rows only.
func Begin(ctx context.Context, path, previous string, r Run) (*Store, error) {
	s, err := Create(ctx, path)
	if err != nil {
		return nil, outdir.Fail(err)
	}
	r.ID = 1
	if fi, err := os.Stat(previous); previous != "" && err == nil && !fi.IsDir() {
		if r.ID, err = s.ImportHistory(ctx, previous); err != nil {
			s.Close()
			return nil, outdir.Fail(fmt.Errorf("%w (close any program that has it open, or move it away to start a new history)", err))
		}
	}
	if err := s.StartRun(ctx, r); err != nil {
		s.Close()
		return nil, err
	}
	s.runID = r.ID
	if r.MemoryLimit > 0 {
		if err := s.setMemoryLimit(ctx, r.MemoryLimit); err != nil {
			s.Close()
			return nil, err
		}
	}
	// The exports are loaded next: one DuckDB thread until Link.
	if err := s.setIngestThreads(ctx, true); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// RunID is the id of the run Begin recorded.
func (s *Store) RunID() int { return s.runID }

// StartRun records a run's provenance.
func (s *Store) StartRun(ctx context.Context, r Run) error {
	_, err := s.conn.ExecContext(ctx,
		`INSERT INTO run (run_id, started, tool_version, study_name, study_sha256, key_fingerprint, cutoff, parameters, tool_commit, command_line)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''))`,
		r.ID, r.Started, r.ToolVersion, r.Study.Name, r.Study.SHA256, r.KeyFingerprint, r.Study.Cutoff, r.Parameters, r.ToolCommit, r.CommandLine)
	if err != nil {
		return fmt.Errorf("recording run: %w", err)
	}
	// The study's linkage block turns the probabilistic step on.
	return s.probabilisticFromStudy(r.Study)
}

// FinishRun stamps the run's end time.
func (s *Store) FinishRun(ctx context.Context, runID int, finished time.Time) error {
	_, err := s.conn.ExecContext(ctx, `UPDATE run SET finished = ? WHERE run_id = ?`, finished, runID)
	return err
}

// ImportHistory copies the run and source_file rows of the database at
// prev, the previous run's output, into s, so that the provenance lists
// every run with the file versions (hashes) it read. Columns the two
// schemas share are copied. It returns the id the new run should take
// (the previous maximum + 1); file ids of the new run continue after the
// previous ones. Call it before StartRun.
func (s *Store) ImportHistory(ctx context.Context, prev string) (int, error) {
	if _, err := s.conn.ExecContext(ctx, "ATTACH "+quoteLiteral(prev)+" AS previous (READ_ONLY)"); err != nil {
		return 0, fmt.Errorf("opening the previous database %s to carry over its run history: %w", prev, err)
	}
	defer s.conn.ExecContext(context.WithoutCancel(ctx), "DETACH previous")
	for _, table := range []string{"run", "source_file"} {
		rows, err := s.conn.QueryContext(ctx, `SELECT n.column_name FROM duckdb_columns() n
			JOIN duckdb_columns() p ON p.database_name = 'previous' AND p.schema_name = 'main'
			 AND p.table_name = n.table_name AND p.column_name = n.column_name
			WHERE n.database_name = current_database() AND n.schema_name = 'main' AND n.table_name = ?
			ORDER BY n.column_index`, table)
		if err != nil {
			return 0, fmt.Errorf("reading the columns of the previous database %s: %w", prev, err)
		}
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return 0, err
			}
			cols = append(cols, quoteIdent(c))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		if len(cols) == 0 {
			return 0, fmt.Errorf("%s is not an outcomes database (it has no %s table); move it out of the output folder", prev, table)
		}
		list := strings.Join(cols, ", ")
		q := fmt.Sprintf("INSERT INTO main.%s (%s) SELECT %s FROM previous.main.%s", table, list, list, table)
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("carrying over the %s history of %s: %w", table, prev, err)
		}
	}
	var maxRun, maxFile int
	err := s.conn.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(run_id), 0) FROM run), (SELECT coalesce(max(file_id), 0) FROM source_file)`).
		Scan(&maxRun, &maxFile)
	if err != nil {
		return 0, err
	}
	s.nextFile = max(s.nextFile, maxFile)
	return maxRun + 1, nil
}

// RecordDuplicate records an export of the run whose content (SHA-256) and
// kind equal those of an export already loaded in the run (partner, file):
// it is not read again, so none of its rows is loaded twice, and its
// source_file row has zero row counts and duplicate_of set to the loaded
// file's id.
func (s *Store) RecordDuplicate(ctx context.Context, runID int, partner, file string, kind study.Kind, sha256 string, bytes int64, ofPartner, ofFile string) error {
	var of int
	err := s.conn.QueryRowContext(ctx, `SELECT file_id FROM source_file WHERE run_id = ? AND partner = ? AND file = ? AND duplicate_of IS NULL
		ORDER BY file_id LIMIT 1`, runID, ofPartner, ofFile).Scan(&of)
	if err != nil {
		return fmt.Errorf("bug: recording %s as a copy of %s: %w", file, ofFile, err)
	}
	s.nextFile++
	_, err = s.conn.ExecContext(ctx, `INSERT INTO source_file (file_id, run_id, partner, file, kind, sha256, bytes,
		rows_read, rows_loaded, rows_quarantined, linked_bsn, linked_fallback, linked_supplier, linked_none, duplicate_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, ?)`, s.nextFile, runID, partner, file, string(kind), sha256, bytes, of)
	if err != nil {
		return fmt.Errorf("recording file %s: %w", file, err)
	}
	return nil
}

// FileLoader loads the rows and quarantine records of one export file.
type FileLoader struct {
	s        *Store
	ID       int
	runID    int
	partner  string
	appender *duckdb.Appender
	loaded   int
	// encodings appends to record_encoding, from the first batch that
	// carries any.
	encodings *duckdb.Appender
	// stream loads the batches, from the first (startStream).
	stream *fileStream
}

// BeginFile starts loading an export; call Finish when it is read.
func (s *Store) BeginFile(ctx context.Context, runID int, partner string) (*FileLoader, error) {
	s.nextFile++
	fl := &FileLoader{s: s, ID: s.nextFile, runID: runID, partner: partner}
	err := s.conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "quarantine")
		fl.appender = a
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("preparing quarantine table: %w", err)
	}
	return fl, nil
}

// Quarantine records one rejected row.
func (fl *FileLoader) Quarantine(q ingest.Quarantine) error {
	var col, name, field any
	if q.Column > 0 {
		col, name = int32(q.Column), q.ColumnName
	}
	if q.Field != "" {
		field = q.Field
	}
	return fl.appender.AppendRow(int32(fl.ID), int64(q.Line), col, name, field, string(q.Rule))
}

// Write hands a pseudonymised batch to the file's one stream into its
// table (fileStream) and releases it once it is loaded (flow.Sink).
func (fl *FileLoader) Write(ctx context.Context, b pseudonymise.Batch) error {
	rec := b.Record()
	if rec.NumRows() == 0 {
		b.Release()
		return nil
	}
	// The encodings are read from the batch before the stream owns it.
	if err := fl.writeEncodings(b); err != nil {
		b.Release()
		return err
	}
	if fl.stream == nil {
		if err := fl.startStream(ctx, b); err != nil {
			b.Release()
			return err
		}
		fl.s.streams = append(fl.s.streams, fl.stream)
	}
	n := int(rec.NumRows())
	if err := fl.stream.send(ctx, b); err != nil {
		return err
	}
	fl.loaded += n
	return nil
}

// FileRecord is what ingest and pseudonymise found in one file.
type FileRecord struct {
	Result ingest.FileResult
	Links  pseudonymise.LinkStats
}

// Finish records the file's provenance and row accounting. It fails when
// the rows loaded into the database differ from what the stages reported,
// or when read != loaded + quarantined: either is a bug.
func (fl *FileLoader) Finish(ctx context.Context, rec FileRecord) error {
	if fl.stream != nil {
		inserted, err := fl.stream.finish()
		if err != nil {
			return err
		}
		if inserted != int64(fl.loaded) {
			return fmt.Errorf("bug: %s: %d rows written, %d inserted", rec.Result.File, fl.loaded, inserted)
		}
	}
	if err := fl.appender.Close(); err != nil {
		return fmt.Errorf("writing quarantine records of %s: %w", rec.Result.File, err)
	}
	if fl.encodings != nil {
		if err := fl.encodings.Close(); err != nil {
			return fmt.Errorf("writing encodings of %s: %w", rec.Result.File, err)
		}
	}
	r := rec.Result
	quarantined := r.RowsQuarantined + rec.Links.Unlinked
	if r.RowsRead != fl.loaded+quarantined {
		return fmt.Errorf("bug: %s: %d rows read, %d loaded, %d quarantined", r.File, r.RowsRead, fl.loaded, quarantined)
	}
	_, err := fl.s.conn.ExecContext(ctx, `INSERT INTO source_file VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
		fl.ID, fl.runID, r.Partner, r.File, string(r.Kind), r.SHA256, r.Bytes, r.Info.Format, r.Info.Encoding, r.Info.Delimiter,
		r.RowsRead, fl.loaded, quarantined, rec.Links.ByBSN, rec.Links.ByFallback, rec.Links.BySupplier, rec.Links.Unlinked)
	if err != nil {
		return fmt.Errorf("recording file %s: %w", r.File, err)
	}
	for reason, n := range rec.Links.BSNRejected {
		if n == 0 {
			continue
		}
		if _, err := fl.s.conn.ExecContext(ctx, `INSERT INTO bsn_rejected VALUES (?, ?, ?)`, fl.ID, reason, n); err != nil {
			return fmt.Errorf("recording rejected national IDs of %s: %w", r.File, err)
		}
	}
	return nil
}

// Link resolves records that linked by fallback key to the person of a
// national-ID record with the same fallback key (when exactly one such
// person exists), then builds the person table. Call it once, after every
// file is loaded.
func (s *Store) Link(ctx context.Context) error {
	if err := s.setIngestThreads(ctx, false); err != nil {
		return err
	}
	steps := []string{
		`CREATE TEMP VIEW record AS
		 SELECT person_id, fallback_id, linkage, birth_year, sex FROM trajectory
		 UNION ALL SELECT person_id, fallback_id, linkage, birth_year, sex FROM event
		 UNION ALL SELECT person_id, fallback_id, linkage, birth_year, sex FROM assessment
		 UNION ALL SELECT person_id, fallback_id, linkage, birth_year, sex FROM household_link`,
		`CREATE TEMP TABLE fallback_map AS
		 SELECT fallback_id, min(person_id) AS person_id FROM record
		 WHERE linkage = 'bsn' AND fallback_id IS NOT NULL
		 GROUP BY fallback_id HAVING count(DISTINCT person_id) = 1`,
		`UPDATE trajectory SET person_id = m.person_id FROM fallback_map m WHERE trajectory.person_id = m.fallback_id`,
		`UPDATE event SET person_id = m.person_id FROM fallback_map m WHERE event.person_id = m.fallback_id`,
		`UPDATE assessment SET person_id = m.person_id FROM fallback_map m WHERE assessment.person_id = m.fallback_id`,
		`UPDATE household_link SET person_id = m.person_id FROM fallback_map m WHERE household_link.person_id = m.fallback_id`,
		// A detainee named by surname + birth date + sex only links to the
		// BSN person with that fallback key.
		`UPDATE household_link SET detainee_id = m.person_id FROM fallback_map m WHERE household_link.detainee_id = m.fallback_id`,
		probabilisticStep,
		// Records of one person may disagree (a typing error at one
		// partner): the most frequent birth year and sex win, ties go to the
		// lowest value so reruns agree, and a disagreement on the birth year
		// is flagged for the researcher.
		`INSERT INTO person
		 WITH year_votes AS (
		     SELECT person_id, birth_year, count(*) AS n FROM record
		     WHERE birth_year IS NOT NULL GROUP BY person_id, birth_year
		 ), year_pick AS (
		     SELECT person_id, birth_year, count(*) OVER (PARTITION BY person_id) AS candidates FROM year_votes
		     QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY n DESC, birth_year) = 1
		 ), sex_votes AS (
		     SELECT person_id, sex, count(*) AS n FROM record
		     WHERE sex IS NOT NULL AND sex <> 'o' GROUP BY person_id, sex
		 ), sex_pick AS (
		     SELECT person_id, sex FROM sex_votes
		     QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY n DESC, sex) = 1
		 ), ids AS (
		     SELECT person_id, CASE WHEN bool_or(linkage = 'bsn') THEN 'bsn' ELSE 'fallback' END AS linkage
		     FROM record GROUP BY person_id
		 )
		 SELECT ids.person_id, y.birth_year, coalesce(s.sex, 'o'), ids.linkage, coalesce(y.candidates > 1, false)
		 FROM ids LEFT JOIN year_pick y USING (person_id) LEFT JOIN sex_pick s USING (person_id)`,
		`DROP TABLE fallback_map`,
		`DROP VIEW record`,
	}
	for _, q := range steps {
		if q == probabilisticStep {
			if s.probabilistic != nil {
				if err := s.linkProbabilistic(ctx, *s.probabilistic); err != nil {
					return fmt.Errorf("linking persons: %w", err)
				}
			}
			continue
		}
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("linking persons: %w", err)
		}
	}
	return nil
}

func tableFor(kind study.Kind) (string, error) {
	switch kind {
	case study.KindTrajectories:
		return "trajectory", nil
	case study.KindEvents:
		return "event", nil
	case study.KindAssessments:
		return "assessment", nil
	case study.KindHouseholds:
		return "household_link", nil
	}
	return "", fmt.Errorf("bug: unknown batch kind %q", kind)
}

// columnFor maps a batch column to its table column where the names differ.
func columnFor(table, batchColumn string) string {
	switch batchColumn {
	case study.FieldDate:
		if table == "assessment" {
			return "assessment_date"
		}
		return "event_date"
	case study.FieldStart:
		return "start_date"
	case study.FieldEnd:
		return "end_date"
	case study.FieldRelease:
		return "release_date"
	}
	return batchColumn
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteLiteral spells a string as a SQL literal. DuckDB's Arrow scan crashed
// when the statement also had prepared-statement parameters, so the few
// constants of a load statement are spelled out.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
