package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/internal/progress"
	"github.com/outcomes-research/outcomes/internal/summary"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/reports"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// Output file names inside the output folder.
const (
	databaseFile = "outcomes.duckdb"
	reportFile   = reports.ReportFile
)

type pipelineConfig struct {
	Study     *study.Study
	Key       pseudonymise.Key
	OutDir    string
	Lang      string
	BatchSize int
	Now       func() time.Time // nil means time.Now
	// Observer, when set, watches the run (timings for `outcomes bench`);
	// runPipeline puts the kill test's pause hook in front of it.
	Observer runObserver
}

// runObserver watches a run: each export's passage (flow.Observer), each
// export's result, the end of each stage, and the moment before the
// outputs are moved into place. It changes nothing in the run.
type runObserver interface {
	flow.Observer
	FileDone(flow.Result)
	// StageDone is told when a stage ends: stageIngest, stageLink,
	// stageAnalyses, stageReport, stageSave, in that order.
	StageDone(stage string)
	// Committing is told when the staged outputs are complete and durable,
	// before they are moved into place.
	Committing()
}

// Stages of a run, as the observers are told of them.
const (
	stageIngest   = "ingest" // every export read, pseudonymised and loaded
	stageLink     = "link"
	stageAnalyses = "analyses"
	stageReport   = "report" // the report is written in the staging folder, nothing committed
	stageSave     = "save"   // the database is closed
)

// runPipeline is the one place where the stages meet:
// ingest → pseudonymise → store → analyses → reports. Outputs are written in
// a staging folder and moved into OutDir only when every stage succeeded, so
// a failed run leaves the previous outputs intact.
func runPipeline(ctx context.Context, cfg pipelineConfig, e env) error {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	obs := newPauseHook(ctx, e, cfg.Observer)
	stage, err := outdir.Begin(cfg.OutDir, e.stderr)
	if err != nil {
		return err
	}
	defer stage.Cleanup(e.stderr)
	params, _ := json.Marshal(map[string]any{
		"outcomes": cfg.Study.Outcomes, "min_cell": cfg.Study.MinCell, "batch_size": cfg.BatchSize, "lang": cfg.Lang,
	})
	db, err := store.Begin(ctx, stage.Path(databaseFile), filepath.Join(cfg.OutDir, databaseFile), store.Run{
		Started: now().UTC(), ToolVersion: toolVersion, Study: cfg.Study, KeyFingerprint: cfg.Key.Fingerprint(), Parameters: string(params)})
	if err != nil {
		return err
	}
	runID := db.RunID()
	defer db.Close()

	loaded, err := loadStudy(ctx, db, runID, cfg, obs, e)
	if err != nil {
		return err
	}
	obs.StageDone(stageIngest)
	if err := db.Link(ctx); err != nil {
		return err
	}
	obs.StageDone(stageLink)
	results, err := analyses.Compute(ctx, db.DB(), cfg.Study, runID)
	if err != nil {
		return err
	}
	if err := db.FinishRun(ctx, runID, now().UTC()); err != nil {
		return err
	}
	obs.StageDone(stageAnalyses)
	reportFiles, err := reports.Write(stage.Dir(), results, reports.Options{Lang: cfg.Lang})
	if err != nil {
		return outdir.Fail(err)
	}
	obs.StageDone(stageReport)
	if err := db.Close(); err != nil {
		return fmt.Errorf("closing database: %w", err)
	}
	obs.StageDone(stageSave)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := stage.Commit(obs.Committing, append(reportFiles, databaseFile)...); err != nil {
		return err
	}
	summary.Run(e.stdout, loaded)
	fmt.Fprintf(e.stdout, "\nwrote %s/%s and %s/%s\n", cfg.OutDir, databaseFile, cfg.OutDir, reportFile)
	return nil
}

// loadStudy streams every export of the study into the store
// (flow.Stream), in study order; an export with the same content as an
// earlier one is recorded as its duplicate and not read again.
func loadStudy(ctx context.Context, db *store.Store, runID int, cfg pipelineConfig, obs runObserver, e env) ([]flow.Result, error) {
	st := cfg.Study
	p := pseudonymise.NewForStudy(cfg.Key, st)
	dups := flow.Duplicates(st)
	var loaded []flow.Result
	for pi, partner := range st.Partners {
		for fi, f := range partner.Files {
			ref := flow.Ref{Partner: pi, File: fi}
			if d, ok := dups[ref]; ok {
				of := st.Partners[d.Of.Partner]
				if err := db.RecordDuplicate(ctx, runID, partner.Name, f.Name, f.Kind, d.SHA256, d.Bytes, of.Name, of.Files[d.Of.File].Name); err != nil {
					return nil, err
				}
				fmt.Fprintln(e.stderr, d.Note(st, ref))
				continue
			}
			fl, err := db.BeginFile(ctx, runID, partner.Name)
			if err != nil {
				return nil, err
			}
			res, err := flow.Stream(ctx, flow.Export{Study: st, Partner: partner.Name, File: f}, p, fl,
				flow.Options{BatchSize: cfg.BatchSize, ProgressTo: e.stderr, Observer: obs})
			if err != nil {
				return nil, err
			}
			if err := fl.Finish(ctx, store.FileRecord{Result: res.File, Links: res.Links}); err != nil {
				return nil, err
			}
			obs.FileDone(res)
			if progress.IsTerminal(e.stderr) {
				fmt.Fprintf(e.stderr, "read %s / %s: %d rows\n", partner.Name, f.Name, res.File.RowsRead)
			}
			loaded = append(loaded, res)
		}
	}
	return loaded, nil
}
