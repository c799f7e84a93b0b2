package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// An error a stage returns after an interruption, in its own words
// (DuckDB's interrupt, a closed reader), exits 130, not as a bug.
func TestInterruptedExitCode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stageErr := fmt.Errorf("computing analyses: %w", errors.New("INTERRUPT Error: Interrupted!"))
	if got := exitCode(interrupted(ctx, stageErr)); got != exitBug {
		t.Errorf("without an interruption: exit %d, want %d", got, exitBug)
	}
	cancel()
	if got := exitCode(interrupted(ctx, stageErr)); got != exitCanceled {
		t.Errorf("after an interruption: exit %d, want %d", got, exitCanceled)
	}
	if got := exitCode(interrupted(ctx, nil)); got != exitOK {
		t.Errorf("a run that finished before the interruption: exit %d", got)
	}
}
