package pseudonymise

import (
	"slices"
	"testing"

	"github.com/outcomes-research/outcomes/ingest"
	"github.com/outcomes-research/outcomes/study"
)

// TestHouseholdDetainees checks that a household row's detainee gets the
// pseudonym the detainee's own records get (same key, same domains), that
// no detainee identifier survives into the batch, and that a row without a
// usable detainee identity is quarantined.
func TestHouseholdDetainees(t *testing.T) {
	p := New(testKey(t, 7))
	// The detainee's own aftercare record: BSN and fallback pseudonyms.
	own, _, err := p.Batch(rawBatch(t, study.KindTrajectories, "A", "a.csv", []rawRow{{
		study.FieldBSN: "111222333", study.FieldSurname: "de Vries", study.FieldBirthDate: date("1980-02-01"), study.FieldSex: "M",
		study.FieldProgramme: "AMB", study.FieldStart: date("2020-01-01"),
	}}), func(ingest.Quarantine) {})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Release()
	ownID, ownFallback := stringsOf(t, own, ColumnPersonID)[0], stringsOf(t, own, ColumnFallbackID)[0]

	var quarantined []ingest.Quarantine
	hh, stats, err := p.Batch(rawBatch(t, study.KindHouseholds, "G", "h.csv", []rawRow{
		{study.FieldBSN: "200000007", study.FieldRelation: "partner", study.FieldDetaineeBSN: "111 222 333"},
		{study.FieldBSN: "200000019", study.FieldRelation: "child", study.FieldDetaineeSurname: "De  Vries",
			study.FieldDetaineeBirthDate: date("1980-02-01"), study.FieldDetaineeSex: "man"},
		{study.FieldBSN: "200000020", study.FieldRelation: "child", study.FieldDetaineeBSN: "123456789"},     // fails the elfproef
		{study.FieldBSN: "200000032", study.FieldRelation: "parent", study.FieldDetaineeSurname: "de Vries"}, // no birth date
	}), func(q ingest.Quarantine) { quarantined = append(quarantined, q) })
	if err != nil {
		t.Fatal(err)
	}
	defer hh.Release()

	for _, name := range []string{study.FieldDetaineeBSN, study.FieldDetaineeSurname, study.FieldDetaineeBirthDate, study.FieldDetaineeSex} {
		if len(hh.Record().Schema().FieldIndices(name)) != 0 {
			t.Errorf("households batch carries the identifier column %s", name)
		}
	}
	for _, tc := range []struct {
		name, column string
		want         []string
	}{
		{"detainee by BSN gets the person pseudonym; by name the fallback one", ColumnDetaineeID, []string{ownID, ownFallback}},
		{"fallback pseudonym of the detainee whenever name and birth date are known", ColumnDetaineeFallbackID, []string{"", ownFallback}},
		{"linkage quality", ColumnDetaineeLinkage, []string{LinkBSN, LinkFallback}},
		{"relations kept", study.FieldRelation, []string{"partner", "child"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stringsOf(t, hh, tc.column); !slices.Equal(got, tc.want) {
				t.Errorf("%s = %q, want %q", tc.column, got, tc.want)
			}
		})
	}
	t.Run("rows without a usable detainee identity are quarantined", func(t *testing.T) {
		if stats.Unlinked != 2 || len(quarantined) != 2 {
			t.Fatalf("unlinked %d, quarantined %+v; want 2", stats.Unlinked, quarantined)
		}
		for i, q := range quarantined {
			if q.Line != 4+i || q.Rule != ingest.RuleNoIdentifier || q.Field != study.FieldDetaineeBSN {
				t.Errorf("quarantine %d = %+v, want line %d, no_identifier, detainee_bsn", i, q, 4+i)
			}
		}
		if stats.ByBSN != 2 {
			t.Errorf("%d members linked by BSN, want 2", stats.ByBSN)
		}
	})
}

