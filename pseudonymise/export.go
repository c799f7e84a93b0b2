package pseudonymise

import (
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/study"
)

// Header names of the identity columns of a supplier-pseudonymised export.
// They are also the canonical field names the study file maps them to.
const (
	ExportPseudonym  = study.FieldPseudonym
	ExportLinkage    = study.FieldLinkage
	ExportFallbackID = study.FieldFallbackID
	ExportBirthYear  = study.FieldBirthYear
	ExportAge        = study.FieldAge

	// The detainee's identity columns of a households export.
	ExportDetaineePseudonym  = study.FieldDetaineePseudonym
	ExportDetaineeLinkage    = study.FieldDetaineeLinkage
	ExportDetaineeFallbackID = study.FieldDetaineeFallbackID
)

// ExportDateFormat is the date format of a supplier-pseudonymised export.
const ExportDateFormat = "yyyy-mm-dd"

// exportColumn is one column of a supplier-pseudonymised export: its header
// and the column of a pseudonymised batch it is written from.
type exportColumn struct {
	header string
	field  string // canonical field the study file maps the column to
	batch  string // column of Schema(kind)
}

// ExportWriter writes pseudonymised batches of one export as CSV (UTF-8,
// comma-separated, dates yyyy-mm-dd) that a partner can send instead of the
// raw export, and describes the study-file entry that reads it back.
//
// The layout: pseudonym, linkage (bsn or fallback), fallback_id (the keyed
// pseudonym of surname + birth date + sex, for linking records of partners
// without a BSN), birth_year and age (at the row's reference date, computed
// before the birth date was dropped); for a households export then the
// detainee's detainee_pseudonym, detainee_linkage and detainee_fallback_id,
// computed as for the person; then sex (normalised to m, v, x or o)
// and the postcode reduced to its 4 digits, under their original headers,
// when the export has them; then the export's other mapped columns under
// their original headers, with codes translated to the study's canonical
// values. The identifier columns (BSN, surname, full birth date, full
// postcode, and the detainee's BSN, surname, birth date and sex) and the
// columns listed as identifiers are not written, nor are free-text columns
// the study file does not allow, nor columns the study file does not map.
type ExportWriter struct {
	file    study.File
	columns []exportColumn
	csv     *csv.Writer
	record  []string
	// started: the header is written, at the first Write (or Flush), when
	// it is known whether the batches carry keyed encodings; encode: they
	// do, and the columns enc_surname, enc_surname_parts and
	// enc_birth_date (base64) follow the identity columns.
	started, encode bool
}

// NewExportWriter returns a writer of the pseudonymised form of export f to
// w. Exports that are already pseudonymised are refused.
func NewExportWriter(w io.Writer, f study.File) (*ExportWriter, error) {
	if f.Pseudonymised {
		return nil, refused("%s is already pseudonymised", f.Name)
	}
	switch f.Kind {
	case study.KindTrajectories, study.KindEvents, study.KindAssessments, study.KindHouseholds:
	default:
		return nil, refused("%s: unknown export kind %q", f.Name, f.Kind)
	}
	x := &ExportWriter{file: f, csv: csv.NewWriter(w)}
	x.columns = []exportColumn{
		{ExportPseudonym, study.FieldPseudonym, ColumnPersonID},
		{ExportLinkage, study.FieldLinkage, ColumnLinkage},
		{ExportFallbackID, study.FieldFallbackID, ColumnFallbackID},
		{ExportBirthYear, study.FieldBirthYear, ColumnBirthYear},
		{ExportAge, study.FieldAge, ColumnAge},
	}
	if f.Kind == study.KindHouseholds {
		x.columns = append(x.columns,
			exportColumn{ExportDetaineePseudonym, study.FieldDetaineePseudonym, ColumnDetaineeID},
			exportColumn{ExportDetaineeLinkage, study.FieldDetaineeLinkage, ColumnDetaineeLinkage},
			exportColumn{ExportDetaineeFallbackID, study.FieldDetaineeFallbackID, ColumnDetaineeFallbackID},
		)
	}
	if h, ok := f.Columns[study.FieldSex]; ok {
		x.columns = append(x.columns, exportColumn{h, study.FieldSex, ColumnSex})
	}
	if h, ok := f.Columns[study.FieldPostcode]; ok {
		x.columns = append(x.columns, exportColumn{h, study.FieldPostcode, ColumnArea})
	}
	for _, fd := range study.Fields(f.Kind) {
		h, ok := f.Columns[fd.Name]
		if !ok || !fd.Role.Passes() {
			continue
		}
		if fd.Role == study.RoleFreeText && !slices.Contains(f.FreeText, fd.Name) {
			continue
		}
		x.columns = append(x.columns, exportColumn{h, fd.Name, fd.Name})
	}
	if err := x.unique(x.columns); err != nil {
		return nil, err
	}
	return x, nil
}

// encodingColumns are the columns of the keyed encodings; batch "" marks
// them (they come from Batch.Encodings, not the Arrow record).
var encodingColumns = []exportColumn{
	{study.FieldEncSurname, study.FieldEncSurname, ""},
	{study.FieldEncSurnameParts, study.FieldEncSurnameParts, ""},
	{study.FieldEncGivenName, study.FieldEncGivenName, ""},
	{study.FieldEncBirthDate, study.FieldEncBirthDate, ""},
}

func (x *ExportWriter) unique(cols []exportColumn) error {
	seen := map[string]bool{}
	for _, c := range cols {
		key := strings.ToLower(strings.TrimSpace(c.header))
		if seen[key] {
			return refused("%s: column %q would appear twice in the pseudonymised export; rename the export's column", x.file.Name, c.header)
		}
		seen[key] = true
	}
	return nil
}

