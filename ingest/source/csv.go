package source

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// peekSize is the bounded prefix used for encoding and delimiter detection.
const peekSize = 64 << 10

// sampleRecords is how many records delimiter detection looks at.
const sampleRecords = 20

const (
	encUTF8    = "utf-8"
	encWindows = "windows-1252"
)

type csvReader struct {
	name   string
	info   Info
	header []string
	cr     *csv.Reader
	g      *guard
	enc    encState
	// detected: the encoding was not declared, so text that fits the other
	// encoding is reported as ErrMixedEncoding rather than ErrEncoding.
	detected bool
	dec      *encoding.Decoder
	err      error
	closer   io.Closer
	count    *countingReader // set by openCSV
	// queue holds records read ahead while the encoding was undecided
	// (see lookahead), returned before any new record.
	queue []queued
}

// queued is a record read ahead, or the error that ended the reading.
type queued struct {
	row Row
	err error
}

// Bounds of the read-ahead that decides an undecided encoding (lookahead).
const (
	lookaheadRecords = 1000
	lookaheadBytes   = 1 << 20
)

// ByteCounter is implemented by Readers that know how far into the file
// they are, for progress reports. CSV files opened with Open implement it.
type ByteCounter interface {
	// BytesRead returns the number of bytes taken from the file so far. It
	// runs ahead of the rows returned by up to the read buffer (64 KiB).
	BytesRead() int64
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func openCSV(path string, opts Options) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	count := &countingReader{r: f}
	r, err := NewCSV(count, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.(*csvReader).closer = f
	r.(*csvReader).count = count
	return r, nil
}

// BytesRead implements ByteCounter; it is 0 for a reader made by NewCSV.
func (c *csvReader) BytesRead() int64 {
	if c.count == nil {
		return 0
	}
	return c.count.n
}

// NewCSV reads a CSV export from r; name is used in errors. Close does not
// close r.
//
// Detection (only for what Options leaves zero), from the first 64 KiB:
//
//   - A UTF-8 byte order mark is stripped and means UTF-8 (Info.BOM). A
//     UTF-16/32 mark gives ErrUnsupportedEncoding.
//   - A NUL byte, or more than 5% control characters, gives ErrBinary.
//   - Encoding: UTF-8 if the prefix is valid UTF-8 (a rune cut by the prefix
//     end is ignored), else Windows-1252. If the prefix holds both valid
//     multi-byte UTF-8 sequences and bytes invalid in UTF-8, ErrMixedEncoding
//     (fatal). If the prefix is plain ASCII, the first record with another
//     byte decides: valid UTF-8 means UTF-8; if it is not valid UTF-8, the
//     reader looks ahead to the next record with such bytes (at most 1,000
//     records or 1 MiB): valid UTF-8 there means a UTF-8 file with one bad
//     record (a record error, ErrMixedEncoding), otherwise Windows-1252
//     from the first record on. Info().Encoding says "utf-8" until then.
//   - After detection, a record that does not fit the detected encoding (not
//     valid UTF-8 in a UTF-8 file; valid non-ASCII UTF-8 in a Windows-1252
//     file) is a record error, ErrMixedEncoding; with a declared encoding,
//     a field that is not valid UTF-8 in a UTF-8 file is ErrEncoding and
//     Windows-1252 always decodes. The reader goes on with the next record.
//   - Delimiter: each of ';' ',' '\t' '|' is counted outside quotes in each
//     of the first 20 records. Candidates that occur in the header compete;
//     the one whose count in the header recurs in the largest share of the
//     records wins, then the one with most occurrences in the header, then
//     the order above. If none occurs in the header (one column) the first
//     candidate that occurs nowhere in the sample is used, else ','.
//
// Parsing follows encoding/csv with LazyQuotes off and any number of fields
// per record; "\r\n" is read as "\n", a file whose first 64 KiB hold CRs
// and no LF has CR-only line endings (each CR ends a line; Info.LineEndings
// "cr"), blank lines are skipped, and quoted
// fields may hold separators, quotes ("") and newlines. A record that
// encoding/csv cannot parse (ErrBareQuote, ErrQuote, ErrUnterminatedQuote)
// stops the file: the reader cannot know where the next record starts, so
// guessing would risk misaligned rows. The caller quarantines the rest of
// the file with that error. Likewise ErrRecordTooLong, ErrBinary (a NUL
// byte later in the file) and read errors stop the file.
//
// Memory is bounded by the 64 KiB detection buffer plus a few copies of the
// largest record, which Options.MaxRecordBytes bounds.
func NewCSV(r io.Reader, name string, opts Options) (Reader, error) {
	maxRec := opts.MaxRecordBytes
	switch {
	case maxRec == 0:
		maxRec = DefaultMaxRecordBytes
	case maxRec < 0:
		return nil, fmt.Errorf("reading %s: negative maximum record size", name)
	}
	var declEnc string
	if opts.Encoding != "" {
		var ok bool
		if declEnc, ok = normalizeEncoding(opts.Encoding); !ok {
			return nil, fmt.Errorf("reading %s: unknown encoding %q: use utf-8 or windows-1252", name, opts.Encoding)
		}
	}
	if d := opts.Delimiter; d != 0 && (d == '"' || d == '\r' || d == '\n' || d == utf8.RuneError || !utf8.ValidRune(d)) {
		return nil, fmt.Errorf("reading %s: invalid delimiter %q", name, d)
	}

	br := bufio.NewReaderSize(r, peekSize)
	prefix, err := br.Peek(peekSize)
	complete := false
	switch {
	case err == io.EOF:
		complete = true
	case err != nil && err != bufio.ErrBufferFull:
		return nil, &Error{File: name, Err: err}
	}
	info := Info{Format: string(FormatCSV)}
	switch {
	case bytes.HasPrefix(prefix, []byte{0xEF, 0xBB, 0xBF}):
		info.BOM = true
		prefix = prefix[3:]
		if _, err := br.Discard(3); err != nil {
			return nil, &Error{File: name, Err: err}
		}
	case bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}), bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}),
		bytes.HasPrefix(prefix, []byte{0, 0, 0xFE, 0xFF}):
		return nil, &Error{File: name, Line: 1, Err: ErrUnsupportedEncoding}
	}
	if len(bytes.Trim(prefix, "\r\n")) == 0 && complete {
		return nil, &Error{File: name, Line: 1, Err: ErrEmpty}
	}
	if line, bad := looksBinary(prefix); bad {
		return nil, &Error{File: name, Line: line, Err: ErrBinary}
	}

	c := &csvReader{name: name, dec: charmap.Windows1252.NewDecoder()}
	undecided := false
	switch {
	case declEnc != "":
		info.Encoding = declEnc
	case info.BOM:
		info.Encoding = encUTF8
		c.detected = true
	default:
		enc, ascii, mixedLine := detectEncoding(prefix, complete)
		if mixedLine > 0 {
			return nil, &Error{File: name, Line: mixedLine, Err: ErrMixedEncoding}
		}
		info.Encoding = enc
		c.detected = true
		undecided = ascii
	}
	switch {
	case undecided:
		c.enc = encUndecided
	case info.Encoding == encWindows:
		c.enc = encStateWindows
	default:
		c.enc = encStateUTF8
	}
	delim := opts.Delimiter
	if delim == 0 {
		sample := prefix
		if crOnly(prefix) {
			sample = bytes.ReplaceAll(prefix, []byte{'\r'}, []byte{'\n'})
		}
		delim = detectDelimiter(sample, complete)
	}
	info.Delimiter = string(delim)

	var body io.Reader = br
	if crOnly(prefix) {
		// Classic Mac line endings: every CR ends a line.
		body = crToLF{br}
		info.LineEndings = "cr"
	}
	c.g = &guard{r: body, max: maxRec, line: 1, recStart: 1, field: 1}
	if delim < utf8.RuneSelf {
		c.g.delim = byte(delim)
	}
	// Fields are decoded one by one (see decode), not the stream, so that
	// the raw bytes of each record can be checked.
	c.cr = csv.NewReader(c.g)
	c.cr.Comma = delim
	c.cr.FieldsPerRecord = -1
	c.cr.ReuseRecord = true
	c.info = info

	row, err := c.Next()
	switch {
	case err == io.EOF:
		return nil, &Error{File: name, Line: 1, Err: ErrEmpty}
	case err != nil:
		return nil, err
	}
	c.header = append([]string(nil), row.Fields...)
	return c, nil
}

