package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Options says how to read one export. Zero values mean "detect"; a declared
// value always wins over detection.
type Options struct {
	// Format is one of Formats (any case). "" chooses by file extension:
	// .csv .txt .tsv are csv, .xlsx .xlsm are xlsx, .parquet .pq are parquet.
	Format Format
	// Delimiter is the CSV field separator. 0 detects one of ';' ',' '\t'
	// '|' from the first records (see NewCSV). It may not be '"', '\r', '\n'
	// or an invalid rune.
	Delimiter rune
	// Encoding is the CSV text encoding: "utf-8" or "windows-1252" (aliases
	// "utf8", "cp1252", "latin1", "iso-8859-1" — the last two read as
	// windows-1252, its superset in practice). "" detects: see NewCSV.
	Encoding string
	// Sheet is the XLSX worksheet name; "" is the first sheet in workbook
	// order.
	Sheet string
	// MaxRecordBytes bounds one CSV record (all its fields and separators,
	// as bytes in the file). 0 means DefaultMaxRecordBytes; negative is an
	// error. A longer record stops the file with ErrRecordTooLong.
	MaxRecordBytes int
}

// DefaultMaxRecordBytes is the record size limit when Options.MaxRecordBytes is 0.
const DefaultMaxRecordBytes = 1 << 20

// Info describes how a file was read, after detection.
type Info struct {
	Format    string // the Format read, as a string: "csv", "xlsx" or "parquet"
	Encoding  string // CSV: "utf-8" or "windows-1252" ("utf-8" may turn into "windows-1252" while reading; see NewCSV); "" for other formats
	Delimiter string // CSV: the separator as a string (";", ",", "\t", "|"); "" otherwise
	BOM       bool   // CSV: the file started with a UTF-8 byte order mark (stripped)
	// LineEndings is "cr" for a CSV file with CR-only line endings (each
	// CR ends a line); "" for LF or CRLF and other formats.
	LineEndings string
	Sheet       string // XLSX: the sheet read
	// StrayCells counts the non-empty XLSX cells right of the header's
	// last column, which belong to no column and are ignored.
	StrayCells int
}

// Row is one data record.
type Row struct {
	// Line is where the record starts: the 1-based physical line of a CSV
	// file (a record with quoted newlines spans several lines), the
	// spreadsheet row number of an XLSX sheet, or the row ordinal + 1 of a
	// Parquet file (its header counts as line 1, so the first row is line 2).
	Line int
	// Fields are the record's values as strings. The slice and its strings
	// may be reused by the next call to Next: copy what you keep. len(Fields)
	// may differ from len(Header()) for CSV and XLSX; see CheckFieldCount.
	Fields []string
}

// Reader reads the rows of one export. It is not safe for concurrent use.
type Reader interface {
	// Header returns the column names as written in the file, untrimmed.
	Header() []string
	// Info returns how the file is being read.
	Info() Info
	// Next returns the next row, or io.EOF after the last one. Errors are
	// *Error values. After a fatal error (see IsFatal) every later call
	// returns the same error; with a record error the Row has Line set and
	// Fields nil, and the next call returns the next record.
	Next() (Row, error)
	// Close releases the file. It does not report errors already returned
	// by Next.
	Close() error
}

// Sentinel causes, found in Error.Err. Check them with errors.Is.
var (
	// ErrEmpty: the file has no header record (no bytes, or blank lines only).
	ErrEmpty = errors.New("no header: empty file or sheet")
	// ErrBinary: a NUL byte or mostly control characters: not a text export
	// (for example a spreadsheet saved with a .csv name).
	ErrBinary = errors.New("binary data, not text")
	// ErrUnterminatedQuote: a quoted field is still open at end of file. Line
	// is the first line of that record.
	ErrUnterminatedQuote = errors.New("quoted field never closed")
	// ErrQuote: a quoted field is followed by something other than a
	// separator or end of line, e.g. "abc"def.
	ErrQuote = errors.New("extraneous or missing quote in quoted field")
	// ErrBareQuote: a quote inside an unquoted field, e.g. ab"c.
	ErrBareQuote = errors.New("quote in unquoted field")
	// ErrRecordTooLong: a record exceeds Options.MaxRecordBytes. Column is
	// the field being read when the limit was reached.
	ErrRecordTooLong = errors.New("record exceeds the maximum record size")
	// ErrEncoding: a record is not valid in the declared encoding (UTF-8).
	// A record error: the reader continues.
	ErrEncoding = errors.New("text is not valid UTF-8")
	// ErrMixedEncoding: the file mixes encodings: UTF-8 detected from its
	// start but a later record is not UTF-8 (a record error), or its start
	// holds both UTF-8 sequences and Windows-1252 bytes (fatal at open).
	// Declare Options.Encoding to read it one way.
	ErrMixedEncoding = errors.New("mixed text encodings (UTF-8 and Windows-1252): declare the encoding")
	// ErrUnsupportedEncoding: a UTF-16 or UTF-32 byte order mark.
	ErrUnsupportedEncoding = errors.New("unsupported encoding (UTF-16/32): export as UTF-8 or Windows-1252")
	// ErrFieldCount: a record has more or fewer fields than the header.
	// Returned by CheckFieldCount, never by Next.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrSheetNotFound: the XLSX sheet named in Options.Sheet is absent.
	ErrSheetNotFound = errors.New("sheet not found")
	// ErrCell: an XLSX or Parquet value could not be converted to text.
	ErrCell = errors.New("unreadable cell")
)

