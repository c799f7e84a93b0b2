package pseudonymise

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/outcomes-research/outcomes/study"
)

// pseudonymiseColumns are the columns pseudonymise computes itself; every
// other column of a pseudonymised batch must be a study field whose role
// lets it pass.
var pseudonymiseColumns = []string{
	"line", ColumnPersonID, ColumnFallbackID, ColumnLinkage, ColumnBirthYear, ColumnAge, ColumnSex, ColumnArea,
	ColumnDetaineeID, ColumnDetaineeFallbackID, ColumnDetaineeLinkage,
}

// TestRoleZeroValueNeverPasses: a field added to study.Fields without a
// role is an identifier and cannot reach a pseudonymised batch.
func TestRoleZeroValueNeverPasses(t *testing.T) {
	var zero study.Role
	if zero != study.RoleIdentifier || zero.Passes() {
		t.Fatalf("zero Role = %v, passes %v; want RoleIdentifier, which never passes", zero, zero.Passes())
	}
	for _, r := range []study.Role{study.RoleIdentifier, study.RoleIdentity} {
		if r.Passes() {
			t.Errorf("role %v passes", r)
		}
	}
}

// identifierWords are parts of field names that say a field identifies a
// person directly; no field whose name holds one may pass.
var identifierWords = []string{"bsn", "surname", "name", "birth_date", "phone", "mail", "address", "street", "postcode", "iban", "initials"}

// TestIdentifierFieldsDoNotPass: a field parsed as an identifier, or named
// like one, has a role that never passes, whatever kind it belongs to.
func TestIdentifierFieldsDoNotPass(t *testing.T) {
	for _, kind := range study.Kinds() {
		for _, f := range study.Fields(kind) {
			if f.Type == study.Identifier && f.Role != study.RoleIdentifier {
				t.Errorf("%s: field %q is parsed as an identifier but has role %v", kind, f.Name, f.Role)
			}
			for _, w := range identifierWords {
				if strings.Contains(f.Name, w) && f.Role.Passes() {
					t.Errorf("%s: field %q is named like an identifier (%q) but its role %v lets it pass", kind, f.Name, w, f.Role)
				}
			}
		}
	}
}

// TestSchemaKeepsOnlyPassingFields loops over every export kind: each
// column of the pseudonymised schema is one pseudonymise computes or a
// study field of role data or free text; no identity or identifier field
// is among them under its own name.
func TestSchemaKeepsOnlyPassingFields(t *testing.T) {
	for _, kind := range study.Kinds() {
		roles := map[string]study.Role{}
		for _, f := range study.Fields(kind) {
			roles[f.Name] = f.Role
		}
		schema := Schema(kind)
		for pos, f := range schema.Fields() {
			// The first eight columns and the detainee columns are
			// pseudonymise's own (ColumnSex and ColumnBirthYear share a
			// name with the raw fields they are computed from).
			own := pos < 8 || slices.Contains([]string{ColumnDetaineeID, ColumnDetaineeFallbackID, ColumnDetaineeLinkage}, f.Name)
			if own {
				if !slices.Contains(pseudonymiseColumns, f.Name) {
					t.Errorf("%s: column %d %q is not one pseudonymise computes", kind, pos, f.Name)
				}
				continue
			}
			role, ok := roles[f.Name]
			if !ok {
				t.Errorf("%s: column %q is not a study field", kind, f.Name)
				continue
			}
			if !role.Passes() {
				t.Errorf("%s: column %q has role %v, which must not reach a pseudonymised batch", kind, f.Name, role)
			}
		}
		for name, role := range roles {
			if role.Passes() && len(schema.FieldIndices(name)) != 1 {
				t.Errorf("%s: data field %q is missing from the pseudonymised schema", kind, name)
			}
		}
	}
}

// Values no pseudonymised output may contain. The BSNs pass the elfproef.
const (
	canaryBSN              = "123456782"
	canaryDetaineeBSN      = "111111110"
	canarySurname          = "Canarysurnamexq"
	canaryDetaineeSurname  = "Canarydetaineexq"
	canaryPostcode         = "1234 XQ"
	canaryFreeText         = "free text canary xq"
	canaryBirthDate        = "1961-07-23"
	canaryDetaineeBirthDay = "1955-03-14"
)

