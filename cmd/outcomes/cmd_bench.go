package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/bench"
)

// benchOptions are the flags of `outcomes bench`. The harness itself is
// internal/bench.
type benchOptions struct {
	Sizes     []string
	Runs      int
	Dir       string
	BatchSize int
	Seed      int64

	// Hidden: run the read_csv baseline job in this file in this process
	// (the parent runs it as a child so that its peak RSS is measured as
	// the pipeline's; bench.BaselineArgs writes the flag).
	Baseline string
}

func (o *benchOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringSliceVar(&o.Sizes, "sizes", []string{"0.1M", "1M"}, "study sizes in justice-extract events (K and M suffixes), e.g. 0.1M,1M,10M; persons = events / 10")
	fs.IntVar(&o.Runs, "runs", 3, "runs per size; medians are reported")
	fs.StringVar(&o.Dir, "dir", "", "work folder: synthetic studies are generated here once and reused, databases are written here")
	fs.IntVar(&o.BatchSize, "batch-size", 65536, "rows per Arrow batch (passed to outcomes run)")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the synthetic studies")
	fs.StringVar(&o.Baseline, "baseline", "", "")
	_ = fs.MarkHidden("baseline")
}

// validateBenchArgs checks the flags without touching the file system and
// returns the sizes.
func validateBenchArgs(o benchOptions) ([]bench.Size, error) {
	switch {
	case o.Dir == "":
		return nil, errors.New("--dir is required: a work folder outside the repository (e.g. /tmp/bench)")
	case o.Runs < 1:
		return nil, errors.New("--runs must be at least 1")
	case o.BatchSize < 1 || o.BatchSize > ingest.MaxBatchSize:
		return nil, ingest.BatchSizeError(o.BatchSize)
	case len(o.Sizes) == 0:
		return nil, errors.New("--sizes needs at least one size, e.g. 0.1M,1M,10M")
	}
	sizes := make([]bench.Size, 0, len(o.Sizes))
	for _, s := range o.Sizes {
		n, err := bench.ParseCount(s)
		if err != nil {
			return nil, fmt.Errorf("--sizes: %w", err)
		}
		if n < bench.MinEvents {
			return nil, fmt.Errorf("--sizes: %q is too small; use at least 1K events", s)
		}
		sizes = append(sizes, bench.Size{Label: strings.TrimSpace(s), Events: n})
	}
	return sizes, nil
}

func cmdBench(ctx context.Context, args []string, e env) error {
	var o benchOptions
	fs := newFlagSet("bench", "bench --dir DIR [--sizes 0.1M,1M,10M] [--runs 3]", e)
	o.AddFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.Baseline != "" {
		return bench.RunBaseline(ctx, o.Baseline)
	}
	sizes, err := validateBenchArgs(o)
	if err != nil {
		return badUsage(err)
	}
	cfg := bench.Config{Dir: o.Dir, Sizes: sizes, Runs: o.Runs, BatchSize: o.BatchSize, Seed: o.Seed}
	return bench.Run(ctx, cfg, e.stdout, e.stderr)
}
