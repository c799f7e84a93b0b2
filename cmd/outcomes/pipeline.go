package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/outcomes-research/outcomes/analyses"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/outdir"
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
	// the kill test's pause hook is added by runPipeline.
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
	obs := observers{newPauseHook(ctx, e)}
	if cfg.Observer != nil {
		obs = append(obs, cfg.Observer)
	}
	stage, err := outdir.Begin(cfg.OutDir, e.stderr)
	if err != nil {
		return err
	}
	defer stage.Cleanup(e.stderr)
	db, runID, err := startRun(ctx, cfg, stage, now)
	if err != nil {
		return err
	}
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
	if err := stage.Commit(obs.committing, append(reportFiles, databaseFile)...); err != nil {
		return err
	}
	summary.Run(e.stdout, loaded)
	fmt.Fprintf(e.stdout, "\nwrote %s/%s and %s/%s\n", cfg.OutDir, databaseFile, cfg.OutDir, reportFile)
	return nil
}

// startRun creates the run's database in the staging folder and records
// the new run. A run on an output folder that already holds an outcomes
// database carries that database's run and source_file rows over into the
// new one (store.ImportHistory) and takes the next run id: the provenance
// then shows, run by run, which file versions (SHA-256) were read, so a
// corrected export is visible as a new hash of the same file in a later
// run. The data tables hold the newest run's rows only.
func startRun(ctx context.Context, cfg pipelineConfig, stage *outdir.Staging, now func() time.Time) (*store.Store, int, error) {
	db, err := store.Create(ctx, stage.Path(databaseFile))
	if err != nil {
		return nil, 0, outdir.Fail(err)
	}
	runID := 1
	if prev := filepath.Join(cfg.OutDir, databaseFile); fileExists(prev) {
		if runID, err = db.ImportHistory(ctx, prev); err != nil {
			db.Close()
			return nil, 0, outdir.Fail(fmt.Errorf("%w (close any program that has it open, or move it away to start a new history)", err))
		}
	}
	params, _ := json.Marshal(map[string]any{
		"outcomes": cfg.Study.Outcomes, "min_cell": cfg.Study.MinCell, "batch_size": cfg.BatchSize, "lang": cfg.Lang,
	})
	if err := db.StartRun(ctx, store.Run{ID: runID, Started: now().UTC(), ToolVersion: toolVersion, Study: cfg.Study,
		KeyFingerprint: cfg.Key.Fingerprint(), Parameters: string(params)}); err != nil {
		db.Close()
		return nil, 0, err
	}
	return db, runID, nil
}

// loadStudy streams every export of the study into the store
// (flow.Stream), in study order; an export with the same content as an
// earlier one is recorded as its duplicate and not read again.
func loadStudy(ctx context.Context, db *store.Store, runID int, cfg pipelineConfig, obs observers, e env) ([]flow.Result, error) {
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
			bar := newProgress(e, partner.Name+" / "+f.Name, f.Path) // nil (silent) unless stderr is a terminal
			res, err := flow.Stream(ctx, flow.Export{Study: st, Partner: partner.Name, File: f}, p, fl,
				flow.Options{BatchSize: cfg.BatchSize, Progress: bar.set, Observer: obs})
			bar.done(err == nil)
			if err != nil {
				return nil, err
			}
			if err := fl.Finish(ctx, store.FileRecord{Result: res.File, Links: res.Links}); err != nil {
				return nil, err
			}
			obs.FileDone(res)
			if e.stderrIsTerminal() {
				fmt.Fprintf(e.stderr, "read %s / %s: %d rows\n", partner.Name, f.Name, res.File.RowsRead)
			}
			loaded = append(loaded, res)
		}
	}
	return loaded, nil
}

// observers tells each of its runObservers, in order.
type observers []runObserver

func (o observers) At(p flow.Point) {
	for _, x := range o {
		x.At(p)
	}
}

func (o observers) FileDone(r flow.Result) {
	for _, x := range o {
		x.FileDone(r)
	}
}

func (o observers) StageDone(stage string) {
	for _, x := range o {
		x.StageDone(stage)
	}
}

// committing is called when the staged outputs are complete, before they
// are moved into place.
func (o observers) committing() {
	for _, x := range o {
		if c, ok := x.(interface{ Committing() }); ok {
			c.Committing()
		}
	}
}

// fileExists says whether path names an existing file.
func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}
