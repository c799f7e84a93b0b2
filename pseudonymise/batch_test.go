package pseudonymise

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// rawRow is one row of a raw batch: canonical field → value (string,
// time.Time for dates, int32 for integers). Missing fields are null.
type rawRow map[string]any

// rawBatch builds a RawBatch of kind from rows, as ingest would emit it.
func rawBatch(t testing.TB, kind study.Kind, partner, file string, rows []rawRow) ingest.RawBatch {
	t.Helper()
	schema := ingest.RawSchema(kind)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer rb.Release()
	fields := schema.Fields()
	for i, row := range rows {
		rb.Field(0).(*array.Int64Builder).Append(int64(i + 2))
		for pos := 1; pos < len(fields); pos++ {
			v, ok := row[fields[pos].Name]
			fb := rb.Field(pos)
			if !ok {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Date32Builder:
				fb.Append(arrow.Date32FromTime(v.(time.Time)))
			case *array.Int32Builder:
				fb.Append(v.(int32))
			default:
				t.Fatalf("rawBatch: no case for %T", fb)
			}
		}
	}
	return ingest.RawBatch{Kind: kind, Partner: partner, File: file, Record: rb.NewRecordBatch()}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// column returns the named column of a pseudonymised batch as strings
// ("" for null), or ints (-1 for null).
func stringsOf(t *testing.T, b Batch, name string) []string {
	t.Helper()
	rec := b.Record()
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		t.Fatalf("batch has no column %s", name)
	}
	c := rec.Column(idx[0]).(*array.String)
	out := make([]string, c.Len())
	for i := range out {
		if !c.IsNull(i) {
			out[i] = c.Value(i)
		}
	}
	return out
}

func intsOf(t *testing.T, b Batch, name string) []int {
	t.Helper()
	rec := b.Record()
	c := rec.Column(rec.Schema().FieldIndices(name)[0]).(*array.Int32)
	out := make([]int, c.Len())
	for i := range out {
		out[i] = -1
		if !c.IsNull(i) {
			out[i] = int(c.Value(i))
		}
	}
	return out
}

func TestAgeAtReferenceDate(t *testing.T) {
	tests := []struct {
		name        string
		birth, ref  string
		release     string // trajectories: release wins over start
		want        int
		wantBirthYr int
	}{
		{"day before birthday", "1990-05-10", "2020-05-09", "", 29, 1990},
		{"birthday on the reference date", "1990-05-10", "2020-05-10", "", 30, 1990},
		{"day after birthday", "1990-05-10", "2020-05-11", "", 30, 1990},
		{"29 February, non-leap year, 28 February", "2000-02-29", "2021-02-28", "", 20, 2000},
		{"29 February, non-leap year, 1 March", "2000-02-29", "2021-03-01", "", 21, 2000},
		{"29 February, leap year birthday", "2000-02-29", "2024-02-29", "", 24, 2000},
		{"29 February, leap year, day before", "2000-02-29", "2024-02-28", "", 23, 2000},
		{"release date is the reference, not start", "1990-05-10", "2019-01-01", "2020-05-10", 30, 1990},
		{"born on the reference date", "2020-05-10", "2020-05-10", "", 0, 2020},
	}
	p := New(testKey(t, 0))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			row := rawRow{study.FieldBSN: SyntheticBSN(1), study.FieldBirthDate: date(tc.birth),
				study.FieldProgramme: "AMB", study.FieldStart: date(tc.ref)}
			if tc.release != "" {
				row[study.FieldRelease] = date(tc.release)
			}
			b, _, err := p.Batch(rawBatch(t, study.KindTrajectories, "P", "f.csv", []rawRow{row}), func(ingest.Quarantine) {})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Release()
			if got := intsOf(t, b, ColumnAge)[0]; got != tc.want {
				t.Errorf("age = %d, want %d", got, tc.want)
			}
			if got := intsOf(t, b, ColumnBirthYear)[0]; got != tc.wantBirthYr {
				t.Errorf("birth year = %d, want %d", got, tc.wantBirthYr)
			}
		})
	}
}

