// Package store is the load stage: it keeps a study's canonical tables in an
// embedded DuckDB database file and is the only package that imports the
// DuckDB driver.
//
// Data flows one way: ingest → pseudonymise → store → analyses → reports.
// The store accepts only pseudonymise.Batch values, whose schema has no
// column for a direct identifier; analyses get a *sql.DB to query.
//
// Tables (see schema.sql for every column):
//   - run, source_file, quarantine: provenance and row accounting; for each
//     file rows_read = rows_loaded + rows_quarantined.
//   - person, trajectory, event: the canonical model.
//   - result tables written by analyses (outcome_rate and friends).
//   - record_encoding, linkage_map, linkage_row, linkage_model, linkage_run,
//     linkage_weight, linkage_review (linkage.sql): the keyed encodings and
//     the probabilistic linkage, filled only when the study turns it on
//     (linkage.go; Link runs package link after the exact fallback join).
//
// Loading: each export file is one stream of Arrow batches read by one
// INSERT … SELECT on a connection of its own (stream.go); a run's memory
// limit comes from the size of its exports and DuckDB runs one thread
// until Link (memory.go).
//
// Invariants: DuckDB never installs or loads extensions from the network
// (autoinstall_known_extensions and autoload_known_extensions are off); a
// Store writes to the file it was created on and nothing else.
package store
