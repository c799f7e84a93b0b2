// Package parse turns the date and number spellings of Dutch registration
// systems into time.Time and float64.
//
// It belongs to the first stage of the pipeline, ingest: package source reads
// rows of strings from partner exports, and the mapping layer above it calls
// ParseDate and ParseNumber on the columns a study declares as dates and
// numbers. Nothing here knows about files, columns or persons.
//
// Invariants:
//
//   - No input value in any error. A date can be a birth date and a number can
//     be part of an identifier, so every error is one of the sentinel errors
//     below (possibly wrapped with a fixed, value-free reason); callers add the
//     file, line and column. Check causes with errors.Is.
//   - No state: every function is pure and safe for concurrent use.
//   - Every date returned lies in [MinDate, MaxDate]: 1900-01-01 to
//     2100-12-31, at midnight UTC. Any time of day in the input is checked for
//     form and then dropped.
//
// # Dates
//
// Accepted forms (jjjj is the Dutch spelling of yyyy; both are accepted in a
// DateFormat):
//
//	dd-mm-jjjj  d-m-jjjj  dd/mm/jjjj  d/m/jjjj  dd.mm.jjjj  d.m.jjjj
//	jjjj-mm-dd  mm/dd/jjjj (only when declared)  jjjjmmdd (only when declared)
//	excel       (a serial day number, 1900 date system)
//
// each optionally followed by a time part: " 13:45", " 13:45:07",
// "T13:45:07", "T13:45:07.123Z", "T13:45:07+01:00". Day and month may have one
// or two digits whatever the padding of the format ("dd-mm-jjjj" accepts
// "1-2-2024"); the separator and the order of the parts must match a declared
// format exactly, otherwise ErrBadDate. Two-digit years are never accepted.
//
// With no declared format (""), each value is read on its own:
//
//   - jjjj-mm-dd (year first) is ISO order;
//   - a '-' or '.' separator with the year last is day first (dd-mm-jjjj), the
//     Dutch convention; no Dutch system writes month first with those;
//   - a '/' separator with the year last is day first only when that is the
//     only reading: "13/04/2024" is 13 April, "03/03/2024" is 3 March, but
//     "03/04/2024" (both readings possible) and "04/13/2024" (only month first
//     possible, a sign of US-style software) give ErrAmbiguousDate. Run
//     DetectDateFormat over the column, or declare the format, to read them;
//   - a plain number with a five-digit integer part (10000-73415, optionally a
//     fraction for the time of day) is an Excel serial date. Other plain
//     numbers (a bare year such as "2024", "20240115") give ErrBadDate unless
//     the format "excel" or "jjjjmmdd" is declared.
//
// A declared format always wins over detection.
//
// FastDate is the allocation-free path for the common spellings of a known
// format (yyyy-mm-dd, and d-m-yyyy with '-', '/' or '.'): it returns the
// day number (DaysFromCivil) where ParseDate would return the same day, and
// false for anything else, which the caller then gives to ParseDate.
//
// Excel serials use the 1900 date system with Lotus 1-2-3's leap-year bug:
// serial 1 is 1900-01-01, 59 is 1900-02-28, 60 is the non-existent 1900-02-29
// (ErrImpossibleDate), 61 is 1900-03-01 and 45292 is 2024-01-01. A fraction
// (the time of day) is dropped. Spreadsheets in the 1904 date system are not
// read as serials here: package source turns date cells into ISO dates itself.
//
// # Numbers
//
// ParseNumber accepts a decimal comma or a decimal point, with thousands
// separators only where they cannot be misread:
//
//	"3,5" = 3.5        "3.5" = 3.5          "-12" = -12
//	"1.234,5" = 1234.5 "1,234.5" = 1234.5   "1.234.567" = 1234567
//	"1 234,5" = 1234.5 (space or no-break space as thousands separator)
//	"1.5e3" = 1500     ",5" = 0.5
//
// A single separator followed by exactly three digits, after one to three
// digits that do not start with 0 ("1.234", "12,500", "-100.000"), is
// ErrAmbiguousNumber: Dutch systems mean 1234 and English-language ones 1.234.
// "0.234" and "1234,5" are not ambiguous. Both separators of one kind and
// groups that are not three digits ("1.23.4") give ErrBadNumber, as do NaN,
// infinities, currency signs and percent signs.
//
// # Files
//
// date.go holds DateFormat, ParseDate and DetectDateFormat; fastdate.go
// FastDate and DaysFromCivil, with their agreement test against ParseDate
// in fastdate_test.go; number.go ParseNumber; errors.go the sentinel errors.
// fuzz_test.go holds FuzzParseDate (which also checks that FastDate agrees
// with ParseDate) and FuzzParseNumber, with their seeds in testdata/fuzz.
package parse
