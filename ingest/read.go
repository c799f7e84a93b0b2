package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest/parse"
	"github.com/outcomes-research/outcomes/ingest/source"
	"github.com/outcomes-research/outcomes/study"
)

// DefaultBatchSize is the number of rows per RawBatch.
const DefaultBatchSize = 65536

// DateSampleRows is how many leading data rows ReadFile holds back to detect
// the date format of each date column when the study file declares none;
// fewer when they hold more than DateSampleBytes of text.
const (
	DateSampleRows  = 1000
	DateSampleBytes = 4 << 20
)

// MaxUnknownCodes bounds the distinct unknown codes listed per field in
// FileResult.UnknownCodes; further ones are counted under OtherUnknownCodes.
// MaxCodeLen bounds the length (in runes) of a listed code: a longer one is
// cut and ends in "…".
const (
	MaxUnknownCodes   = 50
	MaxCodeLen        = 40
	OtherUnknownCodes = "(other codes)"
	// HiddenUnknownCode counts unknown codes that look like a personal value
	// (a long run of digits, an e-mail address, or a code longer than
	// MaxCodeLen): a code column may hold a national ID or a name by mistake,
	// and listed codes reach the run summary and `outcomes check`.
	HiddenUnknownCode = "(value hidden: looks like personal data)"
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
	// table: at most MaxUnknownCodes distinct codes per field, each cut to
	// MaxCodeLen runes; the rest are counted under OtherUnknownCodes.
	UnknownCodes map[string]map[string]int

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
		DateFormat: f.DateFormat, DetectedDateFormats: map[string]string{},
	}
	sum, size, err := hashFile(f.Path)
	if err != nil {
		return res, exportError(f, err)
	}
	res.SHA256, res.Bytes = sum, size
	if _, ok := parse.DateFormat(f.DateFormat).Normalize(); !ok {
		return res, fmt.Errorf("%s: date_format %q is not a known date format: use one of dd-mm-yyyy, d-m-yyyy, dd/mm/yyyy, d/m/yyyy, dd.mm.yyyy, yyyy-mm-dd, mm/dd/yyyy, yyyymmdd or excel (jjjj for yyyy is fine), or leave it out to detect the format", f.Name, f.DateFormat)
	}
	src, err := source.Open(f.Path, source.Options{Format: f.Format, Delimiter: f.Delimiter, Encoding: f.Encoding, Sheet: f.Sheet})
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
	// format is the date format detected for this column, when the study
	// file declares none; "" reads each value on its own.
	format parse.DateFormat
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
	if strings.TrimSpace(strings.Join(header, "")) == "" {
		return nil, &source.Error{File: f.Name, Line: 1, Err: source.ErrEmpty, Detail: "the first line has no column names"}
	}
	byName := map[string]int{}
	positions := map[string][]string{} // normalised name → 1-based columns
	for i, h := range header {
		if _, dup := byName[normHeader(h)]; !dup {
			byName[normHeader(h)] = i
		}
		positions[normHeader(h)] = append(positions[normHeader(h)], strconv.Itoa(i+1))
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
			if cols := positions[normHeader(h)]; len(cols) > 1 {
				// Reading either column could be wrong: refuse to guess.
				return nil, fmt.Errorf("%s: line 1: the column %q that %s is mapped to appears %d times in the header (columns %s); rename the columns or the mapping so that one column matches",
					f.Name, h, fd.Name, len(cols), strings.Join(cols, ", "))
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

// undecodable is the quarantine record of a row the reader could not decode
// (a record error, see source.IsFatal): its text does not fit the file's
// encoding.
func (m *mapper) undecodable(line int, err error) Quarantine {
	var se *source.Error
	if !errors.As(err, &se) || se.Column < 1 {
		return Quarantine{Line: line, Rule: RuleEncoding}
	}
	for _, c := range m.columns {
		if c.index == se.Column-1 {
			return m.quarantine(line, c, RuleEncoding)
		}
	}
	return Quarantine{Line: line, Column: se.Column, Rule: RuleEncoding}
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
		if d, ok := m.fastDate(c, raw); ok {
			if d > cutoffDay(m.cutoff) {
				return value{}, RuleDateAfterCutoff
			}
			return value{set: true, date: d}, ""
		}
		t, err := m.parseDate(c, raw)
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
		n, ok := parseWhole(raw)
		if !ok {
			return value{}, RuleNumberInvalid
		}
		if c.field.Name == study.FieldScore && (n < study.ScoreMin || n > study.ScoreMax) {
			return value{}, RuleScoreOutOfRange
		}
		return value{set: true, num: int32(n)}, ""
	case c.field.Type == study.Code:
		// The table's keys are normalised, so a value found as written
		// is found the same after normHeader, which allocates.
		canon, ok := c.codes[raw]
		if !ok {
			canon, ok = c.codes[normHeader(raw)]
		}
		if !ok {
			m.countUnknown(c.field.Name, raw)
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

func newBatchBuilder(kind string, capacity int, mem memory.Allocator) *batchBuilder {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	schema := RawSchema(kind)
	rb := array.NewRecordBuilder(mem, schema)
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

// fastDate is parseDate's allocation-free path for the plain spellings of
// the declared (else detected) format; false means: use parseDate.
func (m *mapper) fastDate(c column, raw string) (int32, bool) {
	f := m.format
	if f == parse.FormatDetect {
		f = c.format
	}
	return fastDate(raw, f)
}

// parseDate reads a date value with the declared format, else the format
// detected for its column. A value that does not have the detected form is
// read on its own (per-value detection), so an unambiguous value in another
// form is not lost and an ambiguous one is still quarantined.
func (m *mapper) parseDate(c column, raw string) (time.Time, error) {
	if m.format != parse.FormatDetect || c.format == parse.FormatDetect {
		return parse.ParseDate(raw, m.format)
	}
	t, err := parse.ParseDate(raw, c.format)
	if errors.Is(err, parse.ErrBadDate) {
		return parse.ParseDate(raw, parse.FormatDetect)
	}
	return t, err
}

// parseWhole reads a whole number: plain digits, or a number written with a
// decimal comma or point whose fraction is zero ("4,0"). Ambiguous spellings
// (1.234) are not whole numbers here.
func parseWhole(raw string) (int32, bool) {
	if n, err := strconv.ParseInt(raw, 10, 32); err == nil {
		return int32(n), true
	}
	f, err := parse.ParseNumber(raw)
	if err != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		return 0, false
	}
	return int32(f), true
}

// countUnknown counts an unknown code of a field, keeping the list bounded.
func (m *mapper) countUnknown(field, raw string) {
	codes := m.unknown[field]
	if codes == nil {
		codes = map[string]int{}
		m.unknown[field] = codes
	}
	code := raw
	if looksPersonal(code) {
		code = HiddenUnknownCode
	}
	if _, listed := codes[code]; !listed && len(codes) >= MaxUnknownCodes {
		code = OtherUnknownCodes
	}
	codes[code]++
}

// looksPersonal reports whether an unknown code should not be shown: it is
// longer than MaxCodeLen, holds an @, or holds six or more digits in a row
// (a national ID, phone number or full date without separators).
func looksPersonal(code string) bool {
	if utf8.RuneCountInString(code) > MaxCodeLen || strings.Contains(code, "@") {
		return true
	}
	run := 0
	for _, r := range code {
		if r >= '0' && r <= '9' {
			if run++; run >= 6 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// detectDates holds back up to DateSampleRows rows, detects the date format
// of each mapped date column from them (recorded in res) and returns a
// function that yields the held-back rows and then the rest of the file.
// Memory is bounded by the sample, whose records are bounded by the source.
func (m *mapper) detectDates(src source.Reader, res *FileResult) func() (source.Row, error) {
	var dates []int // positions in m.columns
	for i, c := range m.columns {
		if c.index >= 0 && study.IsDate(c.field) {
			dates = append(dates, i)
		}
	}
	if len(dates) == 0 {
		return src.Next
	}
	// The sample keeps record errors (rows the reader could not decode) in
	// their place, for ReadFile to quarantine; any other error ends it.
	type sampled struct {
		row source.Row
		err error
	}
	var sample []sampled
	var stop error
	for size := 0; len(sample) < DateSampleRows && size < DateSampleBytes; {
		row, err := src.Next()
		if err != nil && (errors.Is(err, io.EOF) || source.IsFatal(err)) {
			stop = err
			break
		}
		row.Fields = slices.Clone(row.Fields)
		for i, f := range row.Fields {
			row.Fields[i] = strings.Clone(f)
			size += len(f)
		}
		sample = append(sample, sampled{row, err})
	}
	values := make([][]string, len(dates))
	var undecided []int // indexes into dates
	for k, i := range dates {
		c := &m.columns[i]
		for _, sm := range sample {
			if sm.err == nil && len(sm.row.Fields) == m.header {
				values[k] = append(values[k], sm.row.Fields[c.index])
			}
		}
		f, err := parse.DetectDateFormat(values[k])
		switch {
		case err == nil:
			c.format = f
			res.DetectedDateFormats[c.field.Name] = string(f)
		case errors.Is(err, parse.ErrAmbiguousDate):
			undecided = append(undecided, k)
		}
	}
	// A column whose values read both ways (only 03/04/2024-like dates)
	// takes the day-month order of the file's other slash-dated columns,
	// when their values decide it (a birth date 25/03/1980): one system
	// writes its dates one way. Otherwise its values stay undecided.
	for _, k := range undecided {
		pooled := slices.Clone(values[k])
		for j, i := range dates {
			if f := m.columns[i].format; j != k && strings.Contains(string(f), "/") {
				pooled = append(pooled, values[j]...)
			}
		}
		if f, err := parse.DetectDateFormat(pooled); err == nil && strings.Contains(string(f), "/") {
			c := &m.columns[dates[k]]
			c.format = f
			res.DetectedDateFormats[c.field.Name] = string(f)
		}
	}
	clear(values)
	return func() (source.Row, error) {
		if len(sample) > 0 {
			sm := sample[0]
			sample[0] = sampled{}
			sample = sample[1:]
			return sm.row, sm.err
		}
		if stop != nil {
			return source.Row{}, stop
		}
		return src.Next()
	}
}
