package store

// The key-history check: the runs of one output folder form a history
// (Begin carries the earlier runs' provenance over), and their
// pseudonyms are comparable only under one study key. A run with another
// key into a folder whose newest run used a different one is refused
// unless the command line (--new-key-history) says that a new history starts on purpose; the
// choice is recorded in the run's parameters (new_key_history).

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/outcomes-research/outcomes/pseudonymise"
)

// ErrKeyHistory is a run whose key is not the key of the output folder's
// history. It matches pseudonymise.ErrInvalidKey (exit code 5).
var ErrKeyHistory = fmt.Errorf("the study key differs from the one of the earlier runs in this output folder: %w", pseudonymise.ErrInvalidKey)

// CheckKeyHistory compares the key's fingerprint with the newest run's in
// the database at path, the output folder's. No database, or allowNew,
// passes. It reads the database only (read-only); the caller holds the
// folder's lock.
func CheckKeyHistory(ctx context.Context, path string, key pseudonymise.Key, allowNew bool) error {
	outDir := filepath.Dir(path)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) || allowNew {
		return nil
	}
	db, err := Open(ctx, path, true)
	if err != nil {
		return nil // store.Begin reports an unreadable history
	}
	defer db.Close()
	var previous string
	if err := db.DB().QueryRowContext(ctx, `SELECT key_fingerprint FROM run ORDER BY run_id DESC LIMIT 1`).Scan(&previous); err != nil {
		return nil // no run yet: nothing to compare
	}
	if previous != key.Fingerprint() {
		return fmt.Errorf("%s: the newest run there used the key with fingerprint %s, this run %s; pseudonyms of different keys do not link, so the history would mix two sets of persons. Use the study's key, another --out, or --new-key-history to start a new history on purpose (%w)",
			outDir, previous, key.Fingerprint(), ErrKeyHistory)
	}
	return nil
}
