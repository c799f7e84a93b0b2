package pseudonymise

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// Linkage qualities, strongest first.
const (
	// LinkBSN: the pseudonym comes from a valid national ID (BSN).
	LinkBSN = "bsn"
	// LinkFallback: no valid BSN; the pseudonym comes from surname, birth
	// date and sex. Weaker: typing errors and namesakes break or merge links.
	LinkFallback = "fallback"
	// LinkSupplier: the partner pseudonymised the export itself with the
	// study key; the linkage column it carries says how it linked.
	LinkSupplier = "supplier"
)

// Columns of a pseudonymised batch that replace the identity fields.
const (
	ColumnPersonID   = "person_id"   // HMAC pseudonym of the person
	ColumnFallbackID = "fallback_id" // HMAC pseudonym of surname+birth date+sex, when known
	ColumnLinkage    = "linkage"     // LinkBSN or LinkFallback
	ColumnBirthYear  = "birth_year"
	ColumnAge        = "age" // whole years at the row's reference date
	ColumnSex        = "sex" // m, v, x or o (unknown)
	ColumnArea       = "area"
)

// Schema is the Arrow schema of a pseudonymised batch of an export kind: the
// line, the pseudonymised identity columns, then the kind's own fields. It
// has no column that can hold a direct identifier.
func Schema(kind study.Kind) *arrow.Schema {
	str := arrow.BinaryTypes.String
	i32 := arrow.PrimitiveTypes.Int32
	fields := []arrow.Field{
		{Name: ingest.ColumnLine, Type: arrow.PrimitiveTypes.Int64},
		{Name: ColumnPersonID, Type: str},
		{Name: ColumnFallbackID, Type: str, Nullable: true},
		{Name: ColumnLinkage, Type: str},
		{Name: ColumnBirthYear, Type: i32, Nullable: true},
		{Name: ColumnAge, Type: i32, Nullable: true},
		{Name: ColumnSex, Type: str},
		{Name: ColumnArea, Type: str, Nullable: true},
	}
	// The kind's own fields: only those whose role lets them pass
	// (study.Role), in the raw batch's order and types.
	raw := ingest.RawSchema(kind)
	for _, f := range study.Fields(kind) {
		if !f.Role.Passes() {
			continue
		}
		idx := raw.FieldIndices(f.Name)
		if len(idx) != 1 {
			panic(fmt.Sprintf("bug: raw %s schema has no field %s", kind, f.Name))
		}
		fields = append(fields, raw.Field(idx[0]))
	}
	fields = append(fields, detaineeFields(kind)...) // households: see detainee.go
	return arrow.NewSchema(fields, nil)
}

// Batch is a batch of rows without direct identifiers, ready for the store.
// Only this package makes one.
type Batch struct {
	Kind          study.Kind
	Partner, File string
	record        arrow.RecordBatch
	encodings     []Encoding
	// encoded: made with encodings on (a supplier's export then carries
	// their columns, also when this batch has none).
	encoded bool
}

// Encodings returns the keyed encodings (encode.go) of the batch's rows
// that have them, for probabilistic linkage: rows linked by the fallback
// key (and rows linked by BSN when the Pseudonymiser's EncodeAll is set).
// They hold no clear identifier.
func (b Batch) Encodings() []Encoding { return b.encodings }

// Record returns the batch's rows (schema Schema(Kind)). The caller must
// Release it once (through Batch.Release).
func (b Batch) Record() arrow.RecordBatch { return b.record }

// Release frees the batch's memory.
func (b Batch) Release() { b.record.Release() }

// LinkStats counts how the rows of one file were linked to persons.
type LinkStats struct {
	ByBSN, ByFallback, BySupplier, Unlinked int
	// BSNRejected counts, per BSNStatus reason, values in a BSN column that
	// could not be used as an identifier (the row may still link by
	// fallback).
	BSNRejected map[string]int
}

// Add merges o into s.
func (s *LinkStats) Add(o LinkStats) {
	s.ByBSN += o.ByBSN
	s.ByFallback += o.ByFallback
	s.BySupplier += o.BySupplier
	s.Unlinked += o.Unlinked
	for k, v := range o.BSNRejected {
		if s.BSNRejected == nil {
			s.BSNRejected = map[string]int{}
		}
		s.BSNRejected[k] += v
	}
}

// Pseudonymiser turns raw batches into pseudonymised ones. It reuses one
// HMAC state and its buffers, so it is not safe for concurrent use: run one
// per goroutine.
type Pseudonymiser struct {
	hasher *Hasher
	// freeText holds, per partner and file, the free-text fields the study
	// file allows; every other free-text value is dropped.
	freeText map[fileKey][]string
	digits   [9]byte
	key      []byte
	out      []byte
	encoder  *Encoder
	// last is, per domain, the previous input and its pseudonym: an
	// export sorted by person (events have about 13 rows per person in a
	// batch) repeats the input row after row, and the HMAC is then not
	// computed again. It holds no more than the buffers above already do.
	last [DomainCase + 1]struct {
		in  []byte
		out string
	}
	// Encode turns the keyed encodings on: computed for rows linked by the
	// fallback key, and with EncodeAll also for rows linked by BSN (so
	// that records without one can link to them). Off, batches carry none.
	Encode, EncodeAll bool
}

