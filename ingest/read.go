package ingest

// Reading: ReadFile takes one export from file to batches and quarantine
// records, hashing the file first and checking the row accounting (rows read
// = rows emitted + rows quarantined) last. The jobs it drives live in
// mapping.go (header and values), batch.go (Arrow batches), detect.go
// (date-format detection) and codes.go (code tables and unknown codes).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest/parse"
	"github.com/outcomes-research/outcomes/ingest/source"
	"github.com/outcomes-research/outcomes/study"
)

// progressRows is how often, in rows, ReadFile reports progress.
const progressRows = 4096

// Options controls ReadFile. Emit receives each full batch and must Release
// its Record; Quarantine receives each rejected row. Either may be nil (a dry
// run drops the rows but still counts them).
type Options struct {
	BatchSize  int
	Emit       func(RawBatch) error
	Quarantine func(Quarantine)
	// Progress, when set, is told the number of bytes of the file read so
	// far: every few thousand rows while reading (for CSV files; other
	// formats do not report their position), and the file size once the
	// last row is read. Calls are on ReadFile's goroutine.
	Progress func(bytesRead int64)
	// Allocator allocates the Arrow batches; nil means
	// memory.DefaultAllocator. Tests pass a checked allocator to bound the
	// memory a file needs.
	Allocator memory.Allocator
}

// FileResult describes what reading one export found. It holds header names
// and codes, never personal values.
type FileResult struct {
	Partner string
	// File is the path as written in the study file; Path the resolved path.
	File, Path string
	Kind       study.Kind
	SHA256     string
	Bytes      int64
	Info       source.Info
	// Mapped lists canonical field → header name for the mapped columns.
	Mapped map[string]string
	// Extra lists the columns the study file neither maps nor marks as
	// identifiers; they are ignored. A column is named by its header when
	// that looks like a column name, else by its position, "(column 7)"
	// (headerLabel): a header cell may be a data value.
	Extra []string
	// Identifiers lists the identifier-only columns that were skipped.
	Identifiers []string

	RowsRead, RowsEmitted, RowsQuarantined int
	// ByRule counts quarantined rows per rule, by the rule's name
	// (string(Rule)).
	ByRule map[string]int
	// UnknownCodes counts, per canonical field, codes missing from the code
	// table: at most MaxUnknownCodes distinct codes per field, each cut to
	// MaxCodeLen runes; the rest are counted under OtherUnknownCodes.
	UnknownCodes map[string]map[string]int
	// FreeTextDropped counts, per pattern (FreeTextPatterns), the values of
	// allowed free-text fields that were dropped because they looked like
	// a direct identifier (an e-mail address, a phone number, a BSN, a
	// postcode, a date); their rows are loaded with the field empty.
	FreeTextDropped map[string]int

	// DateFormat is the date format the study file declares for the file;
	// "" when it declares none.
	DateFormat string
	// DetectedDateFormats holds, when no format is declared, the format
	// detected for each mapped date column (canonical field → format, as
	// parse.DateFormat spells it) from its values in the first
	// DateSampleRows rows. A column whose values read both ways (only
	// values such as 03/04/2024) takes the day-month order of the file's
	// other slash-dated columns when their values decide it. A column whose
	// sample is empty or still undecided is absent: its values are read one
	// by one, and an ambiguous one is quarantined (date_ambiguous). A value
	// in another unambiguous form than the detected one (an ISO date in a
	// dd-mm-jjjj column) is still read.
	DetectedDateFormats map[string]string
}

// ErrAccounting marks a row-accounting mismatch: rows read differ from rows
// emitted plus rows quarantined. It is a bug in the pipeline, never the
// user's mistake.
var ErrAccounting = errors.New("bug: row accounting does not add up")