// TestNoIdentifierReachesOutput fills every field of a raw row of every
// kind (identifiers with canary values) and checks that no identifier
// value, and no free text the file does not allow, reaches the
// pseudonymised batch or the supplier's pseudonymised export, in any
// column.
func TestNoIdentifierReachesOutput(t *testing.T) {
	for _, kind := range study.Kinds() {
		t.Run(string(kind), func(t *testing.T) {
			// Every identifier field gets a canary (one added later too):
			// dates a canary date, text a value containing "xq".
			row := rawRow{}
			for _, f := range study.Fields(kind) {
				switch {
				case f.Role == study.RoleIdentifier && study.IsDate(f):
					row[f.Name] = date(canaryBirthDate)
				case f.Role == study.RoleIdentifier:
					row[f.Name] = "Canary" + strings.ReplaceAll(f.Name, "_", "") + "xq"
				case study.IsDate(f):
					row[f.Name] = date("2020-05-01")
				case f.Type == study.Integer:
					row[f.Name] = int32(3)
				case f.Role == study.RoleFreeText:
					row[f.Name] = canaryFreeText
				default:
					row[f.Name] = "value_" + f.Name
				}
			}
			row[study.FieldBSN] = canaryBSN
			row[study.FieldSurname] = canarySurname
			row[study.FieldBirthDate] = date(canaryBirthDate)
			row[study.FieldPostcode] = canaryPostcode
			row[study.FieldSex] = "v"
			// The supplier columns stay empty: this is a raw export.
			delete(row, study.FieldPseudonym)
			delete(row, study.FieldLinkage)
			delete(row, study.FieldFallbackID)
			delete(row, study.FieldDetaineePseudonym)
			delete(row, study.FieldDetaineeLinkage)
			delete(row, study.FieldDetaineeFallbackID)
			if kind == study.KindHouseholds {
				row[study.FieldDetaineeBSN] = canaryDetaineeBSN
				row[study.FieldDetaineeSurname] = canaryDetaineeSurname
				row[study.FieldDetaineeBirthDate] = date(canaryDetaineeBirthDay)
				row[study.FieldDetaineeSex] = "m"
			}
			p := New(testKey(t, 7)) // no free text allowed for any file
			b, stats, err := p.Batch(rawBatch(t, kind, "P", "f.csv", []rawRow{row}), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Release()
			if b.Record().NumRows() != 1 || stats.ByBSN != 1 {
				t.Fatalf("rows %d, stats %+v; want the row linked by BSN", b.Record().NumRows(), stats)
			}
			assertNoCanary(t, "batch", recordText(b.Record()))

			var csv bytes.Buffer
			columns := map[string]string{}
			for _, f := range study.Fields(kind) {
				columns[f.Name] = "Col_" + f.Name
			}
			x, err := NewExportWriter(&csv, study.File{Name: "f.csv", Kind: kind, Columns: columns})
			if err != nil {
				t.Fatal(err)
			}
			if err := x.Write(b); err != nil {
				t.Fatal(err)
			}
			if err := x.Flush(); err != nil {
				t.Fatal(err)
			}
			assertNoCanary(t, "supplier export", csv.String())
		})
	}
}

func assertNoCanary(t *testing.T, where, text string) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, c := range []string{"xq", canaryBSN, canaryDetaineeBSN, canarySurname, canaryDetaineeSurname, canaryPostcode,
		strings.ReplaceAll(canaryPostcode, " ", ""), canaryFreeText, canaryBirthDate, canaryDetaineeBirthDay} {
		if strings.Contains(lower, strings.ToLower(c)) {
			t.Errorf("%s holds %q:\n%s", where, c, text)
		}
	}
}

// recordText writes every cell of rec as text, dates as yyyy-mm-dd.
func recordText(rec arrow.RecordBatch) string {
	var b strings.Builder
	for c := 0; c < int(rec.NumCols()); c++ {
		col := rec.Column(c)
		for i := 0; i < col.Len(); i++ {
			if col.IsNull(i) {
				continue
			}
			switch a := col.(type) {
			case *array.String:
				b.WriteString(a.Value(i))
			case *array.Date32:
				b.WriteString(a.Value(i).ToTime().Format(time.DateOnly))
			default:
				b.WriteString(a.ValueStr(i))
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestEncodingFieldsAreIdentityOnly: the keyed encodings a supplier's
// export carries are identity fields: read into Batch.Encodings, never a
// column of a pseudonymised batch; and the encodings of a name and a date
// hold neither in any spelling.
func TestEncodingFieldsAreIdentityOnly(t *testing.T) {
	enc := []string{study.FieldEncSurname, study.FieldEncSurnameParts, study.FieldEncGivenName, study.FieldEncBirthDate}
	for _, kind := range study.Kinds() {
		for _, f := range study.Fields(kind) {
			if slices.Contains(enc, f.Name) && (f.Role != study.RoleIdentity || f.Role.Passes()) {
				t.Errorf("%s: encoding field %q has role %v, want identity (never passes)", kind, f.Name, f.Role)
			}
		}
		for _, f := range Schema(kind).Fields() {
			if slices.Contains(enc, f.Name) {
				t.Errorf("%s: the pseudonymised schema has the encoding column %q", kind, f.Name)
			}
		}
	}
	e := NewEncoder(testKey(t, 3))
	name, birth := "van der Berg-Jansen", time.Date(1985, 3, 14, 0, 0, 0, 0, time.UTC)
	var all []byte
	all = e.AppendName(all, EncSurname, name, []byte("f\x001"))
	all = e.AppendSurnameParts(all, name, []byte("f\x001"))
	all = e.AppendDate(all, birth)
	for _, clear := range []string{"berg", "Berg", "BERG", "jansen", "Jansen", "1985", "0314", "1403", "14-03"} {
		if bytes.Contains(all, []byte(clear)) {
			t.Errorf("an encoding holds %q", clear)
		}
	}
}