// New returns a Pseudonymiser for the study key.
func New(k Key) *Pseudonymiser {
	return &Pseudonymiser{hasher: NewHasher(k), key: make([]byte, 0, 128), out: make([]byte, 0, PseudonymLen), encoder: NewEncoder(k)}
}

// Batch pseudonymises raw. Rows with no usable identifier are quarantined
// (rule no_identifier) and left out. raw.Record is released.
func (p *Pseudonymiser) Batch(raw ingest.RawBatch, quarantine func(ingest.Quarantine)) (Batch, LinkStats, error) {
	defer raw.Record.Release()
	rec := raw.Record
	col := columnsByName(rec)
	schema := Schema(raw.Kind)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer rb.Release()
	rb.Reserve(int(rec.NumRows()))

	lines := col[ingest.ColumnLine].(*array.Int64)
	who := personColumns(col)
	sex := stringCol(col, study.FieldSex)
	postcode := stringCol(col, study.FieldPostcode)
	supplierAge, _ := col[study.FieldAge].(*array.Int32)
	birth := col[study.FieldBirthDate].(*array.Date32)
	birthYear := col[study.FieldBirthYear].(*array.Int32)
	refDates := referenceDates(col, raw.Kind)

	stats := LinkStats{BSNRejected: map[string]int{}}
	out := struct {
		line                          *array.Int64Builder
		person, fallback, link, sexes *array.StringBuilder
		year, age                     *array.Int32Builder
		area                          *array.StringBuilder
	}{
		rb.Field(0).(*array.Int64Builder), rb.Field(1).(*array.StringBuilder), rb.Field(2).(*array.StringBuilder),
		rb.Field(3).(*array.StringBuilder), rb.Field(6).(*array.StringBuilder), rb.Field(4).(*array.Int32Builder),
		rb.Field(5).(*array.Int32Builder), rb.Field(7).(*array.StringBuilder),
	}
	det := p.newDetainees(raw.Kind, col, rb) // nil unless households
	var kept []int
	var encodings []Encoding
	supplied := suppliedEncodings(col)
	for i := 0; i < int(rec.NumRows()); i++ {
		// A households row is about a member of a detainee's household:
		// without an identifiable detainee it cannot be used.
		if det != nil && !det.row(i) {
			quarantine(ingest.Quarantine{File: raw.File, Line: int(lines.Value(i)), Field: det.who.field, Rule: ingest.RuleNoIdentifier})
			stats.Unlinked++
			continue
		}
		id := p.identify(who, i)
		stats.count(id)
		if id.person == "" {
			quarantine(ingest.Quarantine{File: raw.File, Line: int(lines.Value(i)), Field: who.field, Rule: ingest.RuleNoIdentifier})
			continue
		}
		sx := NormaliseSex(value(sex, i))
		person, fallback, link := id.person, id.fallback, id.link
		if det != nil {
			det.add()
		}
		kept = append(kept, i)
		switch {
		case p.Encode && id.supplied:
			encodings = supplied.append(encodings, lines.Value(i), i)
		case p.Encode && (id.link == LinkFallback || p.EncodeAll):
			encodings = p.encode(encodings, raw.File, lines.Value(i), value(who.surname, i), value(who.given, i), who.birth, i)
		}
		out.line.Append(lines.Value(i))
		out.person.Append(person)
		appendOptional(out.fallback, fallback)
		out.link.Append(link)
		out.sexes.Append(sx)
		switch {
		case !birth.IsNull(i):
			bd := birth.Value(i).ToTime()
			out.year.Append(int32(bd.Year()))
			if ref, ok := refDates(i); ok {
				out.age.Append(int32(ageAt(bd, ref)))
			} else {
				out.age.AppendNull()
			}
		case birthYear != nil && !birthYear.IsNull(i):
			out.year.Append(birthYear.Value(i))
			if supplierAge != nil && !supplierAge.IsNull(i) {
				out.age.Append(supplierAge.Value(i))
			} else {
				out.age.AppendNull()
			}
		default:
			out.year.AppendNull()
			out.age.AppendNull()
		}
		appendOptional(out.area, postcodeArea(value(postcode, i)))
	}
	// The kind's own fields are copied column by column for the kept rows;
	// a keyed field (study.RoleKeyed) as its pseudonym.
	keyed := map[string]bool{}
	for _, f := range study.Fields(raw.Kind) {
		keyed[f.Name] = f.Role == study.RoleKeyed
	}
	supplierExport := stringCol(col, study.FieldPseudonym) != nil
	for pos := 8; pos < len(schema.Fields())-len(detaineeFields(raw.Kind)); pos++ {
		name := schema.Field(pos).Name
		switch {
		case p.dropsFreeText(raw, name):
			appendNulls(rb.Field(pos), len(kept))
		case keyed[name] && !supplierExport:
			p.keyRows(rb.Field(pos).(*array.StringBuilder), col[name].(*array.String), kept)
		default:
			// A supplier's pseudonymised export carries keyed fields
			// already keyed (with the study key, by pseudonymise).
			copyRows(rb.Field(pos), col[name], kept)
		}
	}
	return Batch{Kind: raw.Kind, Partner: raw.Partner, File: raw.File, record: rb.NewRecordBatch(), encodings: encodings, encoded: p.Encode}, stats, nil
}