func TestFreeTextDroppedUnlessAllowed(t *testing.T) {
	st := &study.Study{Partners: []study.Partner{
		{Name: "A", Files: []study.File{{Name: "a.csv", FreeText: []string{study.FieldExitReason}}, {Name: "b.csv"}}},
		{Name: "J", Files: []study.File{{Name: "j.csv", FreeText: []string{study.FieldCategory}}}},
	}}
	traj := rawRow{study.FieldBSN: SyntheticBSN(2), study.FieldProgramme: "AMB", study.FieldStart: date("2020-01-01"),
		study.FieldExitReason: "verhuisd naar Zwolle", study.FieldExitDestination: "other"}
	event := rawRow{study.FieldBSN: SyntheticBSN(2), study.FieldEventType: "offence", study.FieldDate: date("2020-01-01"),
		study.FieldCategory: "vermogen"}
	tests := []struct {
		name        string
		p           *Pseudonymiser
		kind        study.Kind
		partner     string
		file        string
		row         rawRow
		field, want string
	}{
		{"allowed for the file", NewForStudy(testKey(t, 0), st), study.KindTrajectories, "A", "a.csv", traj, study.FieldExitReason, "verhuisd naar Zwolle"},
		{"not allowed for another file of the partner", NewForStudy(testKey(t, 0), st), study.KindTrajectories, "A", "b.csv", traj, study.FieldExitReason, ""},
		{"same file name, other partner", NewForStudy(testKey(t, 0), st), study.KindTrajectories, "J", "a.csv", traj, study.FieldExitReason, ""},
		{"New allows none", New(testKey(t, 0)), study.KindTrajectories, "A", "a.csv", traj, study.FieldExitReason, ""},
		{"coded fields are kept", New(testKey(t, 0)), study.KindTrajectories, "A", "b.csv", traj, study.FieldExitDestination, "other"},
		{"event category allowed", NewForStudy(testKey(t, 0), st), study.KindEvents, "J", "j.csv", event, study.FieldCategory, "vermogen"},
		{"event category dropped", NewForStudy(testKey(t, 0), st), study.KindEvents, "A", "a.csv", event, study.FieldCategory, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _, err := tc.p.Batch(rawBatch(t, tc.kind, tc.partner, tc.file, []rawRow{tc.row}), func(ingest.Quarantine) {})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Release()
			if got := stringsOf(t, b, tc.field)[0]; got != tc.want {
				t.Errorf("%s = %q, want %q", tc.field, got, tc.want)
			}
		})
	}
}

func TestSupplierRowsPassThrough(t *testing.T) {
	k := testKey(t, 0)
	h := NewHasher(k)
	bsnP := h.Pseudonym(DomainBSN, []byte(SyntheticBSN(3)))
	fbP := h.Pseudonym(DomainFallback, []byte("jansen|1980-01-02|m"))
	base := func(extra rawRow) rawRow {
		r := rawRow{study.FieldProgramme: "AMB", study.FieldStart: date("2020-01-01"), study.FieldBirthYear: int32(1980)}
		for k, v := range extra {
			r[k] = v
		}
		return r
	}
	tests := []struct {
		name                   string
		row                    rawRow
		wantKept               bool
		wantLink, wantFallback string
		wantAge                int
	}{
		{"bsn pseudonym with fallback and age", base(rawRow{study.FieldPseudonym: bsnP, study.FieldLinkage: LinkBSN,
			study.FieldFallbackID: fbP, study.FieldAge: int32(40)}), true, LinkBSN, fbP, 40},
		{"fallback pseudonym", base(rawRow{study.FieldPseudonym: fbP, study.FieldLinkage: LinkFallback, study.FieldFallbackID: fbP}),
			true, LinkFallback, fbP, -1},
		{"a BSN in the pseudonym column", base(rawRow{study.FieldPseudonym: SyntheticBSN(3), study.FieldLinkage: LinkBSN}), false, "", "", 0},
		{"upper-case hex is not a pseudonym", base(rawRow{study.FieldPseudonym: "ABCDEF0123456789ABCDEF0123456789", study.FieldLinkage: LinkBSN}), false, "", "", 0},
		{"unknown linkage", base(rawRow{study.FieldPseudonym: bsnP, study.FieldLinkage: "name"}), false, "", "", 0},
		{"bad fallback_id", base(rawRow{study.FieldPseudonym: bsnP, study.FieldLinkage: LinkBSN, study.FieldFallbackID: "jansen"}), false, "", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var quarantined []ingest.Quarantine
			b, stats, err := New(k).Batch(rawBatch(t, study.KindTrajectories, "P", "f.csv", []rawRow{tc.row}),
				func(q ingest.Quarantine) { quarantined = append(quarantined, q) })
			if err != nil {
				t.Fatal(err)
			}
			defer b.Release()
			if !tc.wantKept {
				if b.Record().NumRows() != 0 || len(quarantined) != 1 || quarantined[0].Rule != ingest.RuleNoIdentifier || stats.Unlinked != 1 {
					t.Fatalf("kept %d rows, quarantined %v, stats %+v; want the row quarantined as no_identifier", b.Record().NumRows(), quarantined, stats)
				}
				return
			}
			if b.Record().NumRows() != 1 || stats.BySupplier != 1 {
				t.Fatalf("kept %d rows, stats %+v", b.Record().NumRows(), stats)
			}
			if got := stringsOf(t, b, ColumnPersonID)[0]; got != tc.row[study.FieldPseudonym] {
				t.Errorf("person_id = %s, want the supplier's pseudonym", got)
			}
			if got := stringsOf(t, b, ColumnLinkage)[0]; got != tc.wantLink {
				t.Errorf("linkage = %s, want %s", got, tc.wantLink)
			}
			if got := stringsOf(t, b, ColumnFallbackID)[0]; got != tc.wantFallback {
				t.Errorf("fallback_id = %s, want %s", got, tc.wantFallback)
			}
			if got := intsOf(t, b, ColumnAge)[0]; got != tc.wantAge {
				t.Errorf("age = %d, want %d", got, tc.wantAge)
			}
			if got := intsOf(t, b, ColumnBirthYear)[0]; got != 1980 {
				t.Errorf("birth_year = %d, want 1980", got)
			}
		})
	}
}

