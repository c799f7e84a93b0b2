// Package ingest is the first stage of the pipeline: it reads partner exports
// as they arrive (CSV, XLSX, Parquet), maps their columns onto the canonical
// model through the study file, validates every row and emits the rows that
// pass as Arrow record batches.
//
// Data flows one way: ingest → pseudonymise → store → analyses → reports.
// Rows leaving this package still hold direct identifiers (BSN, surname, full
// birth date, postcode); they are wrapped in RawBatch, which only package
// pseudonymise consumes. Nothing downstream of pseudonymise can accept a
// RawBatch, so identifiers cannot reach the store by accident.
//
// Invariants:
//   - Every data row of a file is either emitted in a RawBatch or quarantined
//     with a Quarantine record (file, line, column, rule); FileResult counts
//     both, and RowsRead == RowsEmitted + RowsQuarantined is checked here.
//   - Errors and quarantine records carry positions and rule names (a Rule,
//     one of Rules()), never field values: a value may be a national ID or
//     a name.
//   - Columns listed as identifiers in the study file, and columns the study
//     file does not map, are never read into a batch.
//   - Memory is bounded by the batch size, not by the file size (the Arrow
//     allocator can be passed in Options to measure it), plus a sample of
//     at most DateSampleRows rows held back to detect date formats.
//   - A date format declared in the study file wins. Without one, each date
//     column's format is detected from the sample (FileResult.
//     DetectedDateFormats); a value that could be read two ways and that
//     the sample does not decide is quarantined (date_ambiguous), never
//     guessed.
//
// # Files
//
// One job per file:
//
//   - read.go: ReadFile, its Options and FileResult; hashing the file, and
//     the accounting check at the end (ErrAccounting).
//   - mapping.go: the header matched to the canonical fields of the kind
//     (ColumnError when it does not match: it names missing expected
//     names, the column count and the expected names found, never a cell;
//     unmapped columns are named by position when their header looks like
//     a value), and the mapper, which turns a row's strings into values or
//     the rule they break: dates through parse.FastDate and else
//     parse.ParseDate, whole numbers, codes; a date before the row's birth
//     date is before_birth.
//   - batch.go: batchBuilder, which appends mapped rows to Arrow arrays and
//     hands out batches of DefaultBatchSize (or Options.BatchSize) rows.
//   - detect.go: the sample of leading rows held back to detect each date
//     column's format (DateSampleRows, DateSampleBytes).
//   - codes.go: code tables, counting of unknown codes (MaxUnknownCodes,
//     MaxCodeLen); a code is listed only when it looks like its table's
//     codes (safeCode), else counted as "(value of N characters)".
//   - freetext.go: allowed free-text values scanned for identifier
//     patterns (FreeTextPatterns); a match is dropped and counted
//     (FileResult.FreeTextDropped), never kept.
//   - quarantine.go: the quarantine rules (type Rule, Rules) and the
//     Quarantine record.
//   - schema.go: RawSchema and RawBatch.
//
// Tests: corpus_test.go reads every case of testdata/ingest against its
// expectations; fuzz_test.go holds FuzzReadFile and FuzzHeaderReport (no
// input value in any message); memory_test.go bounds
// memory by the batch and the sample; constlists_test.go checks that Rules
// and source.Formats list every constant declared.
//
// Sub-packages: source reads rows from files (its formats are source.Formats:
// csv, xlsx, parquet; encodings, delimiters, sheets), parse reads dates and
// numbers as Dutch systems write them, and synth writes synthetic exports
// with known true outcome rates.
package ingest
