package pseudonymise

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func digits9(s string) [9]byte {
	var d [9]byte
	copy(d[:], s)
	return d
}

func TestValidElfproef(t *testing.T) {
	// Sums worked by hand: 9*d1 + 8*d2 + ... + 2*d8 - d9.
	tests := []struct {
		name string
		bsn  string
		want bool
	}{
		{"111222333 (sum 66)", "111222333", true},
		{"123456782 (sum 154)", "123456782", true},
		{"012345672 (sum 110)", "012345672", true},
		{"999999990 (sum 396)", "999999990", true},
		{"123456789 (sum 147)", "123456789", false},
		{"111222334 (sum 65)", "111222334", false},
		{"012345674 (sum 108)", "012345674", false},
		{"all zeros (sum 0)", "000000000", false},
		{"letter", "11122233a", false},
		{"zero bytes", "", false},
		{"space", "11122233 ", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidElfproef(digits9(tc.bsn)); got != tc.want {
				t.Errorf("ValidElfproef(%q) = %v, want %v", tc.bsn, got, tc.want)
			}
		})
	}
}

func TestNormaliseBSN(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want BSNStatus
		norm string // when want == BSNOK
	}{
		{"plain", "111222333", BSNOK, "111222333"},
		{"plain 2", "123456782", BSNOK, "123456782"},
		{"spaces around", "  111222333\t\r\n", BSNOK, "111222333"},
		{"grouped with spaces", "111 222 333", BSNOK, "111222333"},
		{"grouped with dots", "123.456.782", BSNOK, "123456782"},
		{"grouped with dashes", "123-45-6782", BSNOK, "123456782"},
		{"no-break spaces", "123\u00a0456\u202f782", BSNOK, "123456782"},
		{"en dash", "123\u2013456\u2013782", BSNOK, "123456782"},
		{"8 digits lost leading zero", "12345672", BSNOK, "012345672"},
		{"9 digits leading zero", "012345672", BSNOK, "012345672"},
		{"empty", "", BSNEmpty, ""},
		{"only spaces", "   ", BSNEmpty, ""},
		{"only separators", " .-. ", BSNEmpty, ""},
		{"letter", "11122233a", BSNNotDigits, ""},
		{"plus sign", "+111222333", BSNNotDigits, ""},
		{"decimal comma zero fraction", "111222333,0", BSNOK, "111222333"},
		{"spreadsheet float lost leading zero", "10593925.0", BSNOK, "010593925"},
		{"spreadsheet float two zeros", "10593925,00", BSNOK, "010593925"},
		{"formula text", `="010593925"`, BSNOK, "010593925"},
		{"apostrophe text", "'010593925", BSNOK, "010593925"},
		{"scientific notation", "1.0593925E8", BSNNumberRendering, ""},
		{"scientific notation comma", "1,06E+08", BSNNumberRendering, ""},
		{"nonzero fraction", "10593925.5", BSNNumberRendering, ""},
		{"one dot not grouping by three", "1059.39250", BSNNumberRendering, ""},
		{"dots grouping unevenly", "6666.74.401", BSNOK, "666674401"},
		{"grouped with dots and 8 digits", "10.593.925", BSNOK, "010593925"},
		{"slash", "111/222/333", BSNNotDigits, ""},
		{"arabic-indic digits", "١١١٢٢٢٣٣٣", BSNNotDigits, ""},
		{"fullwidth digits", "１１１２２２３３３", BSNNotDigits, ""},
		{"invalid utf-8", "111\xff222333", BSNNotDigits, ""},
		{"too long and a letter", "1112223334444x", BSNNotDigits, ""},
		{"10 digits", "1112223334", BSNWrongLength, ""},
		{"7 digits", "1234567", BSNWrongLength, ""},
		{"1 digit", "5", BSNWrongLength, ""},
		{"spreadsheet float", "123456782.0", BSNOK, "123456782"},
		{"grouped then a fraction", "123.456.782,0", BSNNumberRendering, ""},
		{"fails elfproef", "123456789", BSNFailsElfproef, ""},
		{"fails elfproef 8 digits", "12345674", BSNFailsElfproef, ""},
		{"all zeros", "000000000", BSNFailsElfproef, ""},
		{"8 zeros", "00000000", BSNFailsElfproef, ""},
		{"all zeros grouped", "000.000.000", BSNFailsElfproef, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := [9]byte{'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'}
			got := NormaliseBSN(tc.raw, &dst)
			if got != tc.want {
				t.Fatalf("NormaliseBSN(%q) = %v, want %v", tc.raw, got, tc.want)
			}
			if got == BSNOK {
				if string(dst[:]) != tc.norm {
					t.Errorf("normalised = %q, want %q", dst[:], tc.norm)
				}
			} else if dst != [9]byte{} {
				t.Errorf("dst = %q after %v, want zero bytes", dst[:], got)
			}
		})
	}
}

