package main

// Limits and early checks of flag values, shared by the commands: each
// flag is range-checked before anything is read, and an output path given
// by a flag is checked before the run, so that a mistake costs no work and
// commits nothing.

import (
	"errors"
	"fmt"
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