// TestSuppliedIdentity pins the form rule that both the pipeline and
// `outcomes check` apply to a supplier-pseudonymised row.
func TestSuppliedIdentity(t *testing.T) {
	h := NewHasher(testKey(t, 3))
	p := h.Pseudonym(DomainBSN, []byte(SyntheticBSN(5)))
	fb := h.Pseudonym(DomainFallback, []byte("jansen|1980-01-02|m"))
	tests := []struct {
		name                      string
		pseudonym, fallback, link string
		want                      bool
	}{
		{"bsn-linked with fallback", p, fb, LinkBSN, true},
		{"bsn-linked without fallback", p, "", LinkBSN, true},
		{"fallback-linked", fb, fb, LinkFallback, true},
		{"empty pseudonym", "", fb, LinkBSN, false},
		{"a BSN in the pseudonym column", SyntheticBSN(5), "", LinkBSN, false},
		{"upper-case hex", strings.ToUpper(p), "", LinkBSN, false},
		{"one digit short", p[1:], "", LinkBSN, false},
		{"malformed fallback", p, "jansen", LinkBSN, false},
		{"linkage supplier", p, "", LinkSupplier, false},
		{"no linkage", p, "", "", false},
	}
	for _, tc := range tests {
		if got := SuppliedIdentity(tc.pseudonym, tc.fallback, tc.link); got != tc.want {
			t.Errorf("%s: SuppliedIdentity = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCaseNumbersAreKeyed: a case number (study.RoleKeyed) reaches the
// batch only as its keyed pseudonym in DomainCase: equal numbers (up to
// spaces and case) stay equal, different ones differ, the number itself is
// gone, and another key gives other pseudonyms. A supplier's pseudonymised
// export carries them already keyed, and they pass as given.
func TestCaseNumbersAreKeyed(t *testing.T) {
	row := func(caseID string) rawRow {
		return rawRow{study.FieldBSN: SyntheticBSN(2), study.FieldEventType: "offence", study.FieldDate: date("2020-01-01"), study.FieldCaseID: caseID}
	}
	raw := func() ingest.RawBatch {
		return rawBatch(t, study.KindEvents, "J", "j.csv", []rawRow{row("13/123456-21"), row(" 13/123456-21 "), row("13/654321-21"), row("ab-7"), {study.FieldBSN: SyntheticBSN(2), study.FieldEventType: "offence", study.FieldDate: date("2020-01-01")}})
	}
	keyed := func(k Key) []string {
		b, _, err := New(k).Batch(raw(), func(ingest.Quarantine) {})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		return stringsOf(t, b, study.FieldCaseID)
	}
	got := keyed(testKey(t, 0))
	h := NewHasher(testKey(t, 0))
	if want := h.Pseudonym(DomainCase, []byte("13/123456-21")); got[0] != want || got[1] != want {
		t.Errorf("case ids %q, %q; want both %q", got[0], got[1], want)
	}
	if got[2] == got[0] || got[2] == "" {
		t.Errorf("another case number gives %q", got[2])
	}
	if want := h.Pseudonym(DomainCase, []byte("AB-7")); got[3] != want {
		t.Errorf("lower-case case number: %q, want the upper-cased one's %q", got[3], want)
	}
	if got[4] != "" {
		t.Errorf("no case number: %q, want null", got[4])
	}
	for i, g := range got[:4] {
		if len(g) != PseudonymLen || strings.Contains(g, "123456") || strings.Contains(g, "654321") {
			t.Errorf("row %d: %q is not a pseudonym of the case number", i, g)
		}
	}
	if h.Pseudonym(DomainCase, []byte("111222333")) == h.Pseudonym(DomainBSN, []byte("111222333")) {
		t.Error("a case number and a BSN with the same digits share a pseudonym")
	}
	if other := keyed(testKey(t, 1)); other[0] == got[0] {
		t.Error("another key gives the same case pseudonym")
	}
	t.Run("supplier export passes them as given", func(t *testing.T) {
		r := rawRow{study.FieldPseudonym: strings.Repeat("a", PseudonymLen), study.FieldLinkage: "bsn", study.FieldEventType: "offence",
			study.FieldDate: date("2020-01-01"), study.FieldCaseID: got[0]}
		b, _, err := New(testKey(t, 0)).Batch(rawBatch(t, study.KindEvents, "J", "j.csv", []rawRow{r}), func(ingest.Quarantine) {})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		if v := stringsOf(t, b, study.FieldCaseID)[0]; v != got[0] {
			t.Errorf("supplier's keyed case id became %q", v)
		}
	})
}
