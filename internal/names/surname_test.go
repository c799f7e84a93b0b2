package names

import "testing"

func TestNormaliseSurname(t *testing.T) {
	// The full table of spellings is in package pseudonymise, whose
	// NormaliseSurname is this function; these cases cover each step.
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Jansen", "jansen"},
		{"diacritics decomposed", "Çelik", "celik"},
		{"letter folded", "Yılmaz", "yilmaz"},
		{"sharp s", "Weiß", "weiss"},
		{"leading prefix", "van der Berg", "berg"},
		{"trailing prefix after comma", "Berg, van der", "berg"},
		{"abbreviated prefix", "v.d. Berg", "berg"},
		{"prefix inside kept", "Jansen-van der Berg", "jansen van der berg"},
		{"only prefix words kept", "Van", "van"},
		{"apostrophes", "in 't Veld", "veld"},
		{"spaces collapsed", "  de   Vries  ", "vries"},
		{"empty", "", ""},
		{"separators only", " - ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NormaliseSurname(tc.in); got != tc.want {
				t.Errorf("NormaliseSurname(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := string(AppendNormalisedSurname([]byte("x|"), tc.in)); got != "x|"+tc.want {
				t.Errorf("AppendNormalisedSurname(%q) = %q, want %q", tc.in, got, "x|"+tc.want)
			}
		})
	}
}

func TestAppendNormalisedSurnameZeroAllocs(t *testing.T) {
	dst := make([]byte, 0, 64)
	for _, s := range []string{"van der Berg", "in 't Veld", "de Vries-van der Berg"} {
		if n := testing.AllocsPerRun(100, func() { dst = AppendNormalisedSurname(dst[:0], s) }); n != 0 {
			t.Errorf("AppendNormalisedSurname(%q) allocates %v times", s, n)
		}
	}
}

// FuzzAppendNormalisedSurname checks that the allocation-free ASCII path
// agrees with NormaliseSurname on every input, and appends after what dst
// holds.
func FuzzAppendNormalisedSurname(f *testing.F) {
	for _, s := range []string{"van der Berg", "Berg, van der", "in 't Veld", "'s-Gravesande", "Van", "van de",
		"d'Ancona", "O'Brien", "Jansen van", "", "  ", "-", "van van Dijk van", "Çelik", "x1-Y2", "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := NormaliseSurname(s)
		if got := string(AppendNormalisedSurname(nil, s)); got != want {
			t.Fatalf("AppendNormalisedSurname(%q) = %q, NormaliseSurname gives %q", s, got, want)
		}
		if again := NormaliseSurname(want); again != want {
			t.Fatalf("not idempotent: NormaliseSurname(%q) = %q", want, again)
		}
	})
}
