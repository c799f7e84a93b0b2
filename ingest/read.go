package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest/parse"
	"github.com/outcomes-research/outcomes/ingest/source"
	"github.com/outcomes-research/outcomes/study"
)

// DefaultBatchSize is the number of rows per RawBatch.
const DefaultBatchSize = 65536

// Options controls ReadFile. Emit receives each full batch and must Release
// its Record; Quarantine receives each rejected row. Either may be nil (a dry
// run drops the rows but still counts them).
type Options struct {
	BatchSize  int
	Emit       func(RawBatch) error
	Quarantine func(Quarantine)
	// Progress, when set, is told the number of bytes read so far.
	Progress func(bytesRead int64)
}

// FileResult describes what reading one export found. It holds header names
// and codes, never personal values.
type FileResult struct {
	Partner string
	// File is the path as written in the study file; Path the resolved path.
	File, Path string
	Kind       string
	SHA256     string
	Bytes      int64
	Info       source.Info
	// Mapped lists canonical field → header name for the mapped columns.
	Mapped map[string]string
	// Extra lists header names the study file neither maps nor marks as
	// identifiers; they are ignored.
	Extra []string
	// Identifiers lists the identifier-only columns that were skipped.
	Identifiers []string

	RowsRead, RowsEmitted, RowsQuarantined int
	// ByRule counts quarantined rows per rule.
	ByRule map[string]int
	// UnknownCodes counts, per canonical field, codes missing from the code
	// table.
	UnknownCodes map[string]map[string]int
}

// ColumnError reports an export whose header does not match the study file;
// no row of it is read.
type ColumnError struct {
	File    string
	Missing []string // header names the study file expects but the file lacks
	Header  []string // the file's header names
}