func (c *csvReader) Header() []string { return c.header }
func (c *csvReader) Info() Info       { return c.info }

func (c *csvReader) Close() error {
	if c.err == nil {
		c.err = &Error{File: c.name, Err: errors.New("reader closed")}
	}
	if c.closer != nil {
		cl := c.closer
		c.closer = nil
		return cl.Close()
	}
	return nil
}

func (c *csvReader) Next() (Row, error) {
	if len(c.queue) > 0 {
		q := c.queue[0]
		c.queue = c.queue[1:]
		return q.row, q.err
	}
	if c.err != nil {
		return Row{}, c.err
	}
	rec, err := c.cr.Read()
	if err != nil {
		c.err = c.convert(rec, err)
		return Row{}, c.err
	}
	line, _ := c.cr.FieldPos(0)
	if c.enc == encUndecided && !validRecord(rec) {
		return c.lookahead(rec, line)
	}
	if col, err := c.decode(rec); err != nil {
		l, _ := c.cr.FieldPos(col - 1)
		return Row{Line: line}, &Error{File: c.name, Line: l, Column: col, Err: err}
	}
	return Row{Line: line, Fields: rec}, nil
}

// lookahead decides an encoding left undecided by a plain-ASCII start when
// the first record with other bytes is not valid UTF-8: one record is not
// enough to tell a Windows-1252 file from a UTF-8 file with one broken
// sequence. It reads on to the next record with non-ASCII bytes (at most
// lookaheadRecords records or lookaheadBytes bytes, holding them in order):
// if that record is valid UTF-8, the file is UTF-8 and only the first
// record is a record error (ErrMixedEncoding); otherwise, or when the file
// or the bound ends first, the file is Windows-1252 from the first record
// on. Every record keeps its place and line.
func (c *csvReader) lookahead(rec []string, line int) (Row, error) {
	held := []queued{{row: Row{Line: line, Fields: slices.Clone(rec)}}}
	decided, size := encStateWindows, 0
	for len(held) <= lookaheadRecords && size < lookaheadBytes {
		r, err := c.cr.Read()
		if err != nil {
			c.err = c.convert(r, err)
			held = append(held, queued{err: c.err})
			break
		}
		l, _ := c.cr.FieldPos(0)
		r = slices.Clone(r)
		held = append(held, queued{row: Row{Line: l, Fields: r}})
		if !asciiRecord(r) {
			if validRecord(r) {
				decided = encStateUTF8
			}
			break
		}
		for _, f := range r {
			size += len(f) + 1
		}
	}
	c.enc = decided
	if decided == encStateWindows {
		c.info.Encoding = encWindows
	}
	for i, q := range held {
		if q.err != nil {
			continue
		}
		if col, err := c.decode(q.row.Fields); err != nil {
			held[i] = queued{row: Row{Line: q.row.Line}, err: &Error{File: c.name, Line: q.row.Line, Column: col, Err: err}}
		}
	}
	c.queue = held[1:]
	return held[0].row, held[0].err
}

