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
//   - programme: the study file's programmes (code, name, outcome, shelter,
//     reference date), written by Finish.
//   - person, trajectory, event, assessment, household_link: the canonical
//     model.
//   - result tables written by analyses (outcome_rate and friends, and the
//     researchers' analysis_dataset).
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
// Finishing (parquet.go): Finish records the programmes, gives every table
// and column of the schema its comment (COMMENT ON from schema.sql and
// linkage.sql, internal/sqldoc; catalogue.go), stamps the run, writes the
// Parquet export (WriteParquet: the provenance, the canonical tables, and
// outcome_subject and analysis_dataset partitioned by cohort) and makes the
// database file private. The database and the Parquet files are the
// researchers' pseudonymised microdata: mode 0600 (folders 0700), not
// published tables.
//
// Invariants: DuckDB never installs or loads extensions from the network
// (autoinstall_known_extensions and autoload_known_extensions are off); a
// Store writes to the file it was created on and, in Finish, to the Parquet
// folder it is given, nothing else.
package store
