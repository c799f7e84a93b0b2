// Package source reads partner exports — CSV, XLSX and Parquet files — as a
// uniform stream of string rows with their line numbers. Formats lists the
// formats (type Format, in format.go, with how a file's format is chosen);
// csv.go, xlsx.go and parquet.go hold their readers, source.go the Reader
// interface, Open and the errors.
//
// It is the first step of ingest, the first stage of the pipeline
// (ingest → pseudonymise → load → analyses → reports). The layer above maps
// columns, validates values (with package parse) and builds Arrow batches;
// this package only gets the text out of a file faithfully and says where
// each row came from. Rows still hold direct identifiers: nothing here
// writes them anywhere.
//
// # Invariants
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
//     with excelize's streaming row iterator (the workbook's shared-strings
//     table is held in memory); Parquet in record batches of 4096 rows.
//   - Every record is accounted for. Next returns each record, or a record
//     error for it (Row.Line is set, Fields is nil: the caller quarantines
//     that line and reads on), or a fatal error that stops the file
//     (IsFatal): the caller then quarantines the rest of the file with that
//     error. Records with the wrong number of fields are returned as they
//     are; CheckFieldCount turns them into a record error.
//   - Declared options win over detection; Info reports what was used.
//
// # CSV
//
// See NewCSV for the detection rules (encoding, delimiter, binary files) and
// the error policy. In short: UTF-8 (a BOM is stripped) or Windows-1252,
// decided from the first 64 KiB; delimiter ';' ',' tab or '|' by consistent
// counts outside quotes in the first 20 records; encoding/csv parsing with
// strict quotes, where a quote error stops the file.
//
// # XLSX
//
// Cells are read as Excel shows them (their number format applied), so a
// national ID stored as a number with format 000000000 keeps its leading
// zero, and a General number has a decimal point ("3.5"). Date cells — a
// number whose format is a date format, built-in (such as 14) or custom
// ("dd-mm-jjjj", "[$-413]d mmmm yyyy") — come out as ISO dates
// "2006-01-02", or "2006-01-02 15:04:05" when the format also shows a time
// of day, whatever the display format and the workbook's date system (1900
// or 1904); parse.ParseDate reads both without a declared format. Formats
// showing only a time of day ("h:mm") are left as shown, and text that
// merely looks like a date stays as typed. Row.Line is the spreadsheet row
// number; rows without any value are skipped; the first row with a value is
// the header; rows shorter than the header (a sheet does not store trailing
// empty cells) are padded with "".
//
// # Parquet
//
// Header holds the top-level column names; Row.Line is the row ordinal + 1.
// Nulls are "" (as in CSV, a null and an empty string look alike). Integers
// in base 10; floats in their shortest round-trip form with a decimal point,
// in exponent form only below 1e-6 or from 1e21 ("3.5", "1e-07"); booleans
// "true"/"false"; date32/date64 "2006-01-02"; timestamps RFC 3339 in the
// column's time zone ("2024-01-01T00:30:00+01:00"), so the date part is the
// local date, and without offset when the column has no time zone (a
// wall-clock time: "2024-03-05T13:45:00"); a zone name that cannot be
// loaded falls back to UTC. Anything else uses Arrow's own text form.
package source
