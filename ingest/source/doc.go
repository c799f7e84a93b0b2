// Package source reads partner exports — CSV, XLSX and Parquet files — as a
// uniform stream of string rows with their line numbers.
//
// It is the first step of ingest, the first stage of the pipeline
// (ingest → pseudonymise → load → analyses → reports). The layer above maps
// columns, validates values (with package parse) and builds Arrow batches;
// this package only gets the text out of a file faithfully and says where
// each row came from. Rows still hold direct identifiers: nothing here
// writes them anywhere.
//
// Invariants:
//
//   - No values in errors. Every error about a file's content is an *Error
//     naming the file, line, column (field number) and a sentinel cause;
//     none contains a value from the file, since values can be national
//     IDs, names or birth dates. Sheet names are listed when a sheet is
//     missing: they are not personal data.
//   - Bounded memory. Files are streamed: a CSV reader holds a 64 KiB
//     detection buffer and a few copies of the current record, which
//     Options.MaxRecordBytes bounds (1 MiB by default), so a corrupt file
//     with an unterminated quote or a gigabyte-long line stops with
//     ErrRecordTooLong instead of exhausting memory. XLSX sheets are read
//     with excelize's streaming row iterator; Parquet in record batches.
//   - Every record is accounted for. Next returns each record, a record
//     error for it (the caller quarantines that line and reads on), or a
//     fatal error that stops the file (IsFatal): the caller then
//     quarantines the rest of the file with that error. Records with the
//     wrong number of fields are returned as they are; CheckFieldCount
//     turns them into a record error.
//   - Declared options win over detection; Info reports what was used.
//
// Cell text conventions for spreadsheets and Parquet are documented on
// Open's format-specific helpers (see xlsx.go and parquet.go): dates come
// out as ISO 8601 ("2006-01-02", or "2006-01-02 15:04:05" with a time of
// day) so that parse.ParseDate reads them without ambiguity.
package source