// validRecord reports whether every field of rec is valid UTF-8.
func validRecord(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// asciiRecord reports whether every field of rec is plain ASCII.
func asciiRecord(rec []string) bool {
	for _, f := range rec {
		if !isASCII(f) {
			return false
		}
	}
	return true
}

// encState is what the reader knows of the encoding.
type encState int

const (
	// encUndecided: detection saw only ASCII so far; the first record with
	// another byte decides.
	encUndecided encState = iota
	encStateUTF8
	encStateWindows
)

// decode checks the raw bytes of a record against the encoding and turns
// Windows-1252 fields into UTF-8 in place. It returns the 1-based column
// and cause of a record error.
func (c *csvReader) decode(rec []string) (int, error) {
	first := -1
	for i, f := range rec {
		if !isASCII(f) {
			first = i
			break
		}
	}
	if first < 0 {
		return 0, nil
	}
	if c.enc == encUndecided {
		c.enc = encStateUTF8
		for _, f := range rec[first:] {
			if !utf8.ValidString(f) {
				c.enc = encStateWindows
				c.info.Encoding = encWindows
				break
			}
		}
	}
	for i := first; i < len(rec); i++ {
		f := rec[i]
		if isASCII(f) {
			continue
		}
		valid := utf8.ValidString(f)
		switch {
		case c.enc == encStateUTF8 && !valid && c.detected:
			return i + 1, ErrMixedEncoding
		case c.enc == encStateUTF8 && !valid:
			return i + 1, ErrEncoding
		case c.enc == encStateWindows && valid && c.detected:
			// Non-ASCII text that is valid UTF-8 in a file read as
			// Windows-1252: almost never a real Windows-1252 spelling.
			return i + 1, ErrMixedEncoding
		case c.enc == encStateWindows:
			s, err := c.dec.String(f)
			if err != nil {
				return i + 1, ErrEncoding
			}
			rec[i] = s
		}
	}
	return 0, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// convert turns a csv or guard error into a value-free *Error.
func (c *csvReader) convert(rec []string, err error) error {
	if err == io.EOF {
		return io.EOF
	}
	var ge *Error
	if errors.As(err, &ge) {
		ge.File = c.name
		return ge
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e := &Error{File: c.name, Line: pe.Line, Column: len(rec) + 1, Err: pe.Err}
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			e.Err = ErrBareQuote
		case errors.Is(pe.Err, csv.ErrQuote):
			e.Err = ErrQuote
			// encoding/csv uses ErrQuote both for "abc"def and for a quote
			// still open at end of file; the guard saw the whole input in
			// the second case, with an odd number of quotes.
			if c.g.eof && c.g.inQuote {
				if _, err2 := c.cr.Read(); err2 == io.EOF {
					e.Err = ErrUnterminatedQuote
					e.Line = pe.StartLine
				}
			}
		case errors.Is(pe.Err, csv.ErrFieldCount):
			e.Err = ErrFieldCount
		}
		return e
	}
	return &Error{File: c.name, Err: err}
}

// guard sits between the file and the CSV parser, on raw bytes (quotes,
// separators and newlines are the same bytes in UTF-8 and Windows-1252). It
// follows record boundaries as RFC 4180 does, so that it can stop a record
// longer than max (or an unterminated quote running to the end of a huge
// file) before encoding/csv buffers it, and reject NUL bytes.
type guard struct {
	r        io.Reader
	max      int
	delim    byte // 0 when the delimiter is not ASCII (Column then stays 1)
	line     int  // current physical line
	recStart int  // line where the current record started
	field    int  // 1-based field within the current record
	recBytes int
	inQuote  bool
	eof      bool
	err      error
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		switch b := p[i]; {
		case b == 0:
			g.err = &Error{Line: g.line, Err: ErrBinary, Detail: "NUL byte"}
			return i, g.err
		case b == '"':
			g.inQuote = !g.inQuote
		case b == '\n':
			g.line++
			if !g.inQuote {
				g.recStart, g.field, g.recBytes = g.line, 1, 0
				continue
			}
		case b == g.delim && !g.inQuote && g.delim != 0:
			g.field++
		}
		g.recBytes++
		if g.recBytes > g.max {
			g.err = &Error{Line: g.recStart, Column: g.field, Err: ErrRecordTooLong,
				Detail: fmt.Sprintf("limit %d bytes", g.max)}
			return i, g.err
		}
	}
	if err == io.EOF {
		g.eof = true
	}
	return n, err
}

