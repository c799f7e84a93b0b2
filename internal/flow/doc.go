// Package flow streams one export through the stages that see rows with
// identifiers: read and validate (ingest) → pseudonymise → a [Sink]. It is
// the only non-test code that calls both the reader and the
// pseudonymiser, so `outcomes run` (sink: the store's file loader),
// `outcomes pseudonymise` (sink: the supplier's export writer), `outcomes
// check` ([DryRun]: a [Counter], under a throwaway key) and the test
// helpers all take the same path, and what the tests exercise is what
// production runs.
//
// Its place in the data flow:
//
//	export ──► ingest.ReadFile ──► Pseudonymiser.Batch ──► Sink
//	           (raw batches,        (batches without        (store, supplier
//	            quarantine)          identifiers)            CSV, counter)
//
// Invariants:
//   - Three goroutines overlap the stages; channels of [Depth] batches
//     bound the memory by the batch size, not the file size.
//   - The sink is called from one goroutine (the caller's), in input order:
//     the quarantine records found before a batch reach the sink before it.
//   - Every batch is released, on error paths too; a batch handed to
//     Sink.Write belongs to the sink.
//   - The accounting adds up: rows read = rows written + rows quarantined
//     (by ingest and by pseudonymise), or Stream fails with
//     [ingest.ErrAccounting], a bug.
//   - Errors are typed: an export that cannot be read is an [*InputError];
//     an interruption is the context's error; anything else (a sink
//     failure, the accounting) is returned as it is.
//
// [Duplicates] finds the exports of a study whose content equals an
// earlier one, which a run records but does not read again. The observer
// ([Options].Observer) is told of each batch read and written; the kill
// test pauses there and the benchmark counts the busy times; a progress
// bar per export is drawn when [Options].ProgressTo is a terminal.
package flow
