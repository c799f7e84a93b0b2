package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/flow"
	"github.com/outcomes-research/outcomes/internal/summary"
	"github.com/outcomes-research/outcomes/study"
)

// checkOptions are the flags of `outcomes check`.
type checkOptions struct {
	StudyFile string
	BatchSize int
}

func (o *checkOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.StudyFile, "study", "", "study definition file (YAML)")
	fs.IntVar(&o.BatchSize, "batch-size", ingest.DefaultBatchSize, "rows per Arrow batch while reading")
}

// validateCheckArgs checks the flags without touching the file system.
func validateCheckArgs(o checkOptions) error {
	switch {
	case o.StudyFile == "":
		return errors.New("--study is required: the study definition file")
	}
	return ingest.CheckBatchSize(o.BatchSize)
}

// cmdCheck is a dry run: it streams every export of the study through the
// same flow as `outcomes run` (flow.Stream: read, validate, pseudonymise)
// into a counter, and prints per file what it found. It writes nothing and
// needs no study key: rows are pseudonymised under a throwaway key that
// lives only in memory (pseudonymise.EphemeralKey), so the decision of how
// each row links, or why it is quarantined, is the run's own.
func cmdCheck(ctx context.Context, args []string, e env) error {
	var o checkOptions
	fs := newFlagSet("check", "check --study FILE", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := validateCheckArgs(o); err != nil {
		return badUsage(err)
	}
	st, err := study.Load(o.StudyFile)
	if err != nil {
		return err
	}
	checks, err := flow.DryRun(ctx, st, flow.Options{BatchSize: o.BatchSize, ProgressTo: e.stderr})
	if err != nil {
		return err
	}
	summary.Check(e.stdout, checks)
	failed := 0
	for _, c := range checks {
		if c.Err != nil {
			failed++
		}
	}
	if failed > 0 {
		return &flow.InputError{Partner: "", Err: fmt.Errorf("%d of %d exports cannot be read (see above)", failed, len(checks))}
	}
	return nil
}