// start writes the header, with the encoding columns when encode is set
// (after the identity columns, before the export's own).
func (x *ExportWriter) start(encode bool) error {
	x.started = true
	if encode {
		n := 5
		if x.file.Kind == study.KindHouseholds {
			n = 8
		}
		cols := append(append(slices.Clone(x.columns[:n]), encodingColumns...), x.columns[n:]...)
		if err := x.unique(cols); err != nil {
			return err
		}
		x.columns, x.encode = cols, true
	}
	x.record = make([]string, len(x.columns))
	for i, c := range x.columns {
		x.record[i] = c.header
	}
	return x.csv.Write(x.record)
}

// Write appends the rows of b, which must come from the export the writer
// was made for. It does not release b.
func (x *ExportWriter) Write(b Batch) error {
	if !x.started {
		if err := x.start(b.encoded); err != nil {
			return err
		}
	}
	rec := b.Record()
	var enc map[int64]Encoding
	if x.encode {
		enc = make(map[int64]Encoding, len(b.encodings))
		for _, e := range b.encodings {
			enc[e.Line] = e
		}
	}
	lines, _ := rec.Column(0).(*array.Int64)
	cols := make([]arrow.Array, len(x.columns))
	for i, c := range x.columns {
		if c.batch == "" {
			continue
		}
		idx := rec.Schema().FieldIndices(c.batch)
		if len(idx) != 1 {
			return fmt.Errorf("bug: pseudonymised batch of %s has no column %s", x.file.Name, c.batch)
		}
		cols[i] = rec.Column(idx[0])
	}
	b64 := func(v []byte) string {
		if v == nil {
			return ""
		}
		return base64.StdEncoding.EncodeToString(v)
	}
	for row := 0; row < int(rec.NumRows()); row++ {
		var e Encoding
		if enc != nil {
			e = enc[lines.Value(row)]
		}
		for i, col := range cols {
			switch {
			case col != nil:
				x.record[i] = cell(col, row)
			case x.columns[i].field == study.FieldEncSurname:
				x.record[i] = b64(e.Surname)
			case x.columns[i].field == study.FieldEncSurnameParts:
				x.record[i] = b64(e.SurnameParts)
			case x.columns[i].field == study.FieldEncGivenName:
				x.record[i] = b64(e.Given)
			default:
				x.record[i] = b64(e.Birth)
			}
		}
		if err := x.csv.Write(x.record); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes any buffered rows and reports a write error.
func (x *ExportWriter) Flush() error {
	if !x.started {
		if err := x.start(false); err != nil {
			return err
		}
	}
	x.csv.Flush()
	return x.csv.Error()
}

func cell(col arrow.Array, row int) string {
	if col.IsNull(row) {
		return ""
	}
	switch c := col.(type) {
	case *array.String:
		return c.Value(row)
	case *array.Int32:
		return strconv.Itoa(int(c.Value(row)))
	case *array.Date32:
		return c.Value(row).ToTime().Format("2006-01-02")
	}
	panic(fmt.Sprintf("bug: pseudonymise cannot write a %T column", col))
}

// StudyEntry returns the study file's entry (YAML, one item of a partner's
// files list, indented for that place) that reads the pseudonymised export
// back from path: pseudonymised: true, the fingerprint of the key used
// (a run with another key is refused), the column mapping, the constants
// and free text of the original entry, no code tables (the export holds
// canonical codes).
func (x *ExportWriter) StudyEntry(path, keyFingerprint string) string {
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "      - path: %s\n        kind: %s\n        pseudonymised: true\n        key_fingerprint: %s\n", q(path), x.file.Kind, keyFingerprint)
	fmt.Fprintf(&b, "        format: csv\n        delimiter: \",\"\n        encoding: utf-8\n        date_format: %s\n", ExportDateFormat)
	b.WriteString("        columns:\n")
	for _, c := range x.columns {
		fmt.Fprintf(&b, "          %s: %s\n", c.field, q(c.header))
	}
	if len(x.file.Constants) > 0 {
		b.WriteString("        constants:\n")
		for _, k := range slices.Sorted(maps.Keys(x.file.Constants)) {
			fmt.Fprintf(&b, "          %s: %s\n", k, q(x.file.Constants[k]))
		}
	}
	if len(x.file.FreeText) > 0 {
		fmt.Fprintf(&b, "        free_text: [%s]\n", strings.Join(x.file.FreeText, ", "))
	}
	return b.String()
}

// CheckKeyFingerprints returns an error, matching [ErrInvalidKey], when a
// supplier-pseudonymised export of st records the fingerprint of a key
// other than k: its pseudonyms would silently fail to link with the rest.
func CheckKeyFingerprints(st *study.Study, k Key) error {
	fp := k.Fingerprint()
	for _, p := range st.Partners {
		for _, f := range p.Files {
			if f.Pseudonymised && f.KeyFingerprint != "" && f.KeyFingerprint != fp {
				return newKeyError(nil, "partner %s pseudonymised %s with the study key of fingerprint %s, but this run's key has fingerprint %s; use the study's key (or ask the partner to pseudonymise again with it)",
					p.Name, f.Name, f.KeyFingerprint, fp)
			}
		}
	}
	return nil
}

// refusedExport is a study-file entry NewExportWriter cannot write: it
// matches study.ErrInvalid, since the fix is in the study file.
type refusedExport struct{ msg string }

func (e refusedExport) Error() string        { return e.msg }
func (e refusedExport) Is(target error) bool { return target == study.ErrInvalid }

func refused(format string, args ...any) error {
	return refusedExport{msg: fmt.Sprintf(format, args...)}
}