func TestBSNStatus(t *testing.T) {
	tests := []struct {
		s    BSNStatus
		str  string
		err  error
		text string
	}{
		{BSNOK, "ok", nil, ""},
		{BSNEmpty, "empty", ErrBSNEmpty, "national ID (BSN) is empty"},
		{BSNNotDigits, "not_digits", ErrBSNNotDigits, "national ID (BSN) has characters other than digits, spaces, dots and dashes"},
		{BSNWrongLength, "wrong_length", ErrBSNWrongLength, "national ID (BSN) does not have 8 or 9 digits"},
		{BSNFailsElfproef, "fails_elfproef", ErrBSNFailsElfproef, "national ID (BSN) fails the elfproef (11-test)"},
		{BSNNumberRendering, "number_rendering", ErrBSNNumber, "national ID (BSN) is a spreadsheet number rendering (scientific notation or a decimal fraction) that cannot be read back"},
	}
	for _, tc := range tests {
		t.Run(tc.str, func(t *testing.T) {
			if got := tc.s.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			err := tc.s.Err()
			if !errors.Is(err, tc.err) {
				t.Errorf("Err() = %v, want %v", err, tc.err)
			}
			if err != nil && err.Error() != tc.text {
				t.Errorf("Err().Error() = %q, want %q", err, tc.text)
			}
		})
	}
	if got := BSNStatus(0).String(); got != "BSNStatus(0)" {
		t.Errorf("BSNStatus(0).String() = %q", got)
	}
}

func TestSyntheticBSN(t *testing.T) {
	check := func(t *testing.T, n uint32, seen map[string]uint32) {
		t.Helper()
		s := SyntheticBSN(n)
		if len(s) != 9 {
			t.Fatalf("SyntheticBSN(%d) = %q, not 9 digits", n, s)
		}
		var d [9]byte
		if st := NormaliseBSN(s, &d); st != BSNOK || string(d[:]) != s {
			t.Fatalf("SyntheticBSN(%d) = %q: NormaliseBSN gives %v", n, s, st)
		}
		if prev, ok := seen[s]; ok {
			t.Fatalf("SyntheticBSN(%d) = SyntheticBSN(%d) = %q", n, prev, s)
		}
		seen[s] = n
	}
	t.Run("first 200000 distinct and valid", func(t *testing.T) {
		seen := make(map[string]uint32)
		for n := range uint32(200_000) {
			check(t, n, seen)
		}
	})
	t.Run("spread over the range distinct and valid", func(t *testing.T) {
		seen := make(map[string]uint32)
		// Samples q of the first seven digits, and the eight other numbers that share
		// its first seven digits.
		const prefixes = SyntheticBSNCount / 9 // numbers of seven digits, 0000001 to 9999999
		for q := uint32(0); q < prefixes; q += prefixes / 20_000 {
			for k := range uint32(9) {
				check(t, q+k*prefixes, seen)
			}
		}
		check(t, SyntheticBSNCount-1, seen)
	})
	t.Run("deterministic and wraps", func(t *testing.T) {
		for _, n := range []uint32{0, 1, 8, 9, 12345, SyntheticBSNCount - 1} {
			if a, b := SyntheticBSN(n), SyntheticBSN(n); a != b {
				t.Errorf("SyntheticBSN(%d) gave %q then %q", n, a, b)
			}
			if a, b := SyntheticBSN(n), SyntheticBSN(n+SyntheticBSNCount); a != b {
				t.Errorf("SyntheticBSN(%d) = %q, but SyntheticBSN(n+SyntheticBSNCount) = %q", n, a, b)
			}
		}
		if got := SyntheticBSN(^uint32(0)); len(got) != 9 {
			t.Errorf("SyntheticBSN(max) = %q", got)
		}
	})
}

func TestNormaliseSurname(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"cedilla", "Çelik", "celik"},
		{"umlaut", "Müller", "muller"},
		{"acute", "Eén", "een"},
		{"turkish", "Öztürk", "ozturk"},
		{"turkish s and g", "Şahin-Doğan", "sahin dogan"},
		{"dotless i", "Yılmaz", "yilmaz"},
		{"dotted capital I", "İnce", "ince"},
		{"sharp s", "Straße", "strasse"},
		{"slashed o", "Søndergård", "sondergard"},
		{"ij ligature", "Ĳzerman", "ijzerman"},
		{"fullwidth", "ＢＥＲＧ", "berg"},
		{"apostrophe inside", "O'Brien", "o brien"},
		{"hyphen and spaces", "Jansen  -  Smit", "jansen smit"},
		{"van der prefix", "van der Berg", "berg"},
		{"upper case", "VAN DER BERG", "berg"},
		{"comma after", "Berg, van der", "berg"},
		{"after without comma", "Berg van der", "berg"},
		{"abbreviated", "v.d. Berg", "berg"},
		{"abbreviated vd", "vd Berg", "berg"},
		{"no prefix", "Berg", "berg"},
		{"in 't", "in 't Veld", "veld"},
		{"in 't after", "Veld, in 't", "veld"},
		{"'s-", "'s-Gravesande", "gravesande"},
		{"van 's-", "van 's-Gravesande", "gravesande"},
		{"d'", "d'Ancona", "ancona"},
		{"de la", "De la Fuente", "fuente"},
		{"ter", "ter Horst", "horst"},
		{"el", "El Amrani", "amrani"},
		{"double name keeps inner prefix", "Jansen-van der Berg", "jansen van der berg"},
		{"double name with leading prefix", "de Vries-van der Berg", "vries van der berg"},
		{"double name with prefix after", "Vries-van der Berg, de", "vries van der berg"},
		{"only a prefix word", "Van", "van"},
		{"vietnamese Le", "Lê", "le"},
		{"only prefix words", "Le Van", "le van"},
		{"empty", "", ""},
		{"only punctuation", " - , ' ", ""},
		{"digits kept", "Berg 2", "berg 2"},
		{"cyrillic kept", "Иванов", "иванов"},
		{"invalid utf-8", "Berg\xffman", "berg man"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NormaliseSurname(tc.in)
			if got != tc.want {
				t.Errorf("NormaliseSurname(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := NormaliseSurname(got); again != got {
				t.Errorf("not idempotent: NormaliseSurname(%q) = %q", got, again)
			}
		})
	}
}

