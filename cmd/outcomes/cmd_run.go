package main

import (
	"context"
	"errors"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/bench"
	"github.com/outcomes-research/outcomes/internal/outdir"
	"github.com/outcomes-research/outcomes/internal/version"
	"github.com/outcomes-research/outcomes/pseudonymise"
	"github.com/outcomes-research/outcomes/reports"
	"github.com/outcomes-research/outcomes/study"
)

// runOptions are the flags of `outcomes run`.
type runOptions struct {
	StudyFile, OutDir, KeyFile, Lang, Timings string
	BatchSize                                 int
	NewKeyHistory, Force                      bool // see pipelineConfig
}

func (o *runOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.StudyFile, "study", "", "study definition file (YAML)")
	fs.StringVar(&o.OutDir, "out", "", "output folder for the database and report (created if missing)")
	fs.StringVar(&o.KeyFile, "key-file", "", "study key file (mode 0600); default: the key in $"+pseudonymise.KeyEnvVar)
	fs.StringVar(&o.Lang, "lang", "nl", "report language: nl or en")
	fs.IntVar(&o.BatchSize, "batch-size", 65536, "rows per Arrow batch between stages")
	fs.BoolVar(&o.Force, "force", false, forceUsage)
	fs.BoolVar(&o.NewKeyHistory, "new-key-history", false, "allow a study key other than the one of the earlier runs in --out (starts a new history; recorded in the run's parameters)")
	fs.StringVar(&o.Timings, "timings", "", "write the per-stage times of the run to this file (JSON; used by outcomes bench)")
}

// validateRunArgs checks the flags without touching the file system.
func validateRunArgs(o runOptions) error {
	switch {
	case o.StudyFile == "":
		return errors.New("--study is required: the study definition file")
	case o.OutDir == "":
		return errors.New("--out is required: the folder for the database and report")
	case o.BatchSize < 1 || o.BatchSize > ingest.MaxBatchSize:
		return ingest.BatchSizeError(o.BatchSize)
	}
	return reports.CheckLanguage(o.Lang)
}

func cmdRun(ctx context.Context, args []string, e env) error {
	var o runOptions
	fs := newFlagSet("run", "run --study FILE --out DIR [--key-file FILE] [--lang nl|en] [--force]", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := validateRunArgs(o); err != nil {
		return badUsage(err)
	}
	if o.Timings != "" {
		if err := outdir.CheckFile("--timings", o.Timings); err != nil {
			return err
		}
	}
	st, err := study.Load(o.StudyFile)
	if err != nil {
		return err
	}
	key, err := pseudonymise.LoadStudyKey(st, o.KeyFile, e.getenv)
	if err != nil {
		return err
	}
	cfg := pipelineConfig{Study: st, Key: key, OutDir: o.OutDir, Lang: o.Lang, BatchSize: o.BatchSize, CommandLine: version.CommandLine("run", args), NewKeyHistory: o.NewKeyHistory, Force: o.Force}
	if o.Timings == "" {
		return runPipeline(ctx, cfg, e)
	}
	rec := bench.NewRecorder()
	cfg.Observer = rec
	if err := runPipeline(ctx, cfg, e); err != nil {
		return err
	}
	return outdir.Fail(rec.Write(o.Timings))
}
