package ingest

// Mapping: the export's header is matched to the canonical fields of its
// kind (newMapper), and each row's raw strings are converted into values of
// those fields or into the quarantine rule they break (mapper.row).

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/outcomes-research/outcomes/ingest/parse"
	"github.com/outcomes-research/outcomes/ingest/source"
	"github.com/outcomes-research/outcomes/study"
)

// ColumnError reports an export whose header does not match the study file;
// no row of it is read. Its message names the expected names that are
// missing (they come from the study file), the number of columns the first
// line has and which of them carry a name the study file maps; it never
// repeats a cell of the file's first line, which may be a data row (an
// export without a header line, or one whose line endings were not read).
type ColumnError struct {
	File    string
	Missing []string // header names the study file expects but the file lacks
	// Columns is the number of columns on the file's first line; Found
	// lists the expected names that it does have.
	Columns int
	Found   []string
	// LooksLikeData is set when a cell of the first line has the form of a
	// value (a date, a number, an identifier) rather than a column name.
	LooksLikeData bool
}

func (e *ColumnError) Error() string {
	found := "none of the expected names"
	if len(e.Found) > 0 {
		found = "only " + quoteAll(e.Found)
	}
	cols := "1 column"
	if e.Columns != 1 {
		cols = fmt.Sprintf("%d columns", e.Columns)
	}
	msg := fmt.Sprintf("%s: line 1: missing column(s) %s; the first line has %s, with %s",
		e.File, quoteAll(e.Missing), cols, found)
	if e.LooksLikeData {
		msg += "; it looks like a data row, not a header line (add the header line, or check the delimiter and line endings)"
	}
	return msg + " (correct the columns mapping in the study file or the export)"
}

// looksLikeValue reports whether a header cell may be a data value rather
// than a column name: it holds a digit or an @ (a BSN, a date, a
// postcode, a phone number or an e-mail address all do), or looks personal
// by looksPersonal. A column name with a digit ("Score1") is then shown by
// its position only: a lost label, never a leaked value (FuzzHeaderReport
// found "A000").
func looksLikeValue(h string) bool {
	h = strings.TrimSpace(h)
	if h == "" {
		return false
	}
	return looksPersonal(h) || strings.ContainsAny(h, "0123456789@") || unicode.IsDigit([]rune(h)[0])
}

// headerLabel is how an unmapped header name is shown: the name when it
// looks like a column name (no value-like content, at most MaxCodeLen
// runes), else its 1-based position only.
func headerLabel(i int, h string) string {
	if n := utf8.RuneCountInString(h); n == 0 || n > MaxCodeLen || looksLikeValue(h) {
		return fmt.Sprintf("(column %d)", i+1)
	}
	return h
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// normHeader makes header matching case- and whitespace-insensitive.
func normHeader(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(s, "\ufeff")), " "))
}

// maxCodeSpellings bounds a code table with the raw spellings found in a
// file (each maps to a code the table already has).
const maxCodeSpellings = 1024

// column is one canonical field and where its value comes from.
type column struct {
	field    study.Field
	pos      int    // position in the raw schema
	index    int    // position in the export row; -1 for a constant
	header   string // export header name
	constant string
	codes    map[string]string // normalised code (and raw spellings seen) → canonical value
	pattern  codePattern       // what the table's codes look like

	// freeText: an allowed free-text field, scanned for identifiers
	// (scanFreeText).
	freeText bool
	// format is the date format detected for this column, when the study
	// file declares none; "" reads each value on its own.
	format parse.DateFormat
}

