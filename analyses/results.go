package analyses

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/outcomes-research/outcomes/study"
)

// Results is everything the reports publish about a run, already checked
// against the minimum cell size.
type Results struct {
	Study *study.Study
	Run   Provenance
	// Rates per programme, window and cohort, in study programme order.
	Rates []Rate
	// Files is the data quality of every export read.
	Files []FileQuality
}

// Provenance says where the numbers come from.
type Provenance struct {
	RunID          int
	Started        time.Time
	ToolVersion    string
	StudySHA256    string
	KeyFingerprint string
}

// FileQuality is the row accounting of one export: Read = Loaded +
// Quarantined, and Loaded = LinkedBSN + LinkedFallback + LinkedSupplier.
type FileQuality struct {
	Partner, File, Kind, SHA256               string
	Read, Loaded, Quarantined                 int
	LinkedBSN, LinkedFallback, LinkedSupplier int
	Rules                                     []RuleCount
}

// RuleCount counts the rows quarantined under one rule.
type RuleCount struct {
	Rule  string
	Count int
}

// Compute runs every analysis on the loaded database of run runID, stores the
// result tables, and returns the results for reports.
func Compute(ctx context.Context, db *sql.DB, st *study.Study, runID int) (*Results, error) {
	res := &Results{Study: st}
	if err := db.QueryRowContext(ctx, `SELECT run_id, started, tool_version, study_sha256, key_fingerprint FROM run WHERE run_id = ?`, runID).
		Scan(&res.Run.RunID, &res.Run.Started, &res.Run.ToolVersion, &res.Run.StudySHA256, &res.Run.KeyFingerprint); err != nil {
		return nil, fmt.Errorf("reading run %d: %w", runID, err)
	}
	if err := buildSubjects(ctx, db, st); err != nil {
		return nil, err
	}
	rates, err := computeRates(ctx, db, st)
	if err != nil {
		return nil, err
	}
	Suppress(rates, st.MinCell)
	if err := writeRates(ctx, db, rates); err != nil {
		return nil, err
	}
	res.Rates = rates
	if res.Files, err = fileQuality(ctx, db, runID); err != nil {
		return nil, err
	}
	return res, nil
}

func fileQuality(ctx context.Context, db *sql.DB, runID int) ([]FileQuality, error) {
	rows, err := db.QueryContext(ctx, `SELECT file_id, partner, file, kind, sha256, rows_read, rows_loaded, rows_quarantined,
		linked_bsn, linked_fallback, linked_supplier FROM source_file WHERE run_id = ? ORDER BY file_id`, runID)
	if err != nil {
		return nil, fmt.Errorf("reading source files: %w", err)
	}
	defer rows.Close()
	var out []FileQuality
	var ids []int
	for rows.Next() {
		var f FileQuality
		var id int
		if err := rows.Scan(&id, &f.Partner, &f.File, &f.Kind, &f.SHA256, &f.Read, &f.Loaded, &f.Quarantined,
			&f.LinkedBSN, &f.LinkedFallback, &f.LinkedSupplier); err != nil {
			return nil, err
		}
		out = append(out, f)
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		rr, err := db.QueryContext(ctx, `SELECT rule, count(*) FROM quarantine WHERE file_id = ? GROUP BY rule ORDER BY rule`, id)
		if err != nil {
			return nil, err
		}
		for rr.Next() {
			var rc RuleCount
			if err := rr.Scan(&rc.Rule, &rc.Count); err != nil {
				rr.Close()
				return nil, err
			}
			out[i].Rules = append(out[i].Rules, rc)
		}
		rr.Close()
	}
	return out, nil
}
