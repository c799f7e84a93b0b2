package main

// Limits and early checks of flag values, shared by the commands: each
// flag is range-checked before anything is read, and an output path given
// by a flag is checked before the run, so that a mistake costs no work and
// commits nothing.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/internal/outdir"
)

// batchSizeError says what --batch-size accepts.
func batchSizeError(n int) error {
	return fmt.Errorf("--batch-size %d is out of range: use a number of rows from 1 to %d", n, ingest.MaxBatchSize)
}

// checkOutputFile checks, before a run, that the file a flag names (such
// as --timings) can be written: its folder exists and is writable, and the
// path is not a folder. A file that does not exist yet is created and
// removed again. Errors are *outdir.Error (exit code 6).
func checkOutputFile(flag, path string) error {
	if info, err := os.Stat(path); err == nil {
		if !info.Mode().IsRegular() {
			return outdir.Fail(fmt.Errorf("%s %s: not a regular file", flag, path))
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return outdir.Fail(fmt.Errorf("%s %s cannot be written: %w", flag, path, err))
		}
		return f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return outdir.Fail(fmt.Errorf("%s %s cannot be written: %w", flag, path, err))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return outdir.Fail(fmt.Errorf("%s %s cannot be written (folder %s): %w", flag, path, filepath.Dir(path), err))
	}
	f.Close()
	return os.Remove(path)
}

// Bounds of the synthetic study's size flags: far beyond any benchmark
// (the 10M benchmark has a million persons), short of sizes that would
// only exhaust memory or disk.
const (
	maxSynthScale   = 1000
	maxSynthPersons = 100_000_000
	maxSynthEvents  = 1_000_000_000
)

// validateSynthSizes range-checks synth's --scale, --persons and --events.
func validateSynthSizes(scale float64, persons, events int) error {
	switch {
	case math.IsNaN(scale) || scale <= 0 || scale > maxSynthScale:
		return fmt.Errorf("--scale %v is out of range: use a number above 0 and at most %d", scale, maxSynthScale)
	case persons < 0 || persons > maxSynthPersons:
		return fmt.Errorf("--persons %d is out of range: use 0 (from --scale) to %d", persons, maxSynthPersons)
	case events < 0 || events > maxSynthEvents:
		return fmt.Errorf("--events %d is out of range: use 0 (from --scale) to %d", events, maxSynthEvents)
	}
	return nil
}