// exportError names the export as the study file does (not by its resolved
// path) in an error about reading it.
func exportError(f study.File, err error) error {
	var se *source.Error
	switch {
	case errors.As(err, &se):
		se.File = f.Name
		return err
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: the export file does not exist (looked for %s; a relative path in the study file is relative to the study file's folder)", f.Name, f.Path)
	}
	return fmt.Errorf("%s: %w", f.Name, err)
}

// ReadFile reads one export of a partner, emitting valid rows in batches and
// quarantining the rest. It returns an error only when the file cannot be
// read at all (missing, unreadable, header mismatch, broken structure); the
// rows counted up to that point are in the result.
func ReadFile(ctx context.Context, st *study.Study, partner string, f study.File, opts Options) (FileResult, error) {
	res := FileResult{
		Partner: partner, File: f.Name, Path: f.Path, Kind: f.Kind,
		Mapped: map[string]string{}, ByRule: map[string]int{}, UnknownCodes: map[string]map[string]int{}, FreeTextDropped: map[string]int{},
		DateFormat: f.DateFormat, DetectedDateFormats: map[string]string{},
	}
	sum, size, err := hashFile(ctx, f.Path)
	if err != nil {
		return res, exportError(f, err)
	}
	res.SHA256, res.Bytes = sum, size
	if _, ok := parse.DateFormat(f.DateFormat).Normalize(); !ok {
		return res, fmt.Errorf("%s: date_format %q is not a known date format: use one of dd-mm-yyyy, d-m-yyyy, dd/mm/yyyy, d/m/yyyy, dd.mm.yyyy, yyyy-mm-dd, mm/dd/yyyy, yyyymmdd or excel (jjjj for yyyy is fine), or leave it out to detect the format", f.Name, f.DateFormat)
	}
	src, err := source.Open(f.Path, source.Options{Format: source.Format(f.Format), Delimiter: f.Delimiter, Encoding: f.Encoding, Sheet: f.Sheet})
	if err != nil {
		return res, exportError(f, err)
	}
	defer src.Close()
	res.Info = src.Info()

	m, err := newMapper(st, f, src.Header(), &res)
	if err != nil {
		return res, err
	}
	batchSize := opts.BatchSize
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	if batchSize > MaxBatchSize {
		return res, fmt.Errorf("bug: batch size %d is over the limit %d", batchSize, MaxBatchSize)
	}
	b := newBatchBuilder(f.Kind, batchSize, opts.Allocator)
	defer b.release()
	next := src.Next
	if m.format == parse.FormatDetect {
		next = m.detectDates(src, &res)
	}
	counter, _ := src.(source.ByteCounter)
	flush := func() error {
		if b.rows == 0 {
			return nil
		}
		rec := b.finish()
		res.RowsEmitted += int(rec.NumRows())
		if opts.Emit == nil {
			rec.Release()
			return nil
		}
		return opts.Emit(RawBatch{Kind: f.Kind, Partner: partner, File: f.Name, Record: rec})
	}
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		row, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if source.IsFatal(err) {
			res.Info = src.Info()
			return res, fmt.Errorf("%s: %w", f.Name, err)
		}
		res.RowsRead++
		if opts.Progress != nil && counter != nil && res.RowsRead%progressRows == 0 {
			opts.Progress(counter.BytesRead())
		}
		q, ok := Quarantine{}, false
		if err != nil {
			q = m.undecodable(row.Line, err)
		} else {
			q, ok = m.row(row, b)
		}
		if !ok {
			q.File = f.Name
			res.RowsQuarantined++
			res.ByRule[string(q.Rule)]++
			if opts.Quarantine != nil {
				opts.Quarantine(q)
			}
			continue
		}
		if b.rows >= batchSize {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	// A CSV file's encoding can be decided only after its start (see
	// source.NewCSV): report what was used in the end.
	res.Info = src.Info()
	if opts.Progress != nil {
		opts.Progress(res.Bytes)
	}
	if res.RowsRead != res.RowsEmitted+res.RowsQuarantined {
		return res, fmt.Errorf("%w: %s: %d rows read but %d emitted and %d quarantined", ErrAccounting, f.Name, res.RowsRead, res.RowsEmitted, res.RowsQuarantined)
	}
	return res, nil
}

// ctxReader stops reading when ctx is done, so hashing a large export
// honours an interruption.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func hashFile(ctx context.Context, path string) (string, int64, error) {
	if err := source.CheckRegular(path); err != nil {
		return "", 0, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("opening export: %w", err)
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, fh})
	if err != nil {
		return "", 0, fmt.Errorf("reading export %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
