package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/reports"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// Output file names inside the output folder.
const (
	databaseFile = "outcomes.duckdb"
	reportFile   = "report.html"
)

type pipelineConfig struct {
	Study     *study.Study
	Key       pseudonymise.Key
	OutDir    string
	Lang      string
	BatchSize int
	Now       func() time.Time // nil means time.Now
}

// runPipeline is the one place where the stages meet:
// ingest → pseudonymise → store → analyses → reports. Outputs are written in
// a staging folder and moved into OutDir only when every stage succeeded, so
// a failed run leaves the previous outputs intact.
func runPipeline(ctx context.Context, cfg pipelineConfig, e env) error {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	stage, err := newStaging(cfg.OutDir)
	if err != nil {
		return withCode(exitOutput, err)
	}
	defer stage.cleanup(e.stderr)

	db, err := store.Create(ctx, stage.path(databaseFile))
	if err != nil {
		return withCode(exitOutput, err)
	}
	defer db.Close()
	const runID = 1
	params, _ := json.Marshal(map[string]any{
		"outcomes": cfg.Study.Outcomes, "min_cell": cfg.Study.MinCell, "batch_size": cfg.BatchSize, "lang": cfg.Lang,
	})
	if err := db.StartRun(ctx, store.Run{ID: runID, Started: now().UTC(), ToolVersion: toolVersion, Study: cfg.Study,
		KeyFingerprint: cfg.Key.Fingerprint(), Parameters: string(params)}); err != nil {
		return err
	}

	p := pseudonymise.New(cfg.Key)
	var summary []store.FileRecord
	for _, partner := range cfg.Study.Partners {
		for _, f := range partner.Files {
			rec, err := loadFile(ctx, db, p, cfg, runID, partner.Name, f, e)
			if err != nil {
				return err
			}
			summary = append(summary, rec)
		}
	}
	if err := db.Link(ctx); err != nil {
		return err
	}
	results, err := analyses.Compute(ctx, db.DB(), cfg.Study, runID)
	if err != nil {
		return err
	}
	if err := db.FinishRun(ctx, runID, now().UTC()); err != nil {
		return err
	}
	if err := reports.Write(stage.path(reportFile), results, reports.Options{Lang: cfg.Lang}); err != nil {
		return withCode(exitOutput, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("closing database: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := stage.commit(databaseFile, reportFile); err != nil {
		return withCode(exitOutput, err)
	}
	printSummary(e.stdout, summary, cfg.OutDir)
	return nil
}

// loadFile streams one export through ingest and pseudonymise into the store.
func loadFile(ctx context.Context, db *store.Store, p *pseudonymise.Pseudonymiser, cfg pipelineConfig,
	runID int, partner string, f study.File, e env) (store.FileRecord, error) {
	fl, err := db.BeginFile(ctx, runID, partner)
	if err != nil {
		return store.FileRecord{}, err
	}
	var links pseudonymise.LinkStats
	var quarantineErr error
	quarantine := func(q ingest.Quarantine) {
		if err := fl.Quarantine(q); err != nil && quarantineErr == nil {
			quarantineErr = err
		}
	}
	res, err := ingest.ReadFile(ctx, cfg.Study, partner, f, ingest.Options{
		BatchSize:  cfg.BatchSize,
		Quarantine: quarantine,
		Emit: func(raw ingest.RawBatch) error {
			batch, stats, err := p.Batch(raw, quarantine)
			if err != nil {
				return err
			}
			links.Add(stats)
			return fl.Load(ctx, batch)
		},
	})
	if err != nil {
		var ce *ingest.ColumnError
		if errors.As(err, &ce) || !errors.Is(err, context.Canceled) {
			return store.FileRecord{}, withCode(exitInput, fmt.Errorf("partner %s: %w", partner, err))
		}
		return store.FileRecord{}, err
	}
	if quarantineErr != nil {
		return store.FileRecord{}, quarantineErr
	}
	rec := store.FileRecord{Result: res, Links: links}
	if err := fl.Finish(ctx, rec); err != nil {
		return store.FileRecord{}, err
	}
	if e.stderrIsTerminal() {
		fmt.Fprintf(e.stderr, "read %s / %s: %d rows\n", partner, f.Name, res.RowsRead)
	}
	return rec, nil
}

// printSummary prints the row accounting of every file.
func printSummary(w io.Writer, files []store.FileRecord, outDir string) {
	fmt.Fprintf(w, "%-16s %-34s %9s %9s %12s\n", "partner", "file", "read", "loaded", "quarantined")
	var read, loaded, quarantined int
	for _, f := range files {
		q := f.Result.RowsQuarantined + f.Links.Unlinked
		l := f.Result.RowsRead - q
		fmt.Fprintf(w, "%-16s %-34s %9d %9d %12d\n", f.Result.Partner, f.Result.File, f.Result.RowsRead, l, q)
		read, loaded, quarantined = read+f.Result.RowsRead, loaded+l, quarantined+q
	}
	fmt.Fprintf(w, "%-16s %-34s %9d %9d %12d\n", "total", "", read, loaded, quarantined)
	fmt.Fprintf(w, "\nwrote %s/%s and %s/%s\n", outDir, databaseFile, outDir, reportFile)
}
