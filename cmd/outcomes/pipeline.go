package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/observe"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/internal/progress"
	"github.com/outcomes-research/outcomes/internal/summary"
	"github.com/outcomes-research/outcomes/internal/version"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/reports"
	"github.com/outcomes-research/outcomes/store"
	"github.com/outcomes-research/outcomes/study"
)

// Output file names inside the output folder.
const (
	databaseFile = "outcomes.duckdb"
	reportFile   = reports.ReportFile
	forceUsage   = "replace the outputs of an earlier run in --out (the database keeps the history of the runs)"
)

type pipelineConfig struct {
	Study     *study.Study
	Key       pseudonymise.Key
	OutDir    string
	Lang      string
	BatchSize int
	Now       func() time.Time // nil means time.Now
	// CommandLine is the command as run, for the provenance.
	CommandLine string
	// NewKeyHistory allows another key than the earlier runs' (store.CheckKeyHistory, in the run's
	// parameters); Force replaces their outputs (outdir.CheckOverwrite; the run history stays).
	NewKeyHistory, Force bool
	// Observer, when set, watches the run (timings for `outcomes bench`);
	// runPipeline puts the kill test's pause hook (pauseEnvVar) in front.
	Observer observe.Observer
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
	obs := observe.PauseAt(ctx, e.getenv(pauseEnvVar), e.stderr, cfg.Observer)
	stage, err := outdir.BeginReplacing("--out", cfg.OutDir, e.stderr, cfg.Force)
	if err != nil {
		return err
	}
	defer stage.Cleanup(e.stderr)
	stages := progress.NewStages(e.stderr) // each stage outside the exports' bars, on a terminal
	defer stages.Stop(false)
	stages.Start("opening the database")
	if err := store.CheckKeyHistory(ctx, filepath.Join(cfg.OutDir, databaseFile), cfg.Key, cfg.NewKeyHistory); err != nil {
		return err
	}
	params, _ := json.Marshal(map[string]any{
		"outcomes": cfg.Study.Outcomes, "min_cell": cfg.Study.MinCell, "batch_size": cfg.BatchSize, "lang": cfg.Lang,
		"new_key_history": cfg.NewKeyHistory,
	})
	budget := store.BudgetFor(store.InputBytes(cfg.Study))
	if e.getenv("GOMEMLIMIT") == "" { // a limit the user set wins
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(budget.Go))
	}
	db, err := store.Begin(ctx, stage.Path(databaseFile), filepath.Join(cfg.OutDir, databaseFile), store.Run{
		Started: now().UTC(), ToolVersion: version.Tool, ToolCommit: version.Commit(), CommandLine: cfg.CommandLine,
		Study: cfg.Study, KeyFingerprint: cfg.Key.Fingerprint(), Parameters: string(params), MemoryLimit: budget.DuckDB})
	if err != nil {
		return err
	}
	runID := db.RunID()
	defer db.Close()
	stages.Stop(true)

	loaded, err := loadStudy(ctx, db, runID, cfg, obs, e)
	if err != nil {
		return err
	}
	obs.StageDone(observe.StageIngest)
	stages.Start("linking persons across the exports")
	if err := db.Link(ctx); err != nil {
		return err
	}
	obs.StageDone(observe.StageLink)
	stages.Start("computing the outcomes")
	results, err := analyses.ComputeWith(ctx, db.DB(), cfg.Study, runID, store.AppendRows)
	if err != nil {
		return err
	}
	stages.Stop(true) // before the cut-off warnings on stderr
	summary.Cutoff(e.stdout, e.stderr, cfg.Study.Cutoff, results.Exports)
	if err := db.Finish(ctx, runID, now().UTC(), cfg.Study, stage.Path(store.ParquetDir)); err != nil {
		return err
	}
	obs.StageDone(observe.StageAnalyses)
	stages.Start("writing the report and the tables")
	reportFiles, err := reports.Write(stage.Dir(), results, reports.Options{Lang: cfg.Lang})
	if err != nil {
		return outdir.Fail(err)
	}
	obs.StageDone(observe.StageReport)
	stages.Start("saving the database")
	if err := db.Close(); err != nil {
		return fmt.Errorf("closing database: %w", err)
	}
	stages.Stop(true)
	obs.StageDone(observe.StageSave)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := stage.Commit(obs.Committing, append(reportFiles, store.ParquetDir, databaseFile)...); err != nil {
		return err
	}
	summary.Run(e.stdout, loaded)
	summary.Disclosure(e.stdout, results.Disclosure)
	summary.Outputs(e.stdout, cfg.OutDir, append(reportFiles, store.ParquetDir, databaseFile))
	return nil
}

// loadStudy streams every export of the study into the store
// (flow.Stream), in study order; an export with the same content as an
// earlier one is recorded as its duplicate and not read again.
func loadStudy(ctx context.Context, db *store.Store, runID int, cfg pipelineConfig, obs observe.Observer, e env) ([]flow.Result, error) {
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
