package ingest

import "testing"

func TestScanFreeText(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"verhuisd naar familie", ""},
		{"terug na 3 weken, 2 keer gebeld", ""},
		{"in 2024 naar huis", ""},
		{"mail j.jansen@example.org", FreeTextEmail},
		{"bel 06-12345678", FreeTextPhone},
		{"tel 06 1234 5678", FreeTextPhone},
		{"+31 6 12345678", FreeTextPhone},
		{"020-1234567", FreeTextPhone},
		{"bsn 123456782", FreeTextBSN},
		{"BSN 123.456.782", FreeTextBSN},
		{"nr 1234 56 782", FreeTextBSN},
		{"8 cijfers 12345678", FreeTextBSN},
		{"woont 1012 AB", FreeTextPostcode},
		{"postcode 1012AB Amsterdam", FreeTextPostcode},
		{"geboren 12-03-1980", FreeTextDate},
		{"geb. 1980-03-12", FreeTextDate},
		{"12/3/80", FreeTextDate},
		{"geboren 12 maart 1980", FreeTextDate},
	} {
		if got := scanFreeText(tc.text); got != tc.want {
			t.Errorf("scanFreeText(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