func (e *ColumnError) Error() string {
	return fmt.Sprintf("%s: line 1: missing column(s) %s; the header has: %s (correct the columns mapping in the study file or the export)",
		e.File, quoteAll(e.Missing), quoteAll(e.Header))
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// ReadFile reads one export of a partner, emitting valid rows in batches and
// quarantining the rest. It returns an error only when the file cannot be
// read at all (missing, unreadable, header mismatch, broken structure); the
// rows counted up to that point are in the result.
func ReadFile(ctx context.Context, st *study.Study, partner string, f study.File, opts Options) (FileResult, error) {
	res := FileResult{
		Partner: partner, File: f.Name, Path: f.Path, Kind: f.Kind,
		Mapped: map[string]string{}, ByRule: map[string]int{}, UnknownCodes: map[string]map[string]int{},
	}
	sum, size, err := hashFile(f.Path)
	if err != nil {
		return res, err
	}
	res.SHA256, res.Bytes = sum, size
	src, err := source.Open(f.Path, source.Options{Format: f.Format, Delimiter: f.Delimiter, Encoding: f.Encoding, Sheet: f.Sheet})
	if err != nil {
		return res, fmt.Errorf("%s: %w", f.Name, err)
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
	b := newBatchBuilder(f.Kind, batchSize)
	defer b.release()
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
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("%s: %w", f.Name, err)
		}
		res.RowsRead++
		if q, ok := m.row(row, b); !ok {
			q.File = f.Name
			res.RowsQuarantined++
			res.ByRule[q.Rule]++
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
	if res.RowsRead != res.RowsEmitted+res.RowsQuarantined {
		return res, fmt.Errorf("bug: %s: %d rows read but %d emitted and %d quarantined", f.Name, res.RowsRead, res.RowsEmitted, res.RowsQuarantined)
	}
	return res, nil
}

func hashFile(path string) (string, int64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("opening export: %w", err)
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return "", 0, fmt.Errorf("reading export %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// normHeader makes header matching case- and whitespace-insensitive.
func normHeader(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(s, "\ufeff")), " "))
}

// column is one canonical field and where its value comes from.
type column struct {
	field    study.Field
	pos      int    // position in the raw schema
	index    int    // position in the export row; -1 for a constant
	header   string // export header name
	constant string
	codes    map[string]string // normalised code → canonical value
}

type mapper struct {
	file    string
	cutoff  time.Time
	format  parse.DateFormat
	header  int
	columns []column // in study.Fields order
	unknown map[string]map[string]int
	startIx int // positions in columns of start and end, -1 if absent
	endIx   int
}

func newMapper(st *study.Study, f study.File, header []string, res *FileResult) (*mapper, error) {
	byName := map[string]int{}
	for i, h := range header {
		if _, dup := byName[normHeader(h)]; !dup {
			byName[normHeader(h)] = i
		}
	}
	m := &mapper{file: f.Name, cutoff: st.Cutoff, format: parse.DateFormat(f.DateFormat), header: len(header),
		unknown: res.UnknownCodes, startIx: -1, endIx: -1}
	used := map[int]bool{}
	var missing []string
	for i, fd := range study.Fields(f.Kind) {
		c := column{field: fd, pos: i + 1, index: -1}
		if v, ok := f.Constants[fd.Name]; ok {
			c.constant = v
		} else if h, ok := f.Columns[fd.Name]; ok {
			i, found := byName[normHeader(h)]
			if !found {
				missing = append(missing, h)
				continue
			}
			c.index, c.header = i, header[i]
			used[i] = true
			res.Mapped[fd.Name] = header[i]
		} else {
			continue
		}
		if fd.Type == study.Code {
			c.codes = codeTable(st, fd.Name, f.Codes[fd.Name])
		}
		switch fd.Name {
		case study.FieldStart:
			m.startIx = len(m.columns)
		case study.FieldEnd:
			m.endIx = len(m.columns)
		}
		m.columns = append(m.columns, c)
	}
	if len(missing) > 0 {
		return nil, &ColumnError{File: f.Name, Missing: missing, Header: header}
	}
	identifiers := map[string]bool{}
	for _, h := range f.Identifiers {
		identifiers[normHeader(h)] = true
	}
	for i, h := range header {
		switch {
		case used[i]:
		case identifiers[normHeader(h)]:
			res.Identifiers = append(res.Identifiers, h)
		default:
			res.Extra = append(res.Extra, h)
		}
	}
	return m, nil
}

// codeTable builds the lookup for a code field: the study file's table, or,
// without one, the canonical values themselves.
func codeTable(st *study.Study, field string, table map[string]string) map[string]string {
	out := map[string]string{}
	if len(table) > 0 {
		for code, canon := range table {
			out[normHeader(code)] = canon
		}
		return out
	}
	var canon []string
	switch field {
	case study.FieldProgramme:
		for _, p := range st.Programmes {
			canon = append(canon, p.Code)
		}
	case study.FieldExitDestination:
		canon = study.Destinations()
	case study.FieldEventType:
		canon = study.EventTypes()
	case study.FieldDomain:
		canon = study.LifeDomains()
	case study.FieldRelation:
		canon = study.Relations()
	}
	for _, c := range canon {
		out[normHeader(c)] = c
	}
	return out
}

// row validates one export row and appends it to b, or returns the reason it
// is quarantined. Only the first broken rule of a row is recorded.
func (m *mapper) row(row source.Row, b *batchBuilder) (Quarantine, bool) {
	if len(row.Fields) != m.header {
		return Quarantine{Line: row.Line, Rule: RuleFieldCount}, false
	}
	vals := b.scratch
	clear(vals)
	for _, c := range m.columns {
		raw := c.constant
		if c.index >= 0 {
			raw = strings.TrimSpace(row.Fields[c.index])
		}
		v, rule := m.value(c, raw)
		if rule != "" {
			return m.quarantine(row.Line, c, rule), false
		}
		vals[c.pos] = v
	}
	if m.startIx >= 0 && m.endIx >= 0 {
		start, end := vals[m.columns[m.startIx].pos], vals[m.columns[m.endIx].pos]
		if start.set && end.set && end.date < start.date {
			return m.quarantine(row.Line, m.columns[m.endIx], RuleEndBeforeStart), false
		}
	}
	vals[0] = value{set: true, line: int64(row.Line)}
	b.append(vals)
	return Quarantine{}, true
}

func (m *mapper) quarantine(line int, c column, rule string) Quarantine {
	q := Quarantine{Line: line, Field: c.field.Name, Rule: rule, ColumnName: c.header}
	if c.index >= 0 {
		q.Column = c.index + 1
	}
	return q
}

// value is one parsed field; set is false for an empty optional field.
type value struct {
	set  bool
	text string
	date int32 // days since 1970-01-01
	num  int32
	line int64
}

func (m *mapper) value(c column, raw string) (value, string) {
	if raw == "" {
		if c.field.Required {
			return value{}, RuleMissingRequired
		}
		return value{}, ""
	}
	switch {
	case study.IsDate(c.field):
		t, err := parse.ParseDate(raw, m.format)
		switch {
		case errors.Is(err, parse.ErrAmbiguousDate):
			return value{}, RuleDateAmbiguous
		case errors.Is(err, parse.ErrOutOfRange):
			return value{}, RuleDateOutOfRange
		case err != nil:
			return value{}, RuleDateInvalid
		case t.After(m.cutoff):
			return value{}, RuleDateAfterCutoff
		}
		return value{set: true, date: int32(arrow.Date32FromTime(t))}, ""
	case c.field.Type == study.Integer:
		n, err := strconv.ParseInt(raw, 10, 32)
		if err != nil {
			return value{}, RuleNumberInvalid
		}
		if c.field.Name == study.FieldScore && (n < study.ScoreMin || n > study.ScoreMax) {
			return value{}, RuleScoreOutOfRange
		}
		return value{set: true, num: int32(n)}, ""
	case c.field.Type == study.Code:
		canon, ok := c.codes[normHeader(raw)]
		if !ok {
			if m.unknown[c.field.Name] == nil {
				m.unknown[c.field.Name] = map[string]int{}
			}
			m.unknown[c.field.Name][raw]++
			return value{}, RuleUnknownCode
		}
		return value{set: true, text: canon}, ""
	}
	return value{set: true, text: raw}, ""
}

// batchBuilder accumulates rows of one kind into Arrow arrays.
type batchBuilder struct {
	rb      *array.RecordBuilder
	rows    int
	scratch []value // one value per schema field, reused for every row
}

func newBatchBuilder(kind string, capacity int) *batchBuilder {
	schema := RawSchema(kind)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	rb.Reserve(capacity)
	return &batchBuilder{rb: rb, scratch: make([]value, len(schema.Fields()))}
}

// append adds one row; vals holds a value per schema field, unset = null.
func (b *batchBuilder) append(vals []value) {
	for pos, v := range vals {
		fb := b.rb.Field(pos)
		if !v.set {
			fb.AppendNull()
			continue
		}
		switch fb := fb.(type) {
		case *array.Int64Builder:
			fb.Append(v.line)
		case *array.Date32Builder:
			fb.Append(arrow.Date32(v.date))
		case *array.Int32Builder:
			fb.Append(v.num)
		case *array.StringBuilder:
			fb.Append(v.text)
		}
	}
	b.rows++
}

func (b *batchBuilder) finish() arrow.RecordBatch {
	b.rows = 0
	return b.rb.NewRecordBatch()
}

func (b *batchBuilder) release() { b.rb.Release() }