// TestNormaliseSurnameAgrees checks that the ways partners write one
// surname all give one result.
func TestNormaliseSurnameAgrees(t *testing.T) {
	groups := [][]string{
		{"van der Berg", "Berg, van der", "Berg van der", "VAN DER BERG", "van der berg", "Van Der Berg", "v.d. Berg", "Berg", "  van  der   Berg ", "Berg,van der"},
		{"in 't Veld", "Veld, in 't", "In 'T Veld", "in t Veld", "Veld"},
		{"Çelik", "Celik", "ÇELİK", "celik"},
		{"de Vries-van der Berg", "Vries-van der Berg, de", "De Vries - van der Berg", "DE VRIES-VAN DER BERG"},
	}
	for _, g := range groups {
		t.Run(g[0], func(t *testing.T) {
			want := NormaliseSurname(g[0])
			for _, s := range g[1:] {
				if got := NormaliseSurname(s); got != want {
					t.Errorf("NormaliseSurname(%q) = %q, want %q as for %q", s, got, want, g[0])
				}
			}
		})
	}
}

func TestNormaliseSex(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"M", "m"}, {"m", "m"}, {"man", "m"}, {"Man", "m"}, {"male", "m"}, {"MALE", "m"}, {" mannelijk ", "m"},
		{"V", "v"}, {"v", "v"}, {"F", "v"}, {"f", "v"}, {"vrouw", "v"}, {"Vrouw", "v"}, {"female", "v"}, {"vrouwelijk", "v"},
		{"X", "x"}, {"x", "x"},
		{"", "o"}, {"O", "o"}, {"onbekend", "o"}, {"unknown", "o"}, {"1", "o"}, {"2", "o"}, {"mv", "o"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := NormaliseSex(tc.in); got != tc.want {
				t.Errorf("NormaliseSex(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFallbackKey(t *testing.T) {
	amsterdam := time.FixedZone("CET", 3600)
	tests := []struct {
		name    string
		surname string
		birth   time.Time
		sex     string
		want    string // "" means nil
	}{
		{"prefix and leap day", "van der Berg", time.Date(1980, 2, 29, 0, 0, 0, 0, time.UTC), "V", "berg|1980-02-29|v"},
		{"same person written otherwise", "Berg, van der", time.Date(1980, 2, 29, 0, 0, 0, 0, time.UTC), "vrouw", "berg|1980-02-29|v"},
		{"diacritics and male", "Çelik", time.Date(1975, 12, 1, 0, 0, 0, 0, time.UTC), "man", "celik|1975-12-01|m"},
		{"unknown sex", "Jansen", time.Date(2001, 7, 9, 0, 0, 0, 0, time.UTC), "", "jansen|2001-07-09|o"},
		{"date in its own location", "Jansen", time.Date(2001, 7, 9, 0, 30, 0, 0, amsterdam), "x", "jansen|2001-07-09|x"},
		{"small year padded", "Jansen", time.Date(999, 1, 2, 0, 0, 0, 0, time.UTC), "m", "jansen|0999-01-02|m"},
		{"empty surname", "", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), "m", ""},
		{"punctuation surname", "-", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), "m", ""},
		{"zero birth", "Jansen", time.Time{}, "m", ""},
		{"year beyond 9999", "Jansen", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "m", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FallbackKey([]byte("pre:"), tc.surname, tc.birth, tc.sex)
			if tc.want == "" {
				if got != nil {
					t.Errorf("FallbackKey = %q, want nil", got)
				}
				return
			}
			if string(got) != "pre:"+tc.want {
				t.Errorf("FallbackKey = %q, want %q", got, "pre:"+tc.want)
			}
			if strings.Count(string(got), "|") != 2 {
				t.Errorf("FallbackKey = %q does not have exactly two separators", got)
			}
		})
	}
}