// TestSupplierHouseholdDetainees: in a supplier-pseudonymised households
// export the detainee's pseudonym, linkage and fallback pseudonym are passed
// through unchanged; a value that does not have the form `outcomes
// pseudonymise` writes quarantines the row (no_identifier, under
// detainee_pseudonym), as a bad person pseudonym does.
func TestSupplierHouseholdDetainees(t *testing.T) {
	p := New(testKey(t, 9))
	person := p.pseudonym(DomainBSN, []byte("200000007"))
	dBSN := p.pseudonym(DomainBSN, []byte("111222333"))
	dFallback := p.pseudonym(DomainFallback, []byte("vries|1980-02-01|m"))
	row := func(extra rawRow) rawRow {
		r := rawRow{study.FieldPseudonym: person, study.FieldLinkage: LinkBSN, study.FieldBirthYear: int32(1990), study.FieldRelation: "partner"}
		for k, v := range extra {
			r[k] = v
		}
		return r
	}
	tests := []struct {
		name         string
		row          rawRow
		wantKept     bool
		wantFallback string
	}{
		{"bsn-linked detainee with fallback pseudonym", row(rawRow{study.FieldDetaineePseudonym: dBSN, study.FieldDetaineeLinkage: LinkBSN,
			study.FieldDetaineeFallbackID: dFallback}), true, dFallback},
		{"fallback-linked detainee", row(rawRow{study.FieldDetaineePseudonym: dFallback, study.FieldDetaineeLinkage: LinkFallback,
			study.FieldDetaineeFallbackID: dFallback}), true, dFallback},
		{"without fallback pseudonym", row(rawRow{study.FieldDetaineePseudonym: dBSN, study.FieldDetaineeLinkage: LinkBSN}), true, ""},
		{"a BSN in the detainee pseudonym column", row(rawRow{study.FieldDetaineePseudonym: SyntheticBSN(4), study.FieldDetaineeLinkage: LinkBSN}), false, ""},
		{"upper-case hex is not a pseudonym", row(rawRow{study.FieldDetaineePseudonym: "ABCDEF0123456789ABCDEF0123456789", study.FieldDetaineeLinkage: LinkBSN}), false, ""},
		{"a 64-digit hex value is not a pseudonym", row(rawRow{study.FieldDetaineePseudonym: dBSN + dBSN, study.FieldDetaineeLinkage: LinkBSN}), false, ""},
		{"unknown detainee linkage", row(rawRow{study.FieldDetaineePseudonym: dBSN, study.FieldDetaineeLinkage: LinkSupplier}), false, ""},
		{"missing detainee linkage", row(rawRow{study.FieldDetaineePseudonym: dBSN}), false, ""},
		{"bad detainee fallback pseudonym", row(rawRow{study.FieldDetaineePseudonym: dBSN, study.FieldDetaineeLinkage: LinkBSN,
			study.FieldDetaineeFallbackID: "de vries"}), false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var quarantined []ingest.Quarantine
			b, stats, err := p.Batch(rawBatch(t, study.KindHouseholds, "G", "h.csv", []rawRow{tc.row}),
				func(q ingest.Quarantine) { quarantined = append(quarantined, q) })
			if err != nil {
				t.Fatal(err)
			}
			defer b.Release()
			if !tc.wantKept {
				want := ingest.Quarantine{File: "h.csv", Line: 2, Field: study.FieldDetaineePseudonym, Rule: ingest.RuleNoIdentifier}
				if b.Record().NumRows() != 0 || len(quarantined) != 1 || quarantined[0] != want || stats.Unlinked != 1 {
					t.Fatalf("kept %d rows, quarantined %+v, stats %+v; want %+v", b.Record().NumRows(), quarantined, stats, want)
				}
				return
			}
			if b.Record().NumRows() != 1 || stats.BySupplier != 1 || len(quarantined) != 0 {
				t.Fatalf("kept %d rows, quarantined %+v, stats %+v", b.Record().NumRows(), quarantined, stats)
			}
			for column, want := range map[string]string{
				ColumnPersonID:           person,
				ColumnDetaineeID:         tc.row[study.FieldDetaineePseudonym].(string),
				ColumnDetaineeLinkage:    tc.row[study.FieldDetaineeLinkage].(string),
				ColumnDetaineeFallbackID: tc.wantFallback,
				study.FieldRelation:      "partner",
			} {
				if got := stringsOf(t, b, column)[0]; got != want {
					t.Errorf("%s = %q, want %q", column, got, want)
				}
			}
			if !b.Record().Schema().Equal(Schema(study.KindHouseholds)) {
				t.Errorf("batch schema %v, want Schema(households)", b.Record().Schema())
			}
			if len(b.Record().Schema().FieldIndices(study.FieldDetaineePseudonym)) != 0 {
				t.Error("the batch carries the supplier's detainee_pseudonym column besides detainee_id")
			}
		})
	}
}
