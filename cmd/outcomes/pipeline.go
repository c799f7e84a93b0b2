package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
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
	reportFile   = reports.ReportFile
)

type pipelineConfig struct {
	Study     *study.Study
	Key       pseudonymise.Key
	OutDir    string
	Lang      string
	BatchSize int
	Now       func() time.Time // nil means time.Now
	// pause is the kill test's hook (staging.go pauseHook); runPipeline
	// sets it.
	pause func(stage string)
	// Timings, when set, is the file the per-stage times are written to
	// (JSON, for `outcomes bench`).
	Timings string
}

// pipelineDepth is how many batches may wait between two stages of loadFile.
const pipelineDepth = 2

// timings are the measured times of one run. Read, Pseudonymise and Load
// are busy times summed over the files: those stages overlap, so each is
// the time its goroutine worked, and Ingest is their common wall time. The
// other stages run one after the other.
type timings struct {
	Rows                                 int64 // rows read over all files
	Read, Pseudonymise, Load             time.Duration
	Ingest, Link, Analyses, Report, Save time.Duration
	Total                                time.Duration
	// CPU is the process's CPU time (user + system, every thread, DuckDB's
	// too) per sequential stage: "ingest", "link", "analyses", "report",
	// "save". Unlike wall times it hardly changes when other processes
	// compete for the cores.
	CPU map[string]time.Duration
	// PeakRSS is the peak resident set size in bytes per sequential stage
	// (the keys of CPU), where the kernel can tell (stagePeakRSS).
	PeakRSS map[string]int64
}

// processCPU is the CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// write stores t as JSON in path, durations in seconds.
func (t *timings) write(path string) error {
	sec := func(d time.Duration) float64 { return d.Seconds() }
	fields := map[string]any{
		"rows": t.Rows, "read": sec(t.Read), "pseudonymise": sec(t.Pseudonymise), "load": sec(t.Load),
		"ingest": sec(t.Ingest), "link": sec(t.Link), "analyses": sec(t.Analyses), "report": sec(t.Report),
		"save": sec(t.Save), "total": sec(t.Total),
		"cpu_ingest": sec(t.CPU["ingest"]), "cpu_link": sec(t.CPU["link"]), "cpu_analyses": sec(t.CPU["analyses"]),
		"cpu_report": sec(t.CPU["report"]), "cpu_save": sec(t.CPU["save"]),
	}
	for stage, rss := range t.PeakRSS {
		fields["rss_"+stage] = rss
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing timings: %w", err)
	}
	return nil
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
	tm := timings{CPU: map[string]time.Duration{}, PeakRSS: map[string]int64{}}
	// Per-stage peaks reset the process's peak RSS (stagePeakRSS), so they
	// are measured only when timings are asked for.
	peakRSS := func() (int64, bool) { return 0, false }
	if cfg.Timings != "" {
		peakRSS = stagePeakRSS
	}
	begin, beginCPU := time.Now(), processCPU()
	peakRSS() // from here on, each lap reads its own stage's peak
	lap := func(d *time.Duration, name string) {
		t, c := time.Now(), processCPU()
		*d, begin = t.Sub(begin), t
		tm.CPU[name], beginCPU = c-beginCPU, c
		if rss, ok := peakRSS(); ok {
			tm.PeakRSS[name] = rss
		}
	}
	cfg.pause = pauseHook(ctx, e)
	stage, err := newStaging(cfg.OutDir, e.stderr)
	if err != nil {
		return withCode(exitOutput, err)
	}
	defer stage.cleanup(e.stderr)

	db, err := store.Create(ctx, stage.path(databaseFile))
	if err != nil {
		return withCode(exitOutput, err)
	}
	defer db.Close()
	// The previous run's provenance is carried over (rerun.go).
	runID := 1
	if prev := filepath.Join(cfg.OutDir, databaseFile); fileExists(prev) {
		if runID, err = db.ImportHistory(ctx, prev); err != nil {
			return withCode(exitOutput, fmt.Errorf("%w (close any program that has it open, or move it away to start a new history)", err))
		}
	}
	params, _ := json.Marshal(map[string]any{
		"outcomes": cfg.Study.Outcomes, "min_cell": cfg.Study.MinCell, "batch_size": cfg.BatchSize, "lang": cfg.Lang,
	})
	if err := db.StartRun(ctx, store.Run{ID: runID, Started: now().UTC(), ToolVersion: toolVersion, Study: cfg.Study,
		KeyFingerprint: cfg.Key.Fingerprint(), Parameters: string(params)}); err != nil {
		return err
	}

	start := begin
	p := pseudonymise.NewForStudy(cfg.Key, cfg.Study)
	var summary []store.FileRecord
	dups := findDuplicates(cfg.Study)
	for pi, partner := range cfg.Study.Partners {
		for fi, f := range partner.Files {
			if d, ok := dups[fileRef{pi, fi}]; ok {
				of := cfg.Study.Partners[d.of.partner]
				if err := db.RecordDuplicate(ctx, runID, partner.Name, f.Name, f.Kind, d.sha256, d.bytes, of.Name, of.Files[d.of.file].Name); err != nil {
					return err
				}
				fmt.Fprintln(e.stderr, duplicateNote(cfg.Study, fileRef{pi, fi}, d))
				continue
			}
			rec, err := loadFile(ctx, db, p, cfg, runID, partner.Name, f, e, &tm)
			if err != nil {
				return err
			}
			summary = append(summary, rec)
		}
	}
	lap(&tm.Ingest, "ingest")
	if err := db.Link(ctx); err != nil {
		return err
	}
	lap(&tm.Link, "link")
	results, err := analyses.Compute(ctx, db.DB(), cfg.Study, runID)
	if err != nil {
		return err
	}
	if err := db.FinishRun(ctx, runID, now().UTC()); err != nil {
		return err
	}
	lap(&tm.Analyses, "analyses")
	reportFiles, err := reports.Write(stage.dir, results, reports.Options{Lang: cfg.Lang})
	if err != nil {
		return withCode(exitOutput, err)
	}
	cfg.pause(stageReport)
	lap(&tm.Report, "report")
	if err := db.Close(); err != nil {
		return fmt.Errorf("closing database: %w", err)
	}
	lap(&tm.Save, "save")
	tm.Total = time.Since(start)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := stage.commit(cfg.pause, append(reportFiles, databaseFile)...); err != nil {
		return withCode(exitOutput, err)
	}
	printSummary(e.stdout, summary, cfg.OutDir)
	if cfg.Timings != "" {
		return tm.write(cfg.Timings)
	}
	return nil
}

