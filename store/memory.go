package store

import (
	"context"
	"fmt"
	"os"

	"github.com/outcomes-research/outcomes/study"
)

// Budget is the memory of one run, chosen from the size of its exports
// (BudgetFor) instead of fixed: DuckDB's memory_limit (its buffer pool;
// larger joins and aggregates spill to a temporary folder next to the
// database) and the Go heap's soft limit (GOMEMLIMIT, runtime/debug
// SetMemoryLimit; the collector works harder near it, it never fails an
// allocation).
//
// Both grow with the input up to a ceiling, so that a small study does
// not hold a buffer pool it never needs and a national one stays in a flat
// 512 MiB: at 10 million events a DuckDB limit of 256 MB instead of 512 MB
// took the peak from 831 to 646 MiB at the same speed (BENCHMARKS.md), and
// the Go heap of a run is the flow's bounded batches plus the analyses'
// outcome subjects.
type Budget struct {
	// DuckDB is DuckDB's memory_limit in bytes.
	DuckDB int64
	// Go is the Go runtime's soft memory limit in bytes.
	Go int64
}

// The bounds of a Budget: each part is twice the input, between these.
const (
	minBudgetPart = 128 << 20
	maxBudgetPart = 256 << 20
)

// BudgetFor is the budget of a run over inputBytes bytes of exports.
func BudgetFor(inputBytes int64) Budget {
	part := min(max(2*inputBytes, minBudgetPart), maxBudgetPart)
	return Budget{DuckDB: part, Go: part}
}

// InputBytes is the size of the study's exports on disk; a file that
// cannot be read counts as empty (the flow reports it).
func InputBytes(st *study.Study) int64 {
	var n int64
	for _, p := range st.Partners {
		for _, f := range p.Files {
			if fi, err := os.Stat(f.Path); err == nil {
				n += fi.Size()
			}
		}
	}
	return n
}

// setMemoryLimit sets DuckDB's memory_limit to bytes (rounded down to
// whole MiB, at least 1).
func (s *Store) setMemoryLimit(ctx context.Context, bytes int64) error {
	mib := max(bytes>>20, 1)
	if _, err := s.conn.ExecContext(ctx, fmt.Sprintf("SET memory_limit = '%dMiB'", mib)); err != nil {
		return fmt.Errorf("setting DuckDB's memory limit: %w", err)
	}
	return nil
}

// setIngestThreads chooses DuckDB's threads for a stage: one while the
// exports are loaded (each batch is appended by one connection and the
// Go stages of the flow need the other cores; more threads only contend),
// every core (DuckDB's default) from linking on, whose joins and
// aggregates run in parallel.
func (s *Store) setIngestThreads(ctx context.Context, ingest bool) error {
	q := "RESET threads"
	if ingest {
		q = "SET threads = 1"
	}
	if _, err := s.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("setting DuckDB's threads: %w", err)
	}
	return nil
}