type mapper struct {
	file    string
	format  parse.DateFormat
	header  int
	columns []column // in study.Fields order
	unknown map[string]map[string]int
	startIx int // positions in columns of start and end, -1 if absent
	endIx   int

	// freeTextDropped counts dropped free-text values per pattern
	// (FileResult.FreeTextDropped).
	freeTextDropped map[string]int
	// birthIx, birthYearIx are the positions in columns of the birth date
	// and birth year, -1 if absent (rule before_birth).
	birthIx, birthYearIx int
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
	m := &mapper{file: f.Name, format: parse.DateFormat(f.DateFormat), header: len(header),
		unknown: res.UnknownCodes, startIx: -1, endIx: -1}
	m.freeTextDropped = res.FreeTextDropped
	m.birthIx, m.birthYearIx = -1, -1
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
			c.codes, c.pattern = codeTable(st, fd.Name, f.Codes[fd.Name])
		}
		c.freeText = fd.Role == study.RoleFreeText && slices.Contains(f.FreeText, fd.Name)
		switch fd.Name {
		case study.FieldBirthDate:
			m.birthIx = len(m.columns)
		case study.FieldBirthYear:
			m.birthYearIx = len(m.columns)
		case study.FieldStart:
			m.startIx = len(m.columns)
		case study.FieldEnd:
			m.endIx = len(m.columns)
		}
		m.columns = append(m.columns, c)
	}
	if len(missing) > 0 {
		ce := &ColumnError{File: f.Name, Missing: missing, Columns: len(header)}
		for _, h := range header {
			if looksLikeValue(h) {
				ce.LooksLikeData = true
			}
		}
		for _, c := range m.columns {
			if c.index >= 0 {
				ce.Found = append(ce.Found, c.header)
			}
		}
		return nil, ce
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
			res.Extra = append(res.Extra, headerLabel(i, h))
		}
	}
	return m, nil
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
	if c, ok := m.beforeBirth(vals); ok {
		return m.quarantine(row.Line, c, RuleBeforeBirth), false
	}
	vals[0] = value{set: true, line: int64(row.Line)}
	b.append(vals)
	return Quarantine{}, true
}

// beforeBirth returns the first date column of a row whose date lies
// before the person's birth date (or in a year before the birth year, when
// only that is known): an impossible record, which would give a negative
// age, so rule before_birth.
func (m *mapper) beforeBirth(vals []value) (column, bool) {
	var birth value
	byYear := false
	switch {
	case m.birthIx >= 0 && vals[m.columns[m.birthIx].pos].set:
		birth = vals[m.columns[m.birthIx].pos]
	case m.birthYearIx >= 0 && vals[m.columns[m.birthYearIx].pos].set:
		birth, byYear = vals[m.columns[m.birthYearIx].pos], true
	default:
		return column{}, false
	}
	for _, c := range m.columns {
		v := vals[c.pos]
		if c.field.Type != study.Date || !v.set {
			continue
		}
		if byYear && int32(time.Unix(int64(v.date)*86400, 0).UTC().Year()) < birth.num ||
			!byYear && v.date < birth.date {
			return c, true
		}
	}
	return column{}, false
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

func (m *mapper) quarantine(line int, c column, rule Rule) Quarantine {
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

func (m *mapper) value(c column, raw string) (value, Rule) {
	if raw == "" {
		if c.field.Required {
			return value{}, RuleMissingRequired
		}
		return value{}, ""
	}
	switch {
	case study.IsDate(c.field):
		// A date after the study's cut-off is no error: the row is loaded
		// and the analyses leave it out of follow-up (events after the
		// cut-off are not counted, trajectories running at the cut-off are
		// censored there; see package analyses).
		if d, ok := m.fastDate(c, raw); ok {
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
			if canon, ok = c.codes[normHeader(raw)]; ok && len(c.codes) < maxCodeSpellings {
				// Keyed by the raw spelling too, so the next row spelled
				// the same way ("Geweld", "AMB ") is found without
				// normHeader. The table is this file's (codeTable).
				c.codes[raw] = canon
			}
		}
		if !ok {
			m.countUnknown(c, raw)
			return value{}, RuleUnknownCode
		}
		return value{set: true, text: canon}, ""
	}
	if c.freeText {
		if pattern := scanFreeText(raw); pattern != "" {
			m.freeTextDropped[pattern]++
			return value{}, ""
		}
	}
	return value{set: true, text: raw}, ""
}

// fastDate is parseDate's allocation-free path for the plain spellings of
// the declared (else detected) format; false means: use parseDate.
func (m *mapper) fastDate(c column, raw string) (int32, bool) {
	f := m.format
	if f == parse.FormatDetect {
		f = c.format
	}
	return parse.FastDate(raw, f)
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
