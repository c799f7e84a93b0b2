package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// staging is a temporary folder inside the output folder where a run writes
// its outputs; commit moves them into place, cleanup removes what is left.
// The folder's name starts with a dot and says what it is, so no temporary
// file is mistaken for a result.
type staging struct {
	outDir, dir string
}

func newStaging(outDir string) (*staging, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	dir, err := os.MkdirTemp(outDir, ".outcomes-incomplete-run-")
	if err != nil {
		return nil, fmt.Errorf("output folder %s is not writable: %w", outDir, err)
	}
	return &staging{outDir: outDir, dir: dir}, nil
}

func (s *staging) path(name string) string { return filepath.Join(s.dir, name) }

// commit renames each named output into the output folder, replacing the
// previous run's file of that name. Each rename is atomic.
func (s *staging) commit(names ...string) error {
	for _, n := range names {
		dst := filepath.Join(s.outDir, n)
		// Names may be in a subfolder (the report's tables/x.csv).
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("creating folder for %s in %s: %w", n, s.outDir, err)
		}
		if err := os.Rename(s.path(n), dst); err != nil {
			return fmt.Errorf("moving %s into %s: %w", n, s.outDir, err)
		}
	}
	return nil
}

// cleanup removes the staging folder and whatever is still in it; a failure
// is only a warning, since the results are already in place or were never
// complete.
func (s *staging) cleanup(warn io.Writer) {
	if err := os.RemoveAll(s.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(warn, "warning: could not remove %s: %v\n", s.dir, err)
	}
}