// encode appends the keyed encodings of row i (file and line seed its
// noise) to out, when it has a surname or a birth date.
func (p *Pseudonymiser) encode(out []Encoding, file string, line int64, surname, given string, birth *array.Date32, i int) []Encoding {
	ref := binary.AppendVarint(append([]byte(file), 0), line)
	e := Encoding{Line: line}
	e.Surname = p.encoder.AppendName(nil, EncSurname, surname, ref)
	e.SurnameParts = p.encoder.AppendSurnameParts(nil, surname, ref)
	e.Given = p.encoder.AppendName(nil, EncGiven, given, ref)
	if !birth.IsNull(i) {
		e.Birth = p.encoder.AppendDate(nil, birth.Value(i).ToTime())
	}
	if e.Surname == nil && e.Birth == nil {
		return out
	}
	return append(out, e)
}

// pseudonym is the keyed pseudonym of normalised in domain d, computed
// again only when the input differs from the previous one of d.
func (p *Pseudonymiser) pseudonym(d Domain, normalised []byte) string {
	if int(d) < len(p.last) {
		if c := &p.last[d]; c.out != "" && bytes.Equal(c.in, normalised) {
			return c.out
		}
	}
	p.out = p.hasher.AppendPseudonym(p.out[:0], d, normalised)
	out := string(p.out)
	if int(d) < len(p.last) {
		c := &p.last[d]
		c.in, c.out = append(c.in[:0], normalised...), out
	}
	return out
}

func columnsByName(rec arrow.RecordBatch) map[string]arrow.Array {
	m := make(map[string]arrow.Array, rec.NumCols())
	for i, f := range rec.Schema().Fields() {
		m[f.Name] = rec.Column(i)
	}
	return m
}

// stringCol returns a text column, or nil when the export does not map it
// (every value is then null).
func stringCol(col map[string]arrow.Array, name string) *array.String {
	c := col[name].(*array.String)
	if c.NullN() == c.Len() {
		return nil
	}
	return c
}

func value(c *array.String, i int) string {
	if c == nil || c.IsNull(i) {
		return ""
	}
	return c.Value(i)
}

func appendOptional(b *array.StringBuilder, s string) {
	if s == "" {
		b.AppendNull()
		return
	}
	b.Append(s)
}

// referenceDates returns, per row, the date an age is computed at: release
// (else start) for trajectories, the event date for events.
func referenceDates(col map[string]arrow.Array, kind study.Kind) func(int) (time.Time, bool) {
	var order []string
	if kind == study.KindTrajectories {
		order = []string{study.FieldRelease, study.FieldStart}
	} else {
		order = []string{study.FieldDate}
	}
	return func(i int) (time.Time, bool) {
		for _, name := range order {
			if c, ok := col[name].(*array.Date32); ok && !c.IsNull(i) {
				return c.Value(i).ToTime(), true
			}
		}
		return time.Time{}, false
	}
}

// ageAt is the age in whole years on date ref of someone born on birth.
func ageAt(birth, ref time.Time) int {
	age := ref.Year() - birth.Year()
	if ref.Month() < birth.Month() || (ref.Month() == birth.Month() && ref.Day() < birth.Day()) {
		age--
	}
	return age
}

// postcodeArea coarsens a Dutch postcode (1234 AB) to its four digits; other
// values give "" (dropped).
func postcodeArea(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return ""
	}
	for _, r := range s[:4] {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return s[:4]
}

// copyRows appends the rows kept of src to dst.
// keyRows appends, for the kept rows, the keyed pseudonym of each value
// of src (DomainCase: trimmed, upper-cased), or null for an empty one.
func (p *Pseudonymiser) keyRows(dst *array.StringBuilder, src *array.String, kept []int) {
	for _, i := range kept {
		if src.IsNull(i) {
			dst.AppendNull()
			continue
		}
		v := strings.ToUpper(strings.TrimSpace(src.Value(i)))
		if v == "" {
			dst.AppendNull()
			continue
		}
		dst.Append(p.pseudonym(DomainCase, []byte(v)))
	}
}

func copyRows(dst array.Builder, src arrow.Array, kept []int) {
	for _, i := range kept {
		if src.IsNull(i) {
			dst.AppendNull()
			continue
		}
		switch d := dst.(type) {
		case *array.StringBuilder:
			d.Append(src.(*array.String).Value(i))
		case *array.Date32Builder:
			d.Append(src.(*array.Date32).Value(i))
		case *array.Int32Builder:
			d.Append(src.(*array.Int32).Value(i))
		default:
			panic(fmt.Sprintf("bug: pseudonymise cannot copy a %T column", d))
		}
	}
}