// Error is a problem at a position in a file. Its message names the file,
// line, column and rule, never a value from the file: values can be national
// IDs, names or birth dates.
type Error struct {
	File string
	// Line is the 1-based line (CSV), row number (XLSX) or row ordinal + 1
	// (Parquet) of the problem; 0 when it concerns the whole file.
	Line int
	// Column is the 1-based field number within the record (not a character
	// position); 0 when the problem is not in one field.
	Column int
	// Err is the cause: one of the sentinel errors, or an I/O error.
	Err error
	// Detail is an optional value-free explanation (for example the list of
	// sheet names, or how many fields were expected).
	Detail string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(": line ")
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(", column ")
			b.WriteString(strconv.Itoa(e.Column))
		}
	} else if e.Column > 0 {
		b.WriteString(": column ")
		b.WriteString(strconv.Itoa(e.Column))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// IsFatal reports whether an error from Next stops the Reader: every error
// except the record errors ErrEncoding and ErrMixedEncoding, and
// ErrFieldCount from CheckFieldCount. io.EOF is not fatal, it is the end.
// (An error from Open or NewCSV means there is no Reader at all.)
func IsFatal(err error) bool {
	if err == nil || err == io.EOF {
		return false
	}
	var e *Error
	if errors.As(err, &e) && e.Line > 0 &&
		(errors.Is(e.Err, ErrEncoding) || errors.Is(e.Err, ErrMixedEncoding) || errors.Is(e.Err, ErrFieldCount)) {
		return false
	}
	return true
}

// CheckFieldCount returns nil when row has as many fields as header, and
// otherwise an *Error with ErrFieldCount whose Column is the first missing
// or surplus field. The caller decides (usually: quarantine the row).
func CheckFieldCount(file string, header []string, row Row) error {
	if len(row.Fields) == len(header) {
		return nil
	}
	col := len(header) + 1
	if len(row.Fields) < len(header) {
		col = len(row.Fields) + 1
	}
	return &Error{File: file, Line: row.Line, Column: col, Err: ErrFieldCount,
		Detail: fmt.Sprintf("%d fields, header has %d", len(row.Fields), len(header))}
}

// ErrNotRegular: the export path is a named pipe, a device, a socket or a
// folder. Opening such a path could block forever (a FIFO waits for a
// writer) or never end (a device), so it is refused before it is opened.
var ErrNotRegular = errors.New("not a regular file")

// CheckRegular returns an *Error with ErrNotRegular when path (after
// symbolic links) is not a regular file, and the Stat error when it cannot
// be looked at; it never opens path.
func CheckRegular(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Mode().IsRegular() {
		return nil
	}
	kind := "a named pipe, device or socket"
	if info.IsDir() {
		kind = "a folder"
	}
	return &Error{File: path, Err: ErrNotRegular, Detail: "it is " + kind + "; give the path of the export file"}
}

// Open opens the export at path with the reader for its format. A path
// that is not a regular file is refused before it is opened (CheckRegular).
func Open(path string, opts Options) (Reader, error) {
	format, err := formatOf(path, opts.Format)
	if err != nil {
		return nil, err
	}
	if err := CheckRegular(path); err != nil {
		return nil, err
	}
	switch format {
	case FormatCSV:
		return openCSV(path, opts)
	case FormatXLSX:
		return openXLSX(path, opts)
	default:
		return openParquet(path, opts)
	}
}