// crOnly reports whether the prefix ends its lines with a bare CR (classic
// Mac OS, some spreadsheet exports): it holds CRs and no LF.
func crOnly(prefix []byte) bool {
	return bytes.IndexByte(prefix, '\r') >= 0 && bytes.IndexByte(prefix, '\n') < 0
}

// crToLF reads a CR-only file as an LF one.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

func normalizeEncoding(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "utf-8", "utf8":
		return encUTF8, true
	case "windows-1252", "cp1252", "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		return encWindows, true
	}
	return "", false
}

// lineAt is the 1-based line of byte offset i in p.
func lineAt(p []byte, i int) int { return bytes.Count(p[:i], []byte{'\n'}) + 1 }

// looksBinary reports a NUL byte (and its line) or a prefix of which more
// than 5% are control characters other than tab, CR, LF and form feed.
func looksBinary(p []byte) (int, bool) {
	if i := bytes.IndexByte(p, 0); i >= 0 {
		return lineAt(p, i), true
	}
	ctl, first := 0, -1
	for i, b := range p {
		if (b < 0x20 && b != '\t' && b != '\r' && b != '\n' && b != '\f') || b == 0x7F {
			if first < 0 {
				first = i
			}
			ctl++
		}
	}
	if ctl >= 4 && ctl*20 > len(p) {
		return lineAt(p, first), true
	}
	return 0, false
}