// loadFile streams one export through ingest and pseudonymise into the store.
// The three stages overlap: one goroutine reads and validates, one
// pseudonymises, and the calling goroutine, which alone uses the store's
// connection, writes quarantine records and loads batches. Bounded channels
// (pipelineDepth batches each) keep memory bounded by the batch size. The
// quarantine records found before a batch travel with it, so the
// quarantine table gets them in the same order as when the stages ran one
// after the other. Every batch is released, on error paths too.
func loadFile(ctx context.Context, db *store.Store, p *pseudonymise.Pseudonymiser, cfg pipelineConfig,
	runID int, partner string, f study.File, e env, tm *timings) (store.FileRecord, error) {
	fl, err := db.BeginFile(ctx, runID, partner)
	if err != nil {
		return store.FileRecord{}, err
	}
	stageCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Read and validate.
	type rawMsg struct {
		raw         ingest.RawBatch // Record is nil for a message of quarantine records only
		quarantined []ingest.Quarantine
	}
	raws := make(chan rawMsg, pipelineDepth)
	var res ingest.FileResult
	var readErr error
	var readBusy time.Duration
	bar := newProgress(e, partner+" / "+f.Name, f.Path) // nil (silent) unless stderr is a terminal
	go func() {
		defer close(raws)
		start, blocked := time.Now(), time.Duration(0)
		var pending []ingest.Quarantine
		send := func(m rawMsg) error {
			t := time.Now()
			defer func() { blocked += time.Since(t) }()
			select {
			case raws <- m:
				pending = nil
				return nil
			case <-stageCtx.Done():
				if m.raw.Record != nil {
					m.raw.Record.Release()
				}
				return stageCtx.Err()
			}
		}
		res, readErr = ingest.ReadFile(stageCtx, cfg.Study, partner, f, ingest.Options{
			BatchSize:  cfg.BatchSize,
			Progress:   bar.set,
			Quarantine: func(q ingest.Quarantine) { pending = append(pending, q) },
			Emit: func(raw ingest.RawBatch) error {
				cfg.pause(stageRead)
				return send(rawMsg{raw: raw, quarantined: pending})
			},
		})
		if readErr == nil && len(pending) > 0 {
			readErr = send(rawMsg{quarantined: pending})
		}
		readBusy = time.Since(start) - blocked
	}()

	// Pseudonymise.
	type loadMsg struct {
		batch       pseudonymise.Batch
		hasBatch    bool
		links       pseudonymise.LinkStats
		quarantined []ingest.Quarantine
	}
	loads := make(chan loadMsg, pipelineDepth)
	var pseudoErr error
	var pseudoBusy time.Duration
	go func() {
		defer close(loads)
		for m := range raws {
			if pseudoErr != nil || stageCtx.Err() != nil {
				if m.raw.Record != nil {
					m.raw.Record.Release()
				}
				continue
			}
			out := loadMsg{quarantined: m.quarantined}
			if m.raw.Record != nil {
				t := time.Now()
				batch, stats, err := p.Batch(m.raw, func(q ingest.Quarantine) { out.quarantined = append(out.quarantined, q) })
				pseudoBusy += time.Since(t)
				if err != nil {
					pseudoErr = err
					cancel()
					continue
				}
				out.batch, out.hasBatch, out.links = batch, true, stats
			}
			select {
			case loads <- out:
			case <-stageCtx.Done():
				if out.hasBatch {
					out.batch.Release()
				}
			}
		}
	}()

	// Load, on this goroutine. The loop ends when the pseudonymiser has
	// closed loads, which it does only after the reader closed raws: after
	// it, res, readErr and pseudoErr are safe to read.
	var links pseudonymise.LinkStats
	var loadErr error
	for m := range loads {
		if loadErr != nil {
			if m.hasBatch {
				m.batch.Release()
			}
			continue
		}
		t := time.Now()
		for _, q := range m.quarantined {
			if err := fl.Quarantine(q); err != nil && loadErr == nil {
				loadErr = err
			}
		}
		if m.hasBatch {
			links.Add(m.links)
			if err := fl.Load(stageCtx, m.batch); err != nil && loadErr == nil {
				loadErr = err
			}
			cfg.pause(stageLoad)
		}
		tm.Load += time.Since(t)
		if loadErr != nil {
			cancel()
		}
	}
	bar.done(readErr == nil && pseudoErr == nil && loadErr == nil)
	tm.Read += readBusy
	tm.Pseudonymise += pseudoBusy
	tm.Rows += int64(res.RowsRead)
	if err := ctx.Err(); err != nil {
		return store.FileRecord{}, err
	}
	if loadErr != nil {
		return store.FileRecord{}, loadErr
	}
	if pseudoErr != nil {
		return store.FileRecord{}, pseudoErr
	}
	if err := readErr; err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, ingest.ErrAccounting) {
			return store.FileRecord{}, err
		}
		return store.FileRecord{}, withCode(exitInput, fmt.Errorf("partner %s: %w", partner, err))
	}
	rec := store.FileRecord{Result: res, Links: links}
	t := time.Now()
	if err := fl.Finish(ctx, rec); err != nil {
		return store.FileRecord{}, err
	}
	tm.Load += time.Since(t)
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
		if q > 0 {
			fmt.Fprintf(w, "%-16s   quarantined per rule: %s\n", "", ruleCounts(fileCheck{Result: f.Result, Identity: identityCounts{None: f.Links.Unlinked}}.ByRule()))
		}
		read, loaded, quarantined = read+f.Result.RowsRead, loaded+l, quarantined+q
	}
	fmt.Fprintf(w, "%-16s %-34s %9d %9d %12d\n", "total", "", read, loaded, quarantined)
	printLinkage(w, files)
	fmt.Fprintf(w, "\nwrote %s/%s and %s/%s\n", outDir, databaseFile, outDir, reportFile)
}