// detectEncoding returns the encoding of the prefix, whether it is plain
// ASCII (so undecided), and a line > 0 when the prefix mixes UTF-8 sequences
// with bytes invalid in UTF-8.
func detectEncoding(p []byte, complete bool) (enc string, ascii bool, mixedLine int) {
	if !complete {
		// Ignore a rune cut by the end of the prefix.
		for k := 0; k < utf8.UTFMax-1 && len(p) > 0 && !utf8.Valid(p); k++ {
			p = p[:len(p)-1]
		}
	}
	if utf8.Valid(p) {
		return encUTF8, isASCII(string(p)), 0
	}
	multi, firstBad := 0, -1
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			if firstBad < 0 {
				firstBad = i
			}
		case size > 1:
			multi++
		}
		i += size
	}
	if multi > 0 && firstBad >= 0 {
		return encWindows, false, lineAt(p, firstBad)
	}
	return encWindows, false, 0
}

var delimCandidates = [...]byte{';', ',', '\t', '|'}

// detectDelimiter applies the rule documented on NewCSV.
func detectDelimiter(p []byte, complete bool) rune {
	var counts [][len(delimCandidates)]int
	var cur [len(delimCandidates)]int
	inQuote, nonEmpty := false, false
scan:
	for _, b := range p {
		switch {
		case b == '"':
			inQuote = !inQuote
			nonEmpty = true
		case b == '\n' && !inQuote:
			if nonEmpty {
				counts = append(counts, cur)
				if len(counts) == sampleRecords {
					break scan
				}
			}
			cur = [len(delimCandidates)]int{}
			nonEmpty = false
		case b == '\r':
		default:
			nonEmpty = true
			if !inQuote {
				for j, d := range delimCandidates {
					if b == d {
						cur[j]++
					}
				}
			}
		}
	}
	if complete && nonEmpty && len(counts) < sampleRecords {
		counts = append(counts, cur)
	}
	if len(counts) == 0 {
		return ','
	}
	best, bestShare, bestCount := -1, -1, -1
	for j := range delimCandidates {
		h := counts[0][j]
		if h == 0 {
			continue
		}
		same := 0
		for _, c := range counts {
			if c[j] == h {
				same++
			}
		}
		share := same * 1000 / len(counts)
		if share > bestShare || (share == bestShare && h > bestCount) {
			best, bestShare, bestCount = j, share, h
		}
	}
	if best >= 0 {
		return rune(delimCandidates[best])
	}
	for j := range delimCandidates {
		total := 0
		for _, c := range counts {
			total += c[j]
		}
		if total == 0 {
			return rune(delimCandidates[j])
		}
	}
	return ','
}
